// Decodes one block of one column front to back, straight into the memory
// of the caller's vectors: integers unpack into the vector's array, strings
// become StringRefs into the decoded block or the segment dictionary (which
// the caller pins in the vector with KeepAliveIn), and NULLs are set in the
// vector's validity mask.
//
// Open checks the block's structure against its bytes (stream headers,
// lengths, counts, the NULL count) and throws SegmentDecodeError when they
// disagree; Read checks dictionary codes a slice at a time. Nothing reads
// outside the block's buffer, whatever its bytes. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/vector.h"
#include "storage/segment/integer_encoding.h"
#include "storage/segment/segment_format.h"
#include "storage/segment/string_list.h"

namespace basalt::segment {

class ColumnBlockCursor {
 public:
  // `raw` holds the block's decoded bytes [0, size) followed by
  // kDecodePadding more; `dictionary` is the column's segment dictionary
  // (needed for BlockEncoding::kDictionary).
  void Open(const LogicalType& type, BlockEncoding encoding, uint64_t rows, uint64_t null_count,
            std::shared_ptr<const uint8_t[]> raw, size_t size,
            std::shared_ptr<const SegmentDictionary> dictionary);

  uint64_t rows() const { return rows_; }
  uint64_t position() const { return pos_; }

  // Decodes the next `count` rows into rows [offset, offset + count) of
  // `out`, a flat vector of the column's type with room for them. Strings
  // may point into buffers this cursor holds: call KeepAliveIn(out) once for
  // each output vector Read has written to (not once per Read: a selective
  // scan reads one run at a time, and each pin is a shared_ptr copy).
  void Read(uint64_t count, Vector* out, idx_t offset);
  // Makes `out` keep alive what strings decoded by Read point into (nothing
  // when every string is inline or the column holds no strings).
  void KeepAliveIn(Vector* out) const;
  void Skip(uint64_t count);

 private:
  enum class Kind : uint8_t {
    kAllNull,
    kBool,
    kInt16,
    kInt32,
    kInt64,
    kInt128,
    kFixedPlain,
    kStringPlain,
    kStringDictionary,
  };

  void ApplyValidity(uint64_t count, Vector* out, idx_t offset) const;
  void ReadCodes(uint64_t count, StringRef* out);

  Kind kind_ = Kind::kAllNull;
  uint64_t rows_ = 0;
  uint64_t pos_ = 0;
  std::shared_ptr<const uint8_t[]> raw_;
  const uint8_t* validity_ = nullptr;  // nullptr: no NULLs
  const uint8_t* data_ = nullptr;      // booleans' bits, plain values
  size_t value_size_ = 0;
  IntegerStreamCursor<int16_t> int16_;
  IntegerStreamCursor<int32_t> int32_;
  IntegerStreamCursor<int64_t> int64_;
  IntegerStreamCursor<int128_t> int128_;
  // Strings.
  std::vector<uint32_t> lengths_;
  const char* bytes_ = nullptr;
  uint64_t byte_pos_ = 0;
  IntegerStreamCursor<uint32_t> codes_;
  std::vector<StringRef> block_dictionary_;
  const StringRef* dictionary_values_ = nullptr;
  uint64_t dictionary_size_ = 0;
  std::shared_ptr<const SegmentDictionary> dictionary_;
  // What output vectors must keep alive: null when every string is inline.
  std::shared_ptr<const void> keep_alive_;
  std::vector<uint32_t> scratch_;
};

}  // namespace basalt::segment
