// Round trips through SegmentWriter and SegmentReader: every type, with and
// without NULLs, random and edge-case data, every compression.
#include <gtest/gtest.h>

#include <limits>
#include <optional>

#include "storage/segment/segment_test_util.h"

namespace basalt::segment_test {
namespace {

std::vector<Row> RandomRows(const std::vector<SegmentColumn>& schema, size_t n, uint64_t seed,
                            int null_percent = 10) {
  RandomValues rv(seed);
  std::vector<Row> rows(n);
  for (auto& row : rows) {
    for (const auto& c : schema) row.push_back(rv.Make(c.type, null_percent));
  }
  return rows;
}

void CheckRoundTrip(const std::vector<SegmentColumn>& schema, const std::vector<Row>& rows,
                    SegmentWriterOptions options = {}) {
  TempDir dir;
  const std::string path = dir.File("t.seg");
  const uint64_t size = WriteSegment(path, schema, rows, options);
  auto reader = SegmentReader::Open(path);
  EXPECT_EQ(reader->file_size(), size);
  EXPECT_EQ(reader->row_count(), rows.size());
  ASSERT_EQ(reader->ColumnCount(), schema.size());
  for (idx_t c = 0; c < schema.size(); c++) {
    EXPECT_EQ(reader->schema()[c].name, schema[c].name);
    EXPECT_EQ(reader->schema()[c].type, schema[c].type);
  }
  ExpectSameRows(rows, ReadRows(*reader));
  reader->Verify();
}

TEST(SegmentRoundTrip, EveryTypeWithNulls) {
  const auto schema = AllTypesSchema();
  SegmentWriterOptions small;
  small.block_rows = 1024;
  CheckRoundTrip(schema, RandomRows(schema, 5000, 1), small);
}

TEST(SegmentRoundTrip, EveryTypeWithoutNulls) {
  const auto schema = AllTypesSchema();
  SegmentWriterOptions small;
  small.block_rows = 512;
  CheckRoundTrip(schema, RandomRows(schema, 3000, 2, 0), small);
}

TEST(SegmentRoundTrip, EveryCompression) {
  const auto schema = AllTypesSchema();
  const auto rows = RandomRows(schema, 4000, 3, 20);
  for (SegmentCompression c :
       {SegmentCompression::kNone, SegmentCompression::kLz4, SegmentCompression::kZstd}) {
    SegmentWriterOptions options;
    options.compression = c;
    options.block_rows = 1024;
    CheckRoundTrip(schema, rows, options);
  }
}

TEST(SegmentRoundTrip, EmptySegment) {
  TempDir dir;
  const auto schema = AllTypesSchema();
  WriteSegment(dir.File("e.seg"), schema, {});
  auto reader = SegmentReader::Open(dir.File("e.seg"));
  EXPECT_EQ(reader->row_count(), 0u);
  EXPECT_EQ(reader->block_count(), 0u);
  EXPECT_EQ(reader->schema().size(), schema.size());
  reader->Verify();
}

TEST(SegmentRoundTrip, AllNull) {
  auto schema = AllTypesSchema();
  schema.push_back({"n", TypeId::kNull});
  std::vector<Row> rows(3000);
  for (auto& row : rows) {
    for (const auto& c : schema) row.push_back(Value::Null(c.type));
  }
  SegmentWriterOptions small;
  small.block_rows = 1024;
  CheckRoundTrip(schema, rows, small);
  TempDir dir;
  WriteSegment(dir.File("n.seg"), schema, rows, small);
  auto reader = SegmentReader::Open(dir.File("n.seg"));
  for (idx_t c = 0; c < schema.size(); c++) {
    EXPECT_EQ(reader->GetBlockInfo(c, 0).encoding, BlockEncoding::kAllNull);
    EXPECT_EQ(reader->GetColumnInfo(c).null_count, 3000u);
    EXPECT_FALSE(reader->GetZoneMap(c, 0).has_min);
  }
}

TEST(SegmentRoundTrip, OneDistinctValue) {
  const auto schema = AllTypesSchema();
  RandomValues rv(4);
  Row one;
  for (const auto& c : schema) one.push_back(rv.Make(c.type, 0));
  std::vector<Row> rows(5000, one);
  SegmentWriterOptions small;
  small.block_rows = 2048;
  CheckRoundTrip(schema, rows, small);
  // With some NULLs in between.
  for (size_t i = 0; i < rows.size(); i += 7) {
    for (size_t c = 0; c < schema.size(); c++) rows[i][c] = Value::Null(schema[c].type);
  }
  CheckRoundTrip(schema, rows, small);
}

TEST(SegmentRoundTrip, MinimumAndMaximumOfEachType) {
  // Not AllTypesSchema: the extremes are those of the widest decimal each
  // physical width holds (DECIMAL(18,0) in 64 bits, DECIMAL(38,0) in 128),
  // and the string column comes last because its 300-byte maximum has no
  // exact zone-map bound, so the zone-map loop below stops before it.
  const std::vector<SegmentColumn> schema = {
      {"b", TypeId::kBoolean},
      {"i16", TypeId::kSmallint},
      {"i32", TypeId::kInteger},
      {"i64", TypeId::kBigint},
      {"f32", TypeId::kReal},
      {"f64", TypeId::kDouble},
      {"d18", LogicalType::Decimal(18, 0)},
      {"d38", LogicalType::Decimal(38, 0)},
      {"date", TypeId::kDate},
      {"ts", TypeId::kTimestamp},
      {"iv", TypeId::kInterval},
      {"s", TypeId::kVarchar},
  };
  const int128_t max38 = static_cast<int128_t>(99999999999999999LL) * 10000000000000000000ULL +
                         static_cast<int128_t>(9999999999999999999ULL);  // 10^38 - 1
  Interval ivmin{INT32_MIN, INT32_MIN, INT64_MIN};
  Interval ivmax{INT32_MAX, INT32_MAX, INT64_MAX};
  const Row lo = {Value::Boolean(false),
                  Value::Smallint(INT16_MIN),
                  Value::Integer(INT32_MIN),
                  Value::Bigint(INT64_MIN),
                  Value::Real(-std::numeric_limits<float>::max()),
                  Value::Double(-std::numeric_limits<double>::infinity()),
                  Value::Decimal(-999999999999999999LL, 18, 0),
                  Value::Decimal(-max38, 38, 0),
                  Value::Date(INT32_MIN),
                  Value::Timestamp(INT64_MIN),
                  Value::FromInterval(ivmin),
                  Value::Varchar("")};
  const Row hi = {Value::Boolean(true),
                  Value::Smallint(INT16_MAX),
                  Value::Integer(INT32_MAX),
                  Value::Bigint(INT64_MAX),
                  Value::Real(std::numeric_limits<float>::quiet_NaN()),
                  Value::Double(std::numeric_limits<double>::quiet_NaN()),
                  Value::Decimal(999999999999999999LL, 18, 0),
                  Value::Decimal(max38, 38, 0),
                  Value::Date(INT32_MAX),
                  Value::Timestamp(INT64_MAX),
                  Value::FromInterval(ivmax),
                  Value::Varchar(std::string(300, '\xff'))};
  Row mid = lo;
  for (auto& v : mid) v = Value::Null(v.type());
  std::vector<Row> rows;
  for (int i = 0; i < 300; i++) rows.push_back(i % 3 == 0 ? lo : (i % 3 == 1 ? hi : mid));
  CheckRoundTrip(schema, rows);
  CheckRoundTrip(schema, {lo, hi});
  CheckRoundTrip(schema, {hi, lo});
  TempDir dir;
  WriteSegment(dir.File("m.seg"), schema, rows);
  auto reader = SegmentReader::Open(dir.File("m.seg"));
  // Zone maps hold the extremes (NaN above every number).
  for (idx_t c = 0; c + 1 < schema.size(); c++) {
    const ZoneMap& z = reader->GetZoneMap(c, 0);
    ASSERT_TRUE(z.has_min && z.has_max) << schema[c].name;
    EXPECT_TRUE(z.min == lo[c]) << schema[c].name << " " << Describe(z.min);
    EXPECT_TRUE(z.max == hi[c]) << schema[c].name << " " << Describe(z.max);
    EXPECT_EQ(z.null_count, 100u);
  }
}

TEST(SegmentRoundTrip, LongStrings) {
  const std::vector<SegmentColumn> schema = {{"s", TypeId::kVarchar}, {"k", TypeId::kInteger}};
  std::vector<Row> rows;
  RandomValues rv(5);
  for (int i = 0; i < 200; i++) {
    std::string s(static_cast<size_t>(rv.Uniform(0, 100000)), 'x');
    for (size_t j = 0; j < s.size(); j += 97) s[j] = static_cast<char>(rv.Uniform(0, 255));
    rows.push_back(
        {i % 10 == 0 ? Value::Null(TypeId::kVarchar) : Value::Varchar(s), Value::Integer(i)});
  }
  CheckRoundTrip(schema, rows);
  // Long strings that repeat (dictionary-encoded, pointing into the dictionary).
  std::vector<Row> repeated;
  for (int i = 0; i < 3000; i++) repeated.push_back(rows[static_cast<size_t>(i % 5)]);
  CheckRoundTrip(schema, repeated);
}

TEST(SegmentRoundTrip, OneRow) {
  const auto schema = AllTypesSchema();
  CheckRoundTrip(schema, RandomRows(schema, 1, 6, 0));
  CheckRoundTrip(schema, RandomRows(schema, 1, 7, 100));
}

TEST(SegmentRoundTrip, ExactlyOneBlockAndOneMore) {
  const std::vector<SegmentColumn> schema = {
      {"k", TypeId::kBigint}, {"s", TypeId::kVarchar}, {"d", TypeId::kDouble}};
  for (idx_t n : {kSegmentBlockRows, kSegmentBlockRows + 1}) {
    std::vector<Row> rows;
    rows.reserve(n);
    for (idx_t i = 0; i < n; i++) {
      rows.push_back({Value::Bigint(static_cast<int64_t>(i) * 3),
                      Value::Varchar("v" + std::to_string(i % 100)),
                      i % 11 == 0 ? Value::Null(TypeId::kDouble) : Value::Double(i * 0.5)});
    }
    TempDir dir;
    WriteSegment(dir.File("b.seg"), schema, rows);
    auto reader = SegmentReader::Open(dir.File("b.seg"));
    EXPECT_EQ(reader->block_rows(), kSegmentBlockRows);
    EXPECT_EQ(reader->block_count(), n == kSegmentBlockRows ? 1u : 2u);
    EXPECT_EQ(reader->BlockRowCount(reader->block_count() - 1),
              n == kSegmentBlockRows ? kSegmentBlockRows : 1u);
    ExpectSameRows(rows, ReadRows(*reader));
  }
}

TEST(SegmentRoundTrip, ChunksOfEveryVectorForm) {
  TempDir dir;
  const std::vector<SegmentColumn> schema = {{"i", TypeId::kInteger}, {"s", TypeId::kVarchar}};
  SegmentWriterOptions options;
  options.block_rows = 128;
  SegmentWriter writer(dir.File("v.seg"), schema, options);
  std::vector<Row> expected;
  // Constant vectors.
  DataChunk constant;
  constant.AddColumn(Vector(Value::Integer(5)));
  constant.AddColumn(Vector(Value::Varchar("a constant string, long")));
  constant.SetSize(300);
  writer.Append(constant);
  for (int i = 0; i < 300; i++)
    expected.push_back({Value::Integer(5), Value::Varchar("a constant string, long")});
  // Dictionary vectors (a slice of a flat chunk).
  DataChunk flat(TypesOf(schema));
  for (int i = 0; i < 100; i++) {
    flat.column(0).SetValue(i, i % 4 == 0 ? Value::Null(TypeId::kInteger) : Value::Integer(i));
    flat.column(1).SetValue(i, Value::Varchar("row " + std::to_string(i) + " with a tail"));
  }
  flat.SetSize(100);
  SelectionVector sel(50);
  for (int i = 0; i < 50; i++) sel.Set(i, static_cast<uint32_t>(99 - 2 * i));
  DataChunk sliced;
  sliced.Reference(flat);
  sliced.Slice(sel, 50);
  writer.Append(sliced);
  for (int i = 0; i < 50; i++) {
    const int r = 99 - 2 * i;
    expected.push_back({r % 4 == 0 ? Value::Null(TypeId::kInteger) : Value::Integer(r),
                        Value::Varchar("row " + std::to_string(r) + " with a tail")});
  }
  // A chunk longer than kBatchSize.
  DataChunk big(TypesOf(schema), 5000);
  for (int i = 0; i < 5000; i++) {
    big.column(0).SetValue(i, Value::Integer(-i));
    big.column(1).SetValue(
        i, i % 3 ? Value::Varchar(std::to_string(i % 17)) : Value::Null(TypeId::kVarchar));
    expected.push_back({Value::Integer(-i), i % 3 ? Value::Varchar(std::to_string(i % 17))
                                                  : Value::Null(TypeId::kVarchar)});
  }
  big.SetSize(5000);
  writer.Append(big);
  writer.Finish();
  auto reader = SegmentReader::Open(dir.File("v.seg"));
  ExpectSameRows(expected, ReadRows(*reader));
  reader->Verify();
}

TEST(SegmentRoundTrip, ReadsOnlyChosenColumns) {
  const auto schema = AllTypesSchema();
  const auto rows = RandomRows(schema, 2500, 8);
  TempDir dir;
  SegmentWriterOptions options;
  options.block_rows = 1024;
  WriteSegment(dir.File("c.seg"), schema, rows, options);
  auto reader = SegmentReader::Open(dir.File("c.seg"));
  const std::vector<idx_t> columns = {8, 2, 11};
  std::vector<Row> expected;
  for (const Row& r : rows) expected.push_back({r[8], r[2], r[11]});
  ExpectSameRows(expected, ReadRows(*reader, columns));
  EXPECT_EQ(reader->FindColumn("ts"), std::optional<idx_t>(10));
  EXPECT_EQ(reader->FindColumn("nope"), std::nullopt);
}

TEST(SegmentRoundTrip, ManyBlocksOfStringsSwitchingEncodings) {
  // Low-cardinality first, then unique values: the column outgrows nothing
  // but its dictionary no longer pays, so blocks pick their own encodings.
  const std::vector<SegmentColumn> schema = {{"s", TypeId::kVarchar}};
  std::vector<Row> rows;
  for (int i = 0; i < 20000; i++) {
    rows.push_back({i % 13 == 0 ? Value::Null(TypeId::kVarchar)
                    : i < 6000  ? Value::Varchar("value " + std::to_string(i % 5))
                                : Value::Varchar("unique value number " + std::to_string(i))});
  }
  SegmentWriterOptions options;
  options.block_rows = 2048;
  CheckRoundTrip(schema, rows, options);
}

TEST(SegmentRoundTrip, WriterRemovesAnUnfinishedFile) {
  TempDir dir;
  const std::string path = dir.File("u.seg");
  {
    SegmentWriter writer(path, {{"i", TypeId::kInteger}});
    EXPECT_TRUE(std::filesystem::exists(path));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

// Writes `rows` of one VARCHAR column "s" in blocks of 64 rows with at most
// `limit` bytes of strings a block; returns the error, if any.
std::optional<BasaltError> WriteStrings(const std::vector<Row>& rows, uint64_t limit) {
  TempDir dir;
  SegmentWriterOptions options;
  options.block_rows = 64;
  options.max_block_string_bytes = limit;
  try {
    WriteSegment(dir.File("s.seg"), {{"s", TypeId::kVarchar}}, rows, options);
    auto reader = SegmentReader::Open(dir.File("s.seg"));
    ExpectSameRows(rows, ReadRows(*reader));
  } catch (const BasaltError& e) {
    EXPECT_FALSE(std::filesystem::exists(dir.File("s.seg")));
    return e;
  }
  return std::nullopt;
}

void ExpectBlockStringLimit(const std::optional<BasaltError>& error, uint64_t limit) {
  ASSERT_TRUE(error.has_value()) << "no error";
  EXPECT_STREQ(error->code(), sqlstate::kProgramLimitExceeded) << error->what();
  EXPECT_EQ(std::string(error->what()),
            fmt::format("column \"s\": the strings of one segment block (64 rows) would exceed {} "
                        "bytes, the most a block holds; write segments with fewer rows per "
                        "block (SegmentWriterOptions::block_rows), or keep values this long out "
                        "of segments",
                        limit));
}

TEST(SegmentRoundTrip, BlockStringLimitAllowsAFullBlock) {
  // 20 distinct strings of 10 bytes: no segment dictionary, one block of
  // exactly 200 bytes.
  std::vector<Row> rows;
  for (int i = 0; i < 20; i++) rows.push_back({Value::Varchar(fmt::format("value {:04}", i))});
  EXPECT_FALSE(WriteStrings(rows, 200).has_value());
  ExpectBlockStringLimit(WriteStrings(rows, 199), 199);
}

TEST(SegmentRoundTrip, BlockStringLimitCoversRowsExpandedFromTheDictionary) {
  // Long values that repeat: the column collects them as dictionary codes,
  // then gives the dictionary up (past kMaxDictionaryValues) and re-expands
  // the rows it holds, 64 of the same 100-byte value in the current block.
  std::vector<Row> rows;
  for (int i = 0; i < 40; i++) rows.push_back({Value::Varchar(std::string(100, 'x'))});
  for (size_t i = 0; i < segment::kMaxDictionaryValues; i++) {
    rows.push_back({Value::Varchar(std::to_string(i))});
  }
  ExpectBlockStringLimit(WriteStrings(rows, 1000), 1000);
  EXPECT_FALSE(WriteStrings(rows, 64 * 100).has_value());
}

TEST(SegmentRoundTrip, BlockStringLimitCoversRowsAppendedAfterTheDictionary) {
  // Short distinct values until the column gives its dictionary up (within
  // block 4096, all short values), then long ones appended to blocks directly.
  std::vector<Row> rows;
  for (size_t i = 0; i < segment::kMaxDictionaryValues + 64; i++) {
    rows.push_back({Value::Varchar(std::to_string(i))});
  }
  for (int i = 0; i < 64; i++) rows.push_back({Value::Varchar(std::string(50, 'a' + i % 26))});
  ExpectBlockStringLimit(WriteStrings(rows, 1000), 1000);
}

TEST(SegmentRoundTrip, BlockStringLimitMustBeWithinTheFormats) {
  TempDir dir;
  for (uint64_t limit : {uint64_t{0}, segment::kMaxBlockStringBytes + 1}) {
    SegmentWriterOptions options;
    options.max_block_string_bytes = limit;
    try {
      SegmentWriter writer(dir.File("x.seg"), {{"s", TypeId::kVarchar}}, options);
      FAIL() << "no error for " << limit;
    } catch (const BasaltError& e) {
      EXPECT_STREQ(e.code(), sqlstate::kInvalidParameterValue);
    }
  }
}

TEST(SegmentRoundTrip, RejectsUnsupportedSchemas) {
  TempDir dir;
  try {
    SegmentWriter writer(dir.File("x.seg"), {});
    FAIL() << "no error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kFeatureNotSupported);
  }
  try {
    SegmentWriterOptions options;
    options.block_rows = 100;
    SegmentWriter writer(dir.File("x.seg"), {{"i", TypeId::kInteger}}, options);
    FAIL() << "no error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kInvalidParameterValue);
  }
}

}  // namespace
}  // namespace basalt::segment_test
