// ParquetFile and ParquetRowGroupReader on small files built byte by byte:
// what DuckDB does not write (and so tests/parquet/test_parquet_interop.py
// cannot cover): REQUIRED columns, INT96, RLE booleans in a data page v2,
// DELTA_BYTE_ARRAY strings, BYTE_ARRAY decimals with only the legacy
// converted type, FIXED_LEN_BYTE_ARRAY without annotation, an unsupported
// codec and a chunk with fewer values than its row group has rows.
#include "storage/parquet/parquet_reader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "common/exception.h"
#include "common/temp_dir_test_util.h"
#include "storage/parquet/thrift_test_encoder.h"

namespace basalt {
namespace {

using parquet::CompactType;
using parquet::testing::TestEncoder;

std::string Bytes(std::initializer_list<uint8_t> b) { return std::string(b.begin(), b.end()); }

std::string Le32(uint32_t v) {
  std::string s(4, '\0');
  std::memcpy(s.data(), &v, 4);
  return s;
}

std::string Le64(uint64_t v) {
  std::string s(8, '\0');
  std::memcpy(s.data(), &v, 8);
  return s;
}

std::string Str(const TestEncoder& e) { return std::string(e.bytes().begin(), e.bytes().end()); }

// One leaf of the flat schema and its single column chunk.
struct TestColumn {
  std::string name;
  int32_t type = 0;          // parquet::Type
  int32_t repetition = 0;    // REQUIRED 0, OPTIONAL 1
  int32_t type_length = -1;  // FIXED_LEN_BYTE_ARRAY
  int32_t converted_type = -1;
  int32_t precision = -1;
  int32_t scale = -1;
  bool string_logical_type = false;
  int32_t codec = 0;
  int64_t num_values = 0;
  std::string pages;  // page headers and pages, back to back
};

std::string DataPageV1(int32_t num_values, int32_t encoding, const std::string& body) {
  TestEncoder e;
  e.I32Field(1, 0)
      .I32Field(2, static_cast<int32_t>(body.size()))
      .I32Field(3, static_cast<int32_t>(body.size()));
  e.StructField(5)
      .I32Field(1, num_values)
      .I32Field(2, encoding)
      .I32Field(3, 3)
      .I32Field(4, 3)
      .End();
  e.End();
  return Str(e) + body;
}

std::string DataPageV2(int32_t num_values, int32_t encoding, const std::string& body) {
  TestEncoder e;
  e.I32Field(1, 3)
      .I32Field(2, static_cast<int32_t>(body.size()))
      .I32Field(3, static_cast<int32_t>(body.size()));
  e.StructField(8)
      .I32Field(1, num_values)
      .I32Field(2, 0)
      .I32Field(3, num_values)
      .I32Field(4, encoding)
      .I32Field(5, 0)
      .I32Field(6, 0)
      .BoolField(7, false)
      .End();
  e.End();
  return Str(e) + body;
}

std::string BuildFile(const std::vector<TestColumn>& columns, int64_t rows) {
  std::string file = "PAR1";
  std::vector<int64_t> offsets;
  for (const auto& c : columns) {
    offsets.push_back(static_cast<int64_t>(file.size()));
    file += c.pages;
  }
  TestEncoder e;
  e.I32Field(1, 1);
  e.ListField(2, CompactType::kStruct, static_cast<uint32_t>(columns.size() + 1));
  e.Begin().BinaryField(4, "schema").I32Field(5, static_cast<int32_t>(columns.size())).End();
  for (const auto& c : columns) {
    e.Begin().I32Field(1, c.type);
    if (c.type_length >= 0) e.I32Field(2, c.type_length);
    e.I32Field(3, c.repetition).BinaryField(4, c.name);
    if (c.converted_type >= 0) e.I32Field(6, c.converted_type);
    if (c.scale >= 0) e.I32Field(7, c.scale);
    if (c.precision >= 0) e.I32Field(8, c.precision);
    if (c.string_logical_type) e.StructField(10).StructField(1).End().End();
    e.End();
  }
  e.I64Field(3, rows);
  e.ListField(4, CompactType::kStruct, 1);
  e.Begin();
  e.ListField(1, CompactType::kStruct, static_cast<uint32_t>(columns.size()));
  for (size_t i = 0; i < columns.size(); i++) {
    const auto& c = columns[i];
    e.Begin().I64Field(2, offsets[i]).StructField(3);
    e.I32Field(1, c.type).ListField(2, CompactType::kI32, 1).I32(0);
    e.ListField(3, CompactType::kBinary, 1).Binary(c.name);
    e.I32Field(4, c.codec).I64Field(5, c.num_values);
    e.I64Field(6, static_cast<int64_t>(c.pages.size()))
        .I64Field(7, static_cast<int64_t>(c.pages.size()));
    e.I64Field(9, offsets[i]);
    e.End().End();
  }
  e.I64Field(2, 100).I64Field(3, rows).End();
  e.End();
  std::string footer = Str(e);
  file += footer + Le32(static_cast<uint32_t>(footer.size())) + "PAR1";
  return file;
}

// INT96: nanoseconds of the day, then the Julian day.
std::string Int96(uint64_t nanos, uint32_t julian_day) { return Le64(nanos) + Le32(julian_day); }

std::vector<TestColumn> Columns() {
  std::vector<TestColumn> cols;
  TestColumn ts;
  ts.name = "ts";
  ts.type = 3;  // INT96, REQUIRED
  ts.num_values = 3;
  ts.pages = DataPageV1(
      3, 0, Int96(0, 2440588) + Int96(1'000'000'500, 2440589) + Int96(86'399'999'999'000, 2440587));
  cols.push_back(ts);

  TestColumn flag;
  flag.name = "flag";
  flag.type = 0;  // BOOLEAN, REQUIRED, RLE in a data page v2: true, false, true
  flag.num_values = 3;
  flag.pages = DataPageV2(3, 3, Le32(2) + Bytes({0x03, 0x05}));
  cols.push_back(flag);

  TestColumn word;
  word.name = "word";
  word.type = 6;  // BYTE_ARRAY STRING, OPTIONAL, DELTA_BYTE_ARRAY: "apple", NULL, "apply"
  word.repetition = 1;
  word.string_logical_type = true;
  word.num_values = 3;
  std::string levels = Le32(2) + Bytes({0x03, 0x05});
  std::string prefixes = Bytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x08, 0, 0, 0, 0});
  std::string suffix_lengths = Bytes({0x80, 0x01, 0x04, 0x02, 0x0A, 0x07, 0, 0, 0, 0});
  word.pages = DataPageV1(3, 7, levels + prefixes + suffix_lengths + "appley");
  cols.push_back(word);

  TestColumn price;
  price.name = "price";
  price.type = 6;  // BYTE_ARRAY with the legacy DECIMAL(10,2) converted type
  price.converted_type = 5;
  price.precision = 10;
  price.scale = 2;
  price.num_values = 3;
  price.pages = DataPageV1(
      3, 0, Le32(2) + Bytes({0x30, 0x39}) + Le32(1) + Bytes({0xFF}) + Le32(1) + Bytes({0x00}));
  cols.push_back(price);

  TestColumn code;
  code.name = "code";
  code.type = 7;  // FIXED_LEN_BYTE_ARRAY(3) without annotation: read as VARCHAR
  code.type_length = 3;
  code.num_values = 3;
  code.pages = DataPageV1(3, 0, "abcdefghi");
  cols.push_back(code);
  return cols;
}

class ParquetReaderTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& bytes) { return dir_.Write("t.parquet", bytes); }
  testing::TempDir dir_;
};

TEST_F(ParquetReaderTest, ReadsWhatDuckDbDoesNotWrite) {
  auto file = ParquetFile::Open(Write(BuildFile(Columns(), 3)));
  ASSERT_EQ(file->columns().size(), 5u);
  EXPECT_EQ(file->columns()[0].type, LogicalType(TypeId::kTimestamp));
  EXPECT_EQ(file->columns()[1].type, LogicalType(TypeId::kBoolean));
  EXPECT_EQ(file->columns()[2].type, LogicalType(TypeId::kVarchar));
  EXPECT_EQ(file->columns()[3].type, LogicalType::Decimal(10, 2));
  EXPECT_EQ(file->columns()[4].type, LogicalType(TypeId::kVarchar));

  ParquetRowGroupReader reader(*file, 0, {0, 1, 2, 3, 4});
  DataChunk chunk;
  ASSERT_TRUE(reader.ReadChunk(chunk));
  ASSERT_EQ(chunk.size(), 3u);
  EXPECT_EQ(chunk.GetValue(0, 0).ToString(), "1970-01-01 00:00:00");
  EXPECT_EQ(chunk.GetValue(0, 1).ToString(), "1970-01-02 00:00:01");
  EXPECT_EQ(chunk.GetValue(0, 2).ToString(), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(chunk.GetValue(1, 0).ToString(), "true");
  EXPECT_EQ(chunk.GetValue(1, 1).ToString(), "false");
  EXPECT_EQ(chunk.GetValue(1, 2).ToString(), "true");
  EXPECT_EQ(chunk.GetValue(2, 0).ToString(), "apple");
  EXPECT_TRUE(chunk.GetValue(2, 1).IsNull());
  EXPECT_EQ(chunk.GetValue(2, 2).ToString(), "apply");
  EXPECT_EQ(chunk.GetValue(3, 0).ToString(), "123.45");
  EXPECT_EQ(chunk.GetValue(3, 1).ToString(), "-0.01");
  EXPECT_EQ(chunk.GetValue(3, 2).ToString(), "0.00");
  EXPECT_EQ(chunk.GetValue(4, 0).ToString(), "abc");
  EXPECT_EQ(chunk.GetValue(4, 2).ToString(), "ghi");
  EXPECT_FALSE(reader.ReadChunk(chunk));

  // Only the requested columns, in the requested order.
  ParquetRowGroupReader some(*file, 0, {3, 2});
  ASSERT_TRUE(some.ReadChunk(chunk));
  ASSERT_EQ(chunk.ColumnCount(), 2u);
  EXPECT_EQ(chunk.GetValue(0, 0).ToString(), "123.45");
  EXPECT_EQ(chunk.GetValue(1, 2).ToString(), "apply");
}

TEST_F(ParquetReaderTest, UnsupportedCodecIsFeatureNotSupported) {
  auto cols = Columns();
  cols[0].codec = 4;  // BROTLI (column 0: a v1 page, always compressed)
  auto file = ParquetFile::Open(Write(BuildFile(cols, 3)));
  ParquetRowGroupReader reader(*file, 0, {0});
  DataChunk chunk;
  try {
    reader.ReadChunk(chunk);
    FAIL() << "BROTLI was read";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kFeatureNotSupported);
    EXPECT_NE(std::string(e.what()).find("BROTLI"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("\"ts\""), std::string::npos) << e.what();
  }
}

TEST_F(ParquetReaderTest, ChunkShorterThanItsRowGroupIsCorrupt) {
  auto cols = Columns();
  std::string path = Write(BuildFile(cols, 4));  // the row group claims a fourth row
  auto file = ParquetFile::Open(path);
  ParquetRowGroupReader reader(*file, 0, {2});
  DataChunk chunk;
  try {
    reader.ReadChunk(chunk);
    FAIL() << "a missing row was read";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kDataCorrupted);
    EXPECT_NE(std::string(e.what()).find("parquet file \"" + path +
                                         "\" is corrupt: row group 0 "
                                         "column \"word\""),
              std::string::npos)
        << e.what();
  }
}

TEST_F(ParquetReaderTest, EveryTruncationFailsCleanly) {
  std::string bytes = BuildFile(Columns(), 3);
  for (size_t keep = 0; keep < bytes.size(); keep++) {
    std::string path = Write(bytes.substr(0, keep));
    try {
      auto file = ParquetFile::Open(path);
      ParquetRowGroupReader reader(*file, 0, {0, 1, 2, 3, 4});
      DataChunk chunk;
      reader.ReadChunk(chunk);
      FAIL() << "a file cut to " << keep << " bytes was read";
    } catch (const BasaltError& e) {
      EXPECT_STREQ(e.code(), sqlstate::kDataCorrupted) << keep << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace basalt
