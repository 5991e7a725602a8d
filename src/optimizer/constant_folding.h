// Constant folding: evaluates once, at plan time, every subexpression that
// reads no column and calls only deterministic functions, and simplifies
// AND / OR with constant operands and filters that are constantly TRUE.
//
// An error raised while folding (1/0, a bad cast) is not raised here: the
// subexpression is left as written and fails when, and only if, a row
// reaches it. So `SELECT 1/0 WHERE false` returns no row (as DuckDB; PostgreSQL
// raises the error) and folding never makes a query fail that would not fail
// otherwise.
#pragma once

#include "plan/logical_operator.h"

namespace basalt {

// Folds one expression tree.
ExpressionPtr FoldExpression(ExpressionPtr expr);

// Folds every expression of the plan; removes filters that are always TRUE
// (WHERE TRUE) and reduces a filter with a FALSE or NULL conjunct to that
// single conjunct (it passes no row, but the operator stays).
void FoldConstants(LogicalOperatorPtr& plan);

}  // namespace basalt
