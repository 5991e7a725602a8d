// Zone maps: bounds and NULL counts per block, as a scan would use them to
// skip blocks.
#include <gtest/gtest.h>

#include "storage/segment/segment_test_util.h"

namespace basalt::segment_test {
namespace {

TEST(SegmentZoneMap, BoundsPerBlock) {
  TempDir dir;
  const std::vector<SegmentColumn> schema = {{"k", TypeId::kBigint},
                                             {"s", TypeId::kVarchar},
                                             {"d", TypeId::kDouble},
                                             {"dec", LogicalType::Decimal(12, 2)},
                                             {"day", TypeId::kDate}};
  std::vector<Row> rows;
  for (int i = 0; i < 4000; i++) {
    rows.push_back({Value::Bigint(10000 - i), Value::Varchar("name" + std::to_string(1000 + i)),
                    i % 5 == 0 ? Value::Null(TypeId::kDouble) : Value::Double(i * 0.25),
                    Value::Decimal(i * 7, 12, 2), Value::Date(18000 + i / 10)});
  }
  SegmentWriterOptions options;
  options.block_rows = 1024;
  WriteSegment(dir.File("z.seg"), schema, rows, options);
  auto reader = SegmentReader::Open(dir.File("z.seg"));
  ASSERT_EQ(reader->block_count(), 4u);
  for (idx_t b = 0; b < 4; b++) {
    const int first = static_cast<int>(b * 1024);
    const int last = std::min(4000, first + 1024) - 1;
    const ZoneMap& k = reader->GetZoneMap(0, b);
    EXPECT_TRUE(k.min == Value::Bigint(10000 - last));
    EXPECT_TRUE(k.max == Value::Bigint(10000 - first));
    EXPECT_EQ(k.null_count, 0u);
    const ZoneMap& s = reader->GetZoneMap(1, b);
    EXPECT_EQ(s.min.GetString(), "name" + std::to_string(1000 + first));
    EXPECT_EQ(s.max.GetString(), "name" + std::to_string(1000 + last));
    EXPECT_TRUE(s.min_exact && s.max_exact);
    const ZoneMap& d = reader->GetZoneMap(2, b);
    // Row `first` is a multiple of 1024 and so of 5 only for block 0 ... count NULLs directly.
    uint64_t nulls = 0;
    for (int i = first; i <= last; i++) nulls += i % 5 == 0;
    EXPECT_EQ(d.null_count, nulls);
    const int first_valid = first % 5 == 0 ? first + 1 : first;
    const int last_valid = last % 5 == 0 ? last - 1 : last;
    EXPECT_TRUE(d.min == Value::Double(first_valid * 0.25)) << Describe(d.min);
    EXPECT_TRUE(d.max == Value::Double(last_valid * 0.25)) << Describe(d.max);
    EXPECT_TRUE(reader->GetZoneMap(3, b).max == Value::Decimal(last * 7, 12, 2));
    EXPECT_TRUE(reader->GetZoneMap(4, b).min == Value::Date(18000 + first / 10));
  }
}

TEST(SegmentZoneMap, DictionaryColumnsAndNulls) {
  TempDir dir;
  std::vector<Row> rows;
  const char* values[] = {"delta", "alpha", "charlie", "bravo"};
  for (int i = 0; i < 3000; i++) {
    // Block 1 (rows 1024..2047) is all NULL; block 2 only sees "bravo" and "delta".
    if (i >= 1024 && i < 2048) {
      rows.push_back({Value::Null(TypeId::kVarchar)});
    } else if (i >= 2048) {
      rows.push_back({Value::Varchar(i % 2 ? "bravo" : "delta")});
    } else {
      rows.push_back({Value::Varchar(values[i % 4])});
    }
  }
  SegmentWriterOptions options;
  options.block_rows = 1024;
  WriteSegment(dir.File("z.seg"), {{"s", TypeId::kVarchar}}, rows, options);
  auto reader = SegmentReader::Open(dir.File("z.seg"));
  ASSERT_TRUE(reader->GetColumnInfo(0).has_dictionary);
  EXPECT_EQ(reader->GetZoneMap(0, 0).min.GetString(), "alpha");
  EXPECT_EQ(reader->GetZoneMap(0, 0).max.GetString(), "delta");
  EXPECT_FALSE(reader->GetZoneMap(0, 1).has_min);
  EXPECT_FALSE(reader->GetZoneMap(0, 1).has_max);
  EXPECT_EQ(reader->GetZoneMap(0, 1).null_count, 1024u);
  EXPECT_EQ(reader->GetBlockInfo(0, 1).encoding, BlockEncoding::kAllNull);
  EXPECT_EQ(reader->GetZoneMap(0, 2).min.GetString(), "bravo");
  EXPECT_EQ(reader->GetZoneMap(0, 2).max.GetString(), "delta");
  EXPECT_EQ(reader->GetColumnInfo(0).null_count, 1024u);
}

TEST(SegmentZoneMap, LongStringBoundsAreCut) {
  TempDir dir;
  const std::string long_a = "a" + std::string(500, 'm');
  const std::string long_z = "z" + std::string(500, 'q');
  const std::string all_ff(500, '\xff');
  WriteSegment(dir.File("a.seg"), {{"s", TypeId::kVarchar}},
               {{Value::Varchar(long_a)}, {Value::Varchar(long_z)}, {Value::Varchar("b")}});
  auto reader = SegmentReader::Open(dir.File("a.seg"));
  const ZoneMap& z = reader->GetZoneMap(0, 0);
  ASSERT_TRUE(z.has_min && z.has_max);
  EXPECT_FALSE(z.min_exact);
  EXPECT_FALSE(z.max_exact);
  EXPECT_EQ(z.min.GetString().size(), segment::kZoneMapMaxStringBytes);
  EXPECT_LE(z.min.GetString(), long_a);
  EXPECT_GT(z.max.GetString(), long_z);
  EXPECT_LE(z.max.GetString().size(), segment::kZoneMapMaxStringBytes);

  WriteSegment(dir.File("f.seg"), {{"s", TypeId::kVarchar}},
               {{Value::Varchar(all_ff)}, {Value::Varchar("x")}});
  auto ff = SegmentReader::Open(dir.File("f.seg"));
  EXPECT_TRUE(ff->GetZoneMap(0, 0).has_min);
  EXPECT_TRUE(ff->GetZoneMap(0, 0).min_exact);
  EXPECT_FALSE(ff->GetZoneMap(0, 0).has_max);  // nothing above 0xFF... can be written
}

TEST(SegmentZoneMap, FloatsOrderNanAboveEverything) {
  TempDir dir;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  WriteSegment(dir.File("n.seg"), {{"d", TypeId::kDouble}},
               {{Value::Double(nan)}, {Value::Double(-3)}, {Value::Double(7)}});
  auto reader = SegmentReader::Open(dir.File("n.seg"));
  EXPECT_TRUE(reader->GetZoneMap(0, 0).min == Value::Double(-3));
  EXPECT_TRUE(std::isnan(reader->GetZoneMap(0, 0).max.GetDouble()));
}

TEST(SegmentZoneMap, IntervalsOrderByLength) {
  TempDir dir;
  WriteSegment(dir.File("i.seg"), {{"iv", TypeId::kInterval}},
               {{Value::FromInterval({1, 0, 0})},       // 30 days
                {Value::FromInterval({0, 40, 0})},      // 40 days: the maximum
                {Value::FromInterval({0, 0, 1000})}});  // the minimum
  auto reader = SegmentReader::Open(dir.File("i.seg"));
  EXPECT_TRUE(reader->GetZoneMap(0, 0).min == Value::FromInterval({0, 0, 1000}));
  EXPECT_TRUE(reader->GetZoneMap(0, 0).max == Value::FromInterval({0, 40, 0}));
}

}  // namespace
}  // namespace basalt::segment_test
