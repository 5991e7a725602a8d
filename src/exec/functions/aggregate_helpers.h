// Building blocks for aggregate functions, so each aggregate only says how
// one value folds into its state.
//
// States live in memory the aggregate operator owns, at least 8-byte aligned
// (every state here asserts alignof <= 8; 128-bit sums use Int128Field so they
// do not demand 16). A state is created by placement new of its default
// value; states that own heap memory free it in `destroy`.
#pragma once

#include <new>
#include <type_traits>

#include "common/vector.h"
#include "exec/function.h"

namespace basalt {

// An int128 that only needs 8-byte alignment, for state structs.
using Int128Field = int128_t __attribute__((aligned(8)));

template <typename State>
State& StateAt(uint8_t* p) {
  return *reinterpret_cast<State*>(p);
}

// op(state, value) for each non-NULL row i < count, row i folding into states[i].
template <typename State, typename In, typename Op>
inline void AggregateUpdate(const Vector& input, idx_t count, uint8_t** states, Op&& op) {
  if (input.kind() == VectorKind::kConstant) {
    if (!input.validity().IsValid(0)) return;
    const In& value = input.Data<In>()[0];
    for (idx_t i = 0; i < count; i++) op(StateAt<State>(states[i]), value);
    return;
  }
  if (input.kind() == VectorKind::kFlat && input.validity().CheckAllValid(count)) {
    const In* data = input.Data<In>();
    for (idx_t i = 0; i < count; i++) op(StateAt<State>(states[i]), data[i]);
    return;
  }
  UnifiedFormat f;
  input.ToUnified(count, &f);
  const In* data = f.Data<In>();
  for (idx_t i = 0; i < count; i++) {
    uint32_t index = f.sel->Get(i);
    if (f.validity->IsValid(index)) op(StateAt<State>(states[i]), data[index]);
  }
}

// op(target, source) for each pair.
template <typename State, typename Op>
inline void AggregateCombine(uint8_t** sources, uint8_t** targets, idx_t count, Op&& op) {
  for (idx_t i = 0; i < count; i++) op(StateAt<State>(targets[i]), StateAt<State>(sources[i]));
}

// op(state, &out[i]) returns false to make row i NULL.
template <typename State, typename Out, typename Op>
inline void AggregateFinalize(uint8_t** states, idx_t count, Vector& result, Op&& op) {
  Out* out = result.Data<Out>();
  for (idx_t i = 0; i < count; i++) {
    if (!op(StateAt<State>(states[i]), &out[i])) result.SetNull(i);
  }
}

template <typename State>
void InitializeState(uint8_t* state) {
  static_assert(alignof(State) <= 8, "aggregate states must fit 8-byte aligned memory");
  new (state) State();
}

// The common shape of a bound aggregate; callers set `destroy` and `data`
// when they need them.
template <typename State>
BoundAggregateFunction MakeAggregate(
    std::vector<LogicalType> arg_types, LogicalType return_type,
    void (*update)(const std::vector<Vector>&, idx_t, uint8_t**, const FunctionData*),
    void (*combine)(uint8_t**, uint8_t**, idx_t, const FunctionData*),
    void (*finalize)(uint8_t**, idx_t, Vector&, const FunctionData*)) {
  BoundAggregateFunction f;
  f.arg_types = std::move(arg_types);
  f.return_type = return_type;
  f.state_size = (sizeof(State) + 7) / 8 * 8;
  f.initialize = &InitializeState<State>;
  f.update = update;
  f.combine = combine;
  f.finalize = finalize;
  return f;
}

}  // namespace basalt
