// Exact integer arithmetic behind DECIMAL division, average and rescaling.
//
// Decimals are scaled integers (common/decimal.h). Division needs the
// dividend scaled up before dividing, which can pass 128 bits even when the
// quotient fits; those rare rows take a 256-bit path so results stay exact
// instead of falling back to floating point.
#pragma once

#include "common/decimal.h"
#include "common/types.h"

namespace basalt {

inline uint128_t AbsU128(int128_t v) {
  return v < 0 ? -static_cast<uint128_t>(v) : static_cast<uint128_t>(v);
}

// n / d rounded half away from zero (PostgreSQL's rounding for numeric). d != 0.
inline int128_t DivRoundHalfAway(int128_t n, int128_t d) {
  int128_t q = n / d;
  int128_t r = n % d;
  if (r != 0 && AbsU128(r) * 2 >= AbsU128(d)) q += ((n < 0) != (d < 0)) ? -1 : 1;
  return q;
}

// round(a * m / d) half away from zero with a 256-bit intermediate; m >= 0,
// d != 0. Returns false when the quotient does not fit in an int128.
bool MulDivRoundWide(int128_t a, int128_t m, int128_t d, int128_t* out);

// round(a * m / d), exact; tries 128 bits first.
inline bool MulDivRound(int128_t a, int128_t m, int128_t d, int128_t* out) {
  int128_t n;
  if (!__builtin_mul_overflow(a, m, &n)) {
    *out = DivRoundHalfAway(n, d);
    return true;
  }
  return MulDivRoundWide(a, m, d, out);
}

// v * 10^digits; false when |result| would exceed `limit` (or 128 bits).
inline bool ScaleUpChecked(int128_t v, int digits, int128_t limit, int128_t* out) {
  int128_t r;
  if (__builtin_mul_overflow(v, Pow10(digits), &r)) return false;
  if (r > limit || r < -limit) return false;
  *out = r;
  return true;
}

}  // namespace basalt
