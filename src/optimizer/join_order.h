// Join ordering: rebuilds each tree of inner joins and cross products
// greedily by estimated cardinality (a left-deep GOO-style heuristic).
//
// The relations under a maximal tree of inner / cross joins and all their
// conditions are collected. The first join is the connected pair with the
// smallest estimated result; then, while relations remain, the one connected
// by a condition to the joined set that gives the smallest intermediate
// result is added, and a cross product is taken only when no remaining
// relation is connected. Each condition is applied at the first join that
// has all the relations it reads. The smaller input of every join becomes its
// right child, the hash join's build side.
//
// Reordering changes the order of a join's output columns. Operators read
// columns by binding, so that is harmless except where columns are used by
// position: the plan's root and the children of a set operation. There a
// projection restores the original order.
#pragma once

#include "plan/logical_operator.h"

namespace basalt {

LogicalOperatorPtr ReorderJoins(LogicalOperatorPtr plan);

}  // namespace basalt
