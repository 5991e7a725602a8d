// Row-group pruning for Parquet scans (docs/parquet.md): a column chunk's
// statistics (min, max, null count) read as the ValueRange that the
// ScanPredicates of segment scans are checked against.
//
// Only bounds that are safe are used: min_value / max_value in the column's
// own order, the deprecated signed-order min / max only for signed numeric
// columns, no upper bound for floating point columns (the engine sorts NaN
// above every number, and writers leave NaN out of the statistics), string
// bounds as inexact (writers may truncate them). Statistics that do not
// decode are ignored, never an error: pruning only ever skips.
#pragma once

#include <vector>

#include "storage/managed/scan_predicate.h"
#include "storage/parquet/parquet_reader.h"

namespace basalt {

// False when statistics show that no row of `row_group` satisfies all of
// `predicates` (whose columns index file.columns()).
bool ParquetRowGroupMayMatch(const ParquetFile& file, idx_t row_group,
                             const std::vector<ScanPredicate>& predicates);

}  // namespace basalt
