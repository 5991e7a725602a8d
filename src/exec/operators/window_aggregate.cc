// Aggregates as window functions: each row's value is the aggregate over the
// rows of its frame.
//
// Frames that start at the partition's first row only grow while the rows
// advance (their ends never move back), so one running state per partition
// suffices: each row is folded in once, O(n) in all. Within a batch the rows'
// states are built without calling into the aggregate per row: the rows that
// enter the frame at row j are folded into row j's fresh state (one update
// for the whole batch), then one combine call chains them, row j's state
// absorbing row j-1's completed one in index order (the order combine
// merges its pairs in). finalize then reads all of them at once. Each state
// is finalized exactly once and never used after, so this would hold even
// for an aggregate whose finalize consumed its state (none does: each reads
// its state through a const reference). A copy of the last row's state,
// made by combining it into a fresh one, carries over to the next batch.
//
// Other frames (sliding) query a WindowSegmentTree per batch.
#include <algorithm>

#include "common/exception.h"
#include "exec/operators/aggregate_states.h"
#include "exec/operators/window_aggregate_updater.h"
#include "exec/operators/window_evaluator.h"
#include "exec/operators/window_segment_tree.h"

namespace basalt {

namespace {

// States for one output batch plus, for the running evaluator, the state
// carried between batches (at index kBatchSize).
class BatchStates {
 public:
  explicit BatchStates(const BoundAggregateFunction& function)
      : function_(function), states_({&function}), pointers_(kBatchSize + 1) {
    states_.AddGroups(kBatchSize + 1);
    for (idx_t i = 0; i <= kBatchSize; i++) {
      pointers_[i] = states_.Group(static_cast<uint32_t>(i)) + states_.offset(0);
    }
  }

  uint8_t** pointers() { return pointers_.data(); }
  uint8_t* carried() { return pointers_[kBatchSize]; }
  void Reset(idx_t count) { ReinitializeStates(function_, pointers_.data(), count); }
  void ResetCarried() { ReinitializeStates(function_, &pointers_[kBatchSize], 1); }

 private:
  const BoundAggregateFunction& function_;
  AggregateStates states_;
  std::vector<uint8_t*> pointers_;
};

class RunningAggregateEvaluator : public WindowEvaluator {
 public:
  RunningAggregateEvaluator(const WindowFunction& function, const WindowRows& rows,
                            std::vector<idx_t> arg_columns)
      : function_(function),
        aggregate_(function.aggregate),
        order_(rows.order()),
        updater_(aggregate_, rows.store(), std::move(arg_columns)),
        states_(aggregate_),
        begin_(kBatchSize),
        end_(kBatchSize) {
    sources_.reserve(kBatchSize);
    targets_.reserve(kBatchSize);
  }

  void Evaluate(const WindowBatch& batch, Vector& result) override {
    const idx_t count = batch.count;
    ComputeFrameBounds(function_.frame, batch, begin_.data(), end_.data());
    states_.Reset(count);
    uint8_t** states = states_.pointers();
    sources_.clear();
    targets_.clear();
    // Rows of the partition folded so far end at position `added`.
    idx_t added = 0;
    for (idx_t j = 0; j < count; j++) {
      const uint32_t partition = batch.partition_begin[j];
      if (j == 0 && carried_valid_ && partition == carried_partition_) {
        added = carried_end_;
        sources_.push_back(states_.carried());
        targets_.push_back(states[0]);
      } else if (j == 0 || partition != batch.partition_begin[j - 1]) {
        added = partition;
      } else {
        sources_.push_back(states[j - 1]);
        targets_.push_back(states[j]);
      }
      const idx_t frame_end = std::max<idx_t>(end_[j], added);
      for (idx_t p = added; p < frame_end; p++) updater_.Add(order_[p], states[j]);
      added = frame_end;
    }
    updater_.Flush();
    if (!sources_.empty()) {
      aggregate_.combine(sources_.data(), targets_.data(), sources_.size(), aggregate_.data.get());
    }
    // Copy the last row's state (a combine into a fresh state) for the next
    // batch before finalize reads it.
    states_.ResetCarried();
    uint8_t* carried = states_.carried();
    aggregate_.combine(&states[count - 1], &carried, 1, aggregate_.data.get());
    carried_valid_ = true;
    carried_partition_ = batch.partition_begin[count - 1];
    carried_end_ = added;
    aggregate_.finalize(states, count, result, aggregate_.data.get());
  }

 private:
  const WindowFunction& function_;
  const BoundAggregateFunction& aggregate_;
  const uint32_t* order_;
  WindowAggregateUpdater updater_;
  BatchStates states_;
  std::vector<uint32_t> begin_;
  std::vector<uint32_t> end_;
  std::vector<uint8_t*> sources_;
  std::vector<uint8_t*> targets_;
  bool carried_valid_ = false;
  uint32_t carried_partition_ = 0;  // where the carried state's partition begins
  idx_t carried_end_ = 0;           // the carried state holds positions [partition, end)
};

class SlidingAggregateEvaluator : public WindowEvaluator {
 public:
  SlidingAggregateEvaluator(const WindowFunction& function, const WindowRows& rows,
                            std::vector<idx_t> arg_columns)
      : function_(function),
        aggregate_(function.aggregate),
        updater_(aggregate_, rows.store(), std::move(arg_columns)),
        tree_(aggregate_, rows, updater_),
        states_(aggregate_),
        begin_(kBatchSize),
        end_(kBatchSize) {}

  void Evaluate(const WindowBatch& batch, Vector& result) override {
    ComputeFrameBounds(function_.frame, batch, begin_.data(), end_.data());
    states_.Reset(batch.count);
    tree_.Aggregate(begin_.data(), end_.data(), states_.pointers(), batch.count);
    aggregate_.finalize(states_.pointers(), batch.count, result, aggregate_.data.get());
  }

 private:
  const WindowFunction& function_;
  const BoundAggregateFunction& aggregate_;
  WindowAggregateUpdater updater_;
  WindowSegmentTree tree_;
  BatchStates states_;
  std::vector<uint32_t> begin_;
  std::vector<uint32_t> end_;
};

}  // namespace

std::unique_ptr<WindowEvaluator> MakeWindowAggregateEvaluator(
    const WindowFunction& function, const WindowRows& rows, const std::vector<idx_t>& arg_columns) {
  if (FrameStartsAtPartition(function.frame)) {
    return std::make_unique<RunningAggregateEvaluator>(function, rows, arg_columns);
  }
  return std::make_unique<SlidingAggregateEvaluator>(function, rows, arg_columns);
}

}  // namespace basalt
