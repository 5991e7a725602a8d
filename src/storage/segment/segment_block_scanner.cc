#include "storage/segment/segment_block_scanner.h"

#include <algorithm>

#include "storage/segment/row_bitmap.h"
#include "storage/segment/segment_error.h"
#include "storage/segment/segment_reader.h"

namespace basalt {

SegmentBlockScanner::SegmentBlockScanner(const SegmentReader* reader, idx_t block,
                                         std::vector<idx_t> columns, const RowBitmap* rows)
    : reader_(reader), block_(block), columns_(std::move(columns)) {
  const uint64_t block_rows = reader_->BlockRowCount(block_);
  total_ = block_rows;
  if (rows != nullptr) {
    selective_ = true;
    const uint64_t first = reader_->BlockFirstRow(block_);
    selection_.resize(block_rows);
    total_ = rows->ExtractRange(first, first + block_rows, selection_.data());
    selection_.resize(total_);
  }
  types_.reserve(columns_.size());
  cursors_.resize(columns_.size());
  for (idx_t i = 0; i < columns_.size(); i++) {
    types_.push_back(reader_->schema()[columns_[i]].type);
    // A selection that is empty needs no bytes at all.
    if (total_ > 0) reader_->OpenCursor(columns_[i], block_, &cursors_[i]);
  }
}

bool SegmentBlockScanner::Next(DataChunk* out, idx_t max_rows) {
  bool same_shape = out->ColumnCount() == types_.size() && out->capacity() >= kBatchSize;
  for (idx_t i = 0; same_shape && i < types_.size(); i++) {
    same_shape = out->column(i).type() == types_[i];
  }
  if (same_shape) {
    out->Reset();
  } else {
    out->Initialize(types_);
  }
  if (done_ == total_) return false;
  const uint64_t n = std::min<uint64_t>(std::min<idx_t>(std::max<idx_t>(max_rows, 1), kBatchSize),
                                         total_ - done_);

  if (selective_) {
    // Runs of consecutive selected rows, shared by every column.
    runs_.clear();
    const uint32_t* sel = selection_.data() + done_;
    for (uint64_t k = 0; k < n;) {
      uint64_t m = 1;
      while (k + m < n && sel[k + m] == sel[k] + m) m++;
      runs_.push_back(Run{sel[k], static_cast<uint32_t>(k), static_cast<uint32_t>(m)});
      k += m;
    }
  }
  for (idx_t i = 0; i < columns_.size(); i++) {
    segment::ColumnBlockCursor& cursor = cursors_[i];
    Vector* vector = &out->column(i);
    try {
      if (!selective_) {
        cursor.Read(n, vector, 0);
      } else {
        for (const Run& run : runs_) {
          cursor.Skip(run.row - cursor.position());
          cursor.Read(run.length, vector, run.out);
        }
      }
      // One pin per column per batch, however many runs were read.
      cursor.KeepAliveIn(vector);
    } catch (const segment::SegmentDecodeError& e) {
      segment::ThrowCorruptSegment(reader_->path(), reader_->Where(columns_[i], block_), e.what());
    }
  }
  out->SetSize(n);
  done_ += n;
  return true;
}

}  // namespace basalt
