// The two primitives the Parquet encodings are built from (Encodings.md of
// parquet-format): ULEB128 varints and bit-packed unsigned integers, packed
// least significant bit first, value i starting at bit i * width.
//
// Unlike the segment format's bit_packing.h, a Parquet page carries no
// padding after its last byte, so these never read past the byte span they
// are given: whole 64-bit loads are used only where 8 bytes remain, the last
// few values of a span are read byte by byte. Internal to the decoders in
// parquet_encoding.cc (and their tests).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "storage/parquet/parquet_error.h"

namespace basalt::parquet::internal {

static_assert(std::endian::native == std::endian::little,
              "the unpackers read little-endian words directly");

// Reads a ULEB128 varint at data[*pos] (at most 10 bytes: 64 bits), moving
// *pos past it. Bits beyond the 64th are dropped.
inline uint64_t ReadUleb128(const uint8_t* data, size_t size, size_t* pos, const char* what) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 70; shift += 7) {
    if (*pos >= size) throw ParquetDecodeError(std::string("truncated varint: ") + what);
    const uint8_t b = data[(*pos)++];
    if (shift < 64) v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  throw ParquetDecodeError(std::string("varint longer than 10 bytes: ") + what);
}

inline int64_t ZigZagDecode(uint64_t v) { return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)); }

// Bytes holding `count` values of `width` bits.
inline uint64_t PackedBytes(uint64_t count, unsigned width) { return (count * width + 7) / 8; }

template <unsigned W>
constexpr uint64_t kLowMask = W >= 64 ? ~uint64_t{0} : (uint64_t{1} << W) - 1;

// The value of W bits at `bit`; in[0, in_size) must hold all of its bits.
template <unsigned W>
inline uint64_t LoadPacked(const uint8_t* in, size_t in_size, uint64_t bit) {
  const size_t byte = static_cast<size_t>(bit >> 3);
  const unsigned shift = static_cast<unsigned>(bit & 7);
  uint64_t word = 0;
  if (byte + 8 <= in_size) {
    std::memcpy(&word, in + byte, 8);
  } else {
    std::memcpy(&word, in + byte, in_size - byte);
  }
  uint64_t v = word >> shift;
  // Only a value wider than 56 bits can spill into a ninth byte.
  if constexpr (W > 56) {
    if (shift + W > 64) v |= static_cast<uint64_t>(in[byte + 8]) << (64 - shift);
  }
  return v & kLowMask<W>;
}

// Eight values starting at a byte boundary: exactly W bytes, and the caller
// guarantees W + 9 readable bytes so every load is a whole word.
template <unsigned W, typename Out>
inline void Unpack8(const uint8_t* in, Out* out) {
  for (unsigned j = 0; j < 8; j++) {
    const unsigned bit = j * W;
    uint64_t word;
    std::memcpy(&word, in + bit / 8, 8);
    uint64_t v = word >> (bit % 8);
    if constexpr (W > 56) {
      if (bit % 8 + W > 64) v |= static_cast<uint64_t>(in[bit / 8 + 8]) << (64 - bit % 8);
    }
    out[j] = static_cast<Out>(v & kLowMask<W>);
  }
}

template <unsigned W, typename Out>
void UnpackFixedWidth(const uint8_t* in, size_t in_size, uint64_t first, size_t count, Out* out) {
  if constexpr (W == 0) {
    std::fill_n(out, count, Out{0});
  } else {
    uint64_t i = first;
    const uint64_t end = first + count;
    // Up to a group boundary one at a time (a batch may stop mid-group).
    for (; i < end && (i & 7) != 0; i++)
      *out++ = static_cast<Out>(LoadPacked<W>(in, in_size, i * W));
    // Whole groups of 8 while a word can be loaded past each of them.
    for (; end - i >= 8 && (i / 8) * W + W + 9 <= in_size; i += 8, out += 8) {
      Unpack8<W>(in + (i / 8) * W, out);
    }
    for (; i < end; i++) *out++ = static_cast<Out>(LoadPacked<W>(in, in_size, i * W));
  }
}

template <typename Out>
using UnpackFn = void (*)(const uint8_t*, size_t, uint64_t, size_t, Out*);

template <typename Out, size_t... Ws>
constexpr std::array<UnpackFn<Out>, sizeof...(Ws)> MakeUnpackTable(std::index_sequence<Ws...>) {
  return {&UnpackFixedWidth<static_cast<unsigned>(Ws), Out>...};
}

// out[j] = value (first + j) of `width` bits (at most the bits of Out) for
// j < count. in[0, in_size) must hold PackedBytes(first + count, width)
// bytes; the caller checks that. One dispatch per call, so the per-value
// loops have the width as a constant.
template <typename Out>
inline void UnpackBits(const uint8_t* in, size_t in_size, unsigned width, uint64_t first,
                       size_t count, Out* out) {
  static constexpr auto kTable =
      MakeUnpackTable<Out>(std::make_index_sequence<sizeof(Out) * 8 + 1>());
  kTable[width](in, in_size, first, count, out);
}

}  // namespace basalt::parquet::internal
