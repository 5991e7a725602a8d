#include "storage/segment/column_block_cursor.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace basalt::segment {
namespace {

// A decoded block buffer as the reader hands it out: the bytes, then padding.
std::shared_ptr<const uint8_t[]> Buffer(const ByteWriter& w) {
  std::shared_ptr<uint8_t[]> raw(new uint8_t[w.size() + kDecodePadding]());
  std::memcpy(raw.get(), w.data(), w.size());
  return raw;
}

std::string LongValue(int i) { return "a value longer than inline strings #" + std::to_string(i); }

// A selective scan reads a block one run at a time; the vector must pin the
// block (or dictionary) once, when the caller asks, not once per run.
TEST(ColumnBlockCursor, PlainStringsArePinnedOncePerVector) {
  constexpr uint64_t kRows = 200;
  std::vector<int64_t> lengths;
  std::string bytes;
  for (uint64_t i = 0; i < kRows; i++) {
    bytes += LongValue(static_cast<int>(i));
    lengths.push_back(static_cast<int64_t>(LongValue(static_cast<int>(i)).size()));
  }
  ByteWriter w;
  EncodeIntegerStream(lengths.data(), kRows, 4, &w);
  w.PutBytes(bytes.data(), bytes.size());
  std::shared_ptr<const uint8_t[]> raw = Buffer(w);
  Vector out(LogicalType(TypeId::kVarchar));
  {
    ColumnBlockCursor cursor;
    cursor.Open(LogicalType(TypeId::kVarchar), BlockEncoding::kPlain, kRows, 0, raw, w.size(),
                nullptr);
    const long held = raw.use_count();
    for (idx_t j = 0; j < 100; j++) {
      cursor.Skip(1);
      cursor.Read(1, &out, j);
    }
    EXPECT_EQ(raw.use_count(), held);
    cursor.KeepAliveIn(&out);
    EXPECT_EQ(raw.use_count(), held + 1);
  }
  raw.reset();
  for (idx_t j = 0; j < 100; j++) {
    EXPECT_EQ(out.Data<StringRef>()[j].view(), LongValue(static_cast<int>(2 * j + 1)));
  }
}

TEST(ColumnBlockCursor, DictionaryStringsArePinnedOncePerVector) {
  constexpr uint64_t kRows = 300;
  auto dictionary = std::make_shared<SegmentDictionary>();
  std::string bytes;
  for (int k = 0; k < 3; k++) bytes += LongValue(k);
  std::shared_ptr<uint8_t[]> stored(new uint8_t[bytes.size()]);
  std::memcpy(stored.get(), bytes.data(), bytes.size());
  dictionary->bytes = stored;
  size_t at = 0;
  for (int k = 0; k < 3; k++) {
    const size_t n = LongValue(k).size();
    dictionary->values.emplace_back(reinterpret_cast<const char*>(stored.get()) + at,
                                    static_cast<uint32_t>(n));
    at += n;
  }
  dictionary->has_long_values = true;
  stored.reset();

  std::vector<int64_t> codes;
  for (uint64_t i = 0; i < kRows; i++) codes.push_back(static_cast<int64_t>(i % 3));
  ByteWriter w;
  EncodeIntegerStream(codes.data(), kRows, 4, &w);
  Vector out(LogicalType(TypeId::kVarchar));
  std::shared_ptr<const SegmentDictionary> shared = dictionary;
  dictionary.reset();
  {
    ColumnBlockCursor cursor;
    cursor.Open(LogicalType(TypeId::kVarchar), BlockEncoding::kDictionary, kRows, 0, Buffer(w),
                w.size(), shared);
    const long held = shared.use_count();
    for (idx_t j = 0; j < 100; j++) {
      cursor.Skip(2);
      cursor.Read(1, &out, j);
    }
    EXPECT_EQ(shared.use_count(), held);
    cursor.KeepAliveIn(&out);
    EXPECT_EQ(shared.use_count(), held + 1);
  }
  shared.reset();
  for (idx_t j = 0; j < 100; j++) {
    EXPECT_EQ(out.Data<StringRef>()[j].view(), LongValue(static_cast<int>((3 * j + 2) % 3)));
  }
}

TEST(ColumnBlockCursor, InlineStringsNeedNoPin) {
  std::vector<int64_t> lengths = {1, 2, 3};
  ByteWriter w;
  EncodeIntegerStream(lengths.data(), 3, 4, &w);
  w.PutBytes("abbccc", 6);
  std::shared_ptr<const uint8_t[]> raw = Buffer(w);
  ColumnBlockCursor cursor;
  cursor.Open(LogicalType(TypeId::kVarchar), BlockEncoding::kPlain, 3, 0, raw, w.size(), nullptr);
  Vector out(LogicalType(TypeId::kVarchar));
  cursor.Read(3, &out, 0);
  const long held = raw.use_count();
  cursor.KeepAliveIn(&out);
  EXPECT_EQ(raw.use_count(), held);
  EXPECT_EQ(out.Data<StringRef>()[2].view(), "ccc");
}

}  // namespace
}  // namespace basalt::segment
