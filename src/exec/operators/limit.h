// Limit: skips `offset` rows of its child, then passes on at most `limit`.
// Counts are per instance (a parallel fragment applies it to each instance's
// share; the planner adds a final single-instance limit above a gather). Once
// the limit is reached the child is no longer pulled, so the work below stops.
#pragma once

#include <memory>
#include <string>

#include "exec/physical_node.h"

namespace basalt {

inline constexpr idx_t kNoLimit = ~idx_t{0};

class LimitNode : public PhysicalNode {
 public:
  idx_t limit = kNoLimit;  // kNoLimit: only the offset applies
  idx_t offset = 0;

  std::string Name() const override { return "Limit"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

}  // namespace basalt
