// The columns a scan of files read in place adds after the files' own:
// one per Hive partition key (storage/hive_partitioning.h), then `filename`.
// Their values are the same for every row of a file, so they are produced
// as constant vectors and a filter on them alone can skip whole files
// (docs/storage.md, "Files read in place"). Shared by FileScan, ParquetScan
// and JsonScan; immutable once built, so safe to share between threads.
#pragma once

#include <atomic>
#include <memory>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "common/value.h"
#include "exec/expression.h"
#include "exec/query_context.h"

namespace basalt {

struct FileVirtualColumns {
  // Scan column numbers below this are the files' own columns; virtual
  // column k is column file_column_count + k.
  idx_t file_column_count = 0;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  // values[f][k]: virtual column k for file f.
  std::vector<std::vector<Value>> values;

  bool IsVirtual(idx_t column) const { return column >= file_column_count; }
  // A constant vector holding column `column`'s value for file `file`.
  Vector MakeVector(size_t file, idx_t column) const;
  // The scan's output for `column_ids` from what a reader read of file
  // `file` (its FileColumnIds, in order) plus the virtual columns.
  DataChunk AddTo(DataChunk read, size_t file, const std::vector<idx_t>& column_ids) const;
};

// " columns: a, b, year" for EXPLAIN: names of the files' columns, then of
// the virtual ones (nullable).
std::string DescribeScanColumns(const std::vector<idx_t>& column_ids,
                                const std::vector<std::string>& file_column_names,
                                const FileVirtualColumns* virtual_columns);

// Builds the virtual columns for `files`, or returns null when there are
// none. `hive_partitioning` unset means auto-detection: partition columns
// are added when every file has the same, non-empty list of keys. Set to
// true, files whose keys differ raise 22023. A virtual column named like a
// file column raises 42701.
std::shared_ptr<const FileVirtualColumns> BuildFileVirtualColumns(
    const std::vector<std::string>& files, const std::vector<std::string>& file_column_names,
    std::optional<bool> hive_partitioning, bool filename);

// The files' own columns among `column_ids`, in order: what a reader reads.
std::vector<idx_t> FileColumnIds(const std::vector<idx_t>& column_ids,
                                 const FileVirtualColumns& columns);

// Which files can hold rows that pass `filter` (nullable; over the scan's
// output columns, kInputRef i being column_ids[i]): only the conjuncts that
// reference virtual columns alone (and no non-deterministic function) are
// evaluated, once per file, so a file is skipped only when such a conjunct
// is FALSE or NULL for all its rows.
std::vector<bool> FilesMatchingFilter(const Expression* filter, const std::vector<idx_t>& column_ids,
                                      const std::vector<LogicalType>& output_types,
                                      const FileVirtualColumns* columns, size_t file_count);

// The files a scan reads, one at a time per instance: those the filter does
// not prune (FilesMatchingFilter), taken through a shared cursor.
struct FileQueue {
  std::vector<size_t> files;  // read-only once built
  uint64_t pruned = 0;
  std::atomic<size_t> next{0};

  // The next file's index, or false when every file has been taken.
  bool Take(size_t* file) {
    size_t i = next.fetch_add(1, std::memory_order_relaxed);
    if (i >= files.size()) return false;
    *file = files[i];
    return true;
  }
};

std::shared_ptr<FileQueue> MakeFileQueue(const Expression* filter,
                                         const std::vector<idx_t>& column_ids,
                                         const std::vector<LogicalType>& output_types,
                                         const FileVirtualColumns* columns, size_t file_count);

// In a cluster, keeps only the files of `queue` this node reads: whole files
// are the ranges CSV and JSON scans split between nodes, assigned by their
// paths (ScanShare); a node may still split its own files between its
// instances. Call before the queue is shared.
void KeepScanShare(FileQueue& queue, const std::vector<std::string>& paths,
                   const ScanShare& share);

}  // namespace basalt
