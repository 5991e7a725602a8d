// TableStatistics: what ANALYZE last computed for a table (its row count and,
// per column, distinct values, NULLs, smallest and largest value), as SHOW
// STATS and the optimizer read it. docs/optimizer.md says how estimates use it.
//
// Immutable once made. A table entry holds the latest set
// (TableEntry::statistics) and ANALYZE swaps in a new one, so a query reads one
// consistent set without a lock. Writes never update it: after an INSERT it
// describes the table as it was when analyzed (stale) until the next ANALYZE,
// as in Impala; readers clamp what they derive to the live row count.
#pragma once

#include <memory>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "storage/managed/metadata_store.h"

namespace basalt {

// The stored text of a min or max is cut to this many bytes (at a UTF-8
// character boundary). Only strings are ever that long; a cut min is still a
// lower bound, a cut max only a prefix of the largest value (SHOW STATS
// shows it, estimates use bounds of numbers and dates only).
inline constexpr size_t kMaxStatisticsBoundBytes = 256;

struct TableStatistics {
  // As computed and stored (metadata_store.h).
  TableStatisticsRecord record;

  // Per table column, by column number.
  struct Column {
    // Index into record.columns; -1 when ANALYZE stored nothing for it.
    int record_index = -1;
    // The bounds as positions (ValuePosition), when the column is numeric or
    // temporal and has a non-NULL value.
    bool has_positions = false;
    double min_position = 0;
    double max_position = 0;
  };
  std::vector<Column> columns;

  // Null when the column has no statistics.
  const ColumnStatisticsRecord* Find(idx_t column) const {
    if (column >= columns.size() || columns[column].record_index < 0) return nullptr;
    return &record.columns[columns[column].record_index];
  }
};

// Statistics of a table whose columns have `types`, from their record (made
// by ANALYZE or loaded at start): the bounds' text is parsed here, once.
std::shared_ptr<const TableStatistics> MakeTableStatistics(TableStatisticsRecord record,
                                                           const std::vector<LogicalType>& types);

// Where a value lies on a line on which range selectivities are
// interpolated: numbers as themselves, dates and timestamps as microseconds
// since 1970 (so that the two compare with each other). False for NULL, NaN
// and values of other types (strings, booleans, intervals).
bool ValuePosition(const Value& value, double* out);

// `text` cut to at most `max_bytes` without splitting a UTF-8 character.
std::string CutUtf8(std::string text, size_t max_bytes);

}  // namespace basalt
