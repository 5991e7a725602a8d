// A list of strings as the format stores a dictionary (the segment
// dictionary of a column, or a block's own): an integer stream of lengths,
// then the bytes back to back. The count is not part of the list: each
// region that holds one stores it (and checks it) in its own way.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/string_ref.h"
#include "storage/segment/byte_reader.h"
#include "storage/segment/byte_writer.h"
#include "storage/segment/integer_encoding.h"

namespace basalt::segment {

// Writes `count` strings, value_at(0) .. value_at(count - 1) (each a
// std::string_view), as ReadStringList reads them back. Dictionaries pass
// their values in sorted order.
template <typename ValueAt>
void WriteStringList(uint64_t count, ValueAt&& value_at, ByteWriter* out) {
  std::vector<int64_t> lengths(count);
  for (uint64_t k = 0; k < count; k++) {
    lengths[k] = static_cast<int64_t>(std::string_view(value_at(k)).size());
  }
  EncodeIntegerStream(lengths.data(), count, 4, out);
  for (uint64_t k = 0; k < count; k++) {
    const std::string_view v = value_at(k);
    out->PutBytes(v.data(), v.size());
  }
}

// Reads `count` strings at in's position into StringRefs that point into the
// reader's bytes. Sets *has_long when one of them is longer than a
// StringRef holds inline (then vectors must keep the bytes alive).
void ReadStringList(ByteReader* in, uint64_t count, std::vector<StringRef>* out, bool* has_long);

// A column's segment dictionary, decoded: sorted values pointing into `bytes`.
struct SegmentDictionary {
  std::shared_ptr<const uint8_t[]> bytes;
  std::vector<StringRef> values;
  bool has_long_values = false;
};

// Parses a dictionary region of `count` values and checks that they are
// strictly ascending (lookups binary-search them).
std::shared_ptr<const SegmentDictionary> ParseSegmentDictionary(
    std::shared_ptr<const uint8_t[]> raw, size_t size, uint64_t count);

}  // namespace basalt::segment
