#include "storage/segment/segment_format.h"

namespace basalt {

const char* BlockEncodingName(BlockEncoding encoding) {
  switch (encoding) {
    case BlockEncoding::kAllNull:
      return "all_null";
    case BlockEncoding::kPlain:
      return "plain";
    case BlockEncoding::kFrameOfReference:
      return "frame_of_reference";
    case BlockEncoding::kDelta:
      return "delta";
    case BlockEncoding::kRunLength:
      return "run_length";
    case BlockEncoding::kBitPacked:
      return "bit_packed";
    case BlockEncoding::kDictionary:
      return "dictionary";
    case BlockEncoding::kBlockDictionary:
      return "block_dictionary";
  }
  return "unknown";
}

const char* SegmentCompressionName(SegmentCompression compression) {
  switch (compression) {
    case SegmentCompression::kNone:
      return "none";
    case SegmentCompression::kLz4:
      return "lz4";
    case SegmentCompression::kZstd:
      return "zstd";
  }
  return "unknown";
}

}  // namespace basalt
