#include "storage/segment/integer_encoding.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "storage/segment/bit_packing.h"

namespace basalt::segment {
namespace {

TEST(SegmentBitPacking, RoundTripsEveryWidth) {
  std::mt19937_64 rng(7);
  for (unsigned width = 0; width <= 64; width++) {
    for (uint64_t n : {0, 1, 7, 63, 64, 65, 1000}) {
      std::vector<uint64_t> values(n);
      for (auto& v : values) v = rng() & LowBitsMask(width);
      std::vector<uint8_t> packed(PackedBytes(n, width) + kDecodePadding, 0);
      BitPack(values.data(), n, width, packed.data());
      std::vector<uint64_t> out(n);
      UnpackAdd(packed.data(), 0, n, width, 0, out.data());
      ASSERT_EQ(values, out) << "width " << width << " n " << n;
      for (uint64_t i = 0; i < n; i++) {
        ASSERT_EQ(UnpackOne(packed.data(), i, width), values[i]) << width << " " << i;
      }
      // Padding bytes stay untouched.
      for (size_t i = PackedBytes(n, width); i < packed.size(); i++) ASSERT_EQ(packed[i], 0);
    }
  }
}

TEST(SegmentBitPacking, UnpackSumMatchesTheValuesAtEveryWidth) {
  std::mt19937_64 rng(11);
  for (unsigned width = 0; width <= 64; width++) {
    const uint64_t n = 1500;  // several of UnpackSum's slices
    std::vector<uint64_t> values(n);
    for (auto& v : values) v = rng() & LowBitsMask(width);
    std::vector<uint8_t> packed(PackedBytes(n, width) + kDecodePadding, 0);
    BitPack(values.data(), n, width, packed.data());
    for (auto [first, count] : {std::pair<uint64_t, uint64_t>{0, 0},
                                {0, 1},
                                {3, 250},
                                {7, 256},
                                {1, 257},
                                {100, 1300},
                                {0, n}}) {
      uint64_t expected = 0;  // modulo 2^64
      for (uint64_t i = first; i < first + count; i++) expected += values[i];
      ASSERT_EQ(UnpackSum(packed.data(), first, count, width), expected)
          << "width " << width << " first " << first << " count " << count;
    }
  }
}

TEST(SegmentBitPacking, BitWidth) {
  EXPECT_EQ(BitWidth(0), 0u);
  EXPECT_EQ(BitWidth(1), 1u);
  EXPECT_EQ(BitWidth(255), 8u);
  EXPECT_EQ(BitWidth(256), 9u);
  EXPECT_EQ(BitWidth(~uint64_t{0}), 64u);
}

// Encodes, then decodes with a mix of reads and skips, checking each value.
template <typename T>
BlockEncoding RoundTrip(const std::vector<int64_t>& values, unsigned plain_bytes) {
  ByteWriter w;
  const BlockEncoding kind = EncodeIntegerStream(values.data(), values.size(), plain_bytes, &w);
  std::vector<uint8_t> buf(w.data(), w.data() + w.size());
  buf.resize(buf.size() + kDecodePadding);
  // Whole stream in one read.
  {
    ByteReader r(buf.data(), w.size());
    IntegerStreamCursor<T> c;
    c.Open(&r, values.size());
    EXPECT_TRUE(r.AtEnd());
    EXPECT_EQ(c.kind(), kind);
    std::vector<T> out(values.size());
    c.Read(values.size(), out.data());
    for (size_t i = 0; i < values.size(); i++) {
      EXPECT_EQ(out[i], static_cast<T>(values[i])) << "at " << i << " " << BlockEncodingName(kind);
    }
  }
  // Alternating skips and short reads.
  {
    ByteReader r(buf.data(), w.size());
    IntegerStreamCursor<T> c;
    c.Open(&r, values.size());
    std::mt19937 rng(3);
    size_t pos = 0;
    T one[64];
    while (pos < values.size()) {
      const size_t skip = std::min<size_t>(rng() % 70, values.size() - pos);
      c.Skip(skip);
      pos += skip;
      const size_t take = std::min<size_t>(rng() % 64 + 1, values.size() - pos);
      c.Read(take, one);
      for (size_t i = 0; i < take; i++) {
        EXPECT_EQ(one[i], static_cast<T>(values[pos + i])) << "at " << pos + i;
      }
      pos += take;
    }
  }
  return kind;
}

TEST(SegmentIntegerEncoding, ChoosesFrameOfReferenceForNarrowRanges) {
  std::mt19937_64 rng(1);
  std::vector<int64_t> v(5000);
  for (auto& x : v) x = 1000000 + static_cast<int64_t>(rng() % 1000);
  EXPECT_EQ(RoundTrip<int32_t>(v, 4), BlockEncoding::kFrameOfReference);
}

TEST(SegmentIntegerEncoding, ChoosesDeltaForSortedData) {
  std::vector<int64_t> v(5000);
  int64_t x = -123456789;
  std::mt19937_64 rng(2);
  for (auto& e : v) e = (x += static_cast<int64_t>(rng() % 5));
  EXPECT_EQ(RoundTrip<int64_t>(v, 8), BlockEncoding::kDelta);
}

TEST(SegmentIntegerEncoding, ChoosesRunLengthForRuns) {
  std::vector<int64_t> v;
  for (int run = 0; run < 50; run++) v.insert(v.end(), 100 + run % 7, run * 1000003);
  EXPECT_EQ(RoundTrip<int64_t>(v, 8), BlockEncoding::kRunLength);
}

TEST(SegmentIntegerEncoding, ChoosesPlainForRandomFullRange) {
  std::mt19937_64 rng(3);
  std::vector<int64_t> v(1000);
  for (auto& x : v) x = static_cast<int32_t>(rng());
  EXPECT_EQ(RoundTrip<int32_t>(v, 4), BlockEncoding::kPlain);
}

TEST(SegmentIntegerEncoding, ExtremesOfEveryWidth) {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  RoundTrip<int64_t>({lo, hi, lo, hi, 0, -1, 1}, 8);
  RoundTrip<int64_t>({lo, hi}, 8);
  RoundTrip<int64_t>({hi, lo}, 8);
  std::vector<int64_t> wrap(200);
  for (size_t i = 0; i < wrap.size(); i++) wrap[i] = (i % 2) ? lo : hi;
  RoundTrip<int64_t>(wrap, 8);
  RoundTrip<int16_t>({INT16_MIN, INT16_MAX, 0, INT16_MIN}, 2);
  RoundTrip<int32_t>({INT32_MIN, INT32_MAX, 0, INT32_MIN}, 4);
  // Without a plain form (DECIMAL(38) narrowed): 64-bit frames.
  RoundTrip<int128_t>({lo, hi, -5, 5}, 0);
  RoundTrip<uint32_t>({0, UINT32_MAX, 17}, 4);
}

TEST(SegmentIntegerEncoding, SingleAndConstantValues) {
  EXPECT_EQ(RoundTrip<int32_t>({42}, 4), BlockEncoding::kPlain);
  std::vector<int64_t> same(10000, -77);
  const BlockEncoding kind = RoundTrip<int64_t>(same, 8);
  EXPECT_TRUE(kind == BlockEncoding::kFrameOfReference || kind == BlockEncoding::kRunLength ||
              kind == BlockEncoding::kDelta);
  ByteWriter w;
  EncodeIntegerStream(same.data(), same.size(), 8, &w);
  EXPECT_LT(w.size(), 32u);  // width 0: a constant costs a header
}

TEST(SegmentIntegerEncoding, RejectsStreamsThatOverrunTheirBytes) {
  std::vector<int64_t> v(100);
  for (size_t i = 0; i < v.size(); i++) v[i] = static_cast<int64_t>(i * 977 % 1000);
  ByteWriter w;
  EncodeIntegerStream(v.data(), v.size(), 8, &w);
  std::vector<uint8_t> buf(w.data(), w.data() + w.size());
  buf.resize(buf.size() + kDecodePadding);
  for (size_t cut = 0; cut < w.size(); cut++) {
    ByteReader r(buf.data(), cut);
    IntegerStreamCursor<int64_t> c;
    EXPECT_THROW(c.Open(&r, v.size()), SegmentDecodeError) << "cut at " << cut;
  }
  // A run-length stream whose runs do not add up.
  std::vector<int64_t> runs(300, 5);
  runs.insert(runs.end(), 300, 9);
  ByteWriter rw;
  ASSERT_EQ(EncodeIntegerStream(runs.data(), runs.size(), 8, &rw), BlockEncoding::kRunLength);
  std::vector<uint8_t> rbuf(rw.data(), rw.data() + rw.size());
  rbuf.resize(rbuf.size() + kDecodePadding);
  ByteReader rr(rbuf.data(), rw.size());
  IntegerStreamCursor<int64_t> rc;
  EXPECT_THROW(rc.Open(&rr, runs.size() + 1), SegmentDecodeError);
}

}  // namespace
}  // namespace basalt::segment
