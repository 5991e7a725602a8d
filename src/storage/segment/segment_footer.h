// The footer: the segment's schema and, per column and block, where the bytes
// are, how they are encoded and compressed, their checksum and zone map.
// Serialized with varints (layout in docs/segment_format.md); ReadFooter
// checks every count, offset and enum it finds, so the reader can trust a
// parsed footer not to point outside the file.
#pragma once

#include <string>
#include <vector>

#include "common/types.h"
#include "storage/segment/byte_reader.h"
#include "storage/segment/byte_writer.h"
#include "storage/segment/segment_format.h"
#include "storage/segment/zone_map.h"

namespace basalt::segment {

struct BlockMeta {
  RegionRef region;
  BlockEncoding encoding = BlockEncoding::kAllNull;
  ZoneMap zone_map;  // also holds the block's null count
};

struct ColumnMeta {
  std::string name;
  LogicalType type;
  uint64_t null_count = 0;
  // A segment-wide sorted dictionary of a string column (blocks encoded
  // kDictionary hold codes into it).
  bool has_dictionary = false;
  uint64_t dictionary_size = 0;
  RegionRef dictionary;
  // A Roaring bitmap per dictionary value plus one of the NULL rows: the
  // directory region lists them, the bitmaps lie in [bitmaps_offset,
  // bitmaps_offset + bitmaps_size) uncompressed.
  bool has_bitmap_index = false;
  RegionRef bitmap_directory;
  uint64_t bitmaps_offset = 0;
  uint64_t bitmaps_size = 0;
  std::vector<BlockMeta> blocks;
};

struct SegmentFooter {
  uint64_t row_count = 0;
  uint64_t block_rows = kSegmentBlockRows;
  std::vector<ColumnMeta> columns;

  uint64_t BlockCount() const { return (row_count + block_rows - 1) / block_rows; }
  uint64_t BlockRowCount(uint64_t block) const {
    const uint64_t first = block * block_rows;
    return row_count - first < block_rows ? row_count - first : block_rows;
  }
};

void WriteFooter(const SegmentFooter& footer, ByteWriter* out);

// Parses a footer and checks it against itself and the file: every region
// must lie within [kHeaderSize, data_end) and the regions must tile that
// range exactly. Throws SegmentDecodeError naming what is wrong.
SegmentFooter ReadFooter(const uint8_t* data, size_t size, uint64_t data_end);

// Whether blocks of `type` may use `encoding`.
bool EncodingAllowed(const LogicalType& type, BlockEncoding encoding);

// Whether the type can be stored in a segment.
bool SegmentTypeSupported(const LogicalType& type);

}  // namespace basalt::segment
