// Projection: computes one output column per expression over each batch of
// its child. Column references pass the child's vectors through unchanged.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/expression.h"
#include "exec/physical_node.h"

namespace basalt {

class ProjectionNode : public PhysicalNode {
 public:
  std::vector<ExpressionPtr> expressions;

  std::string Name() const override { return "Projection"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

}  // namespace basalt
