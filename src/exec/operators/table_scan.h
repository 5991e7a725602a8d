// TableScan: reads an in-memory table (DataTable) in parallel.
//
// All instances of the node share one snapshot of the table's batches and an
// atomic cursor into it; each instance takes the next batch (morsel) when it
// needs one, so a fast instance simply takes more. Output columns reference
// the stored vectors (no copy); a pushed-down filter then narrows them with a
// selection.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "exec/expression.h"
#include "exec/physical_node.h"

namespace basalt {

class TableScanNode : public PhysicalNode {
 public:
  std::shared_ptr<TableEntry> table;
  // Stored columns to output, in output order.
  std::vector<idx_t> column_ids;
  // Nullable; over the scan's output columns (kInputRef i is column_ids[i]).
  ExpressionPtr filter;

  std::string Name() const override { return "TableScan"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
  // The snapshot is taken here, once per query, so every instance sees the
  // same rows however INSERTs interleave with the scan.
  std::shared_ptr<void> CreateSharedState(QueryContext& query) const override;
};

}  // namespace basalt
