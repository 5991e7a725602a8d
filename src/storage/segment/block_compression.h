// Whole-region compression with LZ4 (fast, the default) or ZSTD (smaller).
// The writer keeps the compressed form only when it saves at least 1/16 of the
// bytes; otherwise the region is stored as is (SegmentCompression::kNone).
#pragma once

#include <cstdint>
#include <vector>

#include "storage/segment/segment_format.h"

namespace basalt::segment {

// Compresses raw[0, n) into *out (resized to the compressed size). Returns the
// compression actually used: kNone when `method` is kNone, when the region is
// tiny, or when compressing does not pay (then *out is left empty).
SegmentCompression CompressRegion(SegmentCompression method, int zstd_level, const uint8_t* raw,
                                  size_t n, std::vector<uint8_t>* out);

// Decompresses stored[0, n), a region stored with `method` (kLz4 or kZstd:
// an uncompressed region needs no call), into out[0, raw_size); throws
// SegmentDecodeError unless the input decompresses to exactly raw_size bytes.
void DecompressRegion(SegmentCompression method, const uint8_t* stored, size_t n, uint8_t* out,
                      size_t raw_size);

}  // namespace basalt::segment
