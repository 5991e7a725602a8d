// The logical optimizer: rewrites a bound plan into an equivalent, cheaper
// one. Every rule keeps the results exactly as they were; an operator a rule
// does not understand is left as it is.
#pragma once

#include "plan/logical_operator.h"

namespace basalt {

// Runs, in order: constant folding, filter push-down, column pruning, join
// ordering, and finally cardinality estimation, which sets estimated_rows on
// every operator for the physical planner.
LogicalOperatorPtr Optimize(LogicalOperatorPtr plan);

}  // namespace basalt
