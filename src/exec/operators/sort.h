// ORDER BY: materializes its whole input, sorts it, and emits it in order.
//
// Output columns are the input columns. Keys are evaluated once per row and
// kept next to the rows (plain column keys are not copied twice); row ids
// are sorted key by key with type-specialized comparators (sort_rows.h) and
// the output gathered a batch at a time in that order. Equal keys come out
// in no particular order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/operators/sort_key.h"
#include "exec/physical_node.h"

namespace basalt {

class SortNode : public PhysicalNode {
 public:
  std::vector<SortKey> keys;

  std::string Name() const override { return "Sort"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

// "#0 DESC NULLS FIRST, #2" for EXPLAIN.
std::string SortKeysToString(const std::vector<SortKey>& keys);

}  // namespace basalt
