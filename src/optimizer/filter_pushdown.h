// Predicate push-down: moves each conjunct of a filter as close to the data
// as it can go without changing the result, so fewer rows flow through the
// plan and joins find their equality conditions.
//
// - Filters are split into conjuncts. Conjuncts with a non-deterministic call
//   (random()) stay where they were written.
// - Through a projection, with the projection's expressions substituted for
//   its columns (when those are deterministic).
// - Through an inner or cross join, to the side whose columns cover the
//   conjunct; a conjunct over both sides becomes a join condition (so a cross
//   join with `a.x = b.y` above it becomes an inner join). One-sided join
//   conditions of an inner join move down the same way.
// - Left join: conjuncts over the left side go left; the right side only
//   receives the join's own right-only conditions (a WHERE on the right side
//   would also have to drop the NULL-extended rows). Right join mirrors it;
//   full join stops everything.
// - Semi / anti join: WHERE conjuncts go left; right-only conditions go right;
//   left-only conditions go left for semi joins only (for an anti join a false
//   condition keeps the row).
// - Through an aggregate when the conjunct reads only group columns (and the
//   aggregate has groups: HAVING false over a global aggregate still returns
//   no row, while WHERE false below it returns one).
// - Through ORDER BY and into both sides of UNION [ALL]; a LIMIT stops it.
// - Into a table scan's `filters`. Other leaves (file scans, VALUES) keep a
//   Filter above them; the physical planner fuses a Filter into the file scan.
#pragma once

#include "plan/logical_operator.h"

namespace basalt {

LogicalOperatorPtr PushDownFilters(LogicalOperatorPtr plan);

}  // namespace basalt
