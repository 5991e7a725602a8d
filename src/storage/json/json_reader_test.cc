#include "storage/json/json_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/exception.h"
#include "common/temp_dir_test_util.h"
#include "storage/json/json_schema.h"

namespace basalt {
namespace {

using testing::TempDir;

// Every row of the file, each as its values' text joined by '|'.
std::vector<std::string> ReadAll(const std::string& path, std::vector<idx_t> column_ids = {}) {
  JsonSchema schema = InferJsonSchema({path});
  if (column_ids.empty()) {
    for (idx_t i = 0; i < schema.names.size(); i++) column_ids.push_back(i);
  }
  JsonReader reader(path, schema.names, schema.types, column_ids);
  std::vector<std::string> rows;
  DataChunk chunk;
  while (reader.ReadChunk(chunk)) {
    for (idx_t r = 0; r < chunk.size(); r++) {
      std::string row;
      for (idx_t c = 0; c < chunk.ColumnCount(); c++) {
        if (c > 0) row += "|";
        row += chunk.GetValue(c, r).ToString();
      }
      rows.push_back(row);
    }
  }
  return rows;
}

std::string ErrorOf(const std::string& path, const std::vector<std::string>& names,
                    const std::vector<LogicalType>& types) {
  try {
    std::vector<idx_t> ids;
    for (idx_t i = 0; i < names.size(); i++) ids.push_back(i);
    JsonReader reader(path, names, types, ids);
    DataChunk chunk;
    while (reader.ReadChunk(chunk)) {
    }
  } catch (const BasaltError& e) {
    return std::string(e.code()) + " " + e.what();
  }
  return "no error";
}

TEST(JsonReaderTest, LinesWithMissingKeysNullsAndNesting) {
  TempDir dir;
  std::string path = dir.Write(
      "x.jsonl",
      "{\"id\": 1, \"name\": \"caf\\u00e9 \\ud83d\\ude00\", \"tags\": [1, \"a\"], \"x\": 0.5}\n"
      "{\"id\": 2, \"name\": null, \"tags\": {\"k\": null}, \"extra\": 7}\n"
      "{\"x\": 3}\n");
  std::vector<std::string> rows = ReadAll(path);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "1|café 😀|[1,\"a\"]|0.5|NULL");
  EXPECT_EQ(rows[1], "2|NULL|{\"k\":null}|NULL|7");
  EXPECT_EQ(rows[2], "NULL|NULL|NULL|3|NULL");
}

TEST(JsonReaderTest, OnlyAskedColumnsInAskedOrder) {
  TempDir dir;
  std::string path = dir.Write("x.json", "[{\"a\": 1, \"b\": \"x\"}, {\"b\": \"y\", \"a\": 2}]");
  EXPECT_EQ(ReadAll(path, {1, 0}), (std::vector<std::string>{"x|1", "y|2"}));
  EXPECT_EQ(ReadAll(path, {1}), (std::vector<std::string>{"x", "y"}));
}

TEST(JsonReaderTest, Int64LimitsAndConversions) {
  TempDir dir;
  std::string path = dir.Write(
      "x.json",
      "{\"i\": 9223372036854775807, \"d\": 1, \"s\": \"12\"}\n"
      "{\"i\": -9223372036854775808, \"d\": 2.5, \"s\": \"x\"}\n");
  EXPECT_EQ(ReadAll(path), (std::vector<std::string>{"9223372036854775807|1|12",
                                                      "-9223372036854775808|2.5|x"}));
  // A later value that does not fit the inferred type, and strings that do.
  std::string later = dir.Write("later.json",
                                "{\"i\": 1, \"b\": true}\n{\"i\": \"2\", \"b\": \"false\"}\n"
                                "{\"i\": 3.0, \"b\": null}\n{\"i\": 3.5}\n");
  std::vector<std::string> names = {"i", "b"};
  std::vector<LogicalType> types = {TypeId::kBigint, TypeId::kBoolean};
  EXPECT_EQ(ErrorOf(later, names, types),
            "22P02 cannot read JSON value 3.5 of key \"i\" as BIGINT in file \"" + later +
                "\" at line 4");
}

// simdjson rejects integers beyond 64 bits; they are read as doubles instead.
TEST(JsonReaderTest, HugeIntegersAreDoubles) {
  TempDir dir;
  std::string path = dir.Write(
      "x.json",
      "{\"a\": 1, \"s\": \"123456789012345678901234\"}\n"
      "{\"a\": 100000000000000000000, \"s\": \"\\\"-99999999999999999999\"}\n"
      "{\"a\": -9223372036854775809, \"s\": \"x\"}\n");
  JsonSchema schema = InferJsonSchema({path});
  EXPECT_EQ(schema.types, (std::vector<LogicalType>{TypeId::kDouble, TypeId::kVarchar}));
  EXPECT_EQ(ReadAll(path), (std::vector<std::string>{"1|123456789012345678901234",
                                                      "1e+20|\"-99999999999999999999",
                                                      "-9.223372036854776e+18|x"}));
  std::string array = dir.Write("array.json", "[{\"a\": [12345678901234567890123]}]");
  EXPECT_EQ(ReadAll(array), (std::vector<std::string>{"[1.2345678901234568e+22]"}));
}

TEST(JsonReaderTest, WrongTypeInArrayNamesTheRecord) {
  TempDir dir;
  std::string path = dir.Write("x.json", "[{\"d\": \"2024-01-01\"}, {\"d\": [1]}]");
  EXPECT_EQ(ErrorOf(path, {"d"}, {TypeId::kDate}),
            "22P02 cannot read JSON value [1] of key \"d\" as DATE in file \"" + path +
                "\" at record 2");
}

TEST(JsonReaderTest, MalformedLineLaterInTheFile) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 5000; i++) text += "{\"a\": " + std::to_string(i) + "}\n";
  size_t offset = text.size();
  text += "{\"a\": 1,}\n";
  std::string path = dir.Write("x.json", text);
  EXPECT_NE(ErrorOf(path, {"a"}, {TypeId::kBigint})
                .find(fmt::format("at line 5001 (byte offset {})", offset)),
            std::string::npos)
      << ErrorOf(path, {"a"}, {TypeId::kBigint});
}

TEST(JsonReaderTest, ManyRecordsSpanChunks) {
  TempDir dir;
  std::string text = "[";
  for (int i = 0; i < 5000; i++) text += (i ? ",{\"a\":" : "{\"a\":") + std::to_string(i) + "}";
  text += "]";
  std::vector<std::string> rows = ReadAll(dir.Write("x.json", text));
  ASSERT_EQ(rows.size(), 5000u);
  EXPECT_EQ(rows[4999], "4999");
}

}  // namespace
}  // namespace basalt
