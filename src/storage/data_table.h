// An in-memory table: immutable column batches appended under a lock.
// Readers take a snapshot (a list of shared batches) and scan it without any
// lock, so an INSERT never blocks or disturbs a running scan. Persistent
// segments replace this in the storage issue; the scan interface stays.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "common/data_chunk.h"
#include "common/hyperloglog.h"

namespace basalt {

class DataTable {
 public:
  explicit DataTable(std::vector<LogicalType> types)
      : types_(std::move(types)), distinct_(types_.size()) {}

  const std::vector<LogicalType>& types() const { return types_; }
  // Copies the rows in (they are owned by the table afterwards).
  void Append(const DataChunk& chunk);
  // Replaces all rows.
  void Truncate();
  std::vector<std::shared_ptr<const DataChunk>> Snapshot() const;
  idx_t RowCount() const;
  // Estimated number of distinct non-NULL values in a column (kept up to
  // date on every append with a HyperLogLog sketch; for the optimizer).
  double DistinctCount(idx_t column) const;

 private:
  std::vector<LogicalType> types_;
  // mutex_ guards batches_, row_count_ and distinct_. Batches are never modified once
  // published; a partial last batch is replaced by a fuller copy.
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const DataChunk>> batches_;
  idx_t row_count_ = 0;
  std::vector<HyperLogLog> distinct_;  // one per column
};

}  // namespace basalt
