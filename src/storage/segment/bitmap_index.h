// The bitmap index of a dictionary-encoded string column: for every
// dictionary code the Roaring bitmap of the rows holding it, plus one of the
// NULL rows, so `col = 'x'`, `col IN (...)` and `col IS NULL` become row sets
// without reading the column.
//
// The bitmaps are stored back to back, uncompressed (Roaring is compact
// already, and a lookup then reads just the bitmaps it needs); the directory,
// a region of its own, lists each bitmap's offset, size and XXH3-64:
//   varint entries (= dictionary size + 1) | entries x (u64 offset | u32 size | u64 checksum)
// A size of 0 is an empty bitmap (only the NULL entry can be empty).
#pragma once

#include <cstdint>
#include <vector>

#include "storage/segment/byte_writer.h"

namespace basalt::segment {

struct BitmapEntry {
  uint64_t offset = 0;  // from the start of the column's bitmaps
  uint32_t size = 0;
  uint64_t checksum = 0;
};

// codes[r] is row r's dictionary code (< dictionary_size) when bit r of
// `validity` is set; rows with the bit clear are NULL.
void BuildBitmapIndex(const uint32_t* codes, const uint64_t* validity, uint64_t rows,
                      uint64_t dictionary_size, std::vector<uint8_t>* bitmaps,
                      ByteWriter* directory);

// Parses and checks a directory: entries must number dictionary_size + 1 and
// tile [0, bitmaps_size) in order. Throws SegmentDecodeError.
std::vector<BitmapEntry> ReadBitmapDirectory(const uint8_t* data, size_t size,
                                             uint64_t dictionary_size, uint64_t bitmaps_size);

}  // namespace basalt::segment
