// A list of strings as the format stores a dictionary (the segment
// dictionary of a column, or a block's own): an integer stream of lengths,
// then the bytes back to back.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/string_ref.h"
#include "storage/segment/byte_reader.h"

namespace basalt::segment {

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
