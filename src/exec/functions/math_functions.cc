// Numeric functions: abs, sign, round, ceil / ceiling, floor, trunc, sqrt,
// cbrt, power / pow, exp, ln, log, log10, log2, pi, degrees, radians, sin,
// cos, tan, asin, acos, atan, atan2, greatest, least, random.
//
// abs, sign, round, ceil, floor and trunc keep DECIMAL exact (round goes half
// away from zero, as PostgreSQL's numeric). The transcendental functions
// compute in DOUBLE for every numeric input: PostgreSQL keeps numeric for
// numeric input, binary floating point here is the deliberate difference.
// round(double) rounds half to even, as PostgreSQL's rint.
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "common/decimal.h"
#include "exec/cast.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/compare_ops.h"
#include "exec/functions/decimal_math.h"
#include "exec/functions/function_errors.h"
#include "exec/functions/kernel_helpers.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

template <typename T>
constexpr bool kIsInt =
    std::is_same_v<T, int16_t> || std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>;

// Picks the kernel instantiated for `t`'s storage.
template <template <typename> class K>
ScalarKernel ForStorage(const LogicalType& t) {
  return DispatchPhysical(t.physical(), [](auto tag) -> ScalarKernel {
    using T = typename decltype(tag)::type;
    if constexpr (kIsInt<T> || std::is_same_v<T, int128_t> || std::is_floating_point_v<T>) {
      return &K<T>::Run;
    } else {
      return nullptr;
    }
  });
}

LogicalType ArgOrInteger(const LogicalType& t) {
  return IsNullType(t) ? LogicalType(TypeId::kInteger) : t;
}

// ------------------------------------------------------------- abs, sign

template <typename T>
struct Abs {
  static void Run(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData*, Vector& result) {
    UnaryExecute<T, T>(args[0], sel, count, result, [](T v) -> T {
      if constexpr (std::is_floating_point_v<T>) {
        return std::fabs(v);
      } else {
        if constexpr (kIsInt<T>) {
          if (v == std::numeric_limits<T>::min()) ThrowIntegerOutOfRange<T>();
        }
        return v < 0 ? static_cast<T>(-v) : v;
      }
    });
  }
};

// The sign in the input's own type; decimals answer in DECIMAL(1,0) storage (int64).
template <typename T>
struct Sign {
  using Out = std::conditional_t<std::is_same_v<T, int128_t>, int64_t, T>;
  static void Run(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData*, Vector& result) {
    UnaryExecute<T, Out>(args[0], sel, count, result, [](T v) -> Out {
      if constexpr (std::is_floating_point_v<T>) {
        if (std::isnan(v)) return v;
      }
      return static_cast<Out>(v > 0 ? 1 : (v < 0 ? -1 : 0));
    });
  }
};

std::optional<BoundScalarFunction> BindAbs(const std::vector<LogicalType>& args,
                                           const std::vector<const Value*>&) {
  if (args.size() != 1) return std::nullopt;
  LogicalType t = ArgOrInteger(args[0]);
  if (!t.IsNumeric()) return std::nullopt;
  return MakeScalar("", {t}, t, ForStorage<Abs>(t));
}

std::optional<BoundScalarFunction> BindSign(const std::vector<LogicalType>& args,
                                            const std::vector<const Value*>&) {
  if (args.size() != 1) return std::nullopt;
  LogicalType t = ArgOrInteger(args[0]);
  if (!t.IsNumeric()) return std::nullopt;
  LogicalType out = IsDecimal(t) ? LogicalType::Decimal(1, 0) : t;
  return MakeScalar("", {t}, out, ForStorage<Sign>(t));
}

// ------------------------------------------- round, ceil, floor, trunc

enum class RoundMode { kHalfAwayFromZero, kFloor, kCeiling, kTruncate };

// v / divisor, rounded by `mode`.
int128_t DivideRounded(int128_t v, int128_t divisor, RoundMode mode) {
  if (divisor == 1) return v;
  int128_t q = v / divisor, r = v % divisor;
  switch (mode) {
    case RoundMode::kHalfAwayFromZero:
      return DivRoundHalfAway(v, divisor);
    case RoundMode::kFloor:
      return (r != 0 && v < 0) ? q - 1 : q;
    case RoundMode::kCeiling:
      return (r != 0 && v > 0) ? q + 1 : q;
    case RoundMode::kTruncate:
      return q;
  }
  return q;
}

struct DecimalRoundData : FunctionData {
  RoundMode mode = RoundMode::kHalfAwayFromZero;
  int input_scale = 0;
  // Fixed digits: result = DivideRounded(v, divisor) * multiplier; a zero
  // divisor means every digit is dropped and the result is 0.
  int128_t divisor = 1;
  int128_t multiplier = 1;
  int128_t limit = 0;  // of the result precision
};

template <typename In, typename Out>
struct DecimalRoundFixed {
  static void Run(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData* data, Vector& result);
};

template <typename In, typename Out>
void DecimalRoundFixed<In, Out>::Run(const std::vector<Vector>& args, const SelectionVector* sel,
                                     idx_t count, const FunctionData* data, Vector& result) {
  const DecimalRoundData& d = DataAs<DecimalRoundData>(data);
  UnaryExecute<In, Out>(args[0], sel, count, result, [&d](In v) {
    if (d.divisor == 0) return Out{0};
    int128_t r;
    if (__builtin_mul_overflow(DivideRounded(v, d.divisor, d.mode), d.multiplier, &r) ||
        r > d.limit || r < -d.limit) {
      ThrowNumericOverflow();
    }
    return static_cast<Out>(r);
  });
}

// round(x, n) / trunc(x, n) with n varying by row: rounded to n digits, kept
// at the input's scale.
template <typename In, typename Out>
struct DecimalRoundVariable {
  static void Run(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData* data, Vector& result);
};

template <typename In, typename Out>
void DecimalRoundVariable<In, Out>::Run(const std::vector<Vector>& args, const SelectionVector* sel,
                                        idx_t count, const FunctionData* data, Vector& result) {
  const DecimalRoundData& d = DataAs<DecimalRoundData>(data);
  BinaryExecute<In, int32_t, Out>(args[0], args[1], sel, count, result, [&d](In v, int32_t n) {
    int64_t drop = static_cast<int64_t>(d.input_scale) - n;
    if (drop <= 0) return static_cast<Out>(v);
    if (drop > kMaxDecimalPrecision) return Out{0};
    int128_t factor = Pow10(static_cast<int>(drop));
    int128_t r;
    if (__builtin_mul_overflow(DivideRounded(v, factor, d.mode), factor, &r) || r > d.limit ||
        r < -d.limit) {
      ThrowNumericOverflow();
    }
    return static_cast<Out>(r);
  });
}

template <typename In, typename Out>
struct DecimalIdentity {
  static void Run(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData*, Vector& result) {
    UnaryExecute<In, Out>(args[0], sel, count, result, [](In v) { return static_cast<Out>(v); });
  }
};

// The instantiation of decimal kernel K for the input and output storage.
template <template <typename, typename> class K>
ScalarKernel PickStorage(const LogicalType& in, const LogicalType& out) {
  bool in64 = in.physical() == PhysicalType::kInt64;
  bool out64 = out.physical() == PhysicalType::kInt64;
  if (in64) return out64 ? &K<int64_t, int64_t>::Run : &K<int64_t, int128_t>::Run;
  return out64 ? &K<int128_t, int64_t>::Run : &K<int128_t, int128_t>::Run;
}

LogicalType DecimalType(int precision, int scale) {
  precision = std::clamp(precision, std::max(1, scale), kMaxDecimalPrecision);
  return LogicalType::Decimal(static_cast<uint8_t>(precision), static_cast<uint8_t>(scale));
}

// Rounds DECIMAL `t` to `digits` places known at bind time. The result scale
// is max(digits, 0), except that asking for more places than `t` has keeps
// `t` unchanged. Rounding can carry into a new integer digit (9.5 -> 10), so
// the result gets one more integer digit unless it truncates.
BoundScalarFunction BindFixedDecimalRound(const LogicalType& t, int64_t digits, RoundMode mode,
                                          std::vector<LogicalType> arg_types) {
  if (digits >= t.scale()) {
    return MakeScalar("", std::move(arg_types), t, PickStorage<DecimalIdentity>(t, t));
  }
  const int scale = t.scale();
  const int new_scale = static_cast<int>(std::max<int64_t>(digits, 0));
  const int carry = mode == RoundMode::kTruncate ? 0 : 1;
  LogicalType out = DecimalType(t.precision() - scale + carry + new_scale, new_scale);
  auto data = std::make_shared<DecimalRoundData>();
  data->mode = mode;
  data->input_scale = scale;
  data->limit = MaxDecimalValue(out.precision());
  int64_t drop = scale - digits;  // > 0
  if (drop > kMaxDecimalPrecision) {
    data->divisor = 0;
  } else {
    data->divisor = Pow10(static_cast<int>(drop));
    int64_t back = new_scale - digits;  // digits < 0: scale the rounded value back up
    data->multiplier = back > kMaxDecimalPrecision ? 0 : Pow10(static_cast<int>(back));
  }
  return MakeScalar("", std::move(arg_types), out, PickStorage<DecimalRoundFixed>(t, out),
                    std::move(data));
}

BoundScalarFunction BindVariableDecimalRound(const LogicalType& t, RoundMode mode) {
  int carry = mode == RoundMode::kTruncate ? 0 : 1;
  LogicalType out = DecimalType(t.precision() + carry, t.scale());
  auto data = std::make_shared<DecimalRoundData>();
  data->mode = mode;
  data->input_scale = t.scale();
  data->limit = MaxDecimalValue(out.precision());
  return MakeScalar("", {t, TypeId::kInteger}, out, PickStorage<DecimalRoundVariable>(t, out),
                    std::move(data));
}

template <typename T>
struct Identity {
  static void Run(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData*, Vector& result) {
    UnaryExecute<T, T>(args[0], sel, count, result, [](T v) { return v; });
  }
};

// round (half to even, PostgreSQL's rint), floor, ceil, trunc of a double.
template <RoundMode kMode>
double RoundDouble(double v) {
  switch (kMode) {
    case RoundMode::kHalfAwayFromZero:
      return std::rint(v);  // PostgreSQL: half to even for double precision
    case RoundMode::kFloor:
      return std::floor(v);
    case RoundMode::kCeiling:
      return std::ceil(v);
    case RoundMode::kTruncate:
      return std::trunc(v);
  }
  return v;
}

template <RoundMode kMode>
void DoubleRoundKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                       const FunctionData*, Vector& result) {
  UnaryExecute<double, double>(args[0], sel, count, result,
                               [](double v) { return RoundDouble<kMode>(v); });
}

// round(double, n) and trunc(double, n): through 10^n, half away from zero
// (there is no exact decimal to honour).
template <RoundMode kMode>
void DoubleRoundDigitsKernel(const std::vector<Vector>& args, const SelectionVector* sel,
                             idx_t count, const FunctionData*, Vector& result) {
  BinaryExecute<double, int32_t, double>(
      args[0], args[1], sel, count, result, [](double v, int32_t n) {
        if (!std::isfinite(v)) return v;
        double scale = std::pow(10.0, n);
        double x = v * scale;
        if (!std::isfinite(x)) return v;
        x = kMode == RoundMode::kTruncate ? std::trunc(x) : std::round(x);
        return x / scale;
      });
}

// round / trunc (x [, n]) and ceil / floor (x).
template <RoundMode kMode>
ScalarBinder RoundBinder(bool allow_digits) {
  return [allow_digits](
             const std::vector<LogicalType>& args,
             const std::vector<const Value*>& constants) -> std::optional<BoundScalarFunction> {
    if (args.empty() || args.size() > (allow_digits ? 2u : 1u)) return std::nullopt;
    LogicalType t = IsNullType(args[0]) ? LogicalType(TypeId::kDouble) : args[0];
    if (!t.IsNumeric()) return std::nullopt;
    const LogicalType integer = TypeId::kInteger;
    if (args.size() == 1) {
      if (t.IsInteger()) return MakeScalar("", {t}, t, ForStorage<Identity>(t));
      if (IsDecimal(t)) return BindFixedDecimalRound(t, 0, kMode, {t});
      return MakeScalar("", {TypeId::kDouble}, TypeId::kDouble, &DoubleRoundKernel<kMode>);
    }
    if (!IsIntegerOrNull(args[1])) return std::nullopt;
    if (t.IsFloat()) {
      return MakeScalar("", {TypeId::kDouble, integer}, TypeId::kDouble,
                        &DoubleRoundDigitsKernel<kMode>);
    }
    LogicalType d = IntegerAsDecimal(t);
    const Value* digits = ConstantArg(constants, 1);
    if (digits != nullptr && !digits->IsNull()) {
      return BindFixedDecimalRound(d, digits->GetInt64(), kMode, {d, integer});
    }
    return BindVariableDecimalRound(d, kMode);
  };
}

// ------------------------------------------------ double-valued functions

[[noreturn]] void ThrowLogOf(double v) {
  if (v == 0)
    throw BasaltError(sqlstate::kInvalidArgumentForLogarithm, "cannot take logarithm of zero");
  throw BasaltError(sqlstate::kInvalidArgumentForLogarithm,
                    "cannot take logarithm of a negative number");
}

double CheckResult(double r, double input) {
  if (std::isinf(r) && !std::isinf(input)) ThrowFloatOverflow();
  return r;
}

struct Sqrt {
  static double Apply(double v) {
    if (v < 0) {
      throw BasaltError(sqlstate::kInvalidArgumentForPower,
                        "cannot take square root of a negative number");
    }
    return std::sqrt(v);
  }
};
struct Cbrt {
  static double Apply(double v) { return std::cbrt(v); }
};
struct Exp {
  static double Apply(double v) {
    double r = std::exp(v);
    if (r == 0 && !std::isinf(v)) ThrowFloatUnderflow();
    return CheckResult(r, v);
  }
};
struct Ln {
  static double Apply(double v) {
    if (v <= 0) ThrowLogOf(v);
    return std::log(v);
  }
};
struct Log10 {
  static double Apply(double v) {
    if (v <= 0) ThrowLogOf(v);
    return std::log10(v);
  }
};
struct Log2 {
  static double Apply(double v) {
    if (v <= 0) ThrowLogOf(v);
    return std::log2(v);
  }
};
struct Degrees {
  static double Apply(double v) { return CheckResult(v * (180.0 / M_PI), v); }
};
struct Radians {
  static double Apply(double v) { return v * (M_PI / 180.0); }
};

[[noreturn]] void ThrowInputOutOfRange() {
  throw BasaltError(sqlstate::kNumericOutOfRange, "input is out of range");
}

struct Sin {
  static double Apply(double v) {
    if (std::isinf(v)) ThrowInputOutOfRange();
    return std::sin(v);
  }
};
struct Cos {
  static double Apply(double v) {
    if (std::isinf(v)) ThrowInputOutOfRange();
    return std::cos(v);
  }
};
struct Tan {
  static double Apply(double v) {
    if (std::isinf(v)) ThrowInputOutOfRange();
    return std::tan(v);
  }
};
struct Asin {
  static double Apply(double v) {
    if (v < -1 || v > 1) ThrowInputOutOfRange();
    return std::asin(v);
  }
};
struct Acos {
  static double Apply(double v) {
    if (v < -1 || v > 1) ThrowInputOutOfRange();
    return std::acos(v);
  }
};
struct Atan {
  static double Apply(double v) { return std::atan(v); }
};

template <typename F>
void DoubleUnaryKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                       const FunctionData*, Vector& result) {
  UnaryExecute<double, double>(args[0], sel, count, result, [](double v) { return F::Apply(v); });
}

double Power(double x, double y) {
  if (x == 0 && y < 0) {
    throw BasaltError(sqlstate::kInvalidArgumentForPower,
                      "zero raised to a negative power is undefined");
  }
  if (x < 0 && std::isfinite(y) && std::floor(y) != y) {
    throw BasaltError(sqlstate::kInvalidArgumentForPower,
                      "a negative number raised to a non-integer power yields a complex result");
  }
  double r = std::pow(x, y);
  if (std::isinf(r) && std::isfinite(x) && std::isfinite(y)) ThrowFloatOverflow();
  if (r == 0 && x != 0 && std::isfinite(x) && std::isfinite(y)) ThrowFloatUnderflow();
  return r;
}

void PowerKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                 const FunctionData*, Vector& result) {
  BinaryExecute<double, double, double>(args[0], args[1], sel, count, result, &Power);
}

// log(b, x): the logarithm of x in base b.
void LogBaseKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                   const FunctionData*, Vector& result) {
  BinaryExecute<double, double, double>(args[0], args[1], sel, count, result,
                                        [](double base, double x) {
                                          if (base <= 0) ThrowLogOf(base);
                                          if (x <= 0) ThrowLogOf(x);
                                          double denominator = std::log(base);
                                          if (denominator == 0) ThrowDivisionByZero();
                                          return std::log(x) / denominator;
                                        });
}

void Atan2Kernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                 const FunctionData*, Vector& result) {
  BinaryExecute<double, double, double>(args[0], args[1], sel, count, result,
                                        [](double y, double x) { return std::atan2(y, x); });
}

void PiKernel(const std::vector<Vector>&, const SelectionVector* sel, idx_t count,
              const FunctionData*, Vector& result) {
  double* out = result.Data<double>();
  ForEachRow(sel, count, [out](uint32_t row) { out[row] = M_PI; });
}

// random() in [0, 1): a generator per thread, seeded from the OS, so threads
// never contend or repeat each other's sequence.
void RandomKernel(const std::vector<Vector>&, const SelectionVector* sel, idx_t count,
                  const FunctionData*, Vector& result) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_real_distribution<double> distribution(0.0, 1.0);
  double* out = result.Data<double>();
  ForEachRow(sel, count, [&](uint32_t row) { out[row] = distribution(generator); });
}

// --------------------------------------------------- greatest, least

// The largest (smallest) non-NULL argument; NULL only when all are NULL, as
// PostgreSQL. Arguments are cast to their common supertype.
template <typename T, bool kGreatest>
void ExtremeKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                   const FunctionData*, Vector& result) {
  if constexpr (std::is_same_v<T, StringRef>) {
    for (const Vector& a : args) result.KeepAlive(a);
  }
  ArgumentReader reader(args, count);
  T* out = result.Data<T>();
  ForEachRow(sel, count, [&](uint32_t row) {
    const T* best = nullptr;
    for (size_t k = 0; k < reader.size(); k++) {
      if (!reader.IsValid(k, row)) continue;
      const T& v = reader.Get<T>(k, row);
      if (best == nullptr || (kGreatest ? ValueLess(*best, v) : ValueLess(v, *best))) best = &v;
    }
    if (best == nullptr) {
      result.SetNull(row);
    } else {
      out[row] = *best;
    }
  });
}

template <bool kGreatest>
std::optional<BoundScalarFunction> BindExtreme(const std::vector<LogicalType>& args,
                                               const std::vector<const Value*>&) {
  if (args.empty()) return std::nullopt;
  LogicalType type = args[0];
  for (size_t i = 1; i < args.size(); i++) {
    type = CommonSupertype(type, args[i]);
    if (type.id() == TypeId::kInvalid) return std::nullopt;
  }
  if (IsNullType(type)) type = TypeId::kInteger;
  ScalarKernel kernel = DispatchPhysical(type.physical(), [](auto tag) -> ScalarKernel {
    using T = typename decltype(tag)::type;
    return &ExtremeKernel<T, kGreatest>;
  });
  return MakeScalar("", std::vector<LogicalType>(args.size(), type), type, kernel);
}

}  // namespace

void RegisterMathFunctions(FunctionRegistry& registry) {
  const LogicalType dbl = TypeId::kDouble;
  registry.AddScalar("abs", &BindAbs);
  registry.AddScalar("sign", &BindSign);
  registry.AddScalar("round", RoundBinder<RoundMode::kHalfAwayFromZero>(true));
  registry.AddScalar("trunc", RoundBinder<RoundMode::kTruncate>(true));
  registry.AddScalar("ceil", RoundBinder<RoundMode::kCeiling>(false));
  registry.AddScalar("ceiling", RoundBinder<RoundMode::kCeiling>(false));
  registry.AddScalar("floor", RoundBinder<RoundMode::kFloor>(false));

  registry.AddScalar("sqrt", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Sqrt>));
  registry.AddScalar("cbrt", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Cbrt>));
  registry.AddScalar("exp", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Exp>));
  registry.AddScalar("ln", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Ln>));
  registry.AddScalar("log", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Log10>));
  registry.AddScalar("log", FixedBinder({dbl, dbl}, dbl, &LogBaseKernel));
  registry.AddScalar("log10", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Log10>));
  registry.AddScalar("log2", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Log2>));
  registry.AddScalar("power", FixedBinder({dbl, dbl}, dbl, &PowerKernel));
  registry.AddScalar("pow", FixedBinder({dbl, dbl}, dbl, &PowerKernel));
  registry.AddScalar("degrees", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Degrees>));
  registry.AddScalar("radians", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Radians>));
  registry.AddScalar("sin", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Sin>));
  registry.AddScalar("cos", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Cos>));
  registry.AddScalar("tan", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Tan>));
  registry.AddScalar("asin", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Asin>));
  registry.AddScalar("acos", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Acos>));
  registry.AddScalar("atan", FixedBinder({dbl}, dbl, &DoubleUnaryKernel<Atan>));
  registry.AddScalar("atan2", FixedBinder({dbl, dbl}, dbl, &Atan2Kernel));
  registry.AddScalar("pi", FixedBinder({}, dbl, &PiKernel));
  registry.AddScalar("random", FixedBinder({}, dbl, &RandomKernel, /*deterministic=*/false));
  registry.AddScalar("greatest", &BindExtreme<true>);
  registry.AddScalar("least", &BindExtreme<false>);
}

}  // namespace basalt
