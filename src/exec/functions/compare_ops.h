// The ordering every comparison, min/max and greatest/least shares, so a value
// that compares equal in a WHERE clause also groups and sorts as equal.
//
// It follows PostgreSQL: NaN equals NaN and sorts above every other number;
// strings compare byte-wise (the C collation); intervals compare by their
// length with a month counted as 30 days and a day as 24 hours, so
// '1 month' = '30 days' is true.
#pragma once

#include <cmath>
#include <type_traits>

#include "common/date_time.h"
#include "common/string_ref.h"
#include "common/types.h"
#include "common/value.h"
#include "common/vector.h"

namespace basalt {

template <typename T>
inline bool ValueEquals(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    return a == b || (std::isnan(a) && std::isnan(b));
  } else if constexpr (std::is_same_v<T, Interval>) {
    return IntervalSortKey(a) == IntervalSortKey(b);
  } else {
    return a == b;
  }
}

template <typename T>
inline bool ValueLess(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    return a < b;
  } else if constexpr (std::is_same_v<T, Interval>) {
    return IntervalSortKey(a) < IntervalSortKey(b);
  } else if constexpr (std::is_same_v<T, StringRef>) {
    return a.Compare(b) < 0;
  } else {
    return a < b;
  }
}

// ValueEquals for two non-NULL Values of one type, for code that works a row
// at a time (array_any_eq); vectors compare with the ops below.
inline bool ValuesEqual(const Value& a, const Value& b) {
  return DispatchPhysical(a.type().physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    Vector va(a), vb(b);
    return ValueEquals(va.template Data<T>()[0], vb.template Data<T>()[0]);
  });
}

struct EqualsOp {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return ValueEquals(a, b);
  }
};
struct NotEqualsOp {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return !ValueEquals(a, b);
  }
};
struct LessThanOp {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return ValueLess(a, b);
  }
};
struct GreaterThanOp {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return ValueLess(b, a);
  }
};
struct LessThanEqualsOp {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return !ValueLess(b, a);
  }
};
struct GreaterThanEqualsOp {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return !ValueLess(a, b);
  }
};

}  // namespace basalt
