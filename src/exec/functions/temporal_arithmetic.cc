// + - * / where a DATE, TIMESTAMP or INTERVAL takes part, with PostgreSQL's
// result types:
//   date ± integer -> date            date - date -> integer (days)
//   date ± interval -> timestamp      timestamp ± interval -> timestamp
//   timestamp - timestamp -> interval (days and time, like justify_hours)
//   interval ± interval -> interval   interval * number, number * interval,
//   interval / number -> interval
// Adding months clamps the day to the month's end ('2024-01-31' + 1 month =
// '2024-02-29'), via AddIntervalToTimestamp.
#include <cmath>
#include <limits>

#include "common/date_time.h"
#include "exec/functions/arithmetic.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/function_errors.h"
#include "exec/functions/kernel_helpers.h"

namespace basalt {

namespace {

// PostgreSQL's date range: 4713 BC to 5874897 AD.
const int64_t kMinDateDays = DaysFromCivil(-4713, 11, 24);
const int64_t kMaxDateDays = DaysFromCivil(5874897, 12, 31);

int32_t CheckedDate(int64_t days) {
  if (days < kMinDateDays || days > kMaxDateDays) ThrowDateOutOfRange();
  return static_cast<int32_t>(days);
}

Interval AddIntervals(const Interval& a, const Interval& b) {
  Interval r;
  if (__builtin_add_overflow(a.months, b.months, &r.months) ||
      __builtin_add_overflow(a.days, b.days, &r.days) ||
      __builtin_add_overflow(a.micros, b.micros, &r.micros)) {
    ThrowIntervalOutOfRange();
  }
  return r;
}

Interval NegateInterval(const Interval& a) {
  Interval r;
  if (__builtin_sub_overflow(0, a.months, &r.months) ||
      __builtin_sub_overflow(0, a.days, &r.days) ||
      __builtin_sub_overflow(int64_t{0}, a.micros, &r.micros)) {
    ThrowIntervalOutOfRange();
  }
  return r;
}

Interval MultiplyInterval(const Interval& a, int64_t n) {
  Interval r;
  if (__builtin_mul_overflow(a.months, n, &r.months) ||
      __builtin_mul_overflow(a.days, n, &r.days) ||
      __builtin_mul_overflow(a.micros, n, &r.micros)) {
    ThrowIntervalOutOfRange();
  }
  return r;
}

// Rounds to whole microseconds, as PostgreSQL's TSROUND does for seconds.
double RoundToMicros(double seconds) { return std::rint(seconds * 1e6) / 1e6; }

int32_t CheckedInt32(double v) {
  if (std::isnan(v) || v > std::numeric_limits<int32_t>::max() ||
      v < std::numeric_limits<int32_t>::min()) {
    ThrowIntervalOutOfRange();
  }
  return static_cast<int32_t>(v);
}

// interval * factor as PostgreSQL computes it: each field is scaled, and the
// fraction of a month is carried into days (30 per month) and the fraction
// of a day into time, so '1 month' * 0.5 = '15 days'. `months`, `days` and
// `micros` are the already scaled fields (a * f, or a / f for division).
Interval CascadeScaledInterval(double months, double days, double micros) {
  Interval r;
  r.months = CheckedInt32(months);
  r.days = CheckedInt32(days);
  double month_remainder_days = RoundToMicros((months - r.months) * 30);
  double seconds_remainder = RoundToMicros(
      (days - r.days + month_remainder_days - static_cast<int32_t>(month_remainder_days)) *
      86400.0);
  if (std::fabs(seconds_remainder) >= 86400.0) {
    int32_t whole_days = static_cast<int32_t>(seconds_remainder / 86400.0);
    r.days += whole_days;
    seconds_remainder -= whole_days * 86400.0;
  }
  r.days += static_cast<int32_t>(month_remainder_days);
  double time = std::rint(micros + seconds_remainder * 1e6);
  if (std::isnan(time) || time >= 9.2233720368547758e18 || time < -9.2233720368547758e18) {
    ThrowIntervalOutOfRange();
  }
  r.micros = static_cast<int64_t>(time);
  return r;
}

Interval MultiplyInterval(const Interval& a, double f) {
  return CascadeScaledInterval(a.months * f, a.days * f, static_cast<double>(a.micros) * f);
}

Interval DivideInterval(const Interval& a, double f) {
  if (f == 0) ThrowDivisionByZero();
  return CascadeScaledInterval(a.months / f, a.days / f, static_cast<double>(a.micros) / f);
}

// The kernels. Each is a BinaryExecute over the stored types.

template <typename I, bool kSubtract>
void DatePlusIntegerKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                           const FunctionData*, Vector& result) {
  BinaryExecute<int32_t, I, int32_t>(args[0], args[1], sel, count, result, [](int32_t d, I n) {
    return CheckedDate(kSubtract ? int64_t{d} - n : int64_t{d} + n);
  });
}

template <typename I>
void IntegerPlusDateKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                           const FunctionData*, Vector& result) {
  BinaryExecute<I, int32_t, int32_t>(args[0], args[1], sel, count, result,
                                     [](I n, int32_t d) { return CheckedDate(int64_t{d} + n); });
}

void DateMinusDateKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                         const FunctionData*, Vector& result) {
  BinaryExecute<int32_t, int32_t, int32_t>(args[0], args[1], sel, count, result,
                                           [](int32_t a, int32_t b) {
                                             int32_t r;
                                             if (__builtin_sub_overflow(a, b, &r)) {
                                               ThrowIntegerOutOfRange<int32_t>();
                                             }
                                             return r;
                                           });
}

template <bool kSubtract>
void TimestampPlusIntervalKernel(const std::vector<Vector>& args, const SelectionVector* sel,
                                 idx_t count, const FunctionData*, Vector& result) {
  BinaryExecute<int64_t, Interval, int64_t>(
      args[0], args[1], sel, count, result, [](int64_t ts, const Interval& iv) {
        return AddIntervalToTimestamp(ts, kSubtract ? NegateInterval(iv) : iv);
      });
}

void IntervalPlusTimestampKernel(const std::vector<Vector>& args, const SelectionVector* sel,
                                 idx_t count, const FunctionData*, Vector& result) {
  BinaryExecute<Interval, int64_t, int64_t>(
      args[0], args[1], sel, count, result,
      [](const Interval& iv, int64_t ts) { return AddIntervalToTimestamp(ts, iv); });
}

void TimestampMinusTimestampKernel(const std::vector<Vector>& args, const SelectionVector* sel,
                                   idx_t count, const FunctionData*, Vector& result) {
  BinaryExecute<int64_t, int64_t, Interval>(args[0], args[1], sel, count, result,
                                            [](int64_t a, int64_t b) {
                                              int64_t diff;
                                              if (__builtin_sub_overflow(a, b, &diff)) {
                                                ThrowIntervalOutOfRange();
                                              }
                                              Interval r;
                                              r.days = static_cast<int32_t>(diff / kMicrosPerDay);
                                              r.micros = diff % kMicrosPerDay;
                                              return r;
                                            });
}

template <bool kSubtract>
void IntervalPlusIntervalKernel(const std::vector<Vector>& args, const SelectionVector* sel,
                                idx_t count, const FunctionData*, Vector& result) {
  BinaryExecute<Interval, Interval, Interval>(
      args[0], args[1], sel, count, result, [](const Interval& a, const Interval& b) {
        return AddIntervals(a, kSubtract ? NegateInterval(b) : b);
      });
}

template <typename N, bool kIntervalFirst>
void IntervalTimesNumberKernel(const std::vector<Vector>& args, const SelectionVector* sel,
                               idx_t count, const FunctionData*, Vector& result) {
  if constexpr (kIntervalFirst) {
    BinaryExecute<Interval, N, Interval>(
        args[0], args[1], sel, count, result,
        [](const Interval& a, N n) { return MultiplyInterval(a, n); });
  } else {
    BinaryExecute<N, Interval, Interval>(
        args[0], args[1], sel, count, result,
        [](N n, const Interval& a) { return MultiplyInterval(a, n); });
  }
}

void IntervalDivideKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                          const FunctionData*, Vector& result) {
  BinaryExecute<Interval, double, Interval>(
      args[0], args[1], sel, count, result,
      [](const Interval& a, double f) { return DivideInterval(a, f); });
}

void IntervalNegateKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                          const FunctionData*, Vector& result) {
  UnaryExecute<Interval, Interval>(args[0], sel, count, result,
                                   [](const Interval& a) { return NegateInterval(a); });
}

bool Is(const LogicalType& t, TypeId id) { return t.id() == id; }

// An integer operand of date ± n: SMALLINT widens to INTEGER; an untyped
// NULL is taken as INTEGER.
LogicalType DayCountType(const LogicalType& t) {
  return Is(t, TypeId::kBigint) ? LogicalType(TypeId::kBigint) : LogicalType(TypeId::kInteger);
}

std::optional<BoundScalarFunction> Make(std::vector<LogicalType> args, TypeId ret,
                                        ScalarKernel kernel) {
  return MakeScalar("", std::move(args), ret, kernel);
}

std::optional<BoundScalarFunction> BindAdd(const LogicalType& l, const LogicalType& r) {
  const LogicalType date = TypeId::kDate, ts = TypeId::kTimestamp, iv = TypeId::kInterval;
  if (Is(l, TypeId::kDate) && IsIntegerOrNull(r)) {
    LogicalType n = DayCountType(r);
    return Make({date, n}, TypeId::kDate,
                Is(n, TypeId::kBigint) ? &DatePlusIntegerKernel<int64_t, false>
                                       : &DatePlusIntegerKernel<int32_t, false>);
  }
  if (IsIntegerOrNull(l) && Is(r, TypeId::kDate)) {
    LogicalType n = DayCountType(l);
    return Make(
        {n, date}, TypeId::kDate,
        Is(n, TypeId::kBigint) ? &IntegerPlusDateKernel<int64_t> : &IntegerPlusDateKernel<int32_t>);
  }
  if ((l.IsTemporal() && (Is(r, TypeId::kInterval) || IsNullType(r))) ||
      (Is(l, TypeId::kTimestamp) && IsNullType(r))) {
    return Make({ts, iv}, TypeId::kTimestamp, &TimestampPlusIntervalKernel<false>);
  }
  if ((Is(l, TypeId::kInterval) || IsNullType(l)) && r.IsTemporal()) {
    return Make({iv, ts}, TypeId::kTimestamp, &IntervalPlusTimestampKernel);
  }
  if ((Is(l, TypeId::kInterval) || IsNullType(l)) && (Is(r, TypeId::kInterval) || IsNullType(r))) {
    return Make({iv, iv}, TypeId::kInterval, &IntervalPlusIntervalKernel<false>);
  }
  return std::nullopt;
}

std::optional<BoundScalarFunction> BindSubtract(const LogicalType& l, const LogicalType& r) {
  const LogicalType date = TypeId::kDate, ts = TypeId::kTimestamp, iv = TypeId::kInterval;
  if (Is(l, TypeId::kDate) && IsIntegerOrNull(r) && !IsNullType(r)) {
    LogicalType n = DayCountType(r);
    return Make({date, n}, TypeId::kDate,
                Is(n, TypeId::kBigint) ? &DatePlusIntegerKernel<int64_t, true>
                                       : &DatePlusIntegerKernel<int32_t, true>);
  }
  if ((Is(l, TypeId::kDate) || IsNullType(l)) && (Is(r, TypeId::kDate) || IsNullType(r))) {
    return Make({date, date}, TypeId::kInteger, &DateMinusDateKernel);
  }
  if (l.IsTemporal() && (Is(r, TypeId::kInterval) || IsNullType(r))) {
    return Make({ts, iv}, TypeId::kTimestamp, &TimestampPlusIntervalKernel<true>);
  }
  if ((l.IsTemporal() || IsNullType(l)) && (r.IsTemporal() || IsNullType(r))) {
    return Make({ts, ts}, TypeId::kInterval, &TimestampMinusTimestampKernel);
  }
  if ((Is(l, TypeId::kInterval) || IsNullType(l)) && (Is(r, TypeId::kInterval) || IsNullType(r))) {
    return Make({iv, iv}, TypeId::kInterval, &IntervalPlusIntervalKernel<true>);
  }
  return std::nullopt;
}

std::optional<BoundScalarFunction> BindMultiply(const LogicalType& l, const LogicalType& r) {
  const LogicalType iv = TypeId::kInterval, big = TypeId::kBigint, dbl = TypeId::kDouble;
  if (Is(l, TypeId::kInterval) && IsNumericOrNull(r)) {
    if (r.IsInteger())
      return Make({iv, big}, TypeId::kInterval, &IntervalTimesNumberKernel<int64_t, true>);
    return Make({iv, dbl}, TypeId::kInterval, &IntervalTimesNumberKernel<double, true>);
  }
  if (IsNumericOrNull(l) && Is(r, TypeId::kInterval)) {
    if (l.IsInteger())
      return Make({big, iv}, TypeId::kInterval, &IntervalTimesNumberKernel<int64_t, false>);
    return Make({dbl, iv}, TypeId::kInterval, &IntervalTimesNumberKernel<double, false>);
  }
  return std::nullopt;
}

}  // namespace

std::optional<BoundScalarFunction> BindTemporalArithmetic(ArithmeticOp op, const LogicalType& left,
                                                          const LogicalType& right) {
  switch (op) {
    case ArithmeticOp::kAdd:
      return BindAdd(left, right);
    case ArithmeticOp::kSubtract:
      return BindSubtract(left, right);
    case ArithmeticOp::kMultiply:
      return BindMultiply(left, right);
    case ArithmeticOp::kDivide:
      if (Is(left, TypeId::kInterval) && IsNumericOrNull(right)) {
        return Make({TypeId::kInterval, TypeId::kDouble}, TypeId::kInterval, &IntervalDivideKernel);
      }
      return std::nullopt;
    case ArithmeticOp::kModulo:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<BoundScalarFunction> BindIntervalNegate() {
  return Make({TypeId::kInterval}, TypeId::kInterval, &IntervalNegateKernel);
}

}  // namespace basalt
