// FileScan: reads CSV files in parallel. Instances take the next unit of
// work from a queue shared by all of them, so a fast instance reads more: a
// whole file, or a byte range of a large one (FileRangeQueue, which finds
// cuts that respect quoted line feeds). Files that a filter on the virtual
// columns rules out are skipped (counters files_total and files_pruned,
// reported by instance 0; file_ranges counts the ranges of split files read).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/expression.h"
#include "exec/operators/file_ranges.h"
#include "exec/operators/file_virtual_columns.h"
#include "exec/physical_node.h"
#include "storage/csv_options.h"

namespace basalt {

class FileScanNode : public PhysicalNode {
 public:
  std::vector<std::string> files;
  std::shared_ptr<const CsvOptions> options;
  // Names and types of every column in the files, in file order.
  std::vector<std::string> names;
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

  std::string Name() const override { return "FileScan"; }
  bool IsScan() const override { return true; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
  std::shared_ptr<void> CreateSharedState(QueryContext& query) const override;
};

}  // namespace basalt
