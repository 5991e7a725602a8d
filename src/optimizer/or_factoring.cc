#include "optimizer/or_factoring.h"

#include "optimizer/expression_rewriting.h"

namespace basalt {

namespace {

// The conjuncts of one OR branch (the branch itself when it is not an AND).
std::vector<ExpressionPtr> Conjuncts(ExpressionPtr branch) {
  std::vector<ExpressionPtr> out;
  SplitConjunction(std::move(branch), out);
  return out;
}

}  // namespace

ExpressionPtr FactorOrConditions(ExpressionPtr expr) {
  for (auto& child : expr->children) child = FactorOrConditions(std::move(child));
  if (expr->kind != ExprKind::kOr || expr->children.size() < 2) return expr;

  std::vector<std::vector<ExpressionPtr>> branches;
  for (auto& child : expr->children) branches.push_back(Conjuncts(std::move(child)));
  // A conjunct of the first branch that every other branch has too.
  std::vector<ExpressionPtr> common;
  for (size_t i = 0; i < branches[0].size();) {
    const Expression& candidate = *branches[0][i];
    bool everywhere = IsDeterministic(candidate);
    std::vector<size_t> positions;
    for (size_t b = 1; everywhere && b < branches.size(); b++) {
      size_t found = branches[b].size();
      for (size_t j = 0; j < branches[b].size(); j++) {
        if (branches[b][j]->Equals(candidate)) {
          found = j;
          break;
        }
      }
      everywhere = found < branches[b].size();
      positions.push_back(found);
    }
    if (!everywhere) {
      i++;
      continue;
    }
    for (size_t b = 1; b < branches.size(); b++) {
      branches[b].erase(branches[b].begin() + static_cast<long>(positions[b - 1]));
    }
    common.push_back(std::move(branches[0][i]));
    branches[0].erase(branches[0].begin() + static_cast<long>(i));
  }
  // Rebuild: the OR of what is left of each branch. A branch left empty is
  // TRUE, which makes the whole OR true: only the common part remains.
  bool any_empty = false;
  std::vector<ExpressionPtr> rest;
  for (auto& branch : branches) {
    if (branch.empty()) any_empty = true;
    rest.push_back(MakeConjunction(std::move(branch)));
  }
  if (!any_empty) {
    common.push_back(Expression::MakeBoolean(ExprKind::kOr, std::move(rest)));
  }
  return MakeConjunction(std::move(common));
}

void FactorOrConditions(LogicalOperator& plan) {
  for (auto& child : plan.children) FactorOrConditions(*child);
  if (plan.type != LogicalOperatorType::kFilter && plan.type != LogicalOperatorType::kJoin) return;
  auto& conditions = plan.type == LogicalOperatorType::kFilter
                         ? static_cast<LogicalFilter&>(plan).conditions
                         : static_cast<LogicalJoin&>(plan).conditions;
  std::vector<ExpressionPtr> factored;
  for (auto& c : conditions) SplitConjunction(FactorOrConditions(std::move(c)), factored);
  conditions = std::move(factored);
}

}  // namespace basalt
