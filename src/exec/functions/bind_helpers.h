// Small helpers the function binders share: building a BoundScalarFunction,
// reading constant arguments, and the type classes binders accept.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exec/cast.h"
#include "exec/function.h"

namespace basalt {

inline bool IsNullType(const LogicalType& t) { return t.id() == TypeId::kNull; }
inline bool IsVarchar(const LogicalType& t) { return t.id() == TypeId::kVarchar; }
inline bool IsDecimal(const LogicalType& t) { return t.id() == TypeId::kDecimal; }

// The argument's value when the caller knew it at bind time, else nullptr.
inline const Value* ConstantArg(const std::vector<const Value*>& constants, size_t i) {
  return i < constants.size() ? constants[i] : nullptr;
}

// A non-NULL VARCHAR constant, or nullptr.
inline const std::string* ConstantString(const std::vector<const Value*>& constants, size_t i) {
  const Value* v = ConstantArg(constants, i);
  if (v == nullptr || v->IsNull() || v->type().id() != TypeId::kVarchar) return nullptr;
  return &v->GetString();
}

inline BoundScalarFunction MakeScalar(std::string name, std::vector<LogicalType> arg_types,
                                      LogicalType return_type, ScalarKernel kernel,
                                      std::shared_ptr<const FunctionData> data = nullptr) {
  BoundScalarFunction f;
  f.name = std::move(name);
  f.arg_types = std::move(arg_types);
  f.return_type = return_type;
  f.kernel = kernel;
  f.data = std::move(data);
  return f;
}

// Accepts `t` where an integer is expected: SMALLINT, INTEGER, BIGINT or an
// untyped NULL.
inline bool IsIntegerOrNull(const LogicalType& t) { return t.IsInteger() || IsNullType(t); }
inline bool IsNumericOrNull(const LogicalType& t) { return t.IsNumeric() || IsNullType(t); }
inline bool IsVarcharOrNull(const LogicalType& t) { return IsVarchar(t) || IsNullType(t); }

// An integer type as the DECIMAL that holds all its values (INTEGER is
// DECIMAL(10,0)); any other type unchanged.
inline LogicalType IntegerAsDecimal(const LogicalType& t) {
  if (t.IsInteger()) return LogicalType::Decimal(IntegerDecimalPrecision(t.id()), 0);
  return t;
}

// A binder for one fixed signature: accepts arguments that convert implicitly
// to `params` (an untyped NULL, a narrower integer, an integer where a DOUBLE
// is expected) and asks the caller to cast them.
inline ScalarBinder FixedBinder(std::vector<LogicalType> params, LogicalType return_type,
                                ScalarKernel kernel, bool deterministic = true) {
  return [params = std::move(params), return_type, kernel, deterministic](
             const std::vector<LogicalType>& args,
             const std::vector<const Value*>&) -> std::optional<BoundScalarFunction> {
    if (args.size() != params.size()) return std::nullopt;
    for (size_t i = 0; i < args.size(); i++) {
      if (!CanImplicitCast(args[i], params[i])) return std::nullopt;
    }
    BoundScalarFunction f = MakeScalar("", params, return_type, kernel);
    f.deterministic = deterministic;
    return f;
  };
}

// Typed access to a kernel's FunctionData.
template <typename T>
const T& DataAs(const FunctionData* data) {
  return *static_cast<const T*>(data);
}

}  // namespace basalt
