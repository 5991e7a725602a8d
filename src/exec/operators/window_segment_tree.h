// A segment tree of partial aggregate states over the window operator's
// sorted rows, for aggregates whose frames do not start at the partition's
// first row (sliding frames), after Leis et al., "Efficient Processing of
// Window Functions in Analytical SQL Queries" (VLDB 2015).
//
// Level 0 holds one state per full block of kFanout consecutive positions
// (built with update), level l+1 one per kFanout full nodes of level l
// (built with combine). Partial blocks are never built: a frame only uses
// nodes that lie wholly inside it. One tree spans every partition, since no
// frame crosses a partition's edge.
//
// A frame [begin, end) is folded into its target state as: the rows before
// the first whole level-0 node (update); whole nodes up to the highest level
// that fits and back down (combine); the rows after the last whole node
// (update). That is at most 2(kFanout-1) rows plus 2(kFanout-1) nodes per
// level, O(kFanout log n) whatever the frame's size. Every target receives
// its contributions in position order.
//
// Queries are batched: Aggregate() gathers the contributions of a whole
// batch of frames and runs update and combine over all of them at once.
// Several pairs of one combine call name the same target; like update's
// shared states, this relies on combine merging pairs in index order.
// Not thread-safe: owned by one evaluator.
#pragma once

#include <cstdint>
#include <vector>

#include "exec/function.h"
#include "exec/operators/aggregate_states.h"
#include "exec/operators/window_aggregate_updater.h"
#include "exec/operators/window_rows.h"

namespace basalt {

class WindowSegmentTree {
 public:
  // Wide enough that the tree stays shallow (5 levels for 16M rows) and the
  // partial blocks at a frame's edges stay cheap to fold row by row.
  static constexpr idx_t kFanout = 16;

  // Builds the tree over every position of `rows`; `updater` feeds the
  // aggregate's arguments and is used again by Aggregate().
  WindowSegmentTree(const BoundAggregateFunction& function, const WindowRows& rows,
                    WindowAggregateUpdater& updater);

  // For each i < count folds the rows at positions [begin[i], end[i]) into
  // targets[i] (an initialized state, distinct for each i).
  void Aggregate(const uint32_t* begin, const uint32_t* end, uint8_t** targets, idx_t count);

  idx_t level_count() const { return level_offsets_.size() - 1; }

 private:
  uint8_t* Node(idx_t level, idx_t index) const {
    return nodes_.Group(static_cast<uint32_t>(level_offsets_[level] + index)) + nodes_.offset(0);
  }
  void AddNodes(idx_t level, idx_t begin, idx_t end, uint8_t* target);
  void Combine();

  const BoundAggregateFunction& function_;
  const uint32_t* order_;
  WindowAggregateUpdater& updater_;
  AggregateStates nodes_;
  // The first node of each level in nodes_, then the node count.
  std::vector<idx_t> level_offsets_;

  // Per-batch contributions, reused: (node, target) pairs to combine, and
  // the rows after each frame's last whole node, folded in after them.
  std::vector<uint8_t*> sources_;
  std::vector<uint8_t*> combine_targets_;
  std::vector<uint32_t> right_rows_;
  std::vector<uint8_t*> right_targets_;
};

}  // namespace basalt
