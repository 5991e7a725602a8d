#include "exec/operators/window_segment_tree.h"

#include "common/exception.h"

namespace basalt {

namespace {

constexpr idx_t kFanout = WindowSegmentTree::kFanout;
// Levels a tree over at most 2^32 rows can have, with room to spare.
constexpr idx_t kMaxLevels = 16;

idx_t CeilDiv(idx_t a, idx_t b) { return (a + b - 1) / b; }

}  // namespace

WindowSegmentTree::WindowSegmentTree(const BoundAggregateFunction& function, const WindowRows& rows,
                                     WindowAggregateUpdater& updater)
    : function_(function), order_(rows.order()), updater_(updater), nodes_({&function}) {
  const idx_t n = rows.size();
  idx_t total = 0;
  for (idx_t nodes = n / kFanout; nodes > 0; nodes /= kFanout) {
    level_offsets_.push_back(total);
    total += nodes;
  }
  level_offsets_.push_back(total);
  BASALT_CHECK(level_count() <= kMaxLevels);
  nodes_.AddGroups(total);
  if (total == 0) return;

  const idx_t covered = (level_offsets_[1] - level_offsets_[0]) * kFanout;
  for (idx_t p = 0; p < covered; p++) updater_.Add(order_[p], Node(0, p / kFanout));
  updater_.Flush();
  for (idx_t level = 1; level < level_count(); level++) {
    const idx_t children = (level_offsets_[level + 1] - level_offsets_[level]) * kFanout;
    for (idx_t k = 0; k < children; k++) {
      sources_.push_back(Node(level - 1, k));
      combine_targets_.push_back(Node(level, k / kFanout));
    }
    Combine();
  }
}

void WindowSegmentTree::AddNodes(idx_t level, idx_t begin, idx_t end, uint8_t* target) {
  for (idx_t k = begin; k < end; k++) {
    sources_.push_back(Node(level, k));
    combine_targets_.push_back(target);
  }
}

void WindowSegmentTree::Combine() {
  if (!sources_.empty()) {
    function_.combine(sources_.data(), combine_targets_.data(), sources_.size(),
                      function_.data.get());
  }
  sources_.clear();
  combine_targets_.clear();
}

void WindowSegmentTree::Aggregate(const uint32_t* begin, const uint32_t* end, uint8_t** targets,
                                  idx_t count) {
  const idx_t levels = level_count();
  for (idx_t i = 0; i < count; i++) {
    const idx_t b = begin[i];
    const idx_t e = end[i];
    uint8_t* target = targets[i];
    if (b >= e) continue;
    // Whole level-0 nodes inside the frame: [node_begin, node_end).
    idx_t node_begin = CeilDiv(b, kFanout);
    idx_t node_end = e / kFanout;
    if (levels == 0 || node_begin >= node_end) {
      for (idx_t p = b; p < e; p++) updater_.Add(order_[p], target);
      continue;
    }
    for (idx_t p = b; p < node_begin * kFanout; p++) updater_.Add(order_[p], target);
    for (idx_t p = node_end * kFanout; p < e; p++) {
      right_rows_.push_back(order_[p]);
      right_targets_.push_back(target);
    }
    // Climb while a whole parent fits, taking the nodes left of the parents
    // now and remembering those right of them for the way down.
    struct Range {
      idx_t level, begin, end;
    };
    Range right[kMaxLevels];
    idx_t right_count = 0;
    idx_t level = 0;
    while (level + 1 < levels) {
      const idx_t parent_begin = CeilDiv(node_begin, kFanout);
      const idx_t parent_end = node_end / kFanout;
      if (parent_begin >= parent_end) break;
      AddNodes(level, node_begin, parent_begin * kFanout, target);
      right[right_count++] = Range{level, parent_end * kFanout, node_end};
      node_begin = parent_begin;
      node_end = parent_end;
      level++;
    }
    AddNodes(level, node_begin, node_end, target);
    while (right_count > 0) {
      const Range& r = right[--right_count];
      AddNodes(r.level, r.begin, r.end, target);
    }
  }
  // Left edges, then whole nodes, then right edges: each target's
  // contributions arrive in position order.
  updater_.Flush();
  Combine();
  for (idx_t i = 0; i < right_rows_.size(); i++) updater_.Add(right_rows_[i], right_targets_[i]);
  updater_.Flush();
  right_rows_.clear();
  right_targets_.clear();
}

}  // namespace basalt
