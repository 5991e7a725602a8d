#include "optimizer/optimizer.h"

#include "optimizer/cardinality_estimator.h"
#include "optimizer/column_pruning.h"
#include "optimizer/constant_folding.h"
#include "optimizer/filter_pushdown.h"
#include "optimizer/join_order.h"

namespace basalt {

LogicalOperatorPtr Optimize(LogicalOperatorPtr plan) {
  FoldConstants(plan);
  plan = PushDownFilters(std::move(plan));
  // After push-down, so columns read only by filters that moved into scans
  // are still seen as used.
  PruneColumns(*plan);
  plan = ReorderJoins(std::move(plan));
  EstimateCardinality(*plan);
  return plan;
}

}  // namespace basalt
