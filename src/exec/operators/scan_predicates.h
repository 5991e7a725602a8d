// Finds, in a table scan's filter, the conjuncts storage can use to skip
// segments and blocks (storage/managed/scan_predicate.h): after binding and
// optimization a filter is an AND (possibly nested) of
//   col op constant / constant op col   (=, <>, !=, <, <=, >, >=; BETWEEN
//                                        arrives as >= AND <=)
//   col IN (constants)                   NOT (col IN (...)) gives col <> each
//   col IS NULL, col IS NOT NULL
//   NOT (comparison), a bare BOOLEAN column, NOT column
// A column may be wrapped in a widening cast the binder added (smallint to
// integer, real to double, date to timestamp, a decimal to a larger scale);
// the constant is then converted back to the column's type, and the conjunct
// is used only when that conversion is exact. Anything else is skipped:
// pruning is an optimization, and the scan evaluates the whole filter on the
// rows it reads anyway.
#pragma once

#include <vector>

#include "exec/expression.h"
#include "storage/managed/scan_predicate.h"

namespace basalt {

// `filter` is over the scan's output columns (kInputRef i is table column
// column_ids[i]); `table_types` are the table's column types. Predicates
// name table columns and hold values of those columns' types.
std::vector<ScanPredicate> ExtractScanPredicates(const Expression& filter,
                                                 const std::vector<idx_t>& column_ids,
                                                 const std::vector<LogicalType>& table_types);

}  // namespace basalt
