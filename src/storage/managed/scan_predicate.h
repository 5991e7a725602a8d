// ScanPredicate: a condition on one stored column that a scan can check
// against what storage knows without reading rows (a block's zone map, a
// segment's time chunk, a segment's bitmap index), so as to skip them.
//
// Pruning only ever skips: MayMatch answers false only when no row the
// bounds describe can make the predicate TRUE, and the scan still evaluates
// its full filter on every row it reads. Comparisons follow the engine's
// order (exec/functions/compare_ops.h): NaN equals NaN and sorts above every
// number, strings compare byte-wise, intervals by length. NULL never
// satisfies a comparison or IN.
//
// Values have exactly the column's type (the extraction from a filter drops
// conjuncts whose constant does not convert exactly). Immutable, so one
// predicate serves every thread of a scan.
#pragma once

#include <string>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "storage/managed/time_chunk.h"
#include "storage/segment/zone_map.h"

namespace basalt {

enum class ScanPredicateOp : uint8_t {
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kIn,         // values: ascending, distinct, no NULL (possibly empty: matches nothing)
  kIsNull,
  kIsNotNull,
};

struct ScanPredicate {
  idx_t column = 0;  // the table's (and its segments') column number
  ScanPredicateOp op = ScanPredicateOp::kEqual;
  // One non-NULL value for comparisons, the list for kIn, none for IS [NOT] NULL.
  std::vector<Value> values;

  // "l_shipdate >= 1995-01-01", "l_returnflag IN ('A','R')", for EXPLAIN.
  std::string ToString(const std::string& column_name) const;
};

// A comparison `column op value`; a NULL value gives nothing (not a predicate).
ScanPredicate MakeComparison(idx_t column, ScanPredicateOp op, Value value);
// `column IN (values)`: NULLs dropped, sorted and deduplicated.
ScanPredicate MakeInList(idx_t column, std::vector<Value> values);

// What is known of one column's values within part of a table. Bounds point
// at values the caller keeps alive; nullptr means unbounded on that side.
// An exact bound is a value that occurs; a strict one lies outside every
// value (v > min, v < max), as truncated string bounds do.
struct ValueRange {
  bool may_have_null = true;
  bool may_have_value = true;  // some non-NULL value
  const Value* min = nullptr;
  bool min_exact = false;
  bool min_strict = false;
  const Value* max = nullptr;
  bool max_exact = false;
  bool max_strict = false;
};

// False when no value described by `range` satisfies `predicate`.
bool RangeMayMatch(const ScanPredicate& predicate, const ValueRange& range);

// The same against a block's zone map (`row_count` rows in the block).
bool ZoneMayMatch(const ScanPredicate& predicate, const ZoneMap& zone, uint64_t row_count);

// The same against a segment's time chunk, for a predicate on the table's
// partition column of type `column_type` (DATE, whose days count as
// 86,400,000,000 microseconds each, or TIMESTAMP). The chunk says nothing
// about NULLs, so IS [NOT] NULL always may match.
bool ChunkMayMatch(const ScanPredicate& predicate, const TimeChunk& chunk,
                   const LogicalType& column_type);

// <0, 0, >0 as a sorts before, with or after b; both non-NULL, of one type.
int CompareScanValues(const Value& a, const Value& b);

}  // namespace basalt
