// Which plans a coordinator can hand to its executors today, and how many
// instances a partitioned fragment gets across them.
#pragma once

#include <vector>

#include "cluster/statestore.pb.h"
#include "exec/fragment.h"

namespace basalt::cluster {

// True when the plan scans something and every scan reads what executors can
// read too: tables that travel with the plan (range(), generate_series()),
// managed tables (the plan carries their segments, which executors read from
// the shared warehouse through their segment cache) and files (Parquet, CSV,
// JSON, and external tables over them). Catalog tables held in memory and
// system tables exist on the coordinator only; such plans run there.
bool CanRunOnExecutors(const FragmentedPlan& plan);

// Instances per partitioned fragment: one per query thread of every live
// executor, at most `max_slices` when it is positive, and at least two.
int ClusterParallelism(const std::vector<NodeInfo>& executors, int max_slices = 0);

}  // namespace basalt::cluster
