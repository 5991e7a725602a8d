// sum, sum_merge and avg.
//
//   sum(SMALLINT | INTEGER)  -> BIGINT, overflow is 22003 "bigint out of range"
//   sum(BIGINT)              -> DECIMAL(38,0), accumulated in an int128
//   sum(DECIMAL(p,s))        -> DECIMAL(38,s), accumulated in an int128
//   sum(REAL | DOUBLE)       -> DOUBLE
//   sum(INTERVAL)            -> INTERVAL
//   sum_merge(x)             -> x's own type (BIGINT stays BIGINT): the final
//                               phase of a two-phase sum, whose inputs are the
//                               partial sums
//   avg(integer | float)     -> DOUBLE
//   avg(DECIMAL(p,s))        -> DECIMAL(38, max(s, 6)), exact: the int128 sum
//                               divided by the count, rounded half away from zero
// All return NULL for no rows or only NULLs.
#include <algorithm>

#include "common/decimal.h"
#include "exec/functions/aggregate_helpers.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/decimal_math.h"
#include "exec/functions/function_errors.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

// ----------------------------------------------------------- BIGINT sums

struct Int64SumState {
  int64_t sum = 0;
  bool has = false;
};

template <typename In>
void Int64SumUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                    const FunctionData*) {
  AggregateUpdate<Int64SumState, In>(args[0], count, states, [](Int64SumState& s, In v) {
    if (__builtin_add_overflow(s.sum, static_cast<int64_t>(v), &s.sum)) {
      ThrowIntegerOutOfRange<int64_t>();
    }
    s.has = true;
  });
}

void Int64SumCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<Int64SumState>(sources, targets, count,
                                  [](Int64SumState& t, const Int64SumState& s) {
                                    if (!s.has) return;
                                    if (__builtin_add_overflow(t.sum, s.sum, &t.sum)) {
                                      ThrowIntegerOutOfRange<int64_t>();
                                    }
                                    t.has = true;
                                  });
}

void Int64SumFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  AggregateFinalize<Int64SumState, int64_t>(states, count, result,
                                            [](const Int64SumState& s, int64_t* out) {
                                              *out = s.sum;
                                              return s.has;
                                            });
}

// ----------------------------------------------------- DECIMAL(38,s) sums

struct Int128SumState {
  Int128Field sum = 0;
  bool has = false;
};

// int64 inputs cannot overflow an int128 before 2^64 rows, so only int128
// inputs are checked per row; the final value is checked against 38 digits.
template <typename In>
void Int128SumUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                     const FunctionData*) {
  AggregateUpdate<Int128SumState, In>(args[0], count, states, [](Int128SumState& s, In v) {
    if constexpr (std::is_same_v<In, int128_t>) {
      int128_t r;
      if (__builtin_add_overflow(static_cast<int128_t>(s.sum), v, &r)) ThrowNumericOverflow();
      s.sum = r;
    } else {
      s.sum += v;
    }
    s.has = true;
  });
}

void Int128SumCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<Int128SumState>(sources, targets, count,
                                   [](Int128SumState& t, const Int128SumState& s) {
                                     if (!s.has) return;
                                     int128_t r;
                                     if (__builtin_add_overflow(static_cast<int128_t>(t.sum),
                                                                static_cast<int128_t>(s.sum), &r)) {
                                       ThrowNumericOverflow();
                                     }
                                     t.sum = r;
                                     t.has = true;
                                   });
}

void Int128SumFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  const int128_t limit = MaxDecimalValue(kMaxDecimalPrecision);
  AggregateFinalize<Int128SumState, int128_t>(states, count, result,
                                              [limit](const Int128SumState& s, int128_t* out) {
                                                int128_t v = s.sum;
                                                if (v > limit || v < -limit) ThrowNumericOverflow();
                                                *out = v;
                                                return s.has;
                                              });
}

// ------------------------------------------------------------ float sums

struct DoubleSumState {
  double sum = 0;
  bool has = false;
};

void DoubleSumUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                     const FunctionData*) {
  AggregateUpdate<DoubleSumState, double>(args[0], count, states, [](DoubleSumState& s, double v) {
    s.sum += v;
    s.has = true;
  });
}

void DoubleSumCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<DoubleSumState>(sources, targets, count,
                                   [](DoubleSumState& t, const DoubleSumState& s) {
                                     if (!s.has) return;
                                     t.sum += s.sum;
                                     t.has = true;
                                   });
}

void DoubleSumFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  AggregateFinalize<DoubleSumState, double>(states, count, result,
                                            [](const DoubleSumState& s, double* out) {
                                              *out = s.sum;
                                              return s.has;
                                            });
}

// --------------------------------------------------------- interval sums

struct IntervalSumState {
  Interval sum;
  bool has = false;
};

void AddInterval(Interval& t, const Interval& v) {
  if (__builtin_add_overflow(t.months, v.months, &t.months) ||
      __builtin_add_overflow(t.days, v.days, &t.days) ||
      __builtin_add_overflow(t.micros, v.micros, &t.micros)) {
    ThrowIntervalOutOfRange();
  }
}

void IntervalSumUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                       const FunctionData*) {
  AggregateUpdate<IntervalSumState, Interval>(args[0], count, states,
                                              [](IntervalSumState& s, const Interval& v) {
                                                AddInterval(s.sum, v);
                                                s.has = true;
                                              });
}

void IntervalSumCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<IntervalSumState>(sources, targets, count,
                                     [](IntervalSumState& t, const IntervalSumState& s) {
                                       if (!s.has) return;
                                       AddInterval(t.sum, s.sum);
                                       t.has = true;
                                     });
}

void IntervalSumFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  AggregateFinalize<IntervalSumState, Interval>(states, count, result,
                                                [](const IntervalSumState& s, Interval* out) {
                                                  *out = s.sum;
                                                  return s.has;
                                                });
}

// ------------------------------------------------------------------ avg

struct IntegerAvgState {
  Int128Field sum = 0;
  int64_t count = 0;
};

template <typename In>
void IntegerAvgUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                      const FunctionData*) {
  AggregateUpdate<IntegerAvgState, In>(args[0], count, states, [](IntegerAvgState& s, In v) {
    if constexpr (std::is_same_v<In, int128_t>) {
      int128_t r;
      if (__builtin_add_overflow(static_cast<int128_t>(s.sum), v, &r)) ThrowNumericOverflow();
      s.sum = r;
    } else {
      s.sum += v;
    }
    s.count++;
  });
}

void IntegerAvgCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<IntegerAvgState>(
      sources, targets, count, [](IntegerAvgState& t, const IntegerAvgState& s) {
        int128_t r;
        if (__builtin_add_overflow(static_cast<int128_t>(t.sum), static_cast<int128_t>(s.sum),
                                   &r)) {
          ThrowNumericOverflow();
        }
        t.sum = r;
        t.count += s.count;
      });
}

void IntegerAvgFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  AggregateFinalize<IntegerAvgState, double>(
      states, count, result, [](const IntegerAvgState& s, double* out) {
        if (s.count == 0) return false;
        *out = static_cast<double>(static_cast<int128_t>(s.sum)) / static_cast<double>(s.count);
        return true;
      });
}

struct DecimalAvgData : FunctionData {
  int128_t factor = 1;  // 10^(result scale - input scale)
};

void DecimalAvgFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData* data) {
  const int128_t factor = DataAs<DecimalAvgData>(data).factor;
  const int128_t limit = MaxDecimalValue(kMaxDecimalPrecision);
  AggregateFinalize<IntegerAvgState, int128_t>(
      states, count, result, [factor, limit](const IntegerAvgState& s, int128_t* out) {
        if (s.count == 0) return false;
        int128_t q;
        if (!MulDivRound(s.sum, factor, s.count, &q) || q > limit || q < -limit) {
          ThrowNumericOverflow();
        }
        *out = q;
        return true;
      });
}

struct DoubleAvgState {
  double sum = 0;
  int64_t count = 0;
};

void DoubleAvgUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                     const FunctionData*) {
  AggregateUpdate<DoubleAvgState, double>(args[0], count, states, [](DoubleAvgState& s, double v) {
    s.sum += v;
    s.count++;
  });
}

void DoubleAvgCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<DoubleAvgState>(sources, targets, count,
                                   [](DoubleAvgState& t, const DoubleAvgState& s) {
                                     t.sum += s.sum;
                                     t.count += s.count;
                                   });
}

void DoubleAvgFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  AggregateFinalize<DoubleAvgState, double>(states, count, result,
                                            [](const DoubleAvgState& s, double* out) {
                                              if (s.count == 0) return false;
                                              *out = s.sum / static_cast<double>(s.count);
                                              return true;
                                            });
}

// -------------------------------------------------------------- binders

LogicalType NullAsInteger(const LogicalType& t) {
  return IsNullType(t) ? LogicalType(TypeId::kInteger) : t;
}

// `merge`: sum_merge, whose integer inputs are BIGINT partial sums that must
// stay BIGINT rather than widen to DECIMAL(38,0) as sum(BIGINT) does.
std::optional<BoundAggregateFunction> BindSum(const LogicalType& arg, bool merge) {
  LogicalType t = NullAsInteger(arg);
  switch (t.id()) {
    case TypeId::kSmallint:
      if (merge) break;
      return MakeAggregate<Int64SumState>({t}, TypeId::kBigint, &Int64SumUpdate<int16_t>,
                                          &Int64SumCombine, &Int64SumFinalize);
    case TypeId::kInteger:
      if (merge) break;
      return MakeAggregate<Int64SumState>({t}, TypeId::kBigint, &Int64SumUpdate<int32_t>,
                                          &Int64SumCombine, &Int64SumFinalize);
    case TypeId::kBigint:
      if (merge) break;
      return MakeAggregate<Int128SumState>({t}, LogicalType::Decimal(kMaxDecimalPrecision, 0),
                                           &Int128SumUpdate<int64_t>, &Int128SumCombine,
                                           &Int128SumFinalize);
    case TypeId::kDecimal: {
      LogicalType out = LogicalType::Decimal(kMaxDecimalPrecision, t.scale());
      return MakeAggregate<Int128SumState>({t}, out,
                                           t.physical() == PhysicalType::kInt64
                                               ? &Int128SumUpdate<int64_t>
                                               : &Int128SumUpdate<int128_t>,
                                           &Int128SumCombine, &Int128SumFinalize);
    }
    case TypeId::kReal:
    case TypeId::kDouble:
      return MakeAggregate<DoubleSumState>({TypeId::kDouble}, TypeId::kDouble, &DoubleSumUpdate,
                                           &DoubleSumCombine, &DoubleSumFinalize);
    case TypeId::kInterval:
      return MakeAggregate<IntervalSumState>({t}, t, &IntervalSumUpdate, &IntervalSumCombine,
                                             &IntervalSumFinalize);
    default:
      return std::nullopt;
  }
  // sum_merge over integer partial sums: they are BIGINT and stay BIGINT.
  return MakeAggregate<Int64SumState>({TypeId::kBigint}, TypeId::kBigint, &Int64SumUpdate<int64_t>,
                                      &Int64SumCombine, &Int64SumFinalize);
}

std::optional<BoundAggregateFunction> BindAvg(const LogicalType& arg) {
  LogicalType t = NullAsInteger(arg);
  const LogicalType dbl = TypeId::kDouble;
  switch (t.id()) {
    case TypeId::kSmallint:
      return MakeAggregate<IntegerAvgState>({t}, dbl, &IntegerAvgUpdate<int16_t>,
                                            &IntegerAvgCombine, &IntegerAvgFinalize);
    case TypeId::kInteger:
      return MakeAggregate<IntegerAvgState>({t}, dbl, &IntegerAvgUpdate<int32_t>,
                                            &IntegerAvgCombine, &IntegerAvgFinalize);
    case TypeId::kBigint:
      return MakeAggregate<IntegerAvgState>({t}, dbl, &IntegerAvgUpdate<int64_t>,
                                            &IntegerAvgCombine, &IntegerAvgFinalize);
    case TypeId::kReal:
    case TypeId::kDouble:
      return MakeAggregate<DoubleAvgState>({dbl}, dbl, &DoubleAvgUpdate, &DoubleAvgCombine,
                                           &DoubleAvgFinalize);
    case TypeId::kDecimal: {
      int scale = std::max<int>(t.scale(), 6);
      auto f = MakeAggregate<IntegerAvgState>(
          {t}, LogicalType::Decimal(kMaxDecimalPrecision, static_cast<uint8_t>(scale)),
          t.physical() == PhysicalType::kInt64 ? &IntegerAvgUpdate<int64_t>
                                               : &IntegerAvgUpdate<int128_t>,
          &IntegerAvgCombine, &DecimalAvgFinalize);
      auto data = std::make_shared<DecimalAvgData>();
      data->factor = Pow10(scale - t.scale());
      f.data = std::move(data);
      return f;
    }
    default:
      return std::nullopt;
  }
}

AggregateBinder OneArgument(std::optional<BoundAggregateFunction> (*bind)(const LogicalType&)) {
  return [bind](const std::vector<LogicalType>& args) -> std::optional<BoundAggregateFunction> {
    if (args.size() != 1) return std::nullopt;
    return bind(args[0]);
  };
}

}  // namespace

void RegisterSumAggregates(FunctionRegistry& registry) {
  registry.AddAggregate("sum", OneArgument([](const LogicalType& t) { return BindSum(t, false); }));
  registry.AddAggregate("sum_merge",
                        OneArgument([](const LogicalType& t) { return BindSum(t, true); }));
  registry.AddAggregate("avg", OneArgument(&BindAvg));
}

}  // namespace basalt
