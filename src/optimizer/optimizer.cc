#include "optimizer/optimizer.h"

#include "optimizer/cardinality_estimator.h"
#include "optimizer/column_pruning.h"
#include "optimizer/constant_folding.h"
#include "optimizer/filter_pushdown.h"
#include "optimizer/join_order.h"
#include "optimizer/or_factoring.h"

namespace basalt {

LogicalOperatorPtr Optimize(LogicalOperatorPtr plan) {
  FoldConstants(plan);
  FactorOrConditions(*plan);
  plan = PushDownFilters(std::move(plan));
  // After push-down, so columns read only by filters that moved into scans
  // are still seen as used.
  PruneColumns(*plan);
  DistinctCountsScope counts(CollectDistinctCounts(*plan));
  plan = ReorderJoins(std::move(plan));
  EstimateCardinality(*plan);
  return plan;
}

}  // namespace basalt
