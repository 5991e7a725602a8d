// The arithmetic operators "+", "-", "*", "/", "%" (also "mod"), "negate"
// and unary "+", and the binder that picks their operand types:
//   integer op integer -> the wider integer type; overflow is 22003
//     "<type> out of range"; division truncates toward zero
//   a DECIMAL operand (integers join as DECIMAL(IntegerDecimalPrecision, 0))
//     -> exact decimal arithmetic (decimal_arithmetic.cc)
//   a REAL or DOUBLE operand -> DOUBLE (REAL op REAL stays REAL); overflow to
//     infinity and division by zero are errors, as in PostgreSQL
//   DATE, TIMESTAMP, INTERVAL -> temporal_arithmetic.cc
#include <cmath>
#include <limits>

#include "exec/cast.h"
#include "exec/functions/arithmetic.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/function_errors.h"
#include "exec/functions/kernel_helpers.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

struct IntegerAdd {
  template <typename T>
  static T Apply(T a, T b) {
    T r;
    if (__builtin_add_overflow(a, b, &r)) ThrowIntegerOutOfRange<T>();
    return r;
  }
};

struct IntegerSubtract {
  template <typename T>
  static T Apply(T a, T b) {
    T r;
    if (__builtin_sub_overflow(a, b, &r)) ThrowIntegerOutOfRange<T>();
    return r;
  }
};

struct IntegerMultiply {
  template <typename T>
  static T Apply(T a, T b) {
    T r;
    if (__builtin_mul_overflow(a, b, &r)) ThrowIntegerOutOfRange<T>();
    return r;
  }
};

struct IntegerDivide {
  template <typename T>
  static T Apply(T a, T b) {
    if (b == 0) ThrowDivisionByZero();
    // MIN / -1 is the one quotient that does not fit.
    if (b == -1) {
      if (a == std::numeric_limits<T>::min()) ThrowIntegerOutOfRange<T>();
      return static_cast<T>(-a);
    }
    return static_cast<T>(a / b);
  }
};

struct IntegerModulo {
  template <typename T>
  static T Apply(T a, T b) {
    if (b == 0) ThrowDivisionByZero();
    if (b == -1) return 0;  // MIN % -1 would trap; the answer is 0 for every a
    return static_cast<T>(a % b);
  }
};

// Float results that leave the finite range (or collapse to zero) from finite
// inputs are errors in PostgreSQL, not infinities.
template <typename T>
T CheckFloat(T r, T a, T b, bool check_underflow) {
  if (std::isinf(r) && !std::isinf(a) && !std::isinf(b)) ThrowFloatOverflow();
  if (check_underflow && r == 0 && a != 0) ThrowFloatUnderflow();
  return r;
}

struct FloatAdd {
  template <typename T>
  static T Apply(T a, T b) {
    return CheckFloat<T>(a + b, a, b, false);
  }
};
struct FloatSubtract {
  template <typename T>
  static T Apply(T a, T b) {
    return CheckFloat<T>(a - b, a, b, false);
  }
};
struct FloatMultiply {
  template <typename T>
  static T Apply(T a, T b) {
    return CheckFloat<T>(a * b, a, b, b != 0);
  }
};
struct FloatDivide {
  template <typename T>
  static T Apply(T a, T b) {
    if (b == 0) ThrowDivisionByZero();
    return CheckFloat<T>(a / b, a, b, !std::isinf(b));
  }
};

template <typename T, typename Op>
void BinaryArithmeticKernel(const std::vector<Vector>& args, const SelectionVector* sel,
                            idx_t count, const FunctionData*, Vector& result) {
  BinaryExecute<T, T, T>(args[0], args[1], sel, count, result,
                         [](T a, T b) { return Op::template Apply<T>(a, b); });
}

template <typename T>
void IntegerNegateKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                         const FunctionData*, Vector& result) {
  UnaryExecute<T, T>(args[0], sel, count, result, [](T v) {
    if (v == std::numeric_limits<T>::min()) ThrowIntegerOutOfRange<T>();
    return static_cast<T>(-v);
  });
}

template <typename T>
void FloatNegateKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                       const FunctionData*, Vector& result) {
  UnaryExecute<T, T>(args[0], sel, count, result, [](T v) { return -v; });
}

template <typename T>
void IdentityKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                    const FunctionData*, Vector& result) {
  UnaryExecute<T, T>(args[0], sel, count, result, [](T v) { return v; });
}

template <typename IntOp, typename FloatOp>
ScalarKernel SelectKernel(TypeId type) {
  switch (type) {
    case TypeId::kSmallint:
      return &BinaryArithmeticKernel<int16_t, IntOp>;
    case TypeId::kInteger:
      return &BinaryArithmeticKernel<int32_t, IntOp>;
    case TypeId::kBigint:
      return &BinaryArithmeticKernel<int64_t, IntOp>;
    case TypeId::kReal:
      if constexpr (std::is_void_v<FloatOp>)
        return nullptr;
      else
        return &BinaryArithmeticKernel<float, FloatOp>;
    case TypeId::kDouble:
      if constexpr (std::is_void_v<FloatOp>)
        return nullptr;
      else
        return &BinaryArithmeticKernel<double, FloatOp>;
    default:
      return nullptr;
  }
}

ScalarKernel NumericKernel(ArithmeticOp op, TypeId type) {
  switch (op) {
    case ArithmeticOp::kAdd:
      return SelectKernel<IntegerAdd, FloatAdd>(type);
    case ArithmeticOp::kSubtract:
      return SelectKernel<IntegerSubtract, FloatSubtract>(type);
    case ArithmeticOp::kMultiply:
      return SelectKernel<IntegerMultiply, FloatMultiply>(type);
    case ArithmeticOp::kDivide:
      return SelectKernel<IntegerDivide, FloatDivide>(type);
    case ArithmeticOp::kModulo:
      // PostgreSQL has no % on floating point.
      return SelectKernel<IntegerModulo, void>(type);
  }
  return nullptr;
}

std::optional<BoundScalarFunction> BindBinaryArithmetic(ArithmeticOp op, LogicalType l,
                                                        LogicalType r) {
  if (IsNumericOrNull(l) && IsNumericOrNull(r)) {
    // An untyped NULL takes the other side's type; two of them are integers.
    if (IsNullType(l) && IsNullType(r)) l = r = TypeId::kInteger;
    if (IsNullType(l)) l = r;
    if (IsNullType(r)) r = l;
    if (IsDecimal(l) || IsDecimal(r)) {
      if (!l.IsFloat() && !r.IsFloat())
        return BindDecimalArithmetic(op, IntegerAsDecimal(l), IntegerAsDecimal(r));
    }
    LogicalType common = CommonSupertype(l, r);
    ScalarKernel kernel = NumericKernel(op, common.id());
    if (kernel == nullptr) return std::nullopt;
    return MakeScalar("", {common, common}, common, kernel);
  }
  return BindTemporalArithmetic(op, l, r);
}

std::optional<BoundScalarFunction> BindNegate(const LogicalType& t) {
  switch (t.id()) {
    case TypeId::kNull:
    case TypeId::kInteger:
      return MakeScalar("", {TypeId::kInteger}, TypeId::kInteger, &IntegerNegateKernel<int32_t>);
    case TypeId::kSmallint:
      return MakeScalar("", {t}, t, &IntegerNegateKernel<int16_t>);
    case TypeId::kBigint:
      return MakeScalar("", {t}, t, &IntegerNegateKernel<int64_t>);
    case TypeId::kReal:
      return MakeScalar("", {t}, t, &FloatNegateKernel<float>);
    case TypeId::kDouble:
      return MakeScalar("", {t}, t, &FloatNegateKernel<double>);
    case TypeId::kDecimal:
      return BindDecimalNegate(t);
    case TypeId::kInterval:
      return BindIntervalNegate();
    default:
      return std::nullopt;
  }
}

std::optional<BoundScalarFunction> BindUnaryPlus(const LogicalType& t) {
  if (IsNullType(t))
    return MakeScalar("", {TypeId::kInteger}, TypeId::kInteger, &IdentityKernel<int32_t>);
  if (!t.IsNumeric() && t.id() != TypeId::kInterval) return std::nullopt;
  ScalarKernel kernel = DispatchPhysical(t.physical(), [](auto tag) -> ScalarKernel {
    using T = typename decltype(tag)::type;
    return &IdentityKernel<T>;
  });
  return MakeScalar("", {t}, t, kernel);
}

ScalarBinder BinaryBinder(ArithmeticOp op) {
  return [op](const std::vector<LogicalType>& args,
              const std::vector<const Value*>&) -> std::optional<BoundScalarFunction> {
    if (args.size() != 2) return std::nullopt;
    return BindBinaryArithmetic(op, args[0], args[1]);
  };
}

std::optional<BoundScalarFunction> UnaryOnly(
    const std::vector<LogicalType>& args,
    std::optional<BoundScalarFunction> (*bind)(const LogicalType&)) {
  if (args.size() != 1) return std::nullopt;
  return bind(args[0]);
}

}  // namespace

void RegisterArithmeticFunctions(FunctionRegistry& registry) {
  registry.AddScalar("+", BinaryBinder(ArithmeticOp::kAdd));
  registry.AddScalar("+",
                     [](const std::vector<LogicalType>& args, const std::vector<const Value*>&) {
                       return UnaryOnly(args, &BindUnaryPlus);
                     });
  registry.AddScalar("-", BinaryBinder(ArithmeticOp::kSubtract));
  registry.AddScalar("-",
                     [](const std::vector<LogicalType>& args, const std::vector<const Value*>&) {
                       return UnaryOnly(args, &BindNegate);
                     });
  registry.AddScalar("negate",
                     [](const std::vector<LogicalType>& args, const std::vector<const Value*>&) {
                       return UnaryOnly(args, &BindNegate);
                     });
  registry.AddScalar("*", BinaryBinder(ArithmeticOp::kMultiply));
  registry.AddScalar("/", BinaryBinder(ArithmeticOp::kDivide));
  registry.AddScalar("%", BinaryBinder(ArithmeticOp::kModulo));
  registry.AddScalar("mod", BinaryBinder(ArithmeticOp::kModulo));
}

}  // namespace basalt
