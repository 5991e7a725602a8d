// var_samp (also variance), var_pop, stddev_samp (also stddev), stddev_pop
// over any numeric input, computed in DOUBLE (PostgreSQL answers numeric for
// numeric input). The state is Welford's running mean and sum of squared
// deviations, which stays accurate where sum-of-squares cancels, and merges
// exactly across partial states (Chan et al.).
#include <cmath>

#include "exec/functions/aggregate_helpers.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

struct VarianceState {
  int64_t count = 0;
  double mean = 0;
  double m2 = 0;  // sum of squared deviations from the mean
};

void VarianceUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                    const FunctionData*) {
  AggregateUpdate<VarianceState, double>(args[0], count, states, [](VarianceState& s, double x) {
    s.count++;
    double delta = x - s.mean;
    s.mean += delta / static_cast<double>(s.count);
    s.m2 += delta * (x - s.mean);
  });
}

void VarianceCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<VarianceState>(sources, targets, count,
                                  [](VarianceState& t, const VarianceState& s) {
                                    if (s.count == 0) return;
                                    if (t.count == 0) {
                                      t = s;
                                      return;
                                    }
                                    double n1 = static_cast<double>(t.count);
                                    double n2 = static_cast<double>(s.count);
                                    double n = n1 + n2;
                                    double delta = s.mean - t.mean;
                                    t.mean += delta * n2 / n;
                                    t.m2 += s.m2 + delta * delta * n1 * n2 / n;
                                    t.count += s.count;
                                  });
}

enum class Statistic { kVarSamp, kVarPop, kStddevSamp, kStddevPop };

template <Statistic kStat>
void VarianceFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  AggregateFinalize<VarianceState, double>(
      states, count, result, [](const VarianceState& s, double* out) {
        bool sample = kStat == Statistic::kVarSamp || kStat == Statistic::kStddevSamp;
        if (s.count < (sample ? 2 : 1)) return false;
        double v = s.m2 / static_cast<double>(sample ? s.count - 1 : s.count);
        if (v < 0) v = 0;  // rounding can dip below zero
        bool root = kStat == Statistic::kStddevSamp || kStat == Statistic::kStddevPop;
        *out = root ? std::sqrt(v) : v;
        return true;
      });
}

template <Statistic kStat>
AggregateBinder VarianceBinder() {
  return [](const std::vector<LogicalType>& args) -> std::optional<BoundAggregateFunction> {
    if (args.size() != 1 || !IsNumericOrNull(args[0])) return std::nullopt;
    const LogicalType dbl = TypeId::kDouble;
    return MakeAggregate<VarianceState>({dbl}, dbl, &VarianceUpdate, &VarianceCombine,
                                        &VarianceFinalize<kStat>);
  };
}

}  // namespace

void RegisterVarianceAggregates(FunctionRegistry& registry) {
  registry.AddAggregate("var_samp", VarianceBinder<Statistic::kVarSamp>());
  registry.AddAggregate("variance", VarianceBinder<Statistic::kVarSamp>());
  registry.AddAggregate("var_pop", VarianceBinder<Statistic::kVarPop>());
  registry.AddAggregate("stddev_samp", VarianceBinder<Statistic::kStddevSamp>());
  registry.AddAggregate("stddev", VarianceBinder<Statistic::kStddevSamp>());
  registry.AddAggregate("stddev_pop", VarianceBinder<Statistic::kStddevPop>());
}

}  // namespace basalt
