// Filter: passes on the rows of its child's batches for which a predicate is
// TRUE (not FALSE, not NULL). Rows are not copied: the surviving rows become a
// selection over the child's vectors.
#pragma once

#include <memory>
#include <string>

#include "exec/expression.h"
#include "exec/expression_executor.h"
#include "exec/physical_node.h"

namespace basalt {

class FilterNode : public PhysicalNode {
 public:
  ExpressionPtr predicate;

  std::string Name() const override { return "Filter"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

// Narrows `chunk` to its rows for which `predicate` is TRUE and returns how
// many are left. The columns become views through a selection that the chunk
// owns, so the result stays valid after the next call (it may already sit in
// an exchange queue by then).
idx_t ApplyFilter(ExpressionExecutor& executor, const Expression& predicate, DataChunk& chunk);

}  // namespace basalt
