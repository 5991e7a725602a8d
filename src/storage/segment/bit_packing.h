// Fixed-width bit packing: n unsigned values of `width` bits (0..64) stored
// back to back, least significant bit first, in ceil(n * width / 8) bytes.
//
// Unpacking loads whole unaligned 64-bit words, so the input must be followed
// by kDecodePadding readable bytes (the reader allocates every decoded region
// with that padding). Value i starts at bit i * width, which also gives
// random access into a packed run.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

namespace basalt::segment {

inline uint64_t PackedBytes(uint64_t n, unsigned width) { return (n * width + 7) / 8; }

// Bits needed to hold `max_value` (0 for 0).
inline unsigned BitWidth(uint64_t max_value) {
  return static_cast<unsigned>(std::bit_width(max_value));
}

inline uint64_t LowBitsMask(unsigned width) {
  return width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
}

// Writes PackedBytes(n, width) bytes to `out`, packing get(i) for i < n.
// Only the low `width` bits of each value are kept.
template <typename Get>
inline void BitPackFn(uint64_t n, unsigned width, uint8_t* out, Get&& get) {
  if (width == 0 || n == 0) return;
  const uint64_t mask = LowBitsMask(width);
  uint64_t acc = 0;
  unsigned filled = 0;  // bits in acc, always < 64 between values
  uint8_t* p = out;
  for (uint64_t i = 0; i < n; i++) {
    uint64_t x = static_cast<uint64_t>(get(i)) & mask;
    acc |= x << filled;
    filled += width;
    if (filled >= 64) {
      std::memcpy(p, &acc, 8);
      p += 8;
      filled -= 64;
      // The bits of x that did not fit (none when x ended exactly at the word).
      acc = filled == 0 ? 0 : x >> (width - filled);
    }
  }
  unsigned tail = (filled + 7) / 8;
  std::memcpy(p, &acc, tail);
}

inline void BitPack(const uint64_t* values, uint64_t n, unsigned width, uint8_t* out) {
  BitPackFn(n, width, out, [values](uint64_t i) { return values[i]; });
}

// The packed value at index i.
inline uint64_t UnpackOne(const uint8_t* in, uint64_t i, unsigned width) {
  if (width == 0) return 0;
  uint64_t bit = i * width;
  const uint8_t* p = in + (bit >> 3);
  unsigned shift = static_cast<unsigned>(bit & 7);
  uint64_t lo;
  std::memcpy(&lo, p, 8);
  uint64_t v = lo >> shift;
  if (shift + width > 64) v |= static_cast<uint64_t>(p[8]) << (64 - shift);
  return v & LowBitsMask(width);
}

// out[j] = T(base + packed[first + j]) for j < count, with the addition
// modulo 2^64 and the result read as a signed 64-bit value before it is
// narrowed or widened to T (so frame-of-reference and int128 columns keep
// their sign).
template <typename T>
inline void UnpackAdd(const uint8_t* in, uint64_t first, uint64_t count, unsigned width,
                      uint64_t base, T* out) {
  if (width == 0) {
    const T v = static_cast<T>(static_cast<int64_t>(base));
    for (uint64_t j = 0; j < count; j++) out[j] = v;
    return;
  }
  const uint64_t mask = LowBitsMask(width);
  uint64_t bit = first * width;
  if (width <= 56) {
    // shift <= 7 and width <= 56: the value lies within one 64-bit load.
    for (uint64_t j = 0; j < count; j++, bit += width) {
      uint64_t w;
      std::memcpy(&w, in + (bit >> 3), 8);
      out[j] = static_cast<T>(static_cast<int64_t>(base + ((w >> (bit & 7)) & mask)));
    }
  } else {
    for (uint64_t j = 0; j < count; j++, bit += width) {
      const uint8_t* p = in + (bit >> 3);
      unsigned shift = static_cast<unsigned>(bit & 7);
      uint64_t w;
      std::memcpy(&w, p, 8);
      uint64_t v = w >> shift;
      if (shift + width > 64) v |= static_cast<uint64_t>(p[8]) << (64 - shift);
      out[j] = static_cast<T>(static_cast<int64_t>(base + (v & mask)));
    }
  }
}

// Sum of packed[first .. first + count) (modulo 2^64), for skipping deltas:
// unpacked a slice at a time on UnpackAdd's path, then added up.
inline uint64_t UnpackSum(const uint8_t* in, uint64_t first, uint64_t count, unsigned width) {
  if (width == 0) return 0;
  constexpr uint64_t kSlice = 256;
  uint64_t values[kSlice];
  uint64_t sum = 0;
  for (uint64_t done = 0; done < count;) {
    const uint64_t m = std::min(kSlice, count - done);
    UnpackAdd(in, first + done, m, width, 0, values);
    for (uint64_t k = 0; k < m; k++) sum += values[k];
    done += m;
  }
  return sum;
}

}  // namespace basalt::segment
