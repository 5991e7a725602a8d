#include "storage/parquet/parquet_compression.h"

#include <fmt/format.h>
#include <lz4.h>
#include <lz4frame.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <climits>
#include <cstring>
#include <new>
#include <string>

namespace basalt::parquet {

namespace {

[[noreturn]] void ThrowWrongSize(const char* codec, size_t expected) {
  throw ParquetDecodeError(
      fmt::format("{} page does not decompress to its {} bytes", codec, expected));
}

void CheckIntSizes(const char* codec, size_t input_size, size_t output_size) {
  // The LZ4 and zlib interfaces count in int / unsigned int.
  if (input_size > INT_MAX || output_size > INT_MAX) {
    throw ParquetDecodeError(fmt::format("{} page larger than 2 GiB", codec));
  }
}

void DecompressSnappy(const uint8_t* input, size_t input_size, uint8_t* output,
                      size_t output_size) {
  const char* in = reinterpret_cast<const char*>(input);
  size_t length = 0;
  if (snappy_uncompressed_length(in, input_size, &length) != SNAPPY_OK || length != output_size) {
    ThrowWrongSize("SNAPPY", output_size);
  }
  if (snappy_uncompress(in, input_size, reinterpret_cast<char*>(output), &length) != SNAPPY_OK ||
      length != output_size) {
    ThrowWrongSize("SNAPPY", output_size);
  }
}

void DecompressGzip(const uint8_t* input, size_t input_size, uint8_t* output, size_t output_size) {
  CheckIntSizes("GZIP", input_size, output_size);
  z_stream z{};
  // 15 window bits plus 32: detect a gzip or a zlib header.
  if (inflateInit2(&z, 15 + 32) != Z_OK) throw std::bad_alloc();
  z.next_in = const_cast<Bytef*>(input);
  z.avail_in = static_cast<uInt>(input_size);
  z.next_out = output;
  z.avail_out = static_cast<uInt>(output_size);
  int rc;
  for (;;) {
    rc = inflate(&z, Z_FINISH);
    // A page may hold several gzip members back to back.
    if (rc == Z_STREAM_END && z.avail_in > 0 && z.avail_out > 0) {
      if (inflateReset(&z) != Z_OK) break;
      continue;
    }
    break;
  }
  // total_out restarts with each member; avail_out does not.
  const bool ok = rc == Z_STREAM_END && z.avail_in == 0 && z.avail_out == 0;
  inflateEnd(&z);
  if (!ok) ThrowWrongSize("GZIP", output_size);
}

void DecompressZstd(const uint8_t* input, size_t input_size, uint8_t* output, size_t output_size) {
  const size_t r = ZSTD_decompress(output, output_size, input, input_size);
  if (ZSTD_isError(r) || r != output_size) ThrowWrongSize("ZSTD", output_size);
}

bool DecompressLz4Block(const uint8_t* input, size_t input_size, uint8_t* output,
                        size_t output_size) {
  const int r =
      LZ4_decompress_safe(reinterpret_cast<const char*>(input), reinterpret_cast<char*>(output),
                          static_cast<int>(input_size), static_cast<int>(output_size));
  return r >= 0 && static_cast<size_t>(r) == output_size;
}

uint32_t LoadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Hadoop's block framing (parquet-mr's LZ4): blocks of a big-endian u32
// uncompressed length, then chunks of a big-endian u32 compressed length and
// an LZ4 block, until the block's length is produced. False when the bytes
// do not parse as that framing.
bool DecompressHadoopLz4(const uint8_t* input, size_t input_size, uint8_t* output,
                         size_t output_size) {
  size_t pos = 0;
  size_t produced = 0;
  while (pos < input_size) {
    if (input_size - pos < 4) return false;
    const uint32_t block_size = LoadBe32(input + pos);
    pos += 4;
    if (block_size > output_size - produced) return false;
    const size_t block_end = produced + block_size;
    while (produced < block_end) {
      if (input_size - pos < 4) return false;
      const uint32_t chunk_size = LoadBe32(input + pos);
      pos += 4;
      if (chunk_size == 0 || chunk_size > input_size - pos) return false;
      const int r = LZ4_decompress_safe(
          reinterpret_cast<const char*>(input + pos), reinterpret_cast<char*>(output + produced),
          static_cast<int>(chunk_size), static_cast<int>(block_end - produced));
      if (r <= 0) return false;
      produced += static_cast<size_t>(r);
      pos += chunk_size;
    }
  }
  return produced == output_size;
}

bool DecompressLz4Frame(const uint8_t* input, size_t input_size, uint8_t* output,
                        size_t output_size) {
  LZ4F_dctx* dctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) throw std::bad_alloc();
  size_t in_pos = 0;
  size_t out_pos = 0;
  bool ok = false;
  for (;;) {
    size_t in_n = input_size - in_pos;
    size_t out_n = output_size - out_pos;
    const size_t r =
        LZ4F_decompress(dctx, output + out_pos, &out_n, input + in_pos, &in_n, nullptr);
    if (LZ4F_isError(r)) break;
    in_pos += in_n;
    out_pos += out_n;
    if (r == 0) {
      // End of a frame: done when the input is, else another frame follows.
      if (in_pos == input_size) {
        ok = out_pos == output_size;
        break;
      }
      continue;
    }
    // More input is wanted but none is left, or no progress is possible
    // because the output is full.
    if (in_pos == input_size || (in_n == 0 && out_n == 0)) break;
  }
  LZ4F_freeDecompressionContext(dctx);
  return ok;
}

void DecompressLz4(const uint8_t* input, size_t input_size, uint8_t* output, size_t output_size) {
  CheckIntSizes("LZ4", input_size, output_size);
  if (DecompressHadoopLz4(input, input_size, output, output_size)) return;
  constexpr uint8_t kFrameMagic[4] = {0x04, 0x22, 0x4d, 0x18};
  if (input_size >= 4 && std::memcmp(input, kFrameMagic, 4) == 0 &&
      DecompressLz4Frame(input, input_size, output, output_size)) {
    return;
  }
  if (!DecompressLz4Block(input, input_size, output, output_size))
    ThrowWrongSize("LZ4", output_size);
}

}  // namespace

std::string CompressionCodecName(CompressionCodec codec) {
  switch (codec) {
    case CompressionCodec::kUncompressed:
      return "UNCOMPRESSED";
    case CompressionCodec::kSnappy:
      return "SNAPPY";
    case CompressionCodec::kGzip:
      return "GZIP";
    case CompressionCodec::kLzo:
      return "LZO";
    case CompressionCodec::kBrotli:
      return "BROTLI";
    case CompressionCodec::kLz4:
      return "LZ4";
    case CompressionCodec::kZstd:
      return "ZSTD";
    case CompressionCodec::kLz4Raw:
      return "LZ4_RAW";
  }
  return fmt::format("codec {}", static_cast<int32_t>(codec));
}

void DecompressPage(CompressionCodec codec, const uint8_t* input, size_t input_size,
                    uint8_t* output, size_t output_size) {
  switch (codec) {
    case CompressionCodec::kUncompressed:
      if (input_size != output_size) ThrowWrongSize("UNCOMPRESSED", output_size);
      if (output_size > 0) std::memcpy(output, input, output_size);
      return;
    case CompressionCodec::kSnappy:
      DecompressSnappy(input, input_size, output, output_size);
      return;
    case CompressionCodec::kGzip:
      DecompressGzip(input, input_size, output, output_size);
      return;
    case CompressionCodec::kZstd:
      DecompressZstd(input, input_size, output, output_size);
      return;
    case CompressionCodec::kLz4Raw:
      CheckIntSizes("LZ4_RAW", input_size, output_size);
      if (!DecompressLz4Block(input, input_size, output, output_size)) {
        ThrowWrongSize("LZ4_RAW", output_size);
      }
      return;
    case CompressionCodec::kLz4:
      DecompressLz4(input, input_size, output, output_size);
      return;
    case CompressionCodec::kLzo:
    case CompressionCodec::kBrotli:
      break;
  }
  throw ParquetUnsupportedError(
      fmt::format("compression codec {} is not supported", CompressionCodecName(codec)));
}

std::vector<uint8_t> CompressPage(CompressionCodec codec, const uint8_t* input, size_t input_size) {
  std::vector<uint8_t> out;
  switch (codec) {
    case CompressionCodec::kUncompressed:
      out.assign(input, input + input_size);
      return out;
    case CompressionCodec::kSnappy: {
      size_t length = snappy_max_compressed_length(input_size);
      out.resize(length);
      if (snappy_compress(reinterpret_cast<const char*>(input), input_size,
                          reinterpret_cast<char*>(out.data()), &length) != SNAPPY_OK) {
        throw std::bad_alloc();
      }
      out.resize(length);
      return out;
    }
    case CompressionCodec::kGzip: {
      if (input_size > UINT_MAX / 2) throw ParquetUnsupportedError("GZIP page larger than 2 GiB");
      z_stream z{};
      // 15 window bits plus 16: a gzip header and trailer, which every reader expects.
      if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
          Z_OK) {
        throw std::bad_alloc();
      }
      out.resize(deflateBound(&z, static_cast<uLong>(input_size)));
      z.next_in = const_cast<Bytef*>(input);
      z.avail_in = static_cast<uInt>(input_size);
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      const int rc = deflate(&z, Z_FINISH);
      const size_t written = z.total_out;
      deflateEnd(&z);
      if (rc != Z_STREAM_END) throw std::bad_alloc();
      out.resize(written);
      return out;
    }
    case CompressionCodec::kZstd: {
      out.resize(ZSTD_compressBound(input_size));
      const size_t n = ZSTD_compress(out.data(), out.size(), input, input_size, 3);
      if (ZSTD_isError(n)) throw std::bad_alloc();
      out.resize(n);
      return out;
    }
    case CompressionCodec::kLz4Raw: {
      if (input_size > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
        throw ParquetUnsupportedError("LZ4_RAW page larger than the LZ4 block limit");
      }
      out.resize(LZ4_compressBound(static_cast<int>(input_size)));
      const int n = LZ4_compress_default(reinterpret_cast<const char*>(input),
                                         reinterpret_cast<char*>(out.data()),
                                         static_cast<int>(input_size), static_cast<int>(out.size()));
      if (n <= 0) throw std::bad_alloc();
      out.resize(n);
      return out;
    }
    default:
      throw ParquetUnsupportedError("cannot write codec " + CompressionCodecName(codec));
  }
}

}  // namespace basalt::parquet
