// DataTable: the rows of one table as an immutable, versioned snapshot
// (TableData). In-memory tables hold column batches; managed tables (with a
// data directory) hold published segments. A write builds the next version
// aside and installs it at once, so a scan that took a snapshot sees exactly
// one version, and an INSERT never blocks or disturbs it.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "common/data_chunk.h"
#include "common/hyperloglog.h"

namespace basalt {

class SegmentHandle;

// One version of a table's rows. Never modified once installed.
struct TableData {
  // In-memory tables: batches of at most kBatchSize rows.
  std::vector<std::shared_ptr<const DataChunk>> batches;
  // Managed tables: the visible segments (published, not overshadowed),
  // ordered by time chunk, then version and partition number.
  std::vector<std::shared_ptr<SegmentHandle>> segments;
  idx_t row_count = 0;
};

class DataTable {
 public:
  explicit DataTable(std::vector<LogicalType> types);

  const std::vector<LogicalType>& types() const { return types_; }
  std::shared_ptr<const TableData> Snapshot() const;
  idx_t RowCount() const;
  // Estimated number of distinct non-NULL values in a column (from the
  // HyperLogLog sketches every write keeps up to date; for the optimizer).
  double DistinctCount(idx_t column) const;
  std::vector<HyperLogLog> Sketches() const;

  // In-memory tables: appends (copies of) `chunks` as one new version, or
  // replaces every row with them, merging `added` into the sketches (or
  // replacing them).
  // Full batches are taken over as they are, the others copied.
  void CommitBatches(std::vector<DataChunk> chunks, const std::vector<HyperLogLog>& added,
                     bool replace);
  // Appends rows as one new version, updating the sketches: for tables
  // filled at once (system tables, generate_series). Each call copies the
  // list of batches, so call it once, not per batch.
  void AppendAll(std::vector<DataChunk> chunks);
  // AppendAll of one chunk (tests).
  void Append(const DataChunk& chunk);
  // Whether the rows are segments of the warehouse (a managed table), even
  // while it has none: such a table can be read by a cluster's executors.
  bool managed() const { return managed_.load(std::memory_order_acquire); }
  void MarkManaged() { managed_.store(true, std::memory_order_release); }
  // Managed tables: installs the next version and the sketches that go with
  // it (and marks the table managed).
  void Install(std::shared_ptr<const TableData> data, std::vector<HyperLogLog> sketches);
  // ANALYZE: replaces the sketches with ones computed from `scanned`, unless
  // a write installed another version since (then its rows would be missing
  // from them, so the current sketches, which include them, stay). Returns
  // whether they were replaced.
  bool ReplaceSketches(const std::shared_ptr<const TableData>& scanned,
                       std::vector<HyperLogLog> sketches);

 private:
  std::vector<LogicalType> types_;
  mutable std::mutex mutex_;  // guards data_ and sketches_
  std::shared_ptr<const TableData> data_;
  std::vector<HyperLogLog> sketches_;  // one per column
  std::atomic<bool> managed_{false};
};

// Adds the hashes of every non-NULL value of `chunk` to `sketches` (one per column).
void AddToSketches(const DataChunk& chunk, std::vector<HyperLogLog>* sketches);

}  // namespace basalt
