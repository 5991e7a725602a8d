// Folding rows of the window operator's ColumnStore into aggregate states:
// the one place window aggregates call a BoundAggregateFunction's update.
//
// Callers queue (row, state) pairs; every kBatchSize pairs (and on Flush)
// the arguments of the queued rows are gathered from the store into vectors
// and update runs once over them. Pairs are applied in the order queued, and
// several pairs may name one state, as update allows. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "common/vector.h"
#include "exec/function.h"
#include "exec/operators/column_store.h"

namespace basalt {

class WindowAggregateUpdater {
 public:
  // `arg_columns[i]` is the store column of the aggregate's argument i.
  WindowAggregateUpdater(const BoundAggregateFunction& function, const ColumnStore& store,
                         std::vector<idx_t> arg_columns);

  void Add(uint32_t row, uint8_t* state) {
    rows_[queued_] = row;
    states_[queued_] = state;
    if (++queued_ == kBatchSize) Flush();
  }
  // Applies every queued pair.
  void Flush();

 private:
  const BoundAggregateFunction& function_;
  const ColumnStore& store_;
  std::vector<idx_t> arg_columns_;
  std::vector<uint32_t> rows_;
  std::vector<uint8_t*> states_;
  idx_t queued_ = 0;
  std::vector<Vector> args_;
};

// Returns states[0..count) to their initial value, releasing what they hold.
void ReinitializeStates(const BoundAggregateFunction& function, uint8_t** states, idx_t count);

}  // namespace basalt
