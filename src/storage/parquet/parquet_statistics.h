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

// False when statistics `s` of `rows` rows (a row group's chunk or one data
// page) of flat column `c` show that none of them satisfies `p`.
bool ParquetStatisticsMayMatch(const ParquetColumn& c, const parquet::Statistics& s,
                               int64_t rows, const ScanPredicate& p);

// The same for a data page of flat column `column` (file.columns()): false
// when its statistics rule out one of the `predicates` on that column.
// A ParquetPageMayMatchFn.
bool ParquetPageMayMatch(const ParquetFile& file, idx_t column, const parquet::Statistics& s,
                         int64_t rows, const std::vector<ScanPredicate>& predicates);

// An upper bound on the distinct values of an integer or DATE column across
// `files`, from the statistics' ranges (max - min + 1, at most the row
// count), for the optimizer's join estimates; -1 when some row group has no
// usable bounds or the column is of another type.
double ParquetDistinctBound(const std::vector<std::shared_ptr<const ParquetFile>>& files,
                            idx_t column);

}  // namespace basalt
