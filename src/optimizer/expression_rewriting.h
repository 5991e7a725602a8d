// Small expression helpers shared by the optimizer's rules: which columns an
// expression reads, splitting and rebuilding conjunctions, and substituting
// one column for another expression.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <vector>

#include "exec/expression.h"
#include "plan/logical_operator.h"

namespace basalt {

using BindingSet = std::set<ColumnBinding>;
// Old binding -> new binding, for rules that renumber an operator's output.
using BindingMap = std::map<ColumnBinding, ColumnBinding>;

// Adds every binding `expr` references to `out`.
void CollectBindings(const Expression& expr, BindingSet& out);
BindingSet ReferencedBindings(const Expression& expr);

// True when every binding of `needed` is in `available`.
bool CoveredBy(const BindingSet& needed, const BindingSet& available);
BindingSet ToSet(const std::vector<ColumnBinding>& bindings);

// False when a non-deterministic function (random(), now()) appears: such an
// expression must be evaluated exactly where and as often as written.
bool IsDeterministic(const Expression& expr);

// Moves the conjuncts of `expr` (flattening nested ANDs) into `out`.
void SplitConjunction(ExpressionPtr expr, std::vector<ExpressionPtr>& out);
// TRUE for no conjuncts, the conjunct itself for one, else an AND.
ExpressionPtr MakeConjunction(std::vector<ExpressionPtr> conjuncts);

// Replaces every column reference to a binding in `map` by a copy of the
// mapped expression.
void SubstituteBindings(ExpressionPtr& expr, const std::map<ColumnBinding, const Expression*>& map);
// Renames column references found in `map`.
void RenameBindings(Expression& expr, const BindingMap& map);

// The comparison name `a op b` (=, <, ...) when `expr` is such a call, else "".
const std::string& ComparisonName(const Expression& expr);
bool IsBooleanConstant(const Expression& expr, bool value);
// A constant that is NULL or FALSE: a filter on it passes no row.
bool IsFalseOrNull(const Expression& expr);

// Calls `f` on every expression an operator holds (not its children's):
// conditions, projections, groups, aggregate arguments and filters, order keys,
// VALUES rows, scan filters.
void ForEachExpression(LogicalOperator& op, const std::function<void(ExpressionPtr&)>& f);

// The largest table index any operator in the tree defines; rules that add
// operators take fresh indexes above it.
uint32_t MaxTableIndex(const LogicalOperator& op);

}  // namespace basalt
