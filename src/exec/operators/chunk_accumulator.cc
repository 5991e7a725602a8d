#include "exec/operators/chunk_accumulator.h"

#include <algorithm>

namespace basalt {

void ChunkAccumulator::Append(const DataChunk& chunk, const SelectionVector& sel, idx_t count) {
  idx_t done = 0;
  while (done < count) {
    if (current_.ColumnCount() == 0 && !types_.empty()) current_.Initialize(types_);
    const idx_t take = std::min(count - done, kBatchSize - current_.size());
    // A view of the selection from `done` on.
    const uint32_t* indices =
        sel.IsIdentity() ? SelectionVector::IncrementalSelection().data() : sel.data();
    SelectionVector part(const_cast<uint32_t*>(indices) + done);
    for (idx_t c = 0; c < types_.size(); c++) {
      current_.column(c).CopyFrom(chunk.column(c), part, take, current_.size());
    }
    current_.SetSize(current_.size() + take);
    done += take;
    if (current_.size() == kBatchSize) {
      full_.push_back(std::move(current_));
      current_ = DataChunk();
    }
  }
}

bool ChunkAccumulator::PopFull(DataChunk& out) {
  if (full_.empty()) return false;
  out.Reference(full_.front());
  full_.pop_front();
  return true;
}

bool ChunkAccumulator::PopAny(DataChunk& out) {
  if (PopFull(out)) return true;
  if (current_.size() == 0) return false;
  out.Reference(current_);
  current_ = DataChunk();
  return true;
}

}  // namespace basalt
