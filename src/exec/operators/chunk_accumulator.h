// Packs rows from many small selections into full batches by copying them.
//
// Joins whose predicates keep few rows per candidate batch would otherwise
// hand tiny batches downstream, and every operator above pays per batch. A
// selection that is large enough is passed on zero-copy instead; only small
// ones come here. Not thread-safe: owned by one operator instance.
#pragma once

#include <deque>
#include <vector>

#include "common/data_chunk.h"

namespace basalt {

class ChunkAccumulator {
 public:
  // Below this many rows a selection is worth copying into a fuller batch.
  static constexpr idx_t kSmallSelection = kBatchSize / 4;

  explicit ChunkAccumulator(std::vector<LogicalType> types) : types_(std::move(types)) {}

  // Copies rows sel[0..count) of `chunk` (same column types).
  void Append(const DataChunk& chunk, const SelectionVector& sel, idx_t count);
  // Moves the oldest full batch into `out`; false if there is none.
  bool PopFull(DataChunk& out);
  // Moves the oldest batch, full or not; false if nothing is buffered.
  bool PopAny(DataChunk& out);

 private:
  std::vector<LogicalType> types_;
  std::deque<DataChunk> full_;
  DataChunk current_;  // the batch being filled; no columns while empty
};

}  // namespace basalt
