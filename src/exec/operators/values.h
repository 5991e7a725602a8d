// Values: constant rows written in the query (VALUES lists, SELECT without
// FROM). The column types are PhysicalNode::types.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/value.h"
#include "exec/physical_node.h"

namespace basalt {

class ValuesNode : public PhysicalNode {
 public:
  std::vector<std::vector<Value>> rows;

  std::string Name() const override { return "Values"; }
  std::string Details() const override;
  // Only instance 0 emits the rows (in batches of at most kBatchSize); the
  // others finish at once, so a parallel fragment still yields each row once.
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

}  // namespace basalt
