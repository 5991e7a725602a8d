// Nested columns in layouts DuckDB does not write (so the interop tests of
// tests/parquet cannot cover them), built byte by byte: the legacy two-level
// LIST, a bare repeated field, a two-level list of structs, and damaged
// levels.
#include "storage/parquet/parquet_nested_reader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "common/exception.h"
#include "common/temp_dir_test_util.h"
#include "storage/parquet/parquet_column_reader.h"
#include "storage/parquet/parquet_reader.h"
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

std::string Str(const TestEncoder& e) { return std::string(e.bytes().begin(), e.bytes().end()); }

// One schema element: a group when type < 0.
struct Element {
  std::string name;
  int32_t type = -1;
  int32_t repetition = 0;  // REQUIRED 0, OPTIONAL 1, REPEATED 2
  int32_t children = 0;
  int32_t converted_type = -1;  // LIST 3
};

// One leaf's column chunk.
struct Chunk {
  std::string path;
  int32_t type = 1;
  int64_t num_values = 0;
  std::string pages;
};

// A data page v1 with PLAIN values and RLE levels (already length-prefixed).
std::string DataPage(int32_t num_values, const std::string& body) {
  TestEncoder e;
  e.I32Field(1, 0)
      .I32Field(2, static_cast<int32_t>(body.size()))
      .I32Field(3, static_cast<int32_t>(body.size()));
  e.StructField(5).I32Field(1, num_values).I32Field(2, 0).I32Field(3, 3).I32Field(4, 3).End();
  e.End();
  return Str(e) + body;
}

// Levels as one bit-packed run of 8-value groups, with the 4-byte length.
std::string Levels(const std::vector<uint32_t>& levels, int bit_width) {
  size_t groups = (levels.size() + 7) / 8;
  std::string packed(groups * static_cast<size_t>(bit_width), '\0');
  for (size_t i = 0; i < levels.size(); i++) {
    for (int b = 0; b < bit_width; b++) {
      if ((levels[i] >> b) & 1) {
        size_t bit = i * static_cast<size_t>(bit_width) + static_cast<size_t>(b);
        packed[bit / 8] = static_cast<char>(packed[bit / 8] | (1 << (bit % 8)));
      }
    }
  }
  std::string run = Bytes({static_cast<uint8_t>((groups << 1) | 1)}) + packed;
  return Le32(static_cast<uint32_t>(run.size())) + run;
}

std::string Ints(std::initializer_list<int32_t> values) {
  std::string out;
  for (int32_t v : values) out += Le32(static_cast<uint32_t>(v));
  return out;
}

std::string BuildFile(const std::vector<Element>& schema, const std::vector<Chunk>& chunks,
                      int64_t rows) {
  std::string file = "PAR1";
  std::vector<int64_t> offsets;
  for (const auto& c : chunks) {
    offsets.push_back(static_cast<int64_t>(file.size()));
    file += c.pages;
  }
  TestEncoder e;
  e.I32Field(1, 1);
  e.ListField(2, CompactType::kStruct, static_cast<uint32_t>(schema.size()));
  for (const auto& s : schema) {
    e.Begin();
    if (s.type >= 0) e.I32Field(1, s.type);
    if (&s != &schema[0]) e.I32Field(3, s.repetition);
    e.BinaryField(4, s.name);
    if (s.children > 0) e.I32Field(5, s.children);
    if (s.converted_type >= 0) e.I32Field(6, s.converted_type);
    e.End();
  }
  e.I64Field(3, rows);
  e.ListField(4, CompactType::kStruct, 1);
  e.Begin();
  e.ListField(1, CompactType::kStruct, static_cast<uint32_t>(chunks.size()));
  for (size_t i = 0; i < chunks.size(); i++) {
    const auto& c = chunks[i];
    e.Begin().I64Field(2, offsets[i]).StructField(3);
    e.I32Field(1, c.type).ListField(2, CompactType::kI32, 1).I32(0);
    e.ListField(3, CompactType::kBinary, 1).Binary(c.path);
    e.I32Field(4, 0).I64Field(5, c.num_values);
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

std::vector<std::string> ReadAll(const std::string& path) {
  auto file = ParquetFile::Open(path);
  std::vector<idx_t> ids;
  for (idx_t i = 0; i < file->columns().size(); i++) ids.push_back(i);
  ParquetRowGroupReader reader(*file, 0, ids);
  DataChunk chunk;
  std::vector<std::string> rows;
  while (reader.ReadChunk(chunk)) {
    for (idx_t r = 0; r < chunk.size(); r++) {
      std::string row;
      for (idx_t c = 0; c < chunk.ColumnCount(); c++) {
        if (c > 0) row += " | ";
        row += chunk.column(c).GetValue(r).ToString();
      }
      rows.push_back(row);
    }
  }
  return rows;
}

class ParquetNestedReaderTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& bytes) {
    return dir_.Write("f.parquet", bytes);
  }
  testing::TempDir dir_;
};

// `optional group tags (LIST) { repeated int32 element; }`, next to a
// REQUIRED id: [1, 2], [], NULL, [3].
std::string LegacyListFile(const std::string& defs) {
  std::vector<Element> schema = {{"schema", -1, 0, 2},
                                 {"id", 1, 0},
                                 {"tags", -1, 1, 1, 3},
                                 {"element", 1, 2}};
  Chunk id{"id", 1, 4, DataPage(4, Ints({10, 20, 30, 40}))};
  Chunk tags{"tags", 1, 5,
             DataPage(5, Levels({0, 1, 0, 0, 0}, 1) + defs + Ints({1, 2, 3}))};
  return BuildFile(schema, {id, tags}, 4);
}

TEST_F(ParquetNestedReaderTest, LegacyTwoLevelList) {
  std::string path = Write(LegacyListFile(Levels({2, 2, 1, 0, 2}, 2)));
  auto file = ParquetFile::Open(path);
  ASSERT_EQ(file->columns().size(), 2u);
  EXPECT_EQ(file->columns()[1].type.ToString(), "INTEGER[]");
  EXPECT_EQ(file->leaves().size(), 2u);
  EXPECT_EQ(file->leaves()[1].max_definition_level, 2);
  EXPECT_EQ(file->leaves()[1].max_repetition_level, 1);
  EXPECT_EQ(ReadAll(path),
            (std::vector<std::string>{"10 | [1, 2]", "20 | []", "30 | NULL", "40 | [3]"}));
}

TEST_F(ParquetNestedReaderTest, BareRepeatedFieldIsANonNullList) {
  std::vector<Element> schema = {{"schema", -1, 0, 1}, {"nums", 1, 2}};
  Chunk nums{"nums", 1, 4, DataPage(4, Levels({0, 1, 0, 0}, 1) + Levels({1, 1, 0, 1}, 1) +
                                           Ints({5, 6, 7}))};
  std::string path = Write(BuildFile(schema, {nums}, 3));
  EXPECT_EQ(ReadAll(path), (std::vector<std::string>{"[5, 6]", "[]", "[7]"}));
}

// `optional group pts (LIST) { repeated group array { required int32 x;
// optional int32 y; } }`: a two-level list of structs.
TEST_F(ParquetNestedReaderTest, TwoLevelListOfStructs) {
  std::vector<Element> schema = {{"schema", -1, 0, 1},
                                 {"pts", -1, 1, 1, 3},
                                 {"array", -1, 2, 2},
                                 {"x", 1, 0},
                                 {"y", 1, 1}};
  // Rows: [{1, NULL}, {2, 3}], NULL, [].
  Chunk x{"x", 1, 4, DataPage(4, Levels({0, 1, 0, 0}, 1) + Levels({2, 2, 0, 1}, 2) + Ints({1, 2}))};
  Chunk y{"y", 1, 4, DataPage(4, Levels({0, 1, 0, 0}, 1) + Levels({2, 3, 0, 1}, 2) + Ints({3}))};
  std::string path = Write(BuildFile(schema, {x, y}, 3));
  auto file = ParquetFile::Open(path);
  EXPECT_EQ(file->columns()[0].type.ToString(), "STRUCT(x INTEGER, y INTEGER)[]");
  EXPECT_EQ(ReadAll(path), (std::vector<std::string>{"[{'x': 1, 'y': NULL}, {'x': 2, 'y': 3}]",
                                                     "NULL", "[]"}));
}

TEST_F(ParquetNestedReaderTest, DamagedLevelsAreCorruptNotACrash) {
  // A definition level of 3 where at most 2 exist.
  std::string path = Write(LegacyListFile(Levels({2, 3, 1, 0, 2}, 2)));
  try {
    ReadAll(path);
    FAIL() << "expected an error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), "XX001") << e.what();
  }
  // Fewer values than the levels promise.
  std::vector<Element> schema = {{"schema", -1, 0, 1}, {"nums", 1, 2}};
  Chunk nums{"nums", 1, 4,
             DataPage(4, Levels({0, 1, 0, 0}, 1) + Levels({1, 1, 0, 1}, 1) + Ints({5, 6}))};
  path = Write(BuildFile(schema, {nums}, 3));
  EXPECT_THROW(ReadAll(path), BasaltError);
  // Every truncation of a good file fails cleanly.
  std::string good = LegacyListFile(Levels({2, 2, 1, 0, 2}, 2));
  for (size_t cut = 0; cut < good.size(); cut += 3) {
    path = Write(good.substr(0, cut));
    EXPECT_THROW(ReadAll(path), BasaltError) << cut;
  }
}

// One record of a bare repeated field spanning two pages of 12 values each:
// `repeated int32 nums`, a single row [1, ..., 24].
std::string LongRecordFile() {
  std::vector<Element> schema = {{"schema", -1, 0, 1}, {"nums", 1, 2}};
  std::vector<uint32_t> first_reps(12, 1);
  first_reps[0] = 0;
  const std::vector<uint32_t> more_reps(12, 1);
  const std::vector<uint32_t> defs(12, 1);
  std::string first_values;
  std::string more_values;
  for (int32_t i = 1; i <= 12; i++) first_values += Le32(static_cast<uint32_t>(i));
  for (int32_t i = 13; i <= 24; i++) more_values += Le32(static_cast<uint32_t>(i));
  Chunk nums{"nums", 1, 24,
             DataPage(12, Levels(first_reps, 1) + Levels(defs, 1) + first_values) +
                 DataPage(12, Levels(more_reps, 1) + Levels(defs, 1) + more_values)};
  return BuildFile(schema, {nums}, 1);
}

// Reads the one record of leaf 0 with the given limits: the number of
// triplets read, or the error's code and message.
std::string ReadLongRecord(const std::string& path, size_t max_triplets, size_t max_bytes) {
  auto file = ParquetFile::Open(path);
  ParquetColumnReader reader(*file, 0, 0);
  reader.SetBatchLimitsForTesting(max_triplets, max_bytes);
  ParquetLeafLevels levels;
  try {
    reader.ReadRecords(1, &levels);
  } catch (const BasaltError& e) {
    return std::string(e.code()) + " " + e.what();
  }
  return std::to_string(levels.reps.size()) + " triplets";
}

// A few bytes of RLE levels can declare 2^26 triplets a page, over many
// pages, all in one record: ReadRecords stops at its limits with 54000
// instead of allocating for them. The limits are lowered here so that a
// small file reaches them; the production limits are the constants checked
// at the end.
TEST_F(ParquetNestedReaderTest, RecordsBeyondTheBatchLimitsAreRefused) {
  std::string path = Write(LongRecordFile());
  EXPECT_EQ(ReadAll(path).size(), 1u);
  EXPECT_EQ(ReadLongRecord(path, 24, 96), "24 triplets");
  // The record goes on into the second page, past 16 triplets.
  std::string error = ReadLongRecord(path, 16, 1 << 20);
  EXPECT_EQ(error.substr(0, 6), "54000 ") << error;
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("column \"nums\""), std::string::npos) << error;
  EXPECT_NE(error.find("more than 16 values"), std::string::npos) << error;
  // Within a page too.
  error = ReadLongRecord(path, 5, 1 << 20);
  EXPECT_EQ(error.substr(0, 6), "54000 ") << error;
  // 24 INTEGER values are 96 bytes.
  error = ReadLongRecord(path, 1 << 20, 95);
  EXPECT_EQ(error.substr(0, 6), "54000 ") << error;
  EXPECT_NE(error.find("more than 95 bytes of values"), std::string::npos) << error;
  EXPECT_EQ(ParquetColumnReader::kMaxTripletsPerBatch, size_t{64} << 20);
  EXPECT_LT(ParquetColumnReader::kMaxValueBytesPerBatch, size_t{1} << 32);
}

}  // namespace
}  // namespace basalt
