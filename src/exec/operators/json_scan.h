// JsonScan: reads read_json's files (storage/json) in parallel. Instances
// take the next unit of work from a queue shared by all of them, so a fast
// instance reads more: a whole file, or a range of lines of a large JSON
// lines file (FileRangeQueue; array files are never split). Only the
// output columns are converted; the other keys of each record are skipped.
// Files that a filter on the virtual columns rules out are never opened
// (counters files_total and files_pruned, reported by instance 0).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/expression.h"
#include "exec/operators/file_ranges.h"
#include "exec/operators/file_virtual_columns.h"
#include "exec/physical_node.h"

namespace basalt {

class JsonScanNode : public PhysicalNode {
 public:
  std::vector<std::string> files;
  // The JSON keys of every column of the files, in schema order (the SQL
  // names may differ when the query aliases the columns).
  std::vector<std::string> keys;
  std::vector<LogicalType> file_types;
  // Columns to output, in output order: file columns, then virtual ones.
  std::vector<idx_t> column_ids;
  // Nullable; over the scan's output columns (kInputRef i is column_ids[i]).
  ExpressionPtr filter;
  // Nullable: partition columns and filename, numbered after the files'.
  std::shared_ptr<const FileVirtualColumns> virtual_columns;
  // Bytes per range when splitting large files (FileRangeQueue): the
  // session's file_split_size, kAutomatic by default, 0 for never.
  int64_t split_size = FileRangeQueue::kAutomatic;

  std::string Name() const override { return "JsonScan"; }
  bool IsScan() const override { return true; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
  std::shared_ptr<void> CreateSharedState(QueryContext& query) const override;
};

}  // namespace basalt
