// Join by trying every pair of rows: for cross joins and for conditions a
// hash join cannot use (no equality between the two sides).
//
// children[0] is the probe side (streamed), children[1] the build side
// (materialized first). Output: probe columns then build columns (NULLs for
// the missing side of outer joins); kSemi and kAnti output only the probe
// columns. A NULL condition pairs every row with every row. All join types
// are supported, kRight and kFull included; see join_operator.h.
#pragma once

#include <memory>
#include <string>

#include "exec/expression.h"
#include "exec/operators/join_type.h"
#include "exec/physical_node.h"

namespace basalt {

class NestedLoopJoinNode : public PhysicalNode {
 public:
  JoinType join_type = JoinType::kInner;
  ExpressionPtr condition;  // nullable (= cross); over probe columns followed by build columns

  std::string Name() const override { return "NestedLoopJoin"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

}  // namespace basalt
