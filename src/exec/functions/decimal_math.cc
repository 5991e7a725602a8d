#include "exec/functions/decimal_math.h"

namespace basalt {

namespace {

// A 256-bit unsigned integer as two 128-bit halves.
struct U256 {
  uint128_t hi = 0;
  uint128_t lo = 0;
};

U256 Multiply128(uint128_t a, uint128_t b) {
  const uint128_t kMask = ~uint64_t{0};
  uint128_t a0 = a & kMask, a1 = a >> 64;
  uint128_t b0 = b & kMask, b1 = b >> 64;
  uint128_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  // Middle column: the high half of p00 plus the low halves of the cross terms.
  uint128_t middle = (p00 >> 64) + (p01 & kMask) + (p10 & kMask);
  U256 r;
  r.lo = (p00 & kMask) | (middle << 64);
  r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
  return r;
}

}  // namespace

bool MulDivRoundWide(int128_t a, int128_t m, int128_t d, int128_t* out) {
  bool negative = (a < 0) != (d < 0);
  U256 n = Multiply128(AbsU128(a), static_cast<uint128_t>(m));
  uint128_t divisor = AbsU128(d);
  uint128_t quotient_hi = 0, quotient_lo = 0, rem = 0;
  if (n.hi == 0) {
    quotient_lo = n.lo / divisor;
    rem = n.lo % divisor;
  } else {
    // Shift-subtract long division. The remainder stays below the divisor,
    // which is below 2^127, so shifting it left never loses a bit.
    for (int bit = 255; bit >= 0; bit--) {
      uint128_t next = bit >= 128 ? (n.hi >> (bit - 128)) & 1 : (n.lo >> bit) & 1;
      rem = (rem << 1) | next;
      if (rem >= divisor) {
        rem -= divisor;
        if (bit >= 128) {
          quotient_hi |= uint128_t{1} << (bit - 128);
        } else {
          quotient_lo |= uint128_t{1} << bit;
        }
      }
    }
  }
  if (rem * 2 >= divisor && rem != 0) {
    quotient_lo++;
    if (quotient_lo == 0) quotient_hi++;
  }
  if (quotient_hi != 0 || (quotient_lo >> 127) != 0) return false;
  int128_t q = static_cast<int128_t>(quotient_lo);
  *out = negative ? -q : q;
  return true;
}

}  // namespace basalt
