#include "storage/segment/block_compression.h"

#include <lz4.h>
#include <zstd.h>

#include "common/exception.h"
#include "storage/segment/segment_error.h"

namespace basalt::segment {

namespace {
// Below this, framing overhead eats any gain.
constexpr size_t kMinCompressBytes = 64;
}  // namespace

SegmentCompression CompressRegion(SegmentCompression method, int zstd_level, const uint8_t* raw,
                                  size_t n, std::vector<uint8_t>* out) {
  out->clear();
  if (method == SegmentCompression::kNone || n < kMinCompressBytes) {
    return SegmentCompression::kNone;
  }
  BASALT_CHECK(n <= kMaxRegionBytes);
  size_t compressed = 0;
  if (method == SegmentCompression::kLz4) {
    out->resize(static_cast<size_t>(LZ4_compressBound(static_cast<int>(n))));
    const int r = LZ4_compress_default(reinterpret_cast<const char*>(raw),
                                       reinterpret_cast<char*>(out->data()), static_cast<int>(n),
                                       static_cast<int>(out->size()));
    if (r <= 0) ThrowError(sqlstate::kInternalError, "internal error: LZ4 compression failed");
    compressed = static_cast<size_t>(r);
  } else {
    out->resize(ZSTD_compressBound(n));
    const size_t r = ZSTD_compress(out->data(), out->size(), raw, n, zstd_level);
    if (ZSTD_isError(r)) {
      ThrowError(sqlstate::kInternalError, "internal error: ZSTD compression failed: {}",
                 ZSTD_getErrorName(r));
    }
    compressed = r;
  }
  if (compressed > n - n / 16) {
    out->clear();
    return SegmentCompression::kNone;
  }
  out->resize(compressed);
  return method;
}

void DecompressRegion(SegmentCompression method, const uint8_t* stored, size_t n, uint8_t* out,
                      size_t raw_size) {
  BASALT_CHECK(method != SegmentCompression::kNone);
  if (method == SegmentCompression::kLz4) {
    const int r =
        LZ4_decompress_safe(reinterpret_cast<const char*>(stored), reinterpret_cast<char*>(out),
                            static_cast<int>(n), static_cast<int>(raw_size));
    if (r < 0 || static_cast<size_t>(r) != raw_size) {
      ThrowDecodeError("LZ4 data does not decompress to {} bytes", raw_size);
    }
    return;
  }
  if (method == SegmentCompression::kZstd) {
    const size_t r = ZSTD_decompress(out, raw_size, stored, n);
    if (ZSTD_isError(r)) ThrowDecodeError("ZSTD data is invalid: {}", ZSTD_getErrorName(r));
    if (r != raw_size) ThrowDecodeError("ZSTD data decompresses to {} bytes, not {}", r, raw_size);
    return;
  }
  ThrowDecodeError("unknown compression {}", static_cast<int>(method));
}

}  // namespace basalt::segment
