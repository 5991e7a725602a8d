// Constants and small value types of the segment file format, shared by the
// writer and the reader. The byte layout is described in docs/segment_format.md;
// anything that changes it must bump kSegmentFormatVersion.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/types.h"

namespace basalt {

// Rows per block: every block of a segment but the last holds exactly this
// many rows of each column. Large enough that per-block headers, checksums
// and zone maps cost nothing per row, small enough that a block of one column
// decodes within L2 and that zone maps prune at a useful granularity.
inline constexpr idx_t kSegmentBlockRows = 64 * 1024;

// The version this build writes and the only one it reads.
inline constexpr uint32_t kSegmentFormatVersion = 1;

// How a region's bytes are compressed on disk.
enum class SegmentCompression : uint8_t {
  kNone = 0,
  kLz4 = 1,
  kZstd = 2,
};

// How one block of one column is encoded (before compression). Integer-like
// columns (SMALLINT, INTEGER, BIGINT, DATE, TIMESTAMP, DECIMAL) use kPlain,
// kFrameOfReference, kDelta or kRunLength; BOOLEAN kBitPacked; REAL, DOUBLE
// and INTERVAL kPlain; VARCHAR kDictionary (codes into the column's segment
// dictionary), kBlockDictionary or kPlain. kAllNull has no value bytes.
enum class BlockEncoding : uint8_t {
  kAllNull = 0,
  kPlain = 1,
  kFrameOfReference = 2,
  kDelta = 3,
  kRunLength = 4,
  kBitPacked = 5,
  kDictionary = 6,
  kBlockDictionary = 7,
};
inline constexpr uint8_t kMaxBlockEncoding = 7;

const char* BlockEncodingName(BlockEncoding encoding);
const char* SegmentCompressionName(SegmentCompression compression);

namespace segment {

// "BASALTSG" opens the header and closes the trailer.
inline constexpr char kMagic[8] = {'B', 'A', 'S', 'A', 'L', 'T', 'S', 'G'};
// magic[8] | version u32 | flags u32 | XXH3-64 of the previous 16 bytes.
inline constexpr size_t kHeaderSize = 24;
// footer length u64 | footer XXH3-64 u64 | version u32 | flags u32 | magic[8].
inline constexpr size_t kTrailerSize = 32;

// Row ids in bitmaps are uint32: a segment holds fewer than 2^32 rows.
inline constexpr uint64_t kMaxSegmentRows = 0xFFFFFFFFull;
inline constexpr idx_t kMaxBlockRows = idx_t{1} << 20;
// No region (a block, a dictionary, a bitmap directory) is larger than this,
// before or after compression; the reader refuses larger sizes before it
// allocates anything.
inline constexpr uint64_t kMaxRegionBytes = uint64_t{1} << 30;
// The string bytes of one block of one string column stay within this, so
// the block's region (lengths and validity besides) stays under
// kMaxRegionBytes and the writer's uint32 offsets into a block cannot wrap.
inline constexpr uint64_t kMaxBlockStringBytes = kMaxRegionBytes / 2;
// Readers allocate this many zeroed bytes after every decoded region so that
// bit unpacking may load whole 64-bit words at the end of a stream.
inline constexpr size_t kDecodePadding = 16;
// Zone-map bounds of strings keep at most this many bytes (a longer minimum is
// cut to a prefix, a longer maximum to a prefix with its last byte raised).
inline constexpr size_t kZoneMapMaxStringBytes = 128;
// A string column keeps a segment-wide dictionary (and its bitmap index) only
// while it stays within these bounds; past them it falls back to per-block
// encodings.
inline constexpr size_t kMaxDictionaryValues = size_t{1} << 18;
inline constexpr size_t kMaxDictionaryBytes = size_t{16} << 20;

// Where a stored region lives and how to turn it back into raw bytes. The
// checksum is XXH3-64 of the stored (possibly compressed) bytes.
struct RegionRef {
  uint64_t offset = 0;
  uint64_t stored_size = 0;
  uint64_t raw_size = 0;
  SegmentCompression compression = SegmentCompression::kNone;
  uint64_t checksum = 0;
};

}  // namespace segment
}  // namespace basalt
