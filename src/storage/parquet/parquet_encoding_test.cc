#include "storage/parquet/parquet_encoding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/arena.h"
#include "storage/parquet/parquet_bit_unpack.h"

namespace basalt::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

// ---- Test-only encoders, written from Encodings.md ----

void PutUleb128(Bytes* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<uint8_t>(v));
}

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

// Appends values packed LSB first at `width` bits, padded to whole bytes.
void PutBitPacked(Bytes* out, const std::vector<uint64_t>& values, unsigned width) {
  const size_t start = out->size();
  out->resize(start + (values.size() * width + 7) / 8, 0);
  uint64_t bit = 0;
  for (uint64_t v : values) {
    for (unsigned b = 0; b < width; b++, bit++) {
      if ((v >> b) & 1) (*out)[start + bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
    }
  }
}

void PutLe32(Bytes* out, uint32_t v) {
  for (int i = 0; i < 4; i++) out->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// The RLE / bit-packed hybrid, with the runs chosen by the test.
class RleWriter {
 public:
  explicit RleWriter(unsigned width) : width_(width) {}
  void Rle(uint64_t count, uint32_t value) {
    PutUleb128(&bytes_, count << 1);
    for (unsigned i = 0; i < (width_ + 7) / 8; i++)
      bytes_.push_back(static_cast<uint8_t>(value >> (8 * i)));
  }
  // Pads to a whole number of groups of 8 with zeros.
  void Packed(std::vector<uint64_t> values) {
    values.resize((values.size() + 7) / 8 * 8, 0);
    PutUleb128(&bytes_, (values.size() / 8) << 1 | 1);
    PutBitPacked(&bytes_, values, width_);
  }
  const Bytes& bytes() const { return bytes_; }

 private:
  unsigned width_;
  Bytes bytes_;
};

// DELTA_BINARY_PACKED; values are taken modulo 2^64 (or the caller's type).
Bytes EncodeDelta(const std::vector<int64_t>& values, uint64_t block_size = 128,
                  uint64_t miniblocks = 4, uint8_t unused_width_byte = 0) {
  Bytes out;
  PutUleb128(&out, block_size);
  PutUleb128(&out, miniblocks);
  PutUleb128(&out, values.size());
  PutUleb128(&out, ZigZag(values.empty() ? 0 : values[0]));
  const uint64_t per_miniblock = block_size / miniblocks;
  for (size_t start = 1; start < values.size(); start += block_size) {
    const size_t end = std::min<size_t>(values.size(), start + block_size);
    std::vector<uint64_t> deltas;
    for (size_t i = start; i < end; i++) {
      deltas.push_back(static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(values[i - 1]));
    }
    int64_t min_delta = std::numeric_limits<int64_t>::max();
    for (uint64_t d : deltas) min_delta = std::min(min_delta, static_cast<int64_t>(d));
    PutUleb128(&out, ZigZag(min_delta));
    for (uint64_t& d : deltas) d -= static_cast<uint64_t>(min_delta);
    std::vector<unsigned> widths;
    const size_t used = (deltas.size() + per_miniblock - 1) / per_miniblock;
    for (size_t m = 0; m < miniblocks; m++) {
      if (m >= used) {
        out.push_back(unused_width_byte);
        continue;
      }
      uint64_t max = 0;
      for (size_t i = m * per_miniblock;
           i < std::min<size_t>(deltas.size(), (m + 1) * per_miniblock); i++) {
        max = std::max(max, deltas[i]);
      }
      widths.push_back(static_cast<unsigned>(std::bit_width(max)));
      out.push_back(static_cast<uint8_t>(widths.back()));
    }
    for (size_t m = 0; m < used; m++) {
      std::vector<uint64_t> mb(per_miniblock, 0);  // padded to a full miniblock
      for (size_t i = 0; i < per_miniblock && m * per_miniblock + i < deltas.size(); i++) {
        mb[i] = deltas[m * per_miniblock + i];
      }
      PutBitPacked(&out, mb, widths[m]);
    }
  }
  return out;
}

Bytes EncodeDeltaLength(const std::vector<std::string>& values) {
  std::vector<int64_t> lengths;
  for (const auto& v : values) lengths.push_back(static_cast<int64_t>(v.size()));
  Bytes out = EncodeDelta(lengths);
  for (const auto& v : values) out.insert(out.end(), v.begin(), v.end());
  return out;
}

Bytes EncodeDeltaByteArray(const std::vector<std::string>& values) {
  std::vector<int64_t> prefixes;
  std::vector<std::string> suffixes;
  std::string previous;
  for (const auto& v : values) {
    size_t p = 0;
    while (p < v.size() && p < previous.size() && v[p] == previous[p]) p++;
    prefixes.push_back(static_cast<int64_t>(p));
    suffixes.push_back(v.substr(p));
    previous = v;
  }
  Bytes out = EncodeDelta(prefixes);
  Bytes rest = EncodeDeltaLength(suffixes);
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

// An exactly sized heap copy of the first n bytes, so an overread is a heap
// overflow the sanitizers and valgrind report.
std::unique_ptr<uint8_t[]> Prefix(const Bytes& bytes, size_t n) {
  auto copy = std::make_unique<uint8_t[]>(n);
  if (n > 0) std::memcpy(copy.get(), bytes.data(), n);
  return copy;
}

// ---- RLE / bit-packed hybrid ----

TEST(ParquetRle, DecodesTheSpecExample) {
  // 0..7 at 3 bits is 10001000 11000110 11111010 (Encodings.md).
  const Bytes bytes = {0x03, 0x88, 0xC6, 0xFA};
  RleBitPackedDecoder decoder(bytes.data(), bytes.size(), 3);
  uint32_t out[8];
  ASSERT_EQ(decoder.Decode(out, 8), 8u);
  for (uint32_t i = 0; i < 8; i++) EXPECT_EQ(out[i], i);
  EXPECT_EQ(decoder.Decode(out, 1), 0u);
}

TEST(ParquetRle, RoundTripsEveryWidthInEveryBatchSize) {
  std::mt19937_64 rng(42);
  for (unsigned width = 0; width <= 32; width++) {
    const uint64_t mask = width == 64 ? ~0ull : (uint64_t{1} << width) - 1;
    RleWriter writer(width);
    std::vector<uint32_t> expected;
    for (int run = 0; run < 40; run++) {
      if (rng() % 2) {
        const uint64_t count = 1 + rng() % 300;
        const uint32_t value = static_cast<uint32_t>(rng() & mask);
        writer.Rle(count, value);
        expected.insert(expected.end(), count, value);
      } else {
        std::vector<uint64_t> values(8 * (1 + rng() % 40));
        for (auto& v : values) v = rng() & mask;
        writer.Packed(values);
        expected.insert(expected.end(), values.begin(), values.end());
      }
    }
    // Both ends of the range appear.
    writer.Rle(3, static_cast<uint32_t>(mask));
    expected.insert(expected.end(), 3, static_cast<uint32_t>(mask));
    writer.Packed({mask, 0, mask, 0, 0, 0, 0, mask});
    const uint32_t top = static_cast<uint32_t>(mask);
    expected.insert(expected.end(), {top, 0, top, 0, 0, 0, 0, top});
    const auto data = Prefix(writer.bytes(), writer.bytes().size());
    for (size_t batch :
         {size_t{1}, size_t{3}, size_t{7}, size_t{8}, size_t{13}, size_t{1024}, expected.size()}) {
      RleBitPackedDecoder decoder(data.get(), writer.bytes().size(), static_cast<int>(width));
      std::vector<uint32_t> out(expected.size() + 5, 0xdeadbeef);
      size_t done = 0;
      while (done < expected.size()) {
        const size_t n = decoder.Decode(out.data() + done, std::min(batch, expected.size() - done));
        ASSERT_GT(n, 0u);
        done += n;
      }
      out.resize(expected.size());
      ASSERT_EQ(out, expected) << "width " << width << " batch " << batch;
      uint32_t extra;
      EXPECT_EQ(decoder.Decode(&extra, 1), 0u);
    }
  }
}

TEST(ParquetRle, FinalPartialGroupDecodesOnlyWhatIsAsked) {
  RleWriter writer(5);
  writer.Packed({1, 2, 3, 4, 5});  // padded to 8 by the writer
  RleBitPackedDecoder decoder(writer.bytes().data(), writer.bytes().size(), 5);
  uint32_t out[5];
  decoder.DecodeExactly(out, 5);
  EXPECT_EQ(std::vector<uint32_t>(out, out + 5), (std::vector<uint32_t>{1, 2, 3, 4, 5}));
}

TEST(ParquetRle, BitPackedRunCutShortYieldsTheValuesPresent) {
  // A writer that leaves out the last group's padding: 5 values at 5 bits
  // need 25 bits, so 4 of the group's 5 bytes.
  RleWriter writer(5);
  writer.Packed({31, 1, 30, 2, 29});
  Bytes bytes = writer.bytes();
  bytes.pop_back();
  const auto data = Prefix(bytes, bytes.size());
  RleBitPackedDecoder decoder(data.get(), bytes.size(), 5);
  uint32_t out[8];
  ASSERT_EQ(decoder.Decode(out, 8), 6u);  // 32 bits: six whole values
  EXPECT_EQ(std::vector<uint32_t>(out, out + 5), (std::vector<uint32_t>{31, 1, 30, 2, 29}));
  RleBitPackedDecoder again(data.get(), bytes.size(), 5);
  EXPECT_THROW(again.DecodeExactly(out, 8), ParquetDecodeError);
}

TEST(ParquetRle, WidthZeroAndLongRuns) {
  RleWriter writer(0);
  writer.Rle(100000, 0);
  writer.Packed(std::vector<uint64_t>(16, 0));
  std::vector<uint32_t> out(100016, 7);
  RleBitPackedDecoder decoder(writer.bytes().data(), writer.bytes().size(), 0);
  decoder.DecodeExactly(out.data(), out.size());
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](uint32_t v) { return v == 0; }));
}

TEST(ParquetRle, SkipCrossesRuns) {
  RleWriter writer(4);
  writer.Rle(10, 9);
  writer.Packed({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0});
  writer.Rle(5, 3);
  RleBitPackedDecoder decoder(writer.bytes().data(), writer.bytes().size(), 4);
  EXPECT_EQ(decoder.Skip(12), 12u);
  uint32_t out[4];
  decoder.DecodeExactly(out, 4);
  EXPECT_EQ(std::vector<uint32_t>(out, out + 4), (std::vector<uint32_t>{3, 4, 5, 6}));
  EXPECT_EQ(decoder.Skip(100), 15u);
}

TEST(ParquetRle, RejectsDamage) {
  EXPECT_THROW(RleBitPackedDecoder(nullptr, 0, 33), ParquetDecodeError);
  EXPECT_THROW(RleBitPackedDecoder(nullptr, 0, -1), ParquetDecodeError);
  // An RLE value wider than the bit width.
  const Bytes too_wide = {0x04, 0x05};
  RleBitPackedDecoder wide(too_wide.data(), too_wide.size(), 2);
  uint32_t out[2];
  EXPECT_THROW(wide.Decode(out, 2), ParquetDecodeError);
  // A varint header that never ends.
  const Bytes endless = {0x80, 0x80, 0x80};
  RleBitPackedDecoder unterminated(endless.data(), endless.size(), 2);
  EXPECT_THROW(unterminated.Decode(out, 2), ParquetDecodeError);
}

TEST(ParquetRle, EveryTruncationThrows) {
  for (unsigned width : {1u, 3u, 8u, 17u, 32u}) {
    const uint64_t mask = (uint64_t{1} << width) - 1;
    RleWriter writer(width);
    writer.Rle(20, static_cast<uint32_t>(mask));
    std::vector<uint64_t> packed(24);
    for (size_t i = 0; i < packed.size(); i++) packed[i] = (i * 2654435761u) & mask;
    writer.Packed(packed);
    writer.Rle(3, 1);
    const size_t total = 20 + 24 + 3;
    const Bytes& bytes = writer.bytes();
    for (size_t cut = 0; cut < bytes.size(); cut++) {
      const auto data = Prefix(bytes, cut);
      std::vector<uint32_t> out(total);
      RleBitPackedDecoder decoder(data.get(), cut, static_cast<int>(width));
      EXPECT_THROW(decoder.DecodeExactly(out.data(), total), ParquetDecodeError)
          << "width " << width << " cut " << cut;
    }
  }
}

TEST(ParquetRle, LengthPrefixedStreams) {
  Bytes bytes;
  PutLe32(&bytes, 2);
  bytes.insert(bytes.end(), {0x04, 0x01, 0xAA});
  size_t consumed = 0;
  auto span = ReadLengthPrefixed(bytes.data(), bytes.size(), &consumed);
  EXPECT_EQ(consumed, 6u);
  EXPECT_EQ(span.size(), 2u);
  EXPECT_EQ(span.data(), bytes.data() + 4);
  EXPECT_THROW(ReadLengthPrefixed(bytes.data(), 3, &consumed), ParquetDecodeError);
  EXPECT_THROW(ReadLengthPrefixed(bytes.data(), 5, &consumed), ParquetDecodeError);
  EXPECT_EQ(LevelBitWidth(0), 0);
  EXPECT_EQ(LevelBitWidth(1), 1);
  EXPECT_EQ(LevelBitWidth(2), 2);
  EXPECT_EQ(LevelBitWidth(3), 2);
  EXPECT_EQ(LevelBitWidth(4), 3);
}

TEST(ParquetRle, DictionaryIndices) {
  RleWriter writer(2);
  writer.Packed({0, 1, 2, 3, 2, 1, 0, 0});
  Bytes bytes = {2};
  bytes.insert(bytes.end(), writer.bytes().begin(), writer.bytes().end());
  RleBitPackedDecoder decoder = MakeDictionaryIndexDecoder(bytes.data(), bytes.size());
  uint32_t indices[8];
  decoder.DecodeExactly(indices, 8);
  const int64_t dictionary[4] = {10, 20, 30, 40};
  int64_t out[8];
  GatherDictionary(dictionary, 4, indices, 8, out);
  EXPECT_EQ(std::vector<int64_t>(out, out + 8),
            (std::vector<int64_t>{10, 20, 30, 40, 30, 20, 10, 10}));
  EXPECT_THROW(GatherDictionary(dictionary, 3, indices, 8, out), ParquetDecodeError);
  const Bytes bad_width = {33, 0};
  EXPECT_THROW(MakeDictionaryIndexDecoder(bad_width.data(), bad_width.size()), ParquetDecodeError);
  // A page of nulls has no index bytes at all.
  RleBitPackedDecoder empty = MakeDictionaryIndexDecoder(nullptr, 0);
  EXPECT_EQ(empty.Decode(indices, 1), 0u);
}

// ---- The bit unpacker alone, at every width and offset ----

TEST(ParquetBitUnpack, EveryWidthFromEveryOffset) {
  std::mt19937_64 rng(5);
  for (unsigned width = 0; width <= 64; width++) {
    const uint64_t mask = width == 64 ? ~0ull : (uint64_t{1} << width) - 1;
    std::vector<uint64_t> values(77);
    for (auto& v : values) v = rng() & mask;
    Bytes packed;
    PutBitPacked(&packed, values, width);
    const auto data = Prefix(packed, packed.size());
    for (size_t first = 0; first < values.size(); first += 5) {
      const size_t count = values.size() - first;
      std::vector<uint64_t> out(count);
      internal::UnpackBits<uint64_t>(data.get(), packed.size(), width, first, count, out.data());
      ASSERT_TRUE(std::equal(out.begin(), out.end(), values.begin() + first))
          << width << " " << first;
    }
  }
}

// ---- PLAIN ----

TEST(ParquetPlain, FixedWidthValuesInBatches) {
  std::vector<int64_t> values = {0, -1, std::numeric_limits<int64_t>::min(),
                                 std::numeric_limits<int64_t>::max(), 42};
  Bytes bytes(values.size() * 8);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  PlainDecoder decoder(bytes.data(), bytes.size());
  int64_t out[5];
  decoder.DecodeFixed(out, 2);
  decoder.DecodeFixed(out + 2, 3);
  EXPECT_EQ(std::vector<int64_t>(out, out + 5), values);
  EXPECT_EQ(decoder.remaining_bytes(), 0u);
  EXPECT_THROW(decoder.DecodeFixed(out, 1), ParquetDecodeError);

  const double doubles[2] = {1.5, -0.25};
  PlainDecoder d(reinterpret_cast<const uint8_t*>(doubles), sizeof(doubles));
  double dout[2];
  d.DecodeFixed(dout, 2);
  EXPECT_EQ(dout[0], 1.5);
  EXPECT_EQ(dout[1], -0.25);

  // An empty page and an empty batch, both possibly null.
  PlainDecoder empty(nullptr, 0);
  empty.DecodeFixed<int32_t>(nullptr, 0);
  empty.DecodeBooleans(nullptr, 0);
  EXPECT_THROW(empty.DecodeFixed(out, 1), ParquetDecodeError);

  // A count whose byte size overflows size_t is still refused.
  PlainDecoder huge(bytes.data(), bytes.size());
  EXPECT_THROW(huge.SkipFixed(8, std::numeric_limits<size_t>::max() / 4), ParquetDecodeError);
}

TEST(ParquetPlain, BooleansAcrossBatches) {
  std::vector<bool> values;
  for (int i = 0; i < 29; i++) values.push_back((i * 7) % 3 == 0);
  std::vector<uint64_t> bits(values.begin(), values.end());
  Bytes bytes;
  PutBitPacked(&bytes, bits, 1);
  const auto data = Prefix(bytes, bytes.size());
  PlainDecoder decoder(data.get(), bytes.size());
  bool out[29];
  decoder.DecodeBooleans(out, 3);
  decoder.SkipBooleans(2);
  decoder.DecodeBooleans(out + 5, 11);
  decoder.DecodeBooleans(out + 16, 13);
  for (int i = 0; i < 29; i++) {
    if (i == 3 || i == 4) continue;
    EXPECT_EQ(out[i], values[i]) << i;
  }
  // 29 bits used of 32: three more fit, a fourth does not.
  bool more[4];
  EXPECT_THROW(decoder.DecodeBooleans(more, 4), ParquetDecodeError);
  decoder.DecodeBooleans(more, 3);
}

TEST(ParquetPlain, Int96Timestamps) {
  auto int96 = [](int64_t nanos, int32_t julian_day) {
    Bytes b(12);
    std::memcpy(b.data(), &nanos, 8);
    std::memcpy(b.data() + 8, &julian_day, 4);
    return b;
  };
  Bytes bytes;
  for (const Bytes& b : {int96(0, 2440588),
                         // 2000-01-01 12:00:00.123456789
                         int96(43200LL * 1000000000 + 123456789, 2451545),
                         // 1969-12-31 23:59:59.999999
                         int96(86399999999000LL, 2440587)}) {
    bytes.insert(bytes.end(), b.begin(), b.end());
  }
  PlainDecoder decoder(bytes.data(), bytes.size());
  int64_t out[3];
  decoder.DecodeInt96(out, 3);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 946684800LL * 1000000 + 43200LL * 1000000 + 123456);
  EXPECT_EQ(out[2], -1);
  PlainDecoder short_decoder(bytes.data(), 35);
  EXPECT_THROW(short_decoder.DecodeInt96(out, 3), ParquetDecodeError);
}

TEST(ParquetPlain, ByteArraysPointIntoThePage) {
  const std::vector<std::string> values = {"", "a", "twelve bytes", "more than twelve bytes", "x"};
  Bytes bytes;
  for (const auto& v : values) {
    PutLe32(&bytes, static_cast<uint32_t>(v.size()));
    bytes.insert(bytes.end(), v.begin(), v.end());
  }
  PlainDecoder views(bytes.data(), bytes.size());
  std::string_view sv[5];
  views.DecodeByteArrays(sv, 2);
  views.DecodeByteArrays(sv + 2, 3);
  for (size_t i = 0; i < values.size(); i++) EXPECT_EQ(sv[i], values[i]);
  EXPECT_EQ(sv[3].data(), reinterpret_cast<const char*>(bytes.data()) + 4 + 0 + 4 + 1 + 4 + 12 + 4);

  PlainDecoder refs(bytes.data(), bytes.size());
  StringRef sr[5];
  refs.SkipByteArrays(1);
  refs.DecodeByteArrays(sr + 1, 4);
  for (size_t i = 1; i < values.size(); i++) EXPECT_EQ(sr[i].view(), values[i]);

  for (size_t cut = 0; cut < bytes.size(); cut++) {
    const auto data = Prefix(bytes, cut);
    PlainDecoder d(data.get(), cut);
    std::string_view out[5];
    EXPECT_THROW(d.DecodeByteArrays(out, 5), ParquetDecodeError) << cut;
  }
}

TEST(ParquetPlain, FixedLenByteArrays) {
  const std::string bytes = "abcdefghijklmnopq";
  PlainDecoder decoder(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  std::string_view out[5];
  decoder.DecodeFixedLenByteArrays(out, 2, 3);
  decoder.DecodeFixedLenByteArrays(out + 2, 3, 3);
  EXPECT_EQ(out[0], "abc");
  EXPECT_EQ(out[4], "mno");
  EXPECT_THROW(decoder.DecodeFixedLenByteArrays(out, 1, 3), ParquetDecodeError);
}

// ---- DELTA_BINARY_PACKED ----

template <typename T>
std::vector<T> DecodeAllDelta(const uint8_t* data, size_t size, size_t batch) {
  DeltaBinaryPackedDecoder decoder(data, size);
  std::vector<T> out(decoder.total_values());
  for (size_t done = 0; done < out.size();) {
    const size_t n = std::min(batch, out.size() - done);
    decoder.Decode(out.data() + done, n);
    done += n;
  }
  EXPECT_EQ(decoder.values_left(), 0u);
  return out;
}

TEST(ParquetDelta, SpecExamplesAtABlockOf128) {
  // Example 2 of Encodings.md with a valid block size: 7, 5, 3, 1, 2, 3, 4, 5
  // has deltas -2 x3, 1 x4; min delta -2 and relative deltas 0,0,0,3,3,3,3 at 2 bits.
  Bytes bytes;
  PutUleb128(&bytes, 128);
  PutUleb128(&bytes, 4);
  PutUleb128(&bytes, 8);
  PutUleb128(&bytes, ZigZag(7));
  PutUleb128(&bytes, ZigZag(-2));
  bytes.insert(bytes.end(), {2, 0, 0, 0});
  std::vector<uint64_t> relative = {0, 0, 0, 3, 3, 3, 3};
  relative.resize(32, 0);
  PutBitPacked(&bytes, relative, 2);
  EXPECT_EQ(bytes, EncodeDelta({7, 5, 3, 1, 2, 3, 4, 5}));
  EXPECT_EQ(DecodeAllDelta<int32_t>(bytes.data(), bytes.size(), 3),
            (std::vector<int32_t>{7, 5, 3, 1, 2, 3, 4, 5}));
}

TEST(ParquetDelta, RoundTripsInEveryBatchSize) {
  std::mt19937_64 rng(9);
  for (size_t n : {0, 1, 2, 32, 33, 128, 129, 130, 1000, 4097}) {
    for (auto [block, miniblocks] :
         std::vector<std::pair<uint64_t, uint64_t>>{{128, 4}, {128, 1}, {256, 8}, {1024, 4}}) {
      std::vector<int64_t> values(n);
      int64_t v = static_cast<int64_t>(rng());
      for (size_t i = 0; i < n; i++) {
        // Mixed: runs of equal values (width 0 miniblocks), small steps
        // both ways, and occasional jumps across the whole range.
        switch (rng() % 4) {
          case 0:
            break;
          case 1:
            v += static_cast<int64_t>(rng() % 100) - 50;
            break;
          case 2:
            v = static_cast<int64_t>(rng());
            break;
          default:
            if (i % 64 < 40) break;
            v -= 3;
        }
        values[i] = v;
      }
      const Bytes bytes = EncodeDelta(values, block, miniblocks);
      const auto data = Prefix(bytes, bytes.size());
      for (size_t batch : {size_t{1}, size_t{7}, size_t{32}, size_t{100}, size_t{5000}}) {
        ASSERT_EQ(DecodeAllDelta<int64_t>(data.get(), bytes.size(), batch), values)
            << n << " " << block << "/" << miniblocks << " batch " << batch;
      }
      // The same bits read as INT32 are the values modulo 2^32.
      std::vector<int32_t> narrow(values.begin(), values.end());
      std::vector<int64_t> narrow64(narrow.begin(), narrow.end());
      const Bytes narrow_bytes = EncodeDelta(narrow64, block, miniblocks);
      ASSERT_EQ(DecodeAllDelta<int32_t>(narrow_bytes.data(), narrow_bytes.size(), 77), narrow);
    }
  }
}

TEST(ParquetDelta, ExtremesWrapAround) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> values;
  for (int i = 0; i < 300; i++) values.push_back(i % 2 ? kMin : kMax);
  values.push_back(0);
  values.push_back(kMin);
  values.push_back(-1);
  const Bytes bytes = EncodeDelta(values);
  EXPECT_EQ(DecodeAllDelta<int64_t>(bytes.data(), bytes.size(), 64), values);

  constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();
  const std::vector<int32_t> narrow = {kMax32, kMin32, kMax32, 0, kMin32, -1, 1};
  const Bytes narrow_bytes = EncodeDelta(std::vector<int64_t>(narrow.begin(), narrow.end()));
  EXPECT_EQ(DecodeAllDelta<int32_t>(narrow_bytes.data(), narrow_bytes.size(), 3), narrow);
}

TEST(ParquetDelta, UnusedMiniblockWidthsMayHoldAnything) {
  std::vector<int64_t> values(40);
  for (size_t i = 0; i < values.size(); i++) values[i] = static_cast<int64_t>(i * i);
  const Bytes bytes = EncodeDelta(values, 128, 4, /*unused_width_byte=*/0xFF);
  EXPECT_EQ(DecodeAllDelta<int64_t>(bytes.data(), bytes.size(), 16), values);
}

TEST(ParquetDelta, SkipToEndFindsWhatFollows) {
  for (size_t n : {0, 1, 2, 40, 129, 1000}) {
    std::vector<int64_t> values(n);
    for (size_t i = 0; i < n; i++) values[i] = static_cast<int64_t>(i * 31 % 17);
    Bytes bytes = EncodeDelta(values);
    const size_t size = bytes.size();
    bytes.insert(bytes.end(), {0xEE, 0xEE, 0xEE});
    DeltaBinaryPackedDecoder decoder(bytes.data(), bytes.size());
    if (n > 3) {
      int64_t out[3];
      decoder.Decode(out, 3);
    }
    EXPECT_EQ(decoder.SkipToEnd(), size) << n;
  }
}

TEST(ParquetDelta, RejectsBadHeadersAndCounts) {
  auto header = [](uint64_t block, uint64_t miniblocks) {
    Bytes b;
    PutUleb128(&b, block);
    PutUleb128(&b, miniblocks);
    PutUleb128(&b, 1);
    PutUleb128(&b, 0);
    return b;
  };
  for (auto [block, miniblocks] : std::vector<std::pair<uint64_t, uint64_t>>{
           {0, 1}, {100, 1}, {128, 0}, {128, 3}, {128, 8}, {uint64_t{1} << 40, 1}}) {
    const Bytes b = header(block, miniblocks);
    EXPECT_THROW(DeltaBinaryPackedDecoder(b.data(), b.size()), ParquetDecodeError)
        << block << "/" << miniblocks;
  }
  const Bytes bytes = EncodeDelta({1, 2, 3});
  DeltaBinaryPackedDecoder decoder(bytes.data(), bytes.size());
  int64_t out[4];
  EXPECT_THROW(decoder.Decode(out, 4), ParquetDecodeError);
  // A miniblock bit width above 64.
  Bytes wide = header(128, 4);
  wide[2] = 2;  // two values
  wide.push_back(0);
  wide.insert(wide.end(), {65, 0, 0, 0});
  wide.resize(wide.size() + 300, 0);
  DeltaBinaryPackedDecoder too_wide(wide.data(), wide.size());
  EXPECT_THROW(too_wide.Decode(out, 2), ParquetDecodeError);
}

TEST(ParquetDelta, EveryTruncationThrows) {
  // 1 + 2 * 128 + 32 values: the last miniblock is full, so no byte of the
  // stream is padding a reader may do without.
  std::vector<int64_t> values(1 + 256 + 32);
  for (size_t i = 0; i < values.size(); i++)
    values[i] = static_cast<int64_t>((i * 7919) % 1000) - 500;
  const Bytes bytes = EncodeDelta(values);
  for (size_t cut = 0; cut < bytes.size(); cut++) {
    const auto data = Prefix(bytes, cut);
    std::vector<int64_t> out(values.size());
    EXPECT_THROW(
        {
          DeltaBinaryPackedDecoder decoder(data.get(), cut);
          decoder.Decode(out.data(), values.size());
        },
        ParquetDecodeError)
        << cut;
  }
}

// ---- DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY ----

std::vector<std::string> SampleStrings(size_t n) {
  std::vector<std::string> values;
  const char* stems[] = {"",
                         "apple",
                         "application",
                         "applied",
                         "banana",
                         "band",
                         "bandwidth is a long word",
                         "bandwidth is a longer word",
                         "c"};
  for (size_t i = 0; i < n; i++) {
    values.push_back(std::string(stems[(i * 5) % 9]) + (i % 3 ? std::to_string(i / 7) : ""));
  }
  // Sorted, as pages often are, so neighbours share prefixes of every length.
  std::sort(values.begin(), values.end());
  return values;
}

TEST(ParquetDeltaLength, RoundTrips) {
  const auto values = SampleStrings(300);
  const Bytes bytes = EncodeDeltaLength(values);
  DeltaLengthByteArrayDecoder decoder(bytes.data(), bytes.size());
  ASSERT_EQ(decoder.total_values(), values.size());
  std::vector<std::string_view> out(values.size());
  decoder.Decode(out.data(), 5);
  decoder.Decode(out.data() + 5, values.size() - 5);
  for (size_t i = 0; i < values.size(); i++) ASSERT_EQ(out[i], values[i]) << i;
  EXPECT_THROW(decoder.Decode(out.data(), 1), ParquetDecodeError);

  DeltaLengthByteArrayDecoder refs(bytes.data(), bytes.size());
  std::vector<StringRef> ref_out(values.size());
  refs.Decode(ref_out.data(), values.size());
  for (size_t i = 0; i < values.size(); i++) ASSERT_EQ(ref_out[i].view(), values[i]) << i;
}

TEST(ParquetDeltaLength, RejectsBadLengths) {
  // A negative length, and lengths summing past the bytes.
  for (const std::vector<int64_t>& lengths :
       {std::vector<int64_t>{2, -1}, std::vector<int64_t>{2, 3}}) {
    Bytes bytes = EncodeDelta(lengths);
    bytes.insert(bytes.end(), {'a', 'b', 'c', 'd'});
    DeltaLengthByteArrayDecoder decoder(bytes.data(), bytes.size());
    std::string_view out[2];
    EXPECT_THROW(decoder.Decode(out, 2), ParquetDecodeError);
  }
  const auto values = SampleStrings(40);
  const Bytes bytes = EncodeDeltaLength(values);
  for (size_t cut = 0; cut < bytes.size(); cut++) {
    const auto data = Prefix(bytes, cut);
    std::vector<std::string_view> out(values.size());
    EXPECT_THROW(
        {
          DeltaLengthByteArrayDecoder decoder(data.get(), cut);
          decoder.Decode(out.data(), values.size());
        },
        ParquetDecodeError)
        << cut;
  }
}

TEST(ParquetDeltaByteArray, DecodesTheSpecExample) {
  // "axis", "axle", "babble", "babyhood": prefixes 0 2 0 3, suffixes
  // "axis" "le" "babble" "yhood" (Encodings.md).
  Bytes bytes = EncodeDelta({0, 2, 0, 3});
  const Bytes suffix_lengths = EncodeDelta({4, 2, 6, 5});
  bytes.insert(bytes.end(), suffix_lengths.begin(), suffix_lengths.end());
  const std::string data = "axislebabbleyhood";
  bytes.insert(bytes.end(), data.begin(), data.end());
  EXPECT_EQ(bytes, EncodeDeltaByteArray({"axis", "axle", "babble", "babyhood"}));
  Arena arena;
  DeltaByteArrayDecoder decoder(bytes.data(), bytes.size());
  std::string_view out[4];
  decoder.Decode(out, 4, &arena);
  EXPECT_EQ(out[0], "axis");
  EXPECT_EQ(out[1], "axle");
  EXPECT_EQ(out[2], "babble");
  EXPECT_EQ(out[3], "babyhood");
  // Values with no shared prefix are not copied.
  EXPECT_EQ(out[0].data(),
            reinterpret_cast<const char*>(bytes.data()) + bytes.size() - data.size());
}

TEST(ParquetDeltaByteArray, RoundTripsAcrossBatchesWithFreshArenas) {
  const auto values = SampleStrings(700);
  const Bytes bytes = EncodeDeltaByteArray(values);
  const auto data = Prefix(bytes, bytes.size());
  for (size_t batch : {size_t{1}, size_t{3}, size_t{256}, size_t{257}, size_t{700}}) {
    DeltaByteArrayDecoder views(data.get(), bytes.size());
    DeltaByteArrayDecoder refs(data.get(), bytes.size());
    for (size_t done = 0; done < values.size();) {
      const size_t n = std::min(batch, values.size() - done);
      // Each batch gets its own arena, dropped before the next: the decoder
      // must not keep pointers into it.
      auto arena = std::make_unique<Arena>(64);
      std::vector<std::string_view> out(n);
      std::vector<StringRef> ref_out(n);
      views.Decode(out.data(), n, arena.get());
      refs.Decode(ref_out.data(), n, arena.get());
      for (size_t i = 0; i < n; i++) {
        ASSERT_EQ(out[i], values[done + i]) << batch << " " << done + i;
        ASSERT_EQ(ref_out[i].view(), values[done + i]) << batch << " " << done + i;
      }
      done += n;
    }
  }
}

TEST(ParquetDeltaByteArray, RejectsDamage) {
  // A prefix longer than the previous value.
  Bytes bytes = EncodeDelta({0, 5});
  const Bytes suffixes = EncodeDeltaLength({"abc", "d"});
  bytes.insert(bytes.end(), suffixes.begin(), suffixes.end());
  Arena arena;
  DeltaByteArrayDecoder decoder(bytes.data(), bytes.size());
  std::string_view out[2];
  EXPECT_THROW(decoder.Decode(out, 2, &arena), ParquetDecodeError);

  const auto values = SampleStrings(50);
  const Bytes good = EncodeDeltaByteArray(values);
  for (size_t cut = 0; cut < good.size(); cut++) {
    const auto data = Prefix(good, cut);
    std::vector<StringRef> refs(values.size());
    EXPECT_THROW(
        {
          DeltaByteArrayDecoder d(data.get(), cut);
          d.Decode(refs.data(), values.size(), &arena);
        },
        ParquetDecodeError)
        << cut;
  }
}

// ---- BYTE_STREAM_SPLIT ----

template <typename T>
Bytes EncodeByteStreamSplit(const std::vector<T>& values) {
  Bytes out(values.size() * sizeof(T));
  for (size_t i = 0; i < values.size(); i++) {
    const uint8_t* p = reinterpret_cast<const uint8_t*>(&values[i]);
    for (size_t k = 0; k < sizeof(T); k++) out[k * values.size() + i] = p[k];
  }
  return out;
}

TEST(ParquetByteStreamSplit, DecodesTheSpecExample) {
  // Three 4-byte values AA BB CC DD, 00 11 22 33, A3 B4 C5 D6 (Encodings.md).
  const Bytes bytes = {0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6};
  ByteStreamSplitDecoder decoder(bytes.data(), bytes.size(), 4);
  uint8_t out[12];
  decoder.Decode(out, 1);
  decoder.Decode(out + 4, 2);
  EXPECT_EQ(Bytes(out, out + 12),
            (Bytes{0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6}));
}

TEST(ParquetByteStreamSplit, RoundTripsEveryWidth) {
  std::vector<double> doubles;
  std::vector<float> floats;
  std::vector<int32_t> ints;
  for (int i = 0; i < 101; i++) {
    doubles.push_back(i * 1.25 - 7);
    floats.push_back(static_cast<float>(i) / 3);
    ints.push_back(i * -99991);
  }
  {
    const Bytes b = EncodeByteStreamSplit(doubles);
    ByteStreamSplitDecoder d(b.data(), b.size(), 8);
    std::vector<double> out(doubles.size());
    d.Decode(reinterpret_cast<uint8_t*>(out.data()), 50);
    d.Decode(reinterpret_cast<uint8_t*>(out.data() + 50), 51);
    EXPECT_EQ(out, doubles);
  }
  {
    const Bytes b = EncodeByteStreamSplit(floats);
    ByteStreamSplitDecoder d(b.data(), b.size(), 4);
    std::vector<float> out(floats.size());
    d.Decode(reinterpret_cast<uint8_t*>(out.data()), out.size());
    EXPECT_EQ(out, floats);
    uint8_t extra[4];
    EXPECT_THROW(d.Decode(extra, 1), ParquetDecodeError);
  }
  {
    const Bytes b = EncodeByteStreamSplit(ints);
    ByteStreamSplitDecoder d(b.data(), b.size(), 4);
    std::vector<int32_t> out(ints.size());
    d.Decode(reinterpret_cast<uint8_t*>(out.data()), out.size());
    EXPECT_EQ(out, ints);
  }
  {
    // FIXED_LEN_BYTE_ARRAY(3): streams of first, second and third bytes.
    const Bytes b = {'a', 'd', 'b', 'e', 'c', 'f'};
    ByteStreamSplitDecoder d(b.data(), b.size(), 3);
    uint8_t out[6];
    d.Decode(out, 2);
    EXPECT_EQ(std::string(out, out + 6), "abcdef");
  }
  const Bytes odd(7);
  EXPECT_THROW(ByteStreamSplitDecoder(odd.data(), odd.size(), 4), ParquetDecodeError);
  EXPECT_THROW(ByteStreamSplitDecoder(odd.data(), odd.size(), 0), ParquetDecodeError);
}

}  // namespace
}  // namespace basalt::parquet
