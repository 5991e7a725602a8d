// UnionAll: every row of every child (all with the same column types), in no
// particular order. A child that is blocked does not hold up the others: the
// operator moves on to the next child that has rows.
#pragma once

#include <memory>
#include <string>

#include "exec/physical_node.h"

namespace basalt {

class UnionAllNode : public PhysicalNode {
 public:
  std::string Name() const override { return "UnionAll"; }
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

}  // namespace basalt
