// Cardinality estimation: a guess at how many rows each operator outputs,
// stored in LogicalOperator::estimated_rows, for join ordering and for the
// physical planner's choice between broadcast and partitioned joins.
//
// Without statistics the guesses are the textbook ones (Selinger's defaults):
// - scans: DataTable::RowCount() (always the live count); files: their size /
//   kCsvBytesPerRow;
// - filter selectivity per conjunct: equality 0.1, range comparison 0.33,
//   LIKE 0.1, IN (list) 0.1 per item, anything else 0.5;
// - with ANALYZE's statistics (TableEntry::statistics), a scan's conjuncts
//   `col = c` take (non-NULL fraction) / ndv (about 0 when c lies outside
//   [min, max]); `col < c`, `col >= c`, BETWEEN and the like on a numeric or
//   temporal column are intersected per column and interpolated uniformly,
//   (high - low) / (max - min) times the non-NULL fraction; IS [NOT] NULL take
//   the NULL fraction. The statistics may be stale (writes do not update
//   them): each of these selectivities stays within [1 / analyzed rows, 1]
//   and multiplies the live row count;
// - equi-join: |L|·|R| / max(ndv(left key), ndv(right key)), each ndv capped
//   by its side's rows; with several key pairs the most selective pair
//   counts. Distinct counts are ANALYZE's when the table has been analyzed,
//   else the tables' HyperLogLog sketches (DataTable::DistinctCount),
//   followed through projections and group keys;
//   a key with no known count falls back to a key / foreign-key guess,
//   max(|L|, |R|);
//   non-equi conditions multiply |L|·|R| by their selectivity;
// - GROUP BY: input^0.75 groups (a few groups for small inputs, sub-linear
//   growth for large ones); a global aggregate returns one row.
#pragma once

#include <map>

#include "optimizer/expression_rewriting.h"
#include "plan/logical_operator.h"

namespace basalt {

inline constexpr double kEqualitySelectivity = 0.1;
inline constexpr double kRangeSelectivity = 0.33;
inline constexpr double kLikeSelectivity = 0.1;
inline constexpr double kDefaultSelectivity = 0.5;
// A guess for CSV files: a dozen short fields per row.
inline constexpr double kCsvBytesPerRow = 100;

// The fraction of rows for which `predicate` holds.
double EstimateSelectivity(const Expression& predicate);

// Estimates `op` and its whole subtree, sets estimated_rows on each operator
// and returns `op`'s estimate.
double EstimateCardinality(LogicalOperator& op);

// Distinct-value counts of columns, by binding.
using DistinctCounts = std::map<ColumnBinding, double>;
// Collects the distinct counts of every scanned column of `plan` (and of the
// projections and group keys that pass them on).
DistinctCounts CollectDistinctCounts(const LogicalOperator& plan);

// Makes `counts` the ones estimates use on this thread while it lives (the
// estimation functions are called from several rules).
class DistinctCountsScope {
 public:
  explicit DistinctCountsScope(DistinctCounts counts);
  ~DistinctCountsScope();
  DistinctCountsScope(const DistinctCountsScope&) = delete;
  DistinctCountsScope& operator=(const DistinctCountsScope&) = delete;

 private:
  DistinctCounts counts_;
  const DistinctCounts* previous_;
};

// The estimate of a join of inputs with `left` and `right` rows under
// `conditions`, which are over the two inputs' bindings.
double EstimateJoinRows(double left, double right, const std::vector<const Expression*>& conditions,
                        const BindingSet& left_bindings, const BindingSet& right_bindings);

}  // namespace basalt
