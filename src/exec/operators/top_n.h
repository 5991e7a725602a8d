// ORDER BY ... LIMIT n OFFSET m without sorting everything: keeps only the
// best limit + offset rows and emits them in order, skipping the first
// `offset`.
//
// Rows are collected in a ColumnStore. Whenever it holds about twice the rows
// needed, it is sorted and cut back to the best limit + offset rows (a
// compaction; amortized O(log n) per row). Once it has been cut, its last row
// is a boundary: a row of a new batch that does not sort strictly before it
// cannot be in the result, so batches are filtered against it with typed,
// vectorized comparisons before anything is copied. Output columns are the
// input columns; ties come out in no particular order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/operators/sort_key.h"
#include "exec/physical_node.h"

namespace basalt {

class TopNNode : public PhysicalNode {
 public:
  std::vector<SortKey> keys;
  idx_t limit = 0;
  idx_t offset = 0;

  std::string Name() const override { return "TopN"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

}  // namespace basalt
