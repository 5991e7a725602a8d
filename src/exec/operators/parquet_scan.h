// ParquetScan: reads Parquet files in parallel (docs/parquet.md). Row groups
// are the unit of work: every (file, row group) pair goes into one list, and
// the scan's instances take the next pair from a cursor they share, so a
// fast instance reads more row groups. Only the chunks of the output columns
// are read. Row groups whose column statistics rule out the filter's
// pruning predicates (storage/parquet/parquet_statistics.h) are skipped
// before any instance starts; counters row_groups_total and
// row_groups_pruned (reported by instance 0) show how many. Before that,
// whole files that a filter on the virtual columns rules out are dropped
// (counters files_total and files_pruned).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/expression.h"
#include "exec/operators/file_virtual_columns.h"
#include "exec/physical_node.h"
#include "storage/managed/scan_predicate.h"
#include "storage/parquet/parquet_reader.h"

namespace basalt {

class ParquetScanNode : public PhysicalNode {
 public:
  // Opened (footers decoded, schemas checked) when the query was bound.
  std::shared_ptr<const ParquetFileList> files;
  // Names and types of every column in the files, in file order.
  std::vector<std::string> names;
  std::vector<LogicalType> file_types;
  // Columns to output, in output order: file columns, then virtual ones.
  std::vector<idx_t> column_ids;
  // Nullable; over the scan's output columns (kInputRef i is column_ids[i]).
  ExpressionPtr filter;
  // Nullable: partition columns and filename, numbered after the files'.
  std::shared_ptr<const FileVirtualColumns> virtual_columns;

  std::string Name() const override { return "ParquetScan"; }
  bool IsScan() const override { return true; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
  std::shared_ptr<void> CreateSharedState(QueryContext& query) const override;
  // The filter's conjuncts that statistics can rule out (file column numbers).
  std::vector<ScanPredicate> PruningPredicates() const;
};

}  // namespace basalt
