// The bitmap index: `col = 'x'`, `col IN (...)` and `col IS NULL` as row
// bitmaps, and scans that read only the rows a bitmap selects.
#include <gtest/gtest.h>

#include <cstring>

#include "storage/segment/segment_test_util.h"

namespace basalt::segment_test {
namespace {

class SegmentBitmapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RandomValues rv(11);
    for (int i = 0; i < kRows; i++) {
      const bool null = rv.Uniform(0, 99) < 5;
      // "rare" appears exactly once, at row 12345.
      std::string v = i == 12345 ? "rare" : kValues[rv.Uniform(0, 3)];
      rows_.push_back({null && i != 12345 ? Value::Null(TypeId::kVarchar) : Value::Varchar(v),
                       Value::Integer(i), Value::Varchar("payload of row " + std::to_string(i))});
    }
    SegmentWriterOptions options;
    options.block_rows = 4096;
    WriteSegment(dir_.File("b.seg"), schema_, rows_, options);
    reader_ = SegmentReader::Open(dir_.File("b.seg"));
  }

  std::vector<uint32_t> Expected(const std::function<bool(const Value&)>& match) const {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < rows_.size(); i++) {
      if (match(rows_[i][0])) out.push_back(static_cast<uint32_t>(i));
    }
    return out;
  }

  static constexpr int kRows = 50000;
  static constexpr const char* kValues[] = {"BUILDING", "AUTOMOBILE", "MACHINERY", "HOUSEHOLD"};
  TempDir dir_;
  const std::vector<SegmentColumn> schema_ = {
      {"segment", TypeId::kVarchar}, {"id", TypeId::kInteger}, {"payload", TypeId::kVarchar}};
  std::vector<Row> rows_;
  std::unique_ptr<SegmentReader> reader_;
};

TEST_F(SegmentBitmapTest, EqualityLookups) {
  ASSERT_TRUE(reader_->HasBitmapIndex(0));
  for (const char* v : kValues) {
    auto bitmap = reader_->LookupEqual(0, v);
    ASSERT_TRUE(bitmap.has_value());
    EXPECT_EQ(bitmap->ToVector(),
              Expected([&](const Value& x) { return !x.IsNull() && x.GetString() == v; }))
        << v;
  }
  auto rare = reader_->LookupEqual(0, "rare");
  ASSERT_TRUE(rare.has_value());
  EXPECT_EQ(rare->ToVector(), std::vector<uint32_t>{12345});
  auto absent = reader_->LookupEqual(0, "BUILDINGS");
  ASSERT_TRUE(absent.has_value());
  EXPECT_TRUE(absent->IsEmpty());
  EXPECT_TRUE(reader_->LookupEqual(0, "")->IsEmpty());
}

TEST_F(SegmentBitmapTest, InAndNullLookups) {
  auto in = reader_->LookupIn(0, {"MACHINERY", "rare", "nope"});
  ASSERT_TRUE(in.has_value());
  EXPECT_EQ(in->ToVector(), Expected([](const Value& x) {
              return !x.IsNull() && (x.GetString() == "MACHINERY" || x.GetString() == "rare");
            }));
  auto nulls = reader_->LookupNull(0);
  ASSERT_TRUE(nulls.has_value());
  EXPECT_EQ(nulls->ToVector(), Expected([](const Value& x) { return x.IsNull(); }));
  EXPECT_EQ(nulls->Cardinality(), reader_->GetColumnInfo(0).null_count);
  // The payload column is unique: no index, the caller scans.
  EXPECT_FALSE(reader_->HasBitmapIndex(2));
  EXPECT_EQ(reader_->LookupIn(2, {"x"}), std::nullopt);
}

TEST_F(SegmentBitmapTest, ScansReadOnlySelectedRows) {
  auto rare = *reader_->LookupEqual(0, "rare");
  // Only one block holds the row: the others are skipped by CountInRange.
  int blocks_with_rows = 0;
  for (idx_t b = 0; b < reader_->block_count(); b++) {
    if (rare.CountInRange(reader_->BlockFirstRow(b),
                          reader_->BlockFirstRow(b) + reader_->BlockRowCount(b)) > 0) {
      blocks_with_rows++;
    }
  }
  EXPECT_EQ(blocks_with_rows, 1);
  const auto got = ReadRows(*reader_, {1, 2}, &rare);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0][0] == Value::Integer(12345));
  EXPECT_EQ(got[0][1].GetString(), "payload of row 12345");

  // A dense selection with runs and gaps, across blocks.
  auto selection = *reader_->LookupIn(0, {"BUILDING", "HOUSEHOLD"});
  selection.AddRange(4000, 4200);
  selection.UnionWith(*reader_->LookupNull(0));
  std::vector<Row> expected;
  for (uint32_t r : selection.ToVector())
    expected.push_back({rows_[r][0], rows_[r][1], rows_[r][2]});
  ExpectSameRows(expected, ReadRows(*reader_, {0, 1, 2}, &selection));
}

TEST_F(SegmentBitmapTest, EmptySelectionReadsNothing) {
  RowBitmap none;
  EXPECT_TRUE(ReadRows(*reader_, {0, 1, 2}, &none).empty());
}

TEST(SegmentRowBitmap, Operations) {
  RowBitmap a = RowBitmap::Of({1, 5, 9, 100000});
  RowBitmap b = RowBitmap::Range(4, 10);
  EXPECT_EQ(a.Cardinality(), 4u);
  EXPECT_TRUE(a.Contains(9));
  EXPECT_FALSE(a.Contains(8));
  EXPECT_EQ(a.CountInRange(0, 10), 3u);
  RowBitmap c = a;
  c.IntersectWith(b);
  EXPECT_EQ(c.ToVector(), (std::vector<uint32_t>{5, 9}));
  c.UnionWith(RowBitmap::Of({0}));
  EXPECT_EQ(c.ToVector(), (std::vector<uint32_t>{0, 5, 9}));
  uint32_t out[16];
  EXPECT_EQ(a.ExtractRange(5, 100001, out), 3u);
  EXPECT_EQ(out[0], 0u);
  EXPECT_EQ(out[1], 4u);
  EXPECT_EQ(out[2], 99995u);
  EXPECT_EQ(a.ExtractRange(10, 11, out), 0u);
  std::vector<char> bytes(a.SerializedSize());
  a.Serialize(bytes.data());
  RowBitmap back;
  ASSERT_TRUE(RowBitmap::Deserialize(bytes.data(), bytes.size(), &back));
  EXPECT_TRUE(back == a);
  EXPECT_FALSE(RowBitmap::Deserialize(bytes.data(), bytes.size() - 1, &back));
  EXPECT_TRUE(back.IsWellFormed(100001));
  EXPECT_FALSE(back.IsWellFormed(100000));  // a row past the limit
  RowBitmap moved = std::move(a);
  EXPECT_EQ(moved.Cardinality(), 4u);
  EXPECT_TRUE(a.IsEmpty());  // NOLINT: a moved-from bitmap is empty and usable
}

TEST(SegmentRowBitmap, MalformedContentsAreDetected) {
  RowBitmap small = RowBitmap::Of({1, 5, 9});
  std::vector<char> bytes(small.SerializedSize());
  small.Serialize(bytes.data());
  // Portable format without runs: cookie, container count, key and
  // cardinality - 1, container offsets, then the array container's values
  // as uint16, last.
  ASSERT_GE(bytes.size(), 18u);
  const uint16_t reversed[] = {9, 5, 1};
  std::memcpy(bytes.data() + bytes.size() - sizeof(reversed), reversed, sizeof(reversed));
  RowBitmap back;
  ASSERT_TRUE(RowBitmap::Deserialize(bytes.data(), bytes.size(), &back));
  EXPECT_FALSE(back.IsWellFormed(1000));
}

}  // namespace
}  // namespace basalt::segment_test
