// Decoders for the value and level encodings of Parquet data pages, as laid
// out in Encodings.md of parquet-format: the RLE / bit-packed hybrid (levels,
// dictionary indices, RLE booleans), PLAIN, DELTA_BINARY_PACKED,
// DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT.
//
// Every decoder reads one page's byte span, which the caller keeps alive
// (string outputs point into it), and never reads outside it. Decoders keep
// a cursor, so a page is decoded in as many batches as the caller likes; each
// call decodes a batch into a plain array with no per-value allocation or
// dispatch. Damaged input (a length or count that does not fit the remaining
// bytes, a malformed header) throws ParquetDecodeError. Not thread-safe: one
// decoder per column reader. See docs/parquet.md.
//
// String outputs are templated on the view type: std::string_view or
// StringRef (both built from a pointer and a length; StringRef copies short
// strings inline, long ones keep pointing into the page).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/string_ref.h"
#include "storage/parquet/parquet_error.h"

namespace basalt {
class Arena;
}

namespace basalt::parquet {

// Bits per level for levels up to max_level (0 when the column has none).
int LevelBitWidth(int max_level);

// Data page v1 level streams, and RLE-encoded BOOLEAN values on any page, are
// prefixed by their byte length as a 4-byte little-endian integer. Returns
// the stream after the prefix; *consumed = 4 + its length.
std::span<const uint8_t> ReadLengthPrefixed(const uint8_t* data, size_t size, size_t* consumed);

// The RLE / bit-packed hybrid at a fixed bit width (0..32): a sequence of
// runs, each an RLE run (a count and one value) or a bit-packed run (groups
// of 8 values). Batches may end anywhere inside a run.
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width);

  // Decodes up to `count` values into out; returns how many, fewer only when
  // the stream ends. A final bit-packed run cut short (some writers omit the
  // padding of its last group) yields the values whose bits are present.
  size_t Decode(uint32_t* out, size_t count);
  // Decode that throws unless all `count` values are there.
  void DecodeExactly(uint32_t* out, size_t count);
  // Skips up to `count` values; returns how many.
  size_t Skip(size_t count);

  int bit_width() const { return static_cast<int>(bit_width_); }

 private:
  // Reads the next run header; false at the end of the stream.
  bool NextRun();

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;  // the next run header
  unsigned bit_width_ = 0;
  uint64_t rle_left_ = 0;
  uint32_t rle_value_ = 0;
  uint64_t packed_left_ = 0;
  const uint8_t* packed_ = nullptr;  // the current bit-packed run's values
  size_t packed_size_ = 0;           // bytes from packed_ to the end of the stream
  uint64_t packed_index_ = 0;        // the run's next value
};

// A dictionary-encoded (RLE_DICTIONARY / PLAIN_DICTIONARY) data page's
// values: one byte of bit width, then the indices in the hybrid encoding.
RleBitPackedDecoder MakeDictionaryIndexDecoder(const uint8_t* data, size_t size);

[[noreturn]] void ThrowBadDictionaryIndex(uint32_t index, size_t dictionary_size);

// out[i] = dictionary[indices[i]] for i < count; throws if an index is out of
// range (checked for the whole batch first, so the gather loop has no branch).
template <typename T>
void GatherDictionary(const T* dictionary, size_t dictionary_size, const uint32_t* indices,
                      size_t count, T* out) {
  uint32_t max_index = 0;
  for (size_t i = 0; i < count; i++) max_index = indices[i] > max_index ? indices[i] : max_index;
  if (count > 0 && max_index >= dictionary_size)
    ThrowBadDictionaryIndex(max_index, dictionary_size);
  for (size_t i = 0; i < count; i++) out[i] = dictionary[indices[i]];
}

// INT96 timestamps (Impala, older Spark): 8 bytes of nanoseconds within the
// day, then 4 bytes of Julian day, both little-endian. Microseconds since
// 1970-01-01 (Julian day 2440588), nanoseconds truncated; arithmetic wraps
// rather than overflowing on nonsense days.
inline int64_t Int96ToMicros(const uint8_t* value) {
  int64_t nanos;
  int32_t julian_day;
  std::memcpy(&nanos, value, 8);
  std::memcpy(&julian_day, value + 8, 4);
  constexpr int64_t kUnixEpochJulianDay = 2440588;
  constexpr uint64_t kMicrosPerDay = 86400ULL * 1000 * 1000;
  const uint64_t days = static_cast<uint64_t>(int64_t{julian_day} - kUnixEpochJulianDay);
  return static_cast<int64_t>(days * kMicrosPerDay + static_cast<uint64_t>(nanos / 1000));
}

// PLAIN: values back to back. A page holds one physical type, so one
// decoder serves one of the Decode* families.
class PlainDecoder {
 public:
  PlainDecoder() = default;
  PlainDecoder(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // INT32, INT64, FLOAT, DOUBLE: T is int32_t, int64_t, float or double.
  template <typename T>
  void DecodeFixed(T* out, size_t count) {
    const size_t bytes = TakeFixed(sizeof(T), count);
    // An empty batch may come with null pointers, which memcpy must not see.
    if (bytes > 0) std::memcpy(out, data_ + pos_ - bytes, bytes);
  }
  // BOOLEAN: one bit per value, least significant first.
  void DecodeBooleans(bool* out, size_t count);
  // INT96, converted to microseconds since the epoch (Int96ToMicros).
  void DecodeInt96(int64_t* micros, size_t count);
  // BYTE_ARRAY: a 4-byte little-endian length, then the bytes.
  template <typename View>
  void DecodeByteArrays(View* out, size_t count);
  // FIXED_LEN_BYTE_ARRAY of type_length bytes each.
  template <typename View>
  void DecodeFixedLenByteArrays(View* out, size_t count, uint32_t type_length);

  // Skips values of value_size bytes (any fixed-width type, INT96 = 12).
  void SkipFixed(size_t value_size, size_t count) { TakeFixed(value_size, count); }
  void SkipBooleans(size_t count);
  void SkipByteArrays(size_t count);

  size_t remaining_bytes() const { return size_ - pos_; }

 private:
  // Claims value_size * count bytes (throwing if they are not there) and
  // returns that byte count.
  size_t TakeFixed(size_t value_size, size_t count);

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
  unsigned bit_offset_ = 0;  // booleans: bits of data_[pos_] already read
};

// DELTA_BINARY_PACKED for INT32 and INT64: a header (block size, miniblocks
// per block, total value count, first value), then blocks of a zigzag min
// delta, one bit width byte per miniblock, and the bit-packed miniblocks.
// Additions wrap modulo 2^64 (then truncate for INT32), as writers compute
// the deltas with wrapping subtraction.
class DeltaBinaryPackedDecoder {
 public:
  DeltaBinaryPackedDecoder() = default;
  // Reads the header; the blocks are read as values are decoded.
  DeltaBinaryPackedDecoder(const uint8_t* data, size_t size);

  uint64_t total_values() const { return total_values_; }
  uint64_t values_left() const { return values_left_; }

  // T is int32_t or int64_t. Throws if count > values_left().
  template <typename T>
  void Decode(T* out, size_t count);
  // Reads past the remaining values without unpacking them and returns the
  // stream's total size in bytes: where what follows it in the page begins.
  size_t SkipToEnd();

 private:
  // Enters the next miniblock, reading a block header when one is due.
  void NextMiniblock();

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;  // the next unread byte
  uint64_t values_per_miniblock_ = 0;
  uint64_t total_values_ = 0;
  uint64_t values_left_ = 0;
  bool first_pending_ = false;  // the header's first value is not yet returned
  uint64_t last_value_ = 0;
  uint64_t min_delta_ = 0;
  std::vector<uint8_t> bit_widths_;  // of the current block's miniblocks
  size_t next_miniblock_ = 0;        // in the current block; == size: block done
  const uint8_t* miniblock_ = nullptr;
  size_t miniblock_size_ = 0;  // readable bytes from miniblock_ on
  unsigned miniblock_width_ = 0;
  uint64_t miniblock_index_ = 0;  // the miniblock's next value
  uint64_t miniblock_left_ = 0;
};

// DELTA_LENGTH_BYTE_ARRAY: the lengths as DELTA_BINARY_PACKED, then all the
// bytes back to back.
class DeltaLengthByteArrayDecoder {
 public:
  DeltaLengthByteArrayDecoder() = default;
  DeltaLengthByteArrayDecoder(const uint8_t* data, size_t size);

  uint64_t total_values() const { return lengths_.total_values(); }
  uint64_t values_left() const { return lengths_.values_left(); }

  // Throws if count > values_left().
  template <typename View>
  void Decode(View* out, size_t count);

 private:
  DeltaBinaryPackedDecoder lengths_;
  const uint8_t* bytes_ = nullptr;
  size_t bytes_size_ = 0;
  size_t bytes_pos_ = 0;
};

// DELTA_BYTE_ARRAY (BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY): prefix lengths as
// DELTA_BINARY_PACKED, then suffixes as DELTA_LENGTH_BYTE_ARRAY; each value
// is that much of the previous value followed by its suffix. Values with an
// empty prefix point into the page; the others are rebuilt in `arena`, which
// the caller keeps alive with the output (a vector's string heap).
class DeltaByteArrayDecoder {
 public:
  DeltaByteArrayDecoder() = default;
  DeltaByteArrayDecoder(const uint8_t* data, size_t size);

  uint64_t total_values() const { return prefixes_.total_values(); }
  uint64_t values_left() const { return prefixes_.values_left(); }

  // Throws if count > values_left().
  template <typename View>
  void Decode(View* out, size_t count, Arena* arena);

 private:
  DeltaBinaryPackedDecoder prefixes_;
  DeltaLengthByteArrayDecoder suffixes_;
  std::string last_value_;  // carried between batches, whose arenas may differ
};

// BYTE_STREAM_SPLIT: value byte k of every value is in stream k, the streams
// back to back, each as long as there are values (size / value_width).
class ByteStreamSplitDecoder {
 public:
  ByteStreamSplitDecoder() = default;
  // value_width: 4 (FLOAT, INT32), 8 (DOUBLE, INT64) or a FIXED_LEN_BYTE_ARRAY's length.
  ByteStreamSplitDecoder(const uint8_t* data, size_t size, size_t value_width);

  size_t total_values() const { return total_values_; }
  size_t values_left() const { return total_values_ - next_; }

  // Writes count values of value_width bytes each to out (for FLOAT, DOUBLE,
  // INT32, INT64 an array of that type). Throws if count > values_left().
  void Decode(uint8_t* out, size_t count);

 private:
  const uint8_t* data_ = nullptr;
  size_t value_width_ = 0;
  size_t total_values_ = 0;
  size_t next_ = 0;
};

extern template void PlainDecoder::DecodeByteArrays(std::string_view*, size_t);
extern template void PlainDecoder::DecodeByteArrays(StringRef*, size_t);
extern template void PlainDecoder::DecodeFixedLenByteArrays(std::string_view*, size_t, uint32_t);
extern template void PlainDecoder::DecodeFixedLenByteArrays(StringRef*, size_t, uint32_t);
extern template void DeltaBinaryPackedDecoder::Decode(int32_t*, size_t);
extern template void DeltaBinaryPackedDecoder::Decode(int64_t*, size_t);
extern template void DeltaLengthByteArrayDecoder::Decode(std::string_view*, size_t);
extern template void DeltaLengthByteArrayDecoder::Decode(StringRef*, size_t);
extern template void DeltaByteArrayDecoder::Decode(std::string_view*, size_t, Arena*);
extern template void DeltaByteArrayDecoder::Decode(StringRef*, size_t, Arena*);

}  // namespace basalt::parquet
