// DECIMAL + - * / % and negation on scaled integers: exact, with the result
// type chosen at bind time (see arithmetic.h) and overflow of the result
// precision reported as 22003 "numeric field overflow".
//
// Operands stored as int64 (precision <= 18) are not widened before the
// kernel: each kernel is instantiated for the storage of both operands and of
// the result, so DECIMAL(15,2) * DECIMAL(15,2) multiplies two int64 into an
// int128 directly.
#include <algorithm>

#include "common/decimal.h"
#include "exec/functions/arithmetic.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/decimal_math.h"
#include "exec/functions/function_errors.h"
#include "exec/functions/kernel_helpers.h"

namespace basalt {

namespace {

struct DecimalArithData : FunctionData {
  int128_t limit = 0;   // largest magnitude of the result precision
  int128_t factor = 1;  // division: the dividend's scale-up, 10^(s - s1 + s2)
};

template <typename T>
constexpr bool kIsInt64 = std::is_same_v<T, int64_t>;

// Without kCheck the result type provably holds every result (the precision
// rule leaves a spare digit), so the loop is a plain add the compiler vectorizes.
template <typename L, typename R, typename Out, bool kSubtract, bool kCheck>
void DecimalAddKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                      const FunctionData* data, Vector& result) {
  const int128_t limit = DataAs<DecimalArithData>(data).limit;
  BinaryExecute<L, R, Out>(args[0], args[1], sel, count, result, [limit](L a, R b) -> Out {
    if constexpr (!kCheck) {
      return kSubtract ? static_cast<Out>(a) - static_cast<Out>(b)
                       : static_cast<Out>(a) + static_cast<Out>(b);
    } else {
      int128_t r;
      bool overflow = kSubtract ? __builtin_sub_overflow(static_cast<int128_t>(a), b, &r)
                                : __builtin_add_overflow(static_cast<int128_t>(a), b, &r);
      if (overflow || r > limit || r < -limit) ThrowNumericOverflow();
      return static_cast<Out>(r);
    }
  });
}

template <typename L, typename R, typename Out, bool kCheck>
void DecimalMultiplyKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                           const FunctionData* data, Vector& result) {
  const int128_t limit = DataAs<DecimalArithData>(data).limit;
  BinaryExecute<L, R, Out>(args[0], args[1], sel, count, result, [limit](L a, R b) -> Out {
    if constexpr (!kCheck) {
      return static_cast<Out>(a) * static_cast<Out>(b);
    } else {
      int128_t r;
      if (__builtin_mul_overflow(static_cast<int128_t>(a), static_cast<int128_t>(b), &r) ||
          r > limit || r < -limit) {
        ThrowNumericOverflow();
      }
      return static_cast<Out>(r);
    }
  });
}

template <typename L, typename R, typename Out>
void DecimalDivideKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                         const FunctionData* data, Vector& result) {
  const DecimalArithData& d = DataAs<DecimalArithData>(data);
  BinaryExecute<L, R, Out>(args[0], args[1], sel, count, result, [&d](L a, R b) -> Out {
    if (b == 0) ThrowDivisionByZero();
    int128_t q;
    if (!MulDivRound(a, d.factor, b, &q) || q > d.limit || q < -d.limit) ThrowNumericOverflow();
    return static_cast<Out>(q);
  });
}

// Both operands are at the result scale; the remainder takes the dividend's
// sign, as in PostgreSQL. |a % b| < |b|, so it always fits.
template <typename L, typename R, typename Out>
void DecimalModuloKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                         const FunctionData* data, Vector& result) {
  BinaryExecute<L, R, Out>(args[0], args[1], sel, count, result, [](L a, R b) -> Out {
    if (b == 0) ThrowDivisionByZero();
    if constexpr (kIsInt64<L> && kIsInt64<R>) {
      return static_cast<Out>(a % b);  // |a| < 10^18: no INT64_MIN / -1
    } else {
      return static_cast<Out>(static_cast<int128_t>(a) % static_cast<int128_t>(b));
    }
  });
}

template <typename T>
void DecimalNegateKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                         const FunctionData*, Vector& result) {
  UnaryExecute<T, T>(args[0], sel, count, result, [](T v) { return -v; });
}

// Calls make(TypeTag<L>, TypeTag<R>, TypeTag<Out>) with the decimal storage types.
template <typename F>
ScalarKernel DispatchStorage(const LogicalType& l, const LogicalType& r, const LogicalType& out,
                             F&& make) {
  auto pick = [](const LogicalType& t, auto&& f) -> ScalarKernel {
    if (t.physical() == PhysicalType::kInt64) return f(TypeTag<int64_t>{});
    return f(TypeTag<int128_t>{});
  };
  return pick(l, [&](auto lt) {
    return pick(r, [&](auto rt) { return pick(out, [&](auto ot) { return make(lt, rt, ot); }); });
  });
}

LogicalType Decimal(int precision, int scale) {
  precision = std::clamp(precision, std::max(scale, 1), kMaxDecimalPrecision);
  return LogicalType::Decimal(static_cast<uint8_t>(precision), static_cast<uint8_t>(scale));
}

int IntegerDigits(const LogicalType& t) { return t.precision() - t.scale(); }

}  // namespace

std::optional<BoundScalarFunction> BindDecimalArithmetic(ArithmeticOp op, const LogicalType& left,
                                                         const LogicalType& right) {
  auto data = std::make_shared<DecimalArithData>();
  const int s1 = left.scale(), s2 = right.scale();
  switch (op) {
    case ArithmeticOp::kAdd:
    case ArithmeticOp::kSubtract:
    case ArithmeticOp::kModulo: {
      // Both operands are brought to the result scale by the caller's cast.
      const int s = std::max(s1, s2);
      const int digits = std::max(IntegerDigits(left), IntegerDigits(right));
      const bool modulo = op == ArithmeticOp::kModulo;
      const int wanted = digits + s + (modulo ? 0 : 1);
      LogicalType out = Decimal(wanted, s);
      LogicalType l = s1 == s ? left : Decimal(IntegerDigits(left) + s, s);
      LogicalType r = s2 == s ? right : Decimal(IntegerDigits(right) + s, s);
      data->limit = MaxDecimalValue(out.precision());
      const bool check = wanted > kMaxDecimalPrecision;
      const bool subtract = op == ArithmeticOp::kSubtract;
      ScalarKernel kernel = DispatchStorage(l, r, out, [&](auto lt, auto rt, auto ot) {
        using L = typename decltype(lt)::type;
        using R = typename decltype(rt)::type;
        using O = typename decltype(ot)::type;
        if (modulo) return &DecimalModuloKernel<L, R, O>;
        if (subtract) {
          return check ? &DecimalAddKernel<L, R, O, true, true>
                       : &DecimalAddKernel<L, R, O, true, false>;
        }
        return check ? &DecimalAddKernel<L, R, O, false, true>
                     : &DecimalAddKernel<L, R, O, false, false>;
      });
      return MakeScalar("", {l, r}, out, kernel, std::move(data));
    }
    case ArithmeticOp::kMultiply: {
      const int s = s1 + s2;
      if (s > kMaxDecimalPrecision) {
        ThrowError(sqlstate::kNumericOutOfRange,
                   "numeric field overflow: the product of {} and {} needs scale {}, above the "
                   "maximum of {}",
                   left.ToString(), right.ToString(), s, kMaxDecimalPrecision);
      }
      const int wanted = left.precision() + right.precision();
      LogicalType out = Decimal(wanted, s);
      data->limit = MaxDecimalValue(out.precision());
      const bool check = wanted > kMaxDecimalPrecision;
      ScalarKernel kernel = DispatchStorage(left, right, out, [&](auto lt, auto rt, auto ot) {
        using L = typename decltype(lt)::type;
        using R = typename decltype(rt)::type;
        using O = typename decltype(ot)::type;
        return check ? &DecimalMultiplyKernel<L, R, O, true>
                     : &DecimalMultiplyKernel<L, R, O, false>;
      });
      return MakeScalar("", {left, right}, out, kernel, std::move(data));
    }
    case ArithmeticOp::kDivide: {
      // Scale max(s1, 6): PostgreSQL picks a data-dependent scale of at least
      // 16 significant digits; a fixed scale keeps the result type static.
      const int s = std::max(s1, 6);
      LogicalType r = right;
      int exponent = s - s1 + s2;
      if (exponent > kMaxDecimalPrecision) {
        // Only a divisor with a huge scale gets here; round it so the
        // dividend's scale-up stays within 10^38.
        int s2_new = s2 - (exponent - kMaxDecimalPrecision);
        r = Decimal(IntegerDigits(right) + s2_new, s2_new);
        exponent = kMaxDecimalPrecision;
      }
      LogicalType out = Decimal(IntegerDigits(left) + r.scale() + s, s);
      data->limit = MaxDecimalValue(out.precision());
      data->factor = Pow10(exponent);
      ScalarKernel kernel = DispatchStorage(left, r, out, [&](auto lt, auto rt, auto ot) {
        using L = typename decltype(lt)::type;
        using R = typename decltype(rt)::type;
        using O = typename decltype(ot)::type;
        return &DecimalDivideKernel<L, R, O>;
      });
      return MakeScalar("", {left, r}, out, kernel, std::move(data));
    }
  }
  return std::nullopt;
}

std::optional<BoundScalarFunction> BindDecimalNegate(const LogicalType& type) {
  ScalarKernel kernel = type.physical() == PhysicalType::kInt64 ? &DecimalNegateKernel<int64_t>
                                                                : &DecimalNegateKernel<int128_t>;
  return MakeScalar("", {type}, type, kernel);
}

}  // namespace basalt
