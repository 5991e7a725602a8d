#include "optimizer/constant_folding.h"

#include "common/exception.h"
#include "exec/expression_executor.h"
#include "optimizer/expression_rewriting.h"

namespace basalt {

namespace {

ExpressionPtr MakeBoolean(bool value, const std::string& alias) {
  ExpressionPtr e = Expression::MakeConstant(Value::Boolean(value));
  e->alias = alias;
  return e;
}

// `x AND TRUE` -> x, `x AND FALSE` -> FALSE, and the same for OR with the
// roles swapped. NULL operands stay: `x AND NULL` is FALSE or NULL depending
// on x.
ExpressionPtr SimplifyAndOr(ExpressionPtr expr) {
  const bool is_and = expr->kind == ExprKind::kAnd;
  // The identity element of the operator, and the value that decides it.
  const bool identity = is_and;
  const bool absorbing = !is_and;
  std::vector<ExpressionPtr> kept;
  for (auto& child : expr->children) {
    if (IsBooleanConstant(*child, absorbing)) return MakeBoolean(absorbing, expr->alias);
    if (IsBooleanConstant(*child, identity)) continue;
    kept.push_back(std::move(child));
  }
  if (kept.empty()) return MakeBoolean(identity, expr->alias);
  if (kept.size() == 1) {
    if (!expr->alias.empty()) kept[0]->alias = expr->alias;
    return std::move(kept[0]);
  }
  expr->children = std::move(kept);
  return expr;
}

// Folds the conjuncts of a filter-like list in place: TRUE conjuncts go, and
// a FALSE or NULL one replaces the whole list.
void FoldConjuncts(std::vector<ExpressionPtr>& conjuncts) {
  std::vector<ExpressionPtr> split;
  for (auto& c : conjuncts) SplitConjunction(FoldExpression(std::move(c)), split);
  std::vector<ExpressionPtr> kept;
  for (auto& c : split) {
    if (IsBooleanConstant(*c, true)) continue;
    if (IsFalseOrNull(*c)) {
      kept.clear();
      kept.push_back(std::move(c));
      break;
    }
    kept.push_back(std::move(c));
  }
  conjuncts = std::move(kept);
}

}  // namespace

ExpressionPtr FoldExpression(ExpressionPtr expr) {
  for (auto& child : expr->children) child = FoldExpression(std::move(child));
  switch (expr->kind) {
    case ExprKind::kConstant:
    case ExprKind::kColumnRef:
    case ExprKind::kInputRef:
    case ExprKind::kParameter:
      return expr;
    case ExprKind::kAnd:
    case ExprKind::kOr:
      expr = SimplifyAndOr(std::move(expr));
      break;
    default:
      break;
  }
  if (expr->IsConstant() || !expr->IsFoldable()) return expr;
  Value value;
  try {
    value = ExpressionExecutor::EvaluateConstant(*expr);
  } catch (const BasaltError&) {
    // Left for run time: the rows that would raise the error may never come.
    return expr;
  }
  if (value.IsNull()) {
    value = Value::Null(expr->type);
  } else if (value.type() != expr->type) {
    // Not expected; keeping the expression is always correct.
    return expr;
  }
  ExpressionPtr folded = Expression::MakeConstant(std::move(value));
  folded->alias = expr->alias;
  return folded;
}

void FoldConstants(LogicalOperatorPtr& plan) {
  for (auto& child : plan->children) FoldConstants(child);
  switch (plan->type) {
    case LogicalOperatorType::kFilter: {
      auto& filter = static_cast<LogicalFilter&>(*plan);
      FoldConjuncts(filter.conditions);
      // WHERE TRUE: the filter passes everything.
      if (filter.conditions.empty()) plan = std::move(plan->children[0]);
      return;
    }
    case LogicalOperatorType::kGet:
      FoldConjuncts(static_cast<LogicalGet&>(*plan).filters);
      return;
    case LogicalOperatorType::kJoin:
      FoldConjuncts(static_cast<LogicalJoin&>(*plan).conditions);
      return;
    case LogicalOperatorType::kAggregate: {
      auto& agg = static_cast<LogicalAggregate&>(*plan);
      for (auto& g : agg.groups) g = FoldExpression(std::move(g));
      for (auto& call : agg.aggregates) {
        for (auto& a : call.args) a = FoldExpression(std::move(a));
        if (call.filter) {
          call.filter = FoldExpression(std::move(call.filter));
          // FILTER (WHERE TRUE) counts every row, like no filter.
          if (IsBooleanConstant(*call.filter, true)) call.filter.reset();
        }
      }
      return;
    }
    default:
      ForEachExpression(*plan, [](ExpressionPtr& e) { e = FoldExpression(std::move(e)); });
      return;
  }
}

}  // namespace basalt
