// Where the column writers put their bytes: compresses a region when that
// pays, checksums what is stored, appends it to the segment file and returns
// the RegionRef the footer will hold. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/segment/segment_file.h"
#include "storage/segment/segment_format.h"

namespace basalt::segment {

class RegionSink {
 public:
  RegionSink(SegmentOutputFile* file, SegmentCompression compression, int zstd_level)
      : file_(file), compression_(compression), zstd_level_(zstd_level) {}

  RegionRef Write(const uint8_t* raw, size_t n);
  // Appends bytes as they are (no compression, no region checksum: the
  // bitmaps, which carry a checksum each) and returns their offset.
  uint64_t WriteRaw(const uint8_t* data, size_t n);

 private:
  SegmentOutputFile* file_;
  SegmentCompression compression_;
  int zstd_level_;
  std::vector<uint8_t> compressed_;
};

}  // namespace basalt::segment
