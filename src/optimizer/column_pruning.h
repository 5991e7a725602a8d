// Projection pruning: drops the columns no operator above reads, so scans
// read fewer columns and aggregates compute fewer values.
//
// - Table and file scans keep only the columns read above them or by their
//   own filters (at least one, so a scan still yields its rows for count(*)).
// - Projections drop unread expressions and aggregates unread aggregate calls
//   (never groups: they decide the rows). Both then renumber their outputs,
//   and the rule renames the references above them.
// - The root's columns are all used, and set operations use every column of
//   their children (they compare and output whole rows).
#pragma once

#include "plan/logical_operator.h"

namespace basalt {

void PruneColumns(LogicalOperator& plan);

}  // namespace basalt
