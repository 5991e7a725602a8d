// Comparison operators "=", "<>" (also "!="), "<", ">", "<=", ">=" and
// "is_distinct_from" / "is_not_distinct_from".
//
// Both operands are cast to their CommonSupertype, so kernels compare two
// values of one type with the ordering in compare_ops.h. One binding rule
// goes beyond the supertype: DATE against a TIMESTAMP constant at midnight
// compares as dates, which gives the same result without converting the
// column. TPC-H's `l_shipdate <= date '1998-12-01' - interval '90' day` gets
// here once the binder has folded the right side.
// (Untyped string literals, as in d < '2020-01-01', are given the other
// operand's type by the binder before it looks the operator up.)
#include <type_traits>

#include "common/date_time.h"
#include "common/exception.h"
#include "exec/cast.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/compare_ops.h"
#include "exec/functions/kernel_helpers.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

template <typename T, typename Op>
void CompareKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                   const FunctionData*, Vector& result) {
  BinaryExecute<T, T, bool>(args[0], args[1], sel, count, result,
                            [](const T& a, const T& b) { return Op::Apply(a, b); });
}

// NULL is not distinct from NULL and distinct from every value.
template <typename T, bool kDistinct>
void DistinctKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                    const FunctionData*, Vector& result) {
  BinaryExecuteNullAware<T, T, bool>(
      args[0], args[1], sel, count, result,
      [](const T& a, bool a_valid, const T& b, bool b_valid, bool* out) {
        bool distinct = (a_valid && b_valid) ? !ValueEquals(a, b) : a_valid != b_valid;
        *out = kDistinct ? distinct : !distinct;
        return true;
      });
}

template <typename Op>
ScalarKernel CompareKernelFor(PhysicalType p) {
  return DispatchPhysical(p, [](auto tag) -> ScalarKernel {
    using T = typename decltype(tag)::type;
    return &CompareKernel<T, Op>;
  });
}

template <bool kDistinct>
ScalarKernel DistinctKernelFor(PhysicalType p) {
  return DispatchPhysical(p, [](auto tag) -> ScalarKernel {
    using T = typename decltype(tag)::type;
    return &DistinctKernel<T, kDistinct>;
  });
}

bool IsMidnightTimestamp(const Value* v) {
  return v != nullptr && !v->IsNull() && v->type().id() == TypeId::kTimestamp &&
         v->GetInt64() % kMicrosPerDay == 0;
}

// The type both operands are compared as; kInvalid when they do not compare.
LogicalType ComparisonType(const std::vector<LogicalType>& args,
                           const std::vector<const Value*>& constants) {
  const LogicalType& l = args[0];
  const LogicalType& r = args[1];
  if (l.id() == TypeId::kDate && IsMidnightTimestamp(ConstantArg(constants, 1))) return l;
  if (r.id() == TypeId::kDate && IsMidnightTimestamp(ConstantArg(constants, 0))) return r;
  LogicalType common = CommonSupertype(l, r);
  if (IsNullType(common)) return TypeId::kInteger;  // NULL = NULL: any type gives NULL
  return common;
}

template <typename Op>
ScalarBinder CompareBinder() {
  return [](const std::vector<LogicalType>& args,
            const std::vector<const Value*>& constants) -> std::optional<BoundScalarFunction> {
    if (args.size() != 2) return std::nullopt;
    LogicalType type = ComparisonType(args, constants);
    if (type.id() == TypeId::kInvalid) return std::nullopt;
    // Nested values compare equal exactly when their canonical bytes do
    // (common/nested_value.h); their bytes do not sort as the values would.
    if (type.IsNested() && !std::is_same_v<Op, EqualsOp> && !std::is_same_v<Op, NotEqualsOp>) {
      ThrowError(sqlstate::kFeatureNotSupported, "ordering comparisons of {} values are not supported",
                 type.id() == TypeId::kList ? "LIST" : "STRUCT");
    }
    return MakeScalar("", {type, type}, TypeId::kBoolean, CompareKernelFor<Op>(type.physical()));
  };
}

template <bool kDistinct>
ScalarBinder DistinctBinder() {
  return [](const std::vector<LogicalType>& args,
            const std::vector<const Value*>& constants) -> std::optional<BoundScalarFunction> {
    if (args.size() != 2) return std::nullopt;
    LogicalType type = ComparisonType(args, constants);
    if (type.id() == TypeId::kInvalid) return std::nullopt;
    return MakeScalar("", {type, type}, TypeId::kBoolean,
                      DistinctKernelFor<kDistinct>(type.physical()));
  };
}

}  // namespace

void RegisterComparisonFunctions(FunctionRegistry& registry) {
  registry.AddScalar("=", CompareBinder<EqualsOp>());
  registry.AddScalar("<>", CompareBinder<NotEqualsOp>());
  registry.AddScalar("!=", CompareBinder<NotEqualsOp>());
  registry.AddScalar("<", CompareBinder<LessThanOp>());
  registry.AddScalar(">", CompareBinder<GreaterThanOp>());
  registry.AddScalar("<=", CompareBinder<LessThanEqualsOp>());
  registry.AddScalar(">=", CompareBinder<GreaterThanEqualsOp>());
  registry.AddScalar("is_distinct_from", DistinctBinder<true>());
  registry.AddScalar("is_not_distinct_from", DistinctBinder<false>());
}

}  // namespace basalt
