// Expressions and functions to and from their plan messages. Part of
// plan_serde.h; see there for the error policy.
//
// A function's kernel and prepared state are pointers into this process, so
// a function travels as (name, argument types, return type) and is bound
// again here:
//   - "cast" (what BindCast makes; not a registry name, since its target
//     type is no argument) is bound with BindCast(arg_types[0], return_type);
//   - catalog functions (pg_table_is_visible, format_type, regclass_in, ...)
//     through BindCatalogFunction with a CatalogLookup of the receiver's
//     catalog, as the binder does;
//   - every other scalar through FunctionRegistry::BindScalar(name,
//     arg_types, constant arguments), so that LIKE and the regular
//     expression operators compile their constant patterns again;
//   - aggregates (merge functions included) through BindAggregate.
// The rebound function must take the same argument types and return the
// same type as the message says; otherwise the receiver would run something
// else than was planned, and refuses with XX000 naming the function.
#pragma once

#include <memory>
#include <vector>

#include "exec/expression.h"
#include "exec/serde/plan.pb.h"
#include "exec/serde/plan_serde.h"

namespace basalt {

class FunctionRebinder {
 public:
  explicit FunctionRebinder(const DeserializeContext& context) : context_(context) {}

  // `args` are the call's deserialized arguments (constants among them are
  // passed to the binder).
  BoundScalarFunction BindScalar(const plan::ScalarFunction& message,
                                 const std::vector<ExpressionPtr>& args);
  BoundAggregateFunction BindAggregate(const plan::AggregateFunction& message);

 private:
  const std::shared_ptr<const CatalogLookup>& Lookup();

  const DeserializeContext& context_;
  std::shared_ptr<const CatalogLookup> lookup_;  // made on first use
};

void ExpressionToProto(const Expression& expr, plan::Expression* out);
// `input` are the types of the input columns. An INPUT_REF past them or of
// another type, a function argument of another type than the function
// takes, a call typed otherwise than the function returns, a constant whose
// value has another type (a NULL takes the constant's), or an expression
// breaking its kind's typing rule (BOOLEAN operands and results of AND / OR
// / NOT, BOOLEAN IS NULL and IN, CASE conditions BOOLEAN and branches of the
// CASE's type, COALESCE arguments of its type, IN items constants of the
// tested value's type) is refused (08P01): the executor allocates results
// by the declared types and kernels read and write memory as the bound types
// say, so such a message could make them read or write out of bounds.
ExpressionPtr ExpressionFromProto(const plan::Expression& message,
                                  const std::vector<LogicalType>& input,
                                  FunctionRebinder& functions);

void AggregateFunctionToProto(const BoundAggregateFunction& function, plan::AggregateFunction* out);

}  // namespace basalt
