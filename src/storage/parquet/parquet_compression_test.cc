#include "storage/parquet/parquet_compression.h"

#include <gtest/gtest.h>
#include <lz4.h>
#include <lz4frame.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace basalt::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

// Half text-like (compressible), half random bytes.
Bytes SampleData(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes out(n);
  for (size_t i = 0; i < n; i++) {
    out[i] =
        i < n / 2 ? static_cast<uint8_t>("parquet pages "[i % 14]) : static_cast<uint8_t>(rng());
  }
  return out;
}

// ---- Compressors for the tests, using each codec's own library ----

Bytes Snappy(const Bytes& raw) {
  size_t n = snappy_max_compressed_length(raw.size());
  Bytes out(n);
  EXPECT_EQ(snappy_compress(reinterpret_cast<const char*>(raw.data()), raw.size(),
                            reinterpret_cast<char*>(out.data()), &n),
            SNAPPY_OK);
  out.resize(n);
  return out;
}

// window_bits 15 + 16: a gzip member; 15: a zlib stream.
Bytes Deflate(const Bytes& raw, int window_bits) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  Bytes out(deflateBound(&z, raw.size()) + 32);
  z.next_in = const_cast<Bytef*>(raw.data());
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

Bytes Zstd(const Bytes& raw) {
  Bytes out(ZSTD_compressBound(raw.size()));
  const size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

Bytes Lz4Block(const uint8_t* raw, size_t size) {
  Bytes out(static_cast<size_t>(LZ4_compressBound(static_cast<int>(size))));
  const int n =
      LZ4_compress_default(reinterpret_cast<const char*>(raw), reinterpret_cast<char*>(out.data()),
                           static_cast<int>(size), static_cast<int>(out.size()));
  EXPECT_GT(n, size == 0 ? 0 : -1);
  out.resize(static_cast<size_t>(n));
  return out;
}

void PutBe32(Bytes* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<uint8_t>(v >> shift));
}

// Hadoop framing: blocks of `block` raw bytes, each split into chunks of
// `chunk` raw bytes compressed separately.
Bytes HadoopLz4(const Bytes& raw, size_t block, size_t chunk) {
  Bytes out;
  for (size_t start = 0; start < raw.size(); start += block) {
    const size_t block_size = std::min(block, raw.size() - start);
    PutBe32(&out, static_cast<uint32_t>(block_size));
    for (size_t c = 0; c < block_size; c += chunk) {
      const Bytes compressed = Lz4Block(raw.data() + start + c, std::min(chunk, block_size - c));
      PutBe32(&out, static_cast<uint32_t>(compressed.size()));
      out.insert(out.end(), compressed.begin(), compressed.end());
    }
  }
  return out;
}

Bytes Lz4Frame(const Bytes& raw) {
  Bytes out(LZ4F_compressFrameBound(raw.size(), nullptr));
  const size_t n = LZ4F_compressFrame(out.data(), out.size(), raw.data(), raw.size(), nullptr);
  EXPECT_FALSE(LZ4F_isError(n));
  out.resize(n);
  return out;
}

Bytes Compress(CompressionCodec codec, const Bytes& raw) {
  switch (codec) {
    case CompressionCodec::kUncompressed:
      return raw;
    case CompressionCodec::kSnappy:
      return Snappy(raw);
    case CompressionCodec::kGzip:
      return Deflate(raw, 15 + 16);
    case CompressionCodec::kZstd:
      return Zstd(raw);
    case CompressionCodec::kLz4Raw:
      return Lz4Block(raw.data(), raw.size());
    case CompressionCodec::kLz4:
      return HadoopLz4(raw, 1 << 16, 1 << 16);
    default:
      ADD_FAILURE();
      return {};
  }
}

constexpr CompressionCodec kCodecs[] = {CompressionCodec::kUncompressed, CompressionCodec::kSnappy,
                                        CompressionCodec::kGzip,         CompressionCodec::kZstd,
                                        CompressionCodec::kLz4Raw,       CompressionCodec::kLz4};

// Decompresses from an exactly sized heap copy into an exactly sized heap
// buffer, so a read or write past either is a heap overflow the sanitizers
// and valgrind report.
Bytes Decompress(CompressionCodec codec, const Bytes& input, size_t input_size,
                 size_t output_size) {
  auto in = std::make_unique<uint8_t[]>(input_size);
  if (input_size > 0) std::memcpy(in.get(), input.data(), input_size);
  auto out = std::make_unique<uint8_t[]>(output_size);
  DecompressPage(codec, in.get(), input_size, out.get(), output_size);
  return Bytes(out.get(), out.get() + output_size);
}

TEST(ParquetCompression, EveryCodecRoundTrips) {
  for (CompressionCodec codec : kCodecs) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, size_t{200000}}) {
      const Bytes raw = SampleData(n, static_cast<uint32_t>(n));
      const Bytes compressed = Compress(codec, raw);
      EXPECT_EQ(Decompress(codec, compressed, compressed.size(), raw.size()), raw)
          << CompressionCodecName(codec) << " " << n;
    }
  }
}

TEST(ParquetCompression, GzipAcceptsZlibStreamsAndSeveralMembers) {
  const Bytes raw = SampleData(5000, 1);
  const Bytes zlib = Deflate(raw, 15);
  EXPECT_EQ(Decompress(CompressionCodec::kGzip, zlib, zlib.size(), raw.size()), raw);
  const Bytes half(raw.begin(), raw.begin() + 2000);
  const Bytes rest(raw.begin() + 2000, raw.end());
  Bytes members = Deflate(half, 15 + 16);
  const Bytes second = Deflate(rest, 15 + 16);
  members.insert(members.end(), second.begin(), second.end());
  EXPECT_EQ(Decompress(CompressionCodec::kGzip, members, members.size(), raw.size()), raw);
}

TEST(ParquetCompression, Lz4ReadsHadoopFramingBareBlocksAndFrames) {
  const Bytes raw = SampleData(300000, 2);
  // Several blocks, several chunks per block.
  const Bytes hadoop = HadoopLz4(raw, 100000, 30000);
  EXPECT_EQ(Decompress(CompressionCodec::kLz4, hadoop, hadoop.size(), raw.size()), raw);
  const Bytes bare = Lz4Block(raw.data(), raw.size());
  EXPECT_EQ(Decompress(CompressionCodec::kLz4, bare, bare.size(), raw.size()), raw);
  const Bytes frame = Lz4Frame(raw);
  EXPECT_EQ(Decompress(CompressionCodec::kLz4, frame, frame.size(), raw.size()), raw);
  const Bytes small = SampleData(100, 3);
  const Bytes small_bare = Lz4Block(small.data(), small.size());
  EXPECT_EQ(Decompress(CompressionCodec::kLz4, small_bare, small_bare.size(), small.size()), small);
}

TEST(ParquetCompression, WrongUncompressedSizeThrows) {
  for (CompressionCodec codec : kCodecs) {
    const Bytes raw = SampleData(4000, 4);
    const Bytes compressed = Compress(codec, raw);
    for (size_t size : {raw.size() - 1, raw.size() + 1, size_t{0}}) {
      EXPECT_THROW(Decompress(codec, compressed, compressed.size(), size), ParquetDecodeError)
          << CompressionCodecName(codec) << " " << size;
    }
  }
  const Bytes raw = SampleData(4000, 5);
  const Bytes frame = Lz4Frame(raw);
  EXPECT_THROW(Decompress(CompressionCodec::kLz4, frame, frame.size(), raw.size() - 1),
               ParquetDecodeError);
  EXPECT_THROW(Decompress(CompressionCodec::kLz4, frame, frame.size(), raw.size() + 1),
               ParquetDecodeError);
}

TEST(ParquetCompression, EveryTruncationThrows) {
  for (CompressionCodec codec : kCodecs) {
    const Bytes raw = SampleData(600, 6);
    const Bytes compressed = Compress(codec, raw);
    for (size_t cut = 0; cut < compressed.size(); cut++) {
      EXPECT_THROW(Decompress(codec, compressed, cut, raw.size()), ParquetDecodeError)
          << CompressionCodecName(codec) << " cut " << cut;
    }
  }
  const Bytes raw = SampleData(600, 7);
  const Bytes frame = Lz4Frame(raw);
  for (size_t cut = 0; cut < frame.size(); cut++) {
    EXPECT_THROW(Decompress(CompressionCodec::kLz4, frame, cut, raw.size()), ParquetDecodeError)
        << "frame cut " << cut;
  }
}

TEST(ParquetCompression, DamagedBytesNeverCrash) {
  std::mt19937 rng(8);
  for (CompressionCodec codec : kCodecs) {
    const Bytes raw = SampleData(3000, 9);
    const Bytes compressed = Compress(codec, raw);
    for (int round = 0; round < 300; round++) {
      Bytes damaged = compressed;
      for (int flips = 0; flips < 1 + round % 4; flips++) {
        damaged[rng() % damaged.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
      }
      try {
        Decompress(codec, damaged, damaged.size(), raw.size());
      } catch (const ParquetDecodeError&) {
      }
    }
  }
}

TEST(ParquetCompression, UnsupportedCodecsHaveTheirOwnError) {
  static_assert(!std::is_base_of_v<ParquetDecodeError, ParquetUnsupportedError>);
  const uint8_t input[4] = {1, 2, 3, 4};
  uint8_t output[4];
  for (CompressionCodec codec :
       {CompressionCodec::kLzo, CompressionCodec::kBrotli, static_cast<CompressionCodec>(99)}) {
    EXPECT_THROW(DecompressPage(codec, input, 4, output, 4), ParquetUnsupportedError);
  }
  try {
    DecompressPage(CompressionCodec::kBrotli, input, 4, output, 4);
  } catch (const ParquetUnsupportedError& e) {
    EXPECT_STREQ(e.what(), "compression codec BROTLI is not supported");
  }
  EXPECT_EQ(CompressionCodecName(static_cast<CompressionCodec>(99)), "codec 99");
}

}  // namespace
}  // namespace basalt::parquet
