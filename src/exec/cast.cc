#include "exec/cast.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <type_traits>

#include "common/date_time.h"
#include "common/decimal.h"
#include "exec/functions/cast_helpers.h"
#include "exec/functions/nested_casts.h"
#include "exec/functions/decimal_math.h"
#include "exec/functions/function_errors.h"

namespace basalt {

namespace {

template <typename T>
constexpr bool kIsInt =
    std::is_same_v<T, int16_t> || std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>;
template <typename T>
constexpr bool kIsDecimalStorage = std::is_same_v<T, int64_t> || std::is_same_v<T, int128_t>;
template <typename T>
constexpr bool kIsFloat = std::is_floating_point_v<T>;

// Checks `v` fits integer type Dst, as PostgreSQL's narrowing casts do.
template <typename Dst, typename Src>
Dst NarrowInteger(Src v) {
  if (v < static_cast<Src>(std::numeric_limits<Dst>::min()) ||
      v > static_cast<Src>(std::numeric_limits<Dst>::max())) {
    ThrowIntegerOutOfRange<Dst>();
  }
  return static_cast<Dst>(v);
}

struct IntegerToInteger {
  template <typename S, typename D>
  static constexpr bool kSupports = kIsInt<S>&& kIsInt<D>;
  template <typename S, typename D>
  static D Apply(S v, const CastData&) {
    if constexpr (sizeof(D) >= sizeof(S)) {
      return static_cast<D>(v);
    } else {
      return NarrowInteger<D>(v);
    }
  }
};

struct IntegerToBool {
  template <typename S, typename D>
  static constexpr bool kSupports = kIsInt<S>&& std::is_same_v<D, bool>;
  template <typename S, typename D>
  static D Apply(S v, const CastData&) {
    return v != 0;
  }
};

struct BoolToInteger {
  template <typename S, typename D>
  static constexpr bool kSupports = std::is_same_v<S, bool>&& kIsInt<D>;
  template <typename S, typename D>
  static D Apply(S v, const CastData&) {
    return v ? 1 : 0;
  }
};

// Integer to float and float widening never fail.
struct ToFloat {
  template <typename S, typename D>
  static constexpr bool kSupports = (kIsInt<S> || kIsFloat<S>)&&kIsFloat<D> &&
                                    !(std::is_same_v<S, double> && std::is_same_v<D, float>);
  template <typename S, typename D>
  static D Apply(S v, const CastData&) {
    return static_cast<D>(v);
  }
};

struct DoubleToReal {
  template <typename S, typename D>
  static constexpr bool kSupports = std::is_same_v<S, double>&& std::is_same_v<D, float>;
  template <typename S, typename D>
  static D Apply(S v, const CastData&) {
    float r = static_cast<float>(v);
    if (std::isinf(r) && !std::isinf(v)) ThrowFloatOverflow();
    if (r == 0 && v != 0) ThrowFloatUnderflow();
    return r;
  }
};

// PostgreSQL rounds with rint (half to even) and then checks the range.
struct FloatToInteger {
  template <typename S, typename D>
  static constexpr bool kSupports = kIsFloat<S>&& kIsInt<D>;
  template <typename S, typename D>
  static D Apply(S v, const CastData&) {
    double r = std::rint(static_cast<double>(v));
    // The upper bound is exclusive: 2^(bits-1) is exact in a double, max is not.
    constexpr double kMin = static_cast<double>(std::numeric_limits<D>::min());
    if (std::isnan(r) || r < kMin || r >= -kMin) ThrowIntegerOutOfRange<D>();
    return static_cast<D>(r);
  }
};

struct IntegerToDecimal {
  template <typename S, typename D>
  static constexpr bool kSupports = kIsInt<S>&& kIsDecimalStorage<D>;
  template <typename S, typename D>
  static D Apply(S v, const CastData& d) {
    int128_t r;
    if (__builtin_mul_overflow(static_cast<int128_t>(v), d.factor, &r) || r > d.limit ||
        r < -d.limit) {
      ThrowNumericOverflow();
    }
    return static_cast<D>(r);
  }
};

struct DecimalToDecimal {
  template <typename S, typename D>
  static constexpr bool kSupports = kIsDecimalStorage<S>&& kIsDecimalStorage<D>;
  template <typename S, typename D>
  static D Apply(S v, const CastData& d) {
    int128_t r = v;
    if (d.scale_up) {
      if (__builtin_mul_overflow(r, d.factor, &r)) ThrowNumericOverflow();
    } else {
      r = DivRoundHalfAway(r, d.factor);
    }
    if (r > d.limit || r < -d.limit) ThrowNumericOverflow();
    return static_cast<D>(r);
  }
};

// numeric -> integer rounds half away from zero, as PostgreSQL.
struct DecimalToInteger {
  template <typename S, typename D>
  static constexpr bool kSupports = kIsDecimalStorage<S>&& kIsInt<D>;
  template <typename S, typename D>
  static D Apply(S v, const CastData& d) {
    int128_t r = d.factor == 1 ? static_cast<int128_t>(v) : DivRoundHalfAway(v, d.factor);
    return NarrowInteger<D>(r);
  }
};

// Correctly rounded: the quotient of two exactly representable doubles is
// rounded once. Larger values go through text, as PostgreSQL does.
double DecimalToDoubleValue(int128_t v, int scale) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr int128_t kExactLimit = int128_t{1} << 53;
  if (v < kExactLimit && v > -kExactLimit && scale <= 22) {
    return static_cast<double>(static_cast<int64_t>(v)) / kPow10[scale];
  }
  std::string text = DecimalToString(v, scale);
  return std::strtod(text.c_str(), nullptr);
}

struct DecimalToFloat {
  template <typename S, typename D>
  static constexpr bool kSupports = kIsDecimalStorage<S>&& kIsFloat<D>;
  template <typename S, typename D>
  static D Apply(S v, const CastData& d) {
    return static_cast<D>(DecimalToDoubleValue(v, d.from.scale()));
  }
};

// PostgreSQL converts a float to numeric through its shortest decimal text at
// the type's guaranteed precision (15 digits for double, 6 for real), so
// 0.1::float8::numeric is exactly 0.1.
struct FloatToDecimal {
  template <typename S, typename D>
  static constexpr bool kSupports = kIsFloat<S>&& kIsDecimalStorage<D>;
  template <typename S, typename D>
  static D Apply(S v, const CastData& d) {
    if (std::isnan(v)) {
      throw BasaltError(sqlstate::kFeatureNotSupported, "cannot convert NaN to numeric");
    }
    if (std::isinf(v)) {
      throw BasaltError(sqlstate::kFeatureNotSupported, "cannot convert infinity to numeric");
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.*g", std::is_same_v<S, float> ? 6 : 15,
                  static_cast<double>(v));
    int128_t r;
    if (!ParseDecimal(buf, d.to.precision(), d.to.scale(), &r)) ThrowNumericOverflow();
    return static_cast<D>(r);
  }
};

// Dates fit a timestamp only up to the timestamp range (PostgreSQL: 294276 AD).
const int32_t kMaxTimestampDays = DaysFromCivil(294276, 12, 31);
const int32_t kMinTimestampDays = DaysFromCivil(-4713, 11, 24);

struct DateToTimestamp {
  template <typename S, typename D>
  static constexpr bool kSupports = std::is_same_v<S, int32_t>&& std::is_same_v<D, int64_t>;
  template <typename S, typename D>
  static D Apply(S v, const CastData&) {
    if (v > kMaxTimestampDays || v < kMinTimestampDays) {
      throw BasaltError(sqlstate::kDatetimeFieldOverflow, "date out of range for timestamp");
    }
    return static_cast<int64_t>(v) * kMicrosPerDay;
  }
};

// Truncates toward the start of the day (floor), also before 1970.
struct TimestampToDate {
  template <typename S, typename D>
  static constexpr bool kSupports = std::is_same_v<S, int64_t>&& std::is_same_v<D, int32_t>;
  template <typename S, typename D>
  static D Apply(S v, const CastData&) {
    int64_t days = v / kMicrosPerDay;
    if (v % kMicrosPerDay < 0) days--;
    return static_cast<int32_t>(days);
  }
};

template <typename Op>
ScalarKernel SelectCastKernel(PhysicalType from, PhysicalType to) {
  ScalarKernel kernel = nullptr;
  DispatchPhysical(from, [&](auto src_tag) {
    using S = typename decltype(src_tag)::type;
    DispatchPhysical(to, [&](auto dst_tag) {
      using D = typename decltype(dst_tag)::type;
      if constexpr (Op::template kSupports<S, D>) kernel = &CastKernel<S, D, Op>;
    });
  });
  return kernel;
}

template <typename T>
void IdentityKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                    const FunctionData*, Vector& result) {
  // Strings keep pointing at the input's bytes instead of being copied.
  if constexpr (std::is_same_v<T, StringRef>) result.KeepAlive(args[0]);
  UnaryExecute<T, T>(args[0], sel, count, result, [](const T& v) { return v; });
}

void NullKernel(const std::vector<Vector>&, const SelectionVector* sel, idx_t count,
                const FunctionData*, Vector& result) {
  SetAllNull(sel, count, result);
}

// Same physical layout, different logical type (DECIMAL(p,s) -> DECIMAL(p2,s)
// where only precision changes still checks the range, so it is not here).
ScalarKernel IdentityKernelFor(PhysicalType p) {
  return DispatchPhysical(p, [](auto tag) -> ScalarKernel {
    using T = typename decltype(tag)::type;
    return &IdentityKernel<T>;
  });
}

enum class NumberClass { kNone, kBool, kInteger, kFloat, kDecimal };

NumberClass ClassOf(const LogicalType& t) {
  if (t.id() == TypeId::kBoolean) return NumberClass::kBool;
  if (t.IsInteger()) return NumberClass::kInteger;
  if (t.IsFloat()) return NumberClass::kFloat;
  if (t.id() == TypeId::kDecimal) return NumberClass::kDecimal;
  return NumberClass::kNone;
}

ScalarKernel NumericCastKernel(const LogicalType& from, const LogicalType& to) {
  PhysicalType pf = from.physical(), pt = to.physical();
  switch (ClassOf(from)) {
    case NumberClass::kBool:
      return ClassOf(to) == NumberClass::kInteger ? SelectCastKernel<BoolToInteger>(pf, pt)
                                                  : nullptr;
    case NumberClass::kInteger:
      switch (ClassOf(to)) {
        case NumberClass::kBool:
          return SelectCastKernel<IntegerToBool>(pf, pt);
        case NumberClass::kInteger:
          return SelectCastKernel<IntegerToInteger>(pf, pt);
        case NumberClass::kFloat:
          return SelectCastKernel<ToFloat>(pf, pt);
        case NumberClass::kDecimal:
          return SelectCastKernel<IntegerToDecimal>(pf, pt);
        case NumberClass::kNone:
          return nullptr;
      }
      return nullptr;
    case NumberClass::kFloat:
      switch (ClassOf(to)) {
        case NumberClass::kInteger:
          return SelectCastKernel<FloatToInteger>(pf, pt);
        case NumberClass::kFloat:
          return pf == PhysicalType::kDouble && pt == PhysicalType::kFloat
                     ? SelectCastKernel<DoubleToReal>(pf, pt)
                     : SelectCastKernel<ToFloat>(pf, pt);
        case NumberClass::kDecimal:
          return SelectCastKernel<FloatToDecimal>(pf, pt);
        default:
          return nullptr;
      }
    case NumberClass::kDecimal:
      switch (ClassOf(to)) {
        case NumberClass::kInteger:
          return SelectCastKernel<DecimalToInteger>(pf, pt);
        case NumberClass::kFloat:
          return SelectCastKernel<DecimalToFloat>(pf, pt);
        case NumberClass::kDecimal:
          return SelectCastKernel<DecimalToDecimal>(pf, pt);
        default:
          return nullptr;
      }
    case NumberClass::kNone:
      return nullptr;
  }
  return nullptr;
}

int IntegerRank(TypeId id) {
  switch (id) {
    case TypeId::kSmallint:
      return 1;
    case TypeId::kInteger:
      return 2;
    case TypeId::kBigint:
      return 3;
    default:
      return 0;
  }
}

}  // namespace


std::optional<BoundScalarFunction> BindCast(const LogicalType& from, const LogicalType& to) {
  if (from.id() == TypeId::kInvalid || to.id() == TypeId::kInvalid) return std::nullopt;
  if (from.id() == TypeId::kNull) return MakeCast(from, to, &NullKernel);
  if (to.id() == TypeId::kNull) return std::nullopt;
  if (from == to) return MakeCast(from, to, IdentityKernelFor(from.physical()));
  // Widening a decimal at the same scale never fails and keeps its storage.
  if (from.id() == TypeId::kDecimal && to.id() == TypeId::kDecimal && from.scale() == to.scale() &&
      to.precision() >= from.precision() && from.physical() == to.physical()) {
    return MakeCast(from, to, IdentityKernelFor(from.physical()));
  }
  if (to.id() == TypeId::kVarchar) return BindCastToVarchar(from);
  if (from.IsNested() || to.IsNested()) return BindNestedCast(from, to);
  if (from.id() == TypeId::kVarchar) return BindCastFromVarchar(to);
  if (from.id() == TypeId::kDate && to.id() == TypeId::kTimestamp) {
    return MakeCast(from, to, &CastKernel<int32_t, int64_t, DateToTimestamp>);
  }
  if (from.id() == TypeId::kTimestamp && to.id() == TypeId::kDate) {
    return MakeCast(from, to, &CastKernel<int64_t, int32_t, TimestampToDate>);
  }
  ScalarKernel kernel = NumericCastKernel(from, to);
  if (kernel == nullptr) return std::nullopt;
  return MakeCast(from, to, kernel);
}

bool CanImplicitCast(const LogicalType& from, const LogicalType& to) {
  if (from == to) return true;
  if (from.id() == TypeId::kNull) return to.id() != TypeId::kInvalid;
  // Decimal precision is checked when the value is converted, as PostgreSQL
  // applies a numeric typmod: any integer or decimal converts to any decimal.
  if (from.id() == TypeId::kDecimal && to.id() == TypeId::kDecimal) return true;
  if (from.IsInteger()) {
    if (to.IsInteger()) return IntegerRank(to.id()) >= IntegerRank(from.id());
    return to.id() == TypeId::kDecimal || to.IsFloat();
  }
  if (from.id() == TypeId::kDecimal) return to.IsFloat();
  if (from.id() == TypeId::kReal) return to.id() == TypeId::kDouble;
  if (from.id() == TypeId::kDate) return to.id() == TypeId::kTimestamp;
  if (from.IsNested()) return CanImplicitNestedCast(from, to);
  return false;
}

LogicalType CommonSupertype(const LogicalType& a, const LogicalType& b) {
  if (a.id() == TypeId::kInvalid || b.id() == TypeId::kInvalid) return TypeId::kInvalid;
  if (a == b) return a;
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  if (a.IsNumeric() && b.IsNumeric()) {
    if (a.IsInteger() && b.IsInteger()) return IntegerRank(a.id()) >= IntegerRank(b.id()) ? a : b;
    // REAL joins only REAL: with anything else it would lose digits an
    // integer or decimal has, so the pair goes to DOUBLE.
    if (a.IsFloat() || b.IsFloat()) return TypeId::kDouble;
    LogicalType da = IntegerAsDecimal(a), db = IntegerAsDecimal(b);
    int integer_digits = std::max(da.precision() - da.scale(), db.precision() - db.scale());
    int scale = std::max(da.scale(), db.scale());
    int precision = std::min(kMaxDecimalPrecision, integer_digits + scale);
    return LogicalType::Decimal(static_cast<uint8_t>(precision), static_cast<uint8_t>(scale));
  }
  if (a.IsTemporal() && b.IsTemporal()) return TypeId::kTimestamp;
  if (a.IsNested()) return NestedCommonSupertype(a, b);
  return TypeId::kInvalid;
}

Value CastValue(const Value& value, const LogicalType& to) {
  if (value.type() == to) return value;
  if (value.IsNull()) return Value::Null(to);
  std::optional<BoundScalarFunction> cast = BindCast(value.type(), to);
  if (!cast) {
    ThrowError(sqlstate::kCannotCoerce, "cannot cast type {} to {}", value.type().PostgresName(),
               to.PostgresName());
  }
  std::vector<Vector> args;
  args.emplace_back(value);
  Vector result(to, 1);
  cast->kernel(args, nullptr, 1, cast->data.get(), result);
  return result.GetValue(0);
}

}  // namespace basalt
