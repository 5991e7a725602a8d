// SegmentScan: how a table scan reads a managed table's segments, reading as
// little as it can.
//
// Work is handed out in morsels of one block of one segment through one
// atomic cursor (segment, block) that every instance of the scan shares, so
// a fast instance simply takes more. The first instance to reach a segment
// prepares it for everyone; an instance that finds it busy prepares the
// next ones meanwhile rather than wait. Preparing means, cheapest first:
//   1. time chunk: skip the segment when its chunk cannot hold a value of
//      the partition column that satisfies a predicate (no I/O);
//   2. zone maps: open the reader (its footer holds every zone map) and drop
//      the blocks whose bounds rule a predicate out;
//   3. bitmap index: for `=` / IN / IS NULL on an indexed string column, look
//      the rows up (intersecting several such predicates); an empty result
//      skips the segment, a block without a selected row is skipped, and the
//      blocks left are read for the selected rows only.
// A morsel is then read with late materialization: the columns the filter
// needs first, the filter evaluated, and the other output columns only for
// the rows that passed (none at all when none did). A scan without filter
// reads its output columns at once; one that needs no column (count(*))
// reads no bytes of any block.
//
// Counters (per instance, added per segment or block): segments_total,
// segments_pruned (time chunk or empty bitmap), blocks_total (of the
// segments opened), blocks_pruned_zonemap, blocks_pruned_bitmap, rows_read
// (rows taken from storage before the filter: decoded for the filter
// columns, or for every column); on executors, segments_cached and
// segments_copied (the segment cache had the file, or copied it for this
// read; cluster/segment_cache.h), present only when not zero.
//
// Thread safety: SegmentScanShared is shared by the instances (see the
// comments on its fields); SegmentScanLocal belongs to one instance.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "exec/expression.h"
#include "exec/expression_executor.h"
#include "storage/managed/scan_predicate.h"
#include "storage/managed/time_chunk.h"
#include "storage/segment/row_bitmap.h"
#include "storage/segment/segment_block_scanner.h"

namespace basalt {

class SegmentHandle;
class SegmentReader;

// Which columns a morsel reads, and where the output's columns come from.
// Computed once per query from the scan node.
struct SegmentScanLayout {
  // Stored column ids the output shows, in output order (may repeat).
  std::vector<idx_t> output_columns;
  // Nullable; over the output columns (the scan node's filter).
  const Expression* filter = nullptr;

  // One pass: every distinct output column, read together.
  std::vector<idx_t> read_columns;
  std::vector<idx_t> output_from_read;  // output position -> index in read_columns

  // Two passes (late materialization): set when the filter reads columns
  // and some output column is not one of them.
  bool late = false;
  std::vector<idx_t> filter_columns;  // the filter's distinct columns
  std::vector<idx_t> rest_columns;    // the other output columns
  // output position -> index in filter_columns (from_filter) or rest_columns
  std::vector<bool> from_filter;
  std::vector<idx_t> output_index;
  // The filter over a chunk of filter_columns.
  ExpressionPtr filter_on_filter_columns;

  static SegmentScanLayout Make(const std::vector<idx_t>& column_ids, const Expression* filter);
};

class SegmentScanShared {
 public:
  // `predicates` name stored columns; `partitioning` and `table_types` are
  // the table's. The layout's filter must outlive this.
  SegmentScanShared(std::vector<std::shared_ptr<SegmentHandle>> segments,
                    std::vector<ScanPredicate> predicates, TablePartitioning partitioning,
                    std::vector<LogicalType> table_types, SegmentScanLayout layout);

  const SegmentScanLayout& layout() const { return layout_; }

 private:
  friend class SegmentScanLocal;

  // One segment as the scan sees it once prepared.
  struct Segment {
    std::shared_ptr<SegmentHandle> handle;
    // Held while an instance prepares the segment. The fields after `ready`
    // are written once under it, before `ready` is set (release); read
    // without a lock once `ready` is seen (acquire).
    std::mutex mutex;
    std::atomic<bool> ready{false};
    const SegmentReader* reader = nullptr;
    bool has_rows = false;
    RowBitmap rows;  // the bitmap index's selection, when has_rows
    std::vector<uint32_t> blocks;  // the blocks to read, ascending
  };

  std::vector<std::unique_ptr<Segment>> segments_;
  std::vector<ScanPredicate> predicates_;
  TablePartitioning partitioning_;
  std::vector<LogicalType> table_types_;
  SegmentScanLayout layout_;
  // The next morsel: segment index << 32 | index into that segment's blocks.
  std::atomic<uint64_t> cursor_{0};
};

class SegmentScanLocal {
 public:
  // Counters are added to `counters` (the operator's stats).
  SegmentScanLocal(SegmentScanShared& shared, std::map<std::string, uint64_t>* counters);

  // The next batch of the current morsel into `out`; false when the morsel
  // has nothing more (or there is none yet).
  bool Next(DataChunk& out);
  // Takes the next morsel and starts reading it; false when none is left.
  // The caller checks for cancellation between morsels.
  bool NextMorsel();

 private:
  enum class Mode : uint8_t { kIdle, kCount, kOnePass, kLate };

  SegmentScanShared::Segment& Ready(size_t index);
  void TryPrepareAhead(size_t index);
  void Prepare(SegmentScanShared::Segment& segment);
  void StartMorsel(const SegmentScanShared::Segment& segment, uint32_t block);
  void FilterFirstPass(const SegmentReader& reader, uint32_t block, const RowBitmap* rows);

  SegmentScanShared& shared_;
  const SegmentScanLayout& layout_;
  ExpressionExecutor executor_;

  std::map<std::string, uint64_t>* counters_;
  uint64_t* segments_total_;
  uint64_t* segments_pruned_;
  uint64_t* blocks_total_;
  uint64_t* blocks_pruned_zonemap_;
  uint64_t* blocks_pruned_bitmap_;
  uint64_t* rows_read_;

  Mode mode_ = Mode::kIdle;
  uint64_t count_left_ = 0;  // kCount
  std::optional<SegmentBlockScanner> scanner_;  // kOnePass; kLate: the other columns
  DataChunk scanned_;
  // kLate: the first pass's batches narrowed to the rows that passed.
  std::vector<DataChunk> passed_;
  size_t next_passed_ = 0;
  // Reused per block (no allocation per row): the block's rows the bitmap
  // selects (offsets from the block's first row), and the rows that passed
  // the filter (their positions among the rows read, then segment row ids).
  std::vector<uint32_t> selected_;
  std::vector<uint32_t> survivors_;
};

}  // namespace basalt
