// bool_and (also every) and bool_or: NULL for no non-NULL input, as PostgreSQL.
#include "exec/functions/aggregate_helpers.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/register_functions.h"

namespace basalt {

namespace {

struct BoolState {
  bool value = false;
  bool has = false;
};

template <bool kAnd>
void Fold(BoolState& s, bool v) {
  s.value = s.has ? (kAnd ? (s.value && v) : (s.value || v)) : v;
  s.has = true;
}

template <bool kAnd>
void BoolUpdate(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                const FunctionData*) {
  AggregateUpdate<BoolState, bool>(args[0], count, states,
                                   [](BoolState& s, bool v) { Fold<kAnd>(s, v); });
}

template <bool kAnd>
void BoolCombine(uint8_t** sources, uint8_t** targets, idx_t count, const FunctionData*) {
  AggregateCombine<BoolState>(sources, targets, count, [](BoolState& t, const BoolState& s) {
    if (s.has) Fold<kAnd>(t, s.value);
  });
}

void BoolFinalize(uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
  AggregateFinalize<BoolState, bool>(states, count, result, [](const BoolState& s, bool* out) {
    *out = s.value;
    return s.has;
  });
}

template <bool kAnd>
AggregateBinder BoolBinder() {
  return [](const std::vector<LogicalType>& args) -> std::optional<BoundAggregateFunction> {
    if (args.size() != 1) return std::nullopt;
    if (args[0].id() != TypeId::kBoolean && !IsNullType(args[0])) return std::nullopt;
    return MakeAggregate<BoolState>({TypeId::kBoolean}, TypeId::kBoolean, &BoolUpdate<kAnd>,
                                    &BoolCombine<kAnd>, &BoolFinalize);
  };
}

}  // namespace

void RegisterBoolAggregates(FunctionRegistry& registry) {
  registry.AddAggregate("bool_and", BoolBinder<true>());
  registry.AddAggregate("every", BoolBinder<true>());
  registry.AddAggregate("bool_or", BoolBinder<false>());
}

}  // namespace basalt
