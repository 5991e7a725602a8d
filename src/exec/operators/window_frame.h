// Window frames: which rows of its partition an aggregate, first_value or
// last_value sees for each row, and the per-batch computation of those rows.
//
// A frame is computed from a row's position in the sorted order of the
// window operator's input and the bounds of its partition and peer group
// (rows with equal ORDER BY keys), which WindowBatch carries for one output
// batch. Frames are half-open ranges of positions [begin, end); an empty
// frame has begin == end. Frames never leave their row's partition.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/types.h"

namespace basalt {

enum class WindowFrameUnit : uint8_t { kRows, kRange };

enum class WindowBoundKind : uint8_t {
  kUnboundedPreceding,
  kPreceding,
  kCurrentRow,
  kFollowing,
  kUnboundedFollowing,
};

struct WindowFrame {
  WindowFrameUnit unit = WindowFrameUnit::kRange;
  WindowBoundKind start = WindowBoundKind::kUnboundedPreceding;
  int64_t start_offset = 0;
  WindowBoundKind end = WindowBoundKind::kCurrentRow;
  int64_t end_offset = 0;
  // RANGE n PRECEDING / FOLLOWING: the offsets as values of the (single,
  // numeric) ORDER BY key.
  double start_range = 0;
  double end_range = 0;
};

// Row offsets (frame bounds, lag and lead) beyond any partition's size all
// reach past its edge; capping them there keeps position arithmetic in
// int64_t far from overflow.
inline constexpr int64_t kMaxWindowOffset = int64_t{1} << 40;

// The rows of one output batch of the window operator: positions first ..
// first+count-1 of the sorted order, and for each of them (index j < count)
// the bounds, as positions, of its partition and of its peer group.
struct WindowBatch {
  WindowBatch()
      : partition_begin(kBatchSize),
        partition_end(kBatchSize),
        peer_begin(kBatchSize),
        peer_end(kBatchSize),
        peer_group(kBatchSize) {}

  idx_t first = 0;
  idx_t count = 0;
  const uint32_t* rows = nullptr;  // the batch's row ids in the materialized input
  std::vector<uint32_t> partition_begin;
  std::vector<uint32_t> partition_end;
  std::vector<uint32_t> peer_begin;
  std::vector<uint32_t> peer_end;
  // 0-based ordinal of the row's peer group within its partition (dense_rank - 1).
  std::vector<uint32_t> peer_group;
  // For RANGE frames with offsets: the ORDER BY key of every sorted position
  // as an ascending double (negated for DESC; NULLs as -inf / +inf where
  // they sort), so value bounds are binary searches within the partition.
  const double* range_keys = nullptr;
};

// Throws BasaltError (with PostgreSQL's SQLSTATE) for a frame PostgreSQL
// rejects, and for RANGE frames with offsets, which Basalt does not run. The
// binder checks the same; this keeps a hand-built plan from reading garbage.
void ValidateWindowFrame(const WindowFrame& frame);

// Whether every row's frame starts at its partition's first row, so that an
// aggregate over it can grow one running state instead of querying a tree.
inline bool FrameStartsAtPartition(const WindowFrame& frame) {
  return frame.start == WindowBoundKind::kUnboundedPreceding;
}

// Writes the frame of every row of `batch` as positions [begin[j], end[j]).
// The bound kinds are switched on once per batch, not per row.
void ComputeFrameBounds(const WindowFrame& frame, const WindowBatch& batch, uint32_t* begin,
                        uint32_t* end);

// "ROWS BETWEEN 1 PRECEDING AND CURRENT ROW", for EXPLAIN.
std::string WindowFrameToString(const WindowFrame& frame);

}  // namespace basalt
