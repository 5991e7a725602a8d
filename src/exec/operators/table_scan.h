// TableScan: reads a table (DataTable) in parallel.
//
// All instances of the node share one snapshot of the table and atomic
// cursors into it; each instance takes the next morsel when it needs one, so
// a fast instance simply takes more. In-memory tables: a morsel is a stored
// batch, whose vectors the output references (no copy); a pushed-down filter
// then narrows them with a selection. Managed tables: a morsel is a block of
// a segment, and the filter's simple conjuncts first skip whatever segments
// and blocks they can (segment_scan.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "exec/expression.h"
#include "exec/physical_node.h"
#include "storage/managed/scan_predicate.h"

namespace basalt {

class TableScanNode : public PhysicalNode {
 public:
  std::shared_ptr<TableEntry> table;
  // Stored columns to output, in output order.
  std::vector<idx_t> column_ids;
  // Nullable; over the scan's output columns (kInputRef i is column_ids[i]).
  ExpressionPtr filter;

  std::string Name() const override { return "TableScan"; }
  bool IsScan() const override { return true; }
  // The filter's conjuncts that can skip segments and blocks (EXPLAIN shows
  // them as "pruning: ..." for tables with segments).
  std::vector<ScanPredicate> PruningPredicates() const;
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
  // The snapshot is taken here, once per query, so every instance sees the
  // same rows however INSERTs interleave with the scan.
  std::shared_ptr<void> CreateSharedState(QueryContext& query) const override;
};

}  // namespace basalt
