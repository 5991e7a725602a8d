// The plan serialization check (docs/cluster.md, "Plans on the wire"): with
// the environment variable BASALT_PLAN_ROUNDTRIP set to `binary` or `json`,
// every fragmented plan the statement executor makes is serialized
// (exec/serde/plan_serde.h), deserialized against this database's catalog,
// and the copy runs instead of the original. So every SQL test run with it
// on exercises the serde on real plans. The copy must also be the same plan:
// its EXPLAIN text must equal the original's, and every function in it must
// have bound again to the same kernel; a difference fails the statement with
// XX000 showing both.
//
// Unset (the default) or empty, nothing happens. Another value fails every
// query with 22023.
#pragma once

#include "exec/fragment.h"
#include "main/statement_executor.h"

namespace basalt {

void MaybeRoundTripPlan(FragmentedPlan& plan, StatementContext& ctx);

}  // namespace basalt
