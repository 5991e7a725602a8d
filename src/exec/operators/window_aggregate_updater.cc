#include "exec/operators/window_aggregate_updater.h"

#include "common/exception.h"

namespace basalt {

WindowAggregateUpdater::WindowAggregateUpdater(const BoundAggregateFunction& function,
                                               const ColumnStore& store,
                                               std::vector<idx_t> arg_columns)
    : function_(function),
      store_(store),
      arg_columns_(std::move(arg_columns)),
      rows_(kBatchSize),
      states_(kBatchSize),
      args_(arg_columns_.size()) {
  for (idx_t column : arg_columns_) BASALT_CHECK(column < store_.ColumnCount());
}

void WindowAggregateUpdater::Flush() {
  if (queued_ == 0) return;
  for (idx_t i = 0; i < arg_columns_.size(); i++) {
    // A fresh vector each time: gathering strings pins the store's arena in
    // the vector, which must not pile up across reuses.
    args_[i] = Vector(store_.types()[arg_columns_[i]]);
    store_.Gather(arg_columns_[i], rows_.data(), queued_, args_[i], 0);
  }
  function_.update(args_, queued_, states_.data(), function_.data.get());
  queued_ = 0;
}

void ReinitializeStates(const BoundAggregateFunction& function, uint8_t** states, idx_t count) {
  if (function.destroy != nullptr) function.destroy(states, count);
  for (idx_t i = 0; i < count; i++) function.initialize(states[i]);
}

}  // namespace basalt
