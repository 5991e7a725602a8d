// count_star (count(*)), count(x) and count_merge, which sums the partial
// counts of a two-phase aggregation. All return BIGINT and 0 for no rows.
#include "exec/functions/aggregate_helpers.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

struct CountState {
  int64_t count = 0;
};

void CountStarUpdate(const std::vector<Vector>&, idx_t count, uint8_t** states,
                     const FunctionData*) {
  for (idx_t i = 0; i < count; i++) StateAt<CountState>(states[i]).count++;
}

// count(x) reads only validity, never the values, so one kernel serves every type.
void CountUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                 const FunctionData*) {
  const Vector& input = args[0];
  if (input.kind() == VectorKind::kConstant) {
    if (!input.validity().IsValid(0)) return;
    return CountStarUpdate(args, count, states, nullptr);
  }
  if (input.kind() == VectorKind::kFlat && input.validity().CheckAllValid(count)) {
    return CountStarUpdate(args, count, states, nullptr);
  }
  UnifiedFormat f;
  input.ToUnified(count, &f);
  for (idx_t i = 0; i < count; i++) {
    StateAt<CountState>(states[i]).count += f.validity->IsValid(f.sel->Get(i));
  }
}

void CountMergeUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                      const FunctionData*) {
  AggregateUpdate<CountState, int64_t>(args[0], count, states,
                                       [](CountState& s, int64_t v) { s.count += v; });
}

void CountCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<CountState>(sources, targets, count,
                               [](CountState& t, const CountState& s) { t.count += s.count; });
}

void CountFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  AggregateFinalize<CountState, int64_t>(states, count, result,
                                         [](const CountState& s, int64_t* out) {
                                           *out = s.count;
                                           return true;
                                         });
}

BoundAggregateFunction MakeCount(std::vector<LogicalType> args,
                                 void (*update)(const std::vector<Vector>&, idx_t, uint8_t**,
                                                const FunctionData*)) {
  return MakeAggregate<CountState>(std::move(args), TypeId::kBigint, update, &CountCombine,
                                   &CountFinalize);
}

}  // namespace

void RegisterCountAggregates(FunctionRegistry& registry) {
  registry.AddAggregate(
      "count_star",
      [](const std::vector<LogicalType>& args) -> std::optional<BoundAggregateFunction> {
        if (!args.empty()) return std::nullopt;
        return MakeCount({}, &CountStarUpdate);
      });
  registry.AddAggregate(
      "count", [](const std::vector<LogicalType>& args) -> std::optional<BoundAggregateFunction> {
        if (args.empty()) return MakeCount({}, &CountStarUpdate);
        if (args.size() != 1 || args[0].id() == TypeId::kInvalid) return std::nullopt;
        return MakeCount({args[0]}, &CountUpdate);
      });
  registry.AddAggregate(
      "count_merge",
      [](const std::vector<LogicalType>& args) -> std::optional<BoundAggregateFunction> {
        if (args.size() != 1 || !IsIntegerOrNull(args[0])) return std::nullopt;
        return MakeCount({TypeId::kBigint}, &CountMergeUpdate);
      });
}

}  // namespace basalt
