#include "optimizer/column_pruning.h"

#include "optimizer/expression_rewriting.h"

namespace basalt {

namespace {

// Prunes `op`'s subtree given the bindings its parent reads (`all`: every
// column of `op` is read). Returns how `op`'s output bindings were renamed;
// the caller renames its own references with it.
BindingMap Prune(LogicalOperator& op, const BindingSet& required, bool all);

void AddExpressionBindings(LogicalOperator& op, BindingSet& out) {
  ForEachExpression(op, [&](ExpressionPtr& e) { CollectBindings(*e, out); });
}

void RenameAll(LogicalOperator& op, const BindingMap& map) {
  ForEachExpression(op, [&](ExpressionPtr& e) { RenameBindings(*e, map); });
}

// The index of the narrowest column, for scans whose columns are all unread.
size_t NarrowestColumn(const std::vector<LogicalType>& types) {
  size_t best = 0;
  for (size_t i = 1; i < types.size(); i++) {
    bool best_string = types[best].physical() == PhysicalType::kString;
    bool is_string = types[i].physical() == PhysicalType::kString;
    if ((best_string && !is_string) ||
        (best_string == is_string && types[i].ValueSize() < types[best].ValueSize())) {
      best = i;
    }
  }
  return best;
}

// Keeps the ids whose binding is read; `column_types[id]` is each id's type.
void PruneScanColumns(uint32_t table_index, std::vector<idx_t>& column_ids,
                      const std::vector<LogicalType>& column_types, const BindingSet& required) {
  std::vector<idx_t> kept;
  for (idx_t id : column_ids) {
    if (required.count(ColumnBinding{table_index, static_cast<uint32_t>(id)})) kept.push_back(id);
  }
  if (kept.empty() && !column_ids.empty()) {
    std::vector<LogicalType> types;
    for (idx_t id : column_ids) types.push_back(column_types[id]);
    kept.push_back(column_ids[NarrowestColumn(types)]);
  }
  column_ids = std::move(kept);
}

BindingMap PruneGet(LogicalGet& get, BindingSet required, bool all) {
  if (all) return {};
  for (const auto& f : get.filters) CollectBindings(*f, required);
  PruneScanColumns(get.table_index, get.column_ids, get.table->Types(), required);
  return {};
}

BindingMap PruneFileScan(LogicalFileScan& scan, const BindingSet& required, bool all) {
  if (!all) PruneScanColumns(scan.table_index, scan.column_ids, scan.types, required);
  return {};
}

// Operators whose output is their child's (filter, order, limit).
BindingMap PrunePassThrough(LogicalOperator& op, BindingSet required, bool all) {
  AddExpressionBindings(op, required);
  BindingMap map = Prune(*op.children[0], required, all);
  RenameAll(op, map);
  return map;
}

BindingMap PruneProjection(LogicalProjection& projection, const BindingSet& required, bool all) {
  BindingMap renamed;
  if (!all) {
    std::vector<ExpressionPtr> kept;
    for (size_t i = 0; i < projection.expressions.size(); i++) {
      ColumnBinding old{projection.table_index, static_cast<uint32_t>(i)};
      if (!required.count(old)) continue;
      ColumnBinding now{projection.table_index, static_cast<uint32_t>(kept.size())};
      if (!(old == now)) renamed[old] = now;
      kept.push_back(std::move(projection.expressions[i]));
    }
    // A projection without columns would lose its row count; keep the first.
    if (kept.empty() && !projection.expressions.empty()) {
      kept.push_back(std::move(projection.expressions[0]));
    }
    projection.expressions = std::move(kept);
  }
  BindingSet child_required;
  AddExpressionBindings(projection, child_required);
  RenameAll(projection, Prune(*projection.children[0], child_required, false));
  return renamed;
}

BindingMap PruneAggregate(LogicalAggregate& agg, const BindingSet& required, bool all) {
  BindingMap renamed;
  if (!all) {
    std::vector<LogicalAggregateCall> kept;
    for (size_t i = 0; i < agg.aggregates.size(); i++) {
      ColumnBinding old{agg.aggregate_index, static_cast<uint32_t>(i)};
      if (!required.count(old)) continue;
      ColumnBinding now{agg.aggregate_index, static_cast<uint32_t>(kept.size())};
      if (!(old == now)) renamed[old] = now;
      kept.push_back(std::move(agg.aggregates[i]));
    }
    // A global aggregate with no column at all would be a zero-column row.
    if (kept.empty() && agg.groups.empty() && !agg.aggregates.empty()) {
      kept.push_back(std::move(agg.aggregates[0]));
    }
    agg.aggregates = std::move(kept);
  }
  BindingSet child_required;
  AddExpressionBindings(agg, child_required);
  RenameAll(agg, Prune(*agg.children[0], child_required, false));
  return renamed;
}

BindingMap PruneJoin(LogicalJoin& join, BindingSet required, bool all) {
  AddExpressionBindings(join, required);
  const bool right_is_output =
      join.join_type != LogicalJoinType::kSemi && join.join_type != LogicalJoinType::kAnti;
  BindingMap map = Prune(*join.children[0], required, all);
  BindingMap right_map = Prune(*join.children[1], required, all && right_is_output);
  map.insert(right_map.begin(), right_map.end());
  RenameAll(join, map);
  return map;
}

BindingMap Prune(LogicalOperator& op, const BindingSet& required, bool all) {
  switch (op.type) {
    case LogicalOperatorType::kGet:
      return PruneGet(static_cast<LogicalGet&>(op), required, all);
    case LogicalOperatorType::kFileScan:
      return PruneFileScan(static_cast<LogicalFileScan&>(op), required, all);
    case LogicalOperatorType::kFilter:
    case LogicalOperatorType::kOrder:
    case LogicalOperatorType::kLimit:
    case LogicalOperatorType::kWindow:  // its calls stay; the child keeps what they read
      return PrunePassThrough(op, required, all);
    case LogicalOperatorType::kProjection:
      return PruneProjection(static_cast<LogicalProjection&>(op), required, all);
    case LogicalOperatorType::kAggregate:
      return PruneAggregate(static_cast<LogicalAggregate&>(op), required, all);
    case LogicalOperatorType::kJoin:
      return PruneJoin(static_cast<LogicalJoin&>(op), required, all);
    case LogicalOperatorType::kValues:
      // VALUES rows are cheap; their columns stay.
      return {};
    case LogicalOperatorType::kSetOperation:
      // Whole rows are compared and output: every child column is used, and
      // the children's bindings never show above the set operation.
      for (auto& child : op.children) Prune(*child, {}, true);
      return {};
  }
  return {};
}

}  // namespace

void PruneColumns(LogicalOperator& plan) { Prune(plan, {}, true); }

}  // namespace basalt
