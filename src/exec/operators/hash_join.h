// Equi-join by hashing the build side.
//
// children[0] is the probe side (streamed), children[1] the build side (read
// completely first and indexed by `build_keys`). Output: probe columns then
// build columns, with NULLs for the missing side of outer joins; kSemi and
// kAnti output only the probe columns. Keys are compared with equal types on
// both sides (the planner casts) and a NULL key never matches. The residual
// is the rest of the ON condition: a pair matches when its keys are equal and
// the residual is TRUE, so for outer joins a key match failing the residual
// is no match. kCross (or no keys at all) pairs every row with every row.
// See join_operator.h for how the join types are produced.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/expression.h"
#include "exec/operators/join_type.h"
#include "exec/physical_node.h"

namespace basalt {

class HashJoinNode : public PhysicalNode {
 public:
  JoinType join_type = JoinType::kInner;
  std::vector<ExpressionPtr> probe_keys;  // over children[0]
  std::vector<ExpressionPtr> build_keys;  // over children[1]
  ExpressionPtr residual;                 // nullable; over probe columns followed by build columns

  std::string Name() const override { return "HashJoin"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

}  // namespace basalt
