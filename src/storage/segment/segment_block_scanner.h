// SegmentBlockScanner: hands out the rows of one block of a segment, for a
// chosen set of columns, as DataChunks of at most kBatchSize rows. Made by
// SegmentReader::ScanBlock.
//
// With a row bitmap only the selected rows come out: each column skips to
// the next selected run and decodes just that run, straight into the output
// vectors. Not thread-safe; the reader must outlive the scanner.
#pragma once

#include <cstdint>
#include <vector>

#include "common/data_chunk.h"
#include "storage/segment/column_block_cursor.h"

namespace basalt {

class RowBitmap;
class SegmentReader;

class SegmentBlockScanner {
 public:
  SegmentBlockScanner(SegmentBlockScanner&&) = default;
  SegmentBlockScanner& operator=(SegmentBlockScanner&&) = default;

  // Rows the scan returns in all.
  uint64_t row_count() const { return total_; }
  // Fills `out` with the next rows as flat vectors of the scanned columns
  // (fresh buffers each call, so earlier chunks stay valid) and returns true;
  // returns false, with out->size() == 0, once every row has been returned.
  // Raises XX001 if a block turns out to be corrupt.
  bool Next(DataChunk* out) { return Next(out, kBatchSize); }
  // The same, with at most `max_rows` (>= 1) rows: a scan that reads a
  // block's columns in two passes lines the second up with the first's
  // batches.
  bool Next(DataChunk* out, idx_t max_rows);

 private:
  friend class SegmentReader;
  SegmentBlockScanner(const SegmentReader* reader, idx_t block, std::vector<idx_t> columns,
                      const RowBitmap* rows);

  // A run of consecutive selected rows: `length` rows from block row `row`
  // go to output rows from `out`.
  struct Run {
    uint32_t row;
    uint32_t out;
    uint32_t length;
  };

  const SegmentReader* reader_;
  idx_t block_;
  std::vector<idx_t> columns_;
  std::vector<LogicalType> types_;
  std::vector<segment::ColumnBlockCursor> cursors_;
  bool selective_ = false;
  std::vector<uint32_t> selection_;  // block-local row numbers
  std::vector<Run> runs_;
  uint64_t total_ = 0;
  uint64_t done_ = 0;
};

}  // namespace basalt
