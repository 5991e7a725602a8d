// Pulls conjuncts that every branch of an OR shares out of it:
//   (a AND b AND x) OR (a AND b AND y)  ->  a AND b AND (x OR y)
// TPC-H Q19 writes its join key and common filters inside each branch; once
// factored out they become a hash-join key and pushed-down scan filters
// instead of a nested loop over the whole cross product. The rewrite is exact
// under three-valued logic (AND distributes over OR).
#pragma once

#include "plan/logical_operator.h"

namespace basalt {

// Factors one expression (recursively).
ExpressionPtr FactorOrConditions(ExpressionPtr expr);
// Factors every filter and join condition of the plan.
void FactorOrConditions(LogicalOperator& plan);

}  // namespace basalt
