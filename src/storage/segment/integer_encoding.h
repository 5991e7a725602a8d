// Integer streams: how a run of integers (a block's values, a dictionary's
// codes or string lengths) is stored. The writer measures every candidate in
// one pass and keeps the smallest:
//
//   plain               u8 kind | u8 value bytes | values
//   frame of reference  u8 kind | u64 base | u8 width | packed (v - base)
//   delta               u8 kind | u64 first | u64 min delta | u8 width |
//                       packed (d - min delta) for the n - 1 deltas
//   run length          u8 kind | varint runs | u64 base | u8 width |
//                       u8 length width | packed (run value - base) |
//                       packed (run length - 1)
//
// Arithmetic is modulo 2^64 and values are read back as signed 64-bit
// integers, so any int64 range works (a range that needs 64 bits just packs
// at width 64). The kind byte holds a BlockEncoding value.
#pragma once

#include <cstdint>

#include "common/types.h"
#include "storage/segment/byte_reader.h"
#include "storage/segment/byte_writer.h"
#include "storage/segment/segment_format.h"

namespace basalt::segment {

// Encodes values[0, n) and returns the kind chosen. `plain_bytes` is the size
// of one value in the plain form (2, 4 or 8, the low bytes of each value); 0
// rules the plain form out (DECIMAL(38) values narrowed to 64 bits, whose
// plain form is their own 16-byte one).
BlockEncoding EncodeIntegerStream(const int64_t* values, uint64_t n, unsigned plain_bytes,
                                  ByteWriter* out);

// Reads an integer stream front to back, straight into the caller's array.
// Open checks every length and count in the stream's header against the
// bytes that are there (throwing SegmentDecodeError), so Read and Skip never
// leave the stream. T is the type decoded into: int16_t, int32_t, int64_t,
// int128_t or uint32_t.
template <typename T>
class IntegerStreamCursor {
 public:
  // Parses the stream of n values at in's position and moves `in` past it.
  void Open(ByteReader* in, uint64_t n);

  BlockEncoding kind() const { return kind_; }
  uint64_t size() const { return n_; }
  uint64_t position() const { return pos_; }

  // The next `count` values.
  void Read(uint64_t count, T* out);
  void Skip(uint64_t count);

 private:
  void CheckRange(uint64_t count) const;

  BlockEncoding kind_ = BlockEncoding::kPlain;
  uint64_t n_ = 0;
  uint64_t pos_ = 0;
  const uint8_t* data_ = nullptr;
  unsigned width_ = 0;
  uint64_t base_ = 0;  // FOR base, delta minimum, run value base
  // Delta: the first value, and the value at pos_ - 1 once pos_ > 0.
  uint64_t first_ = 0;
  uint64_t prev_ = 0;
  // Run length: packed lengths, the next run to start and what is left of
  // the current one.
  const uint8_t* lengths_ = nullptr;
  unsigned length_width_ = 0;
  uint64_t runs_ = 0;
  uint64_t next_run_ = 0;
  uint64_t run_left_ = 0;
  T run_value_{};
};

extern template class IntegerStreamCursor<int16_t>;
extern template class IntegerStreamCursor<int32_t>;
extern template class IntegerStreamCursor<int64_t>;
extern template class IntegerStreamCursor<int128_t>;
extern template class IntegerStreamCursor<uint32_t>;

}  // namespace basalt::segment
