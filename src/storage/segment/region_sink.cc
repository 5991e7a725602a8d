#include "storage/segment/region_sink.h"

#include <xxhash.h>

#include "storage/segment/block_compression.h"

namespace basalt::segment {

RegionRef RegionSink::Write(const uint8_t* raw, size_t n) {
  RegionRef r;
  r.offset = file_->offset();
  r.raw_size = n;
  r.compression = CompressRegion(compression_, zstd_level_, raw, n, &compressed_);
  const uint8_t* stored = raw;
  size_t stored_size = n;
  if (r.compression != SegmentCompression::kNone) {
    stored = compressed_.data();
    stored_size = compressed_.size();
  }
  r.stored_size = stored_size;
  r.checksum = XXH3_64bits(stored, stored_size);
  file_->Append(stored, stored_size);
  return r;
}

uint64_t RegionSink::WriteRaw(const uint8_t* data, size_t n) {
  const uint64_t offset = file_->offset();
  file_->Append(data, n);
  return offset;
}

}  // namespace basalt::segment
