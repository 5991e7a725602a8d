// Decompression of Parquet page bodies (docs/parquet.md): UNCOMPRESSED,
// SNAPPY (libsnappy), GZIP (zlib), ZSTD, LZ4_RAW and the older LZ4 codec,
// which writers filled with Hadoop-framed LZ4 blocks (parquet-mr) or, before
// that was settled, with a bare LZ4 block or an LZ4 frame; all three are read.
// And compression of page bodies for the writer (CompressPage).
// Stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/parquet/parquet_error.h"
#include "storage/parquet/parquet_metadata.h"

namespace basalt::parquet {

// A codec Basalt does not read (LZO, BROTLI, a number the format added
// later): the file is not damaged, so the reader reports 0A000 rather than
// XX001.
class ParquetUnsupportedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The codec's name as parquet.thrift spells it ("SNAPPY"), or "codec N".
std::string CompressionCodecName(CompressionCodec codec);

// Decompresses input[0, input_size) into output[0, output_size), where
// output_size is the page header's uncompressed size. Throws
// ParquetDecodeError unless the input decompresses to exactly output_size
// bytes, ParquetUnsupportedError for a codec Basalt does not read. Never
// reads or writes outside the two spans.
void DecompressPage(CompressionCodec codec, const uint8_t* input, size_t input_size,
                    uint8_t* output, size_t output_size);

// Compresses a page body for the writer: UNCOMPRESSED (a copy), SNAPPY, GZIP
// (a gzip member, zlib's default level), ZSTD (level 3, zstd's default) and
// LZ4_RAW (a bare LZ4 block). Throws ParquetUnsupportedError for any other
// codec, std::bad_alloc when a library cannot allocate.
std::vector<uint8_t> CompressPage(CompressionCodec codec, const uint8_t* input, size_t input_size);

}  // namespace basalt::parquet
