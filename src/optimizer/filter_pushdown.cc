#include "optimizer/filter_pushdown.h"

#include <map>

#include "optimizer/expression_rewriting.h"

namespace basalt {

namespace {

using Filters = std::vector<ExpressionPtr>;

LogicalOperatorPtr Push(LogicalOperatorPtr op, Filters filters);

// Puts the filters that could go no further directly above `op`.
LogicalOperatorPtr Wrap(LogicalOperatorPtr op, Filters filters) {
  if (filters.empty()) return op;
  auto filter = std::make_unique<LogicalFilter>();
  filter->conditions = std::move(filters);
  filter->estimated_rows = -1;
  filter->children.push_back(std::move(op));
  return filter;
}

// Pushing stops at `op`: its children start afresh.
LogicalOperatorPtr Stop(LogicalOperatorPtr op, Filters filters) {
  for (auto& child : op->children) child = Push(std::move(child), {});
  return Wrap(std::move(op), std::move(filters));
}

LogicalOperatorPtr PushFilter(LogicalOperatorPtr op, Filters filters) {
  auto& filter = static_cast<LogicalFilter&>(*op);
  // This filter's conditions come first: they were applied before the ones
  // arriving from above, which may rely on them (x <> 0 below 10 / x > 1),
  // and scans and joins evaluate their conjuncts in order.
  Filters down;
  Filters stay;
  for (auto& condition : filter.conditions) {
    Filters conjuncts;
    SplitConjunction(std::move(condition), conjuncts);
    for (auto& c : conjuncts) {
      if (IsDeterministic(*c)) {
        down.push_back(std::move(c));
      } else {
        stay.push_back(std::move(c));
      }
    }
  }
  for (auto& f : filters) down.push_back(std::move(f));
  return Wrap(Push(std::move(op->children[0]), std::move(down)), std::move(stay));
}

LogicalOperatorPtr PushProjection(LogicalOperatorPtr op, Filters filters) {
  auto& projection = static_cast<LogicalProjection&>(*op);
  std::map<ColumnBinding, const Expression*> substitutes;
  for (size_t i = 0; i < projection.expressions.size(); i++) {
    const Expression& e = *projection.expressions[i];
    if (IsDeterministic(e)) {
      substitutes[ColumnBinding{projection.table_index, static_cast<uint32_t>(i)}] = &e;
    }
  }
  Filters down;
  Filters stay;
  for (auto& f : filters) {
    bool pushable = true;
    for (const ColumnBinding& b : ReferencedBindings(*f)) {
      if (!substitutes.count(b)) pushable = false;
    }
    if (pushable) {
      SubstituteBindings(f, substitutes);
      down.push_back(std::move(f));
    } else {
      stay.push_back(std::move(f));
    }
  }
  op->children[0] = Push(std::move(op->children[0]), std::move(down));
  return Wrap(std::move(op), std::move(stay));
}

LogicalOperatorPtr PushJoin(LogicalOperatorPtr op, Filters filters) {
  auto& join = static_cast<LogicalJoin&>(*op);
  const BindingSet left = ToSet(join.children[0]->GetColumnBindings());
  const BindingSet right = ToSet(join.children[1]->GetColumnBindings());
  const LogicalJoinType type = join.join_type;
  const bool inner = type == LogicalJoinType::kInner || type == LogicalJoinType::kCross;

  // Which sides may receive WHERE conjuncts, and which may receive one-sided
  // conjuncts of the ON condition.
  const bool where_left = inner || type == LogicalJoinType::kLeft ||
                          type == LogicalJoinType::kSemi || type == LogicalJoinType::kAnti;
  const bool where_right = inner || type == LogicalJoinType::kRight;
  const bool on_left = inner || type == LogicalJoinType::kRight || type == LogicalJoinType::kSemi;
  const bool on_right = inner || type == LogicalJoinType::kLeft || type == LogicalJoinType::kSemi ||
                        type == LogicalJoinType::kAnti;

  // The ON conditions first, then WHERE: conjuncts keep the order they were
  // applied in (see PushFilter).
  Filters left_filters;
  Filters right_filters;
  Filters stay;
  Filters conditions;
  for (auto& condition : join.conditions) SplitConjunction(std::move(condition), conditions);
  join.conditions.clear();
  for (auto& c : conditions) {
    BindingSet refs = ReferencedBindings(*c);
    if (refs.empty() || !IsDeterministic(*c)) {
      join.conditions.push_back(std::move(c));
    } else if (on_left && CoveredBy(refs, left)) {
      left_filters.push_back(std::move(c));
    } else if (on_right && CoveredBy(refs, right)) {
      right_filters.push_back(std::move(c));
    } else {
      join.conditions.push_back(std::move(c));
    }
  }
  for (auto& f : filters) {
    BindingSet refs = ReferencedBindings(*f);
    if (where_left && CoveredBy(refs, left)) {
      left_filters.push_back(std::move(f));
    } else if (where_right && CoveredBy(refs, right)) {
      right_filters.push_back(std::move(f));
    } else if (inner && !refs.empty() && CoveredBy(refs, ToSet(join.GetColumnBindings()))) {
      join.conditions.push_back(std::move(f));
    } else {
      stay.push_back(std::move(f));
    }
  }
  if (type == LogicalJoinType::kCross && !join.conditions.empty()) {
    join.join_type = LogicalJoinType::kInner;
  }
  join.children[0] = Push(std::move(join.children[0]), std::move(left_filters));
  join.children[1] = Push(std::move(join.children[1]), std::move(right_filters));
  return Wrap(std::move(op), std::move(stay));
}

LogicalOperatorPtr PushAggregate(LogicalOperatorPtr op, Filters filters) {
  auto& agg = static_cast<LogicalAggregate&>(*op);
  if (agg.groups.empty()) return Stop(std::move(op), std::move(filters));
  std::map<ColumnBinding, const Expression*> substitutes;
  for (size_t i = 0; i < agg.groups.size(); i++) {
    if (IsDeterministic(*agg.groups[i])) {
      substitutes[ColumnBinding{agg.group_index, static_cast<uint32_t>(i)}] = agg.groups[i].get();
    }
  }
  Filters down;
  Filters stay;
  for (auto& f : filters) {
    bool pushable = true;
    for (const ColumnBinding& b : ReferencedBindings(*f)) {
      if (!substitutes.count(b)) pushable = false;
    }
    if (pushable) {
      SubstituteBindings(f, substitutes);
      down.push_back(std::move(f));
    } else {
      stay.push_back(std::move(f));
    }
  }
  op->children[0] = Push(std::move(op->children[0]), std::move(down));
  return Wrap(std::move(op), std::move(stay));
}

LogicalOperatorPtr PushGet(LogicalOperatorPtr op, Filters filters) {
  auto& get = static_cast<LogicalGet&>(*op);
  const BindingSet columns = ToSet(get.GetColumnBindings());
  Filters stay;
  for (auto& f : filters) {
    if (CoveredBy(ReferencedBindings(*f), columns)) {
      get.filters.push_back(std::move(f));
    } else {
      stay.push_back(std::move(f));
    }
  }
  return Wrap(std::move(op), std::move(stay));
}

// UNION [ALL]: a row passes the filter above iff it passes it in the child it
// comes from, so each child gets a copy written over its own columns.
LogicalOperatorPtr PushSetOperation(LogicalOperatorPtr op, Filters filters) {
  auto& set = static_cast<LogicalSetOperation&>(*op);
  if (set.kind != SetOperationKind::kUnion) return Stop(std::move(op), std::move(filters));
  for (auto& child : set.children) {
    std::vector<ColumnBinding> bindings = child->GetColumnBindings();
    std::vector<LogicalType> types = child->GetTypes();
    std::vector<ExpressionPtr> refs;
    std::map<ColumnBinding, const Expression*> substitutes;
    for (size_t i = 0; i < bindings.size(); i++) {
      refs.push_back(Expression::MakeColumnRef(bindings[i], types[i]));
      substitutes[ColumnBinding{set.table_index, static_cast<uint32_t>(i)}] = refs.back().get();
    }
    Filters copies;
    for (const auto& f : filters) {
      ExpressionPtr copy = f->Copy();
      SubstituteBindings(copy, substitutes);
      copies.push_back(std::move(copy));
    }
    child = Push(std::move(child), std::move(copies));
  }
  return op;
}

LogicalOperatorPtr Push(LogicalOperatorPtr op, Filters filters) {
  switch (op->type) {
    case LogicalOperatorType::kFilter:
      return PushFilter(std::move(op), std::move(filters));
    case LogicalOperatorType::kProjection:
      return PushProjection(std::move(op), std::move(filters));
    case LogicalOperatorType::kJoin:
      return PushJoin(std::move(op), std::move(filters));
    case LogicalOperatorType::kAggregate:
      return PushAggregate(std::move(op), std::move(filters));
    case LogicalOperatorType::kGet:
      return PushGet(std::move(op), std::move(filters));
    case LogicalOperatorType::kOrder:
      // Filtering sorted rows keeps them sorted.
      op->children[0] = Push(std::move(op->children[0]), std::move(filters));
      return op;
    case LogicalOperatorType::kSetOperation:
      return PushSetOperation(std::move(op), std::move(filters));
    case LogicalOperatorType::kLimit:
    case LogicalOperatorType::kFileScan:
    case LogicalOperatorType::kValues:
    case LogicalOperatorType::kWindow:  // a filter below would change the partitions' rows
      return Stop(std::move(op), std::move(filters));
  }
  return Stop(std::move(op), std::move(filters));
}

}  // namespace

LogicalOperatorPtr PushDownFilters(LogicalOperatorPtr plan) { return Push(std::move(plan), {}); }

}  // namespace basalt
