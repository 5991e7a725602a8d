// Typed equality and ordering of single column values, shared by the hash
// tables (grouping, joins, DISTINCT) and by sorting. Templates so that every
// comparison inlines into a loop over one column type: the per-type switch
// happens once per column and batch, never per value.
//
// Both are the ones comparisons use (exec/functions/compare_ops.h), as in
// PostgreSQL: 0.0 equals -0.0, NaN equals NaN and sorts above every number,
// strings compare byte-wise, an interval compares by its length with a month
// counted as 30 days and a day as 24 hours. Hash tables also need equal keys
// to hash alike: HashVector does so for doubles, but hashes an interval's
// fields, so '1 month' and '30 days' only become one key once it hashes
// IntervalSortKey instead.
#pragma once

#include <cmath>
#include <type_traits>

#include "common/string_ref.h"
#include "common/types.h"
#include "exec/functions/compare_ops.h"

namespace basalt {

template <typename T>
inline bool KeyEquals(const T& a, const T& b) {
  return ValueEquals(a, b);
}

// <0, 0, >0 as a sorts before, with or after b in ascending order.
template <typename T>
inline int CompareKeys(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, StringRef>) {
    return a.Compare(b);
  } else if constexpr (std::is_floating_point_v<T>) {
    const bool a_nan = std::isnan(a);
    const bool b_nan = std::isnan(b);
    if (a_nan || b_nan) return static_cast<int>(a_nan) - static_cast<int>(b_nan);
    return a < b ? -1 : (b < a ? 1 : 0);
  } else if constexpr (std::is_same_v<T, Interval>) {
    return CompareKeys(IntervalSortKey(a), IntervalSortKey(b));
  } else {
    return a < b ? -1 : (b < a ? 1 : 0);
  }
}

}  // namespace basalt
