// Physical planning: turns an optimized logical plan into physical nodes and
// cuts it into fragments at exchanges (Drill's major fragments, Impala's
// plan fragments). See physical_planner_internal.h for the rules.
#pragma once

#include <string>
#include <vector>

#include "exec/fragment.h"
#include "plan/logical_operator.h"

namespace basalt {

// A hash join's build side estimated at no more rows than this is copied to
// every instance of the probe side (broadcast) instead of both sides being
// repartitioned on the keys. Broadcasting costs build × instances rows moved
// and hashed; repartitioning costs probe + build. In one process with a few
// instances, 100k rows (a few MB per copy) is well below the point where the
// copies cost more than moving a large probe side.
inline constexpr double kBroadcastRowLimit = 100000;

// Builds the fragments of `plan` (the optimizer's output; estimated_rows set)
// with `parallelism` instances for scans and repartitioned operators.
// `column_names` name the root's output columns. Throws 0A000 for INTERSECT
// and EXCEPT, which have no physical operator yet.
FragmentedPlan CreateFragmentedPlan(const LogicalOperator& plan, int parallelism,
                                    std::vector<std::string> column_names);

}  // namespace basalt
