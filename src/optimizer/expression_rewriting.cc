#include "optimizer/expression_rewriting.h"

#include <algorithm>

namespace basalt {

void CollectBindings(const Expression& expr, BindingSet& out) {
  VisitExpression(expr, [&](const Expression& e) {
    if (e.kind == ExprKind::kColumnRef) out.insert(e.binding);
  });
}

BindingSet ReferencedBindings(const Expression& expr) {
  BindingSet out;
  CollectBindings(expr, out);
  return out;
}

bool CoveredBy(const BindingSet& needed, const BindingSet& available) {
  return std::includes(available.begin(), available.end(), needed.begin(), needed.end());
}

BindingSet ToSet(const std::vector<ColumnBinding>& bindings) {
  return BindingSet(bindings.begin(), bindings.end());
}

bool IsDeterministic(const Expression& expr) {
  bool deterministic = true;
  VisitExpression(expr, [&](const Expression& e) {
    if (e.kind == ExprKind::kFunction && !e.function.deterministic) deterministic = false;
  });
  return deterministic;
}

void SplitConjunction(ExpressionPtr expr, std::vector<ExpressionPtr>& out) {
  if (expr->kind == ExprKind::kAnd) {
    for (auto& child : expr->children) SplitConjunction(std::move(child), out);
    return;
  }
  out.push_back(std::move(expr));
}

ExpressionPtr MakeConjunction(std::vector<ExpressionPtr> conjuncts) {
  if (conjuncts.empty()) return Expression::MakeConstant(Value::Boolean(true));
  if (conjuncts.size() == 1) return std::move(conjuncts[0]);
  return Expression::MakeBoolean(ExprKind::kAnd, std::move(conjuncts));
}

void SubstituteBindings(ExpressionPtr& expr,
                        const std::map<ColumnBinding, const Expression*>& map) {
  if (expr->kind == ExprKind::kColumnRef) {
    auto it = map.find(expr->binding);
    if (it != map.end()) {
      std::string alias = expr->alias;
      expr = it->second->Copy();
      // Keep the name the user wrote, for EXPLAIN and result column names.
      if (!alias.empty()) expr->alias = alias;
    }
    return;
  }
  for (auto& child : expr->children) SubstituteBindings(child, map);
}

void RenameBindings(Expression& expr, const BindingMap& map) {
  if (map.empty()) return;
  VisitExpressionMutable(expr, [&](Expression& e) {
    if (e.kind != ExprKind::kColumnRef) return;
    auto it = map.find(e.binding);
    if (it != map.end()) e.binding = it->second;
  });
}

const std::string& ComparisonName(const Expression& expr) {
  static const std::string kNone;
  if (expr.kind != ExprKind::kFunction || expr.children.size() != 2) return kNone;
  const std::string& name = expr.function.name;
  if (name == "=" || name == "<>" || name == "<" || name == ">" || name == "<=" || name == ">=") {
    return name;
  }
  return kNone;
}

bool IsBooleanConstant(const Expression& expr, bool value) {
  return expr.kind == ExprKind::kConstant && !expr.constant.IsNull() &&
         expr.constant.type().id() == TypeId::kBoolean && expr.constant.GetBool() == value;
}

bool IsFalseOrNull(const Expression& expr) {
  return expr.kind == ExprKind::kConstant &&
         (expr.constant.IsNull() || IsBooleanConstant(expr, false));
}

void ForEachExpression(LogicalOperator& op, const std::function<void(ExpressionPtr&)>& f) {
  switch (op.type) {
    case LogicalOperatorType::kGet:
      for (auto& e : static_cast<LogicalGet&>(op).filters) f(e);
      break;
    case LogicalOperatorType::kValues:
      for (auto& row : static_cast<LogicalValues&>(op).rows) {
        for (auto& e : row) f(e);
      }
      break;
    case LogicalOperatorType::kFilter:
      for (auto& e : static_cast<LogicalFilter&>(op).conditions) f(e);
      break;
    case LogicalOperatorType::kProjection:
      for (auto& e : static_cast<LogicalProjection&>(op).expressions) f(e);
      break;
    case LogicalOperatorType::kAggregate: {
      auto& agg = static_cast<LogicalAggregate&>(op);
      for (auto& e : agg.groups) f(e);
      for (auto& call : agg.aggregates) {
        for (auto& e : call.args) f(e);
        if (call.filter) f(call.filter);
      }
      break;
    }
    case LogicalOperatorType::kJoin:
      for (auto& e : static_cast<LogicalJoin&>(op).conditions) f(e);
      break;
    case LogicalOperatorType::kOrder:
      for (auto& key : static_cast<LogicalOrder&>(op).keys) f(key.expr);
      break;
    case LogicalOperatorType::kWindow: {
      auto& window = static_cast<LogicalWindow&>(op);
      for (auto& e : window.partition_by) f(e);
      for (auto& key : window.order_by) f(key.expr);
      for (auto& call : window.calls) {
        for (auto& e : call.args) f(e);
      }
      break;
    }
    case LogicalOperatorType::kFileScan:
    case LogicalOperatorType::kLimit:
    case LogicalOperatorType::kSetOperation:
      break;
  }
}

uint32_t MaxTableIndex(const LogicalOperator& op) {
  uint32_t max_index = 0;
  switch (op.type) {
    case LogicalOperatorType::kGet:
      max_index = static_cast<const LogicalGet&>(op).table_index;
      break;
    case LogicalOperatorType::kFileScan:
      max_index = static_cast<const LogicalFileScan&>(op).table_index;
      break;
    case LogicalOperatorType::kValues:
      max_index = static_cast<const LogicalValues&>(op).table_index;
      break;
    case LogicalOperatorType::kProjection:
      max_index = static_cast<const LogicalProjection&>(op).table_index;
      break;
    case LogicalOperatorType::kAggregate: {
      const auto& agg = static_cast<const LogicalAggregate&>(op);
      max_index = std::max(agg.group_index, agg.aggregate_index);
      break;
    }
    case LogicalOperatorType::kSetOperation:
      max_index = static_cast<const LogicalSetOperation&>(op).table_index;
      break;
    case LogicalOperatorType::kWindow:
      for (const auto& call : static_cast<const LogicalWindow&>(op).calls) {
        max_index = std::max(max_index, call.table_index);
      }
      break;
    default:
      break;
  }
  for (const auto& child : op.children) max_index = std::max(max_index, MaxTableIndex(*child));
  return max_index;
}

}  // namespace basalt
