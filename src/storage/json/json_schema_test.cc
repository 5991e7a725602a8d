#include "storage/json/json_schema.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/exception.h"
#include "common/temp_dir_test_util.h"

namespace basalt {
namespace {

using testing::TempDir;
using Names = std::vector<std::string>;
using Types = std::vector<LogicalType>;

JsonSchema Infer(const std::string& text) {
  TempDir dir;
  return InferJsonSchema({dir.Write("x.json", text)});
}

TEST(JsonSchemaTest, LinesTypesAndKeyOrder) {
  JsonSchema s = Infer(
      "{\"id\": 1, \"price\": 2.5, \"name\": \"apple\", \"ok\": true}\n"
      "\n"
      "{\"id\": 2, \"day\": \"2024-01-02\", \"at\": \"2024-01-02 10:00:00\", \"name\": \"pear\"}\n");
  EXPECT_EQ(s.names, (Names{"id", "price", "name", "ok", "day", "at"}));
  EXPECT_EQ(s.types, (Types{TypeId::kBigint, TypeId::kDouble, TypeId::kVarchar, TypeId::kBoolean,
                            TypeId::kDate, TypeId::kTimestamp}));
}

TEST(JsonSchemaTest, ArrayOfObjects) {
  JsonSchema s = Infer("  [{\"a\": 1}, {\"b\": \"x\", \"a\": 2}]");
  EXPECT_EQ(s.names, (Names{"a", "b"}));
  EXPECT_EQ(s.types, (Types{TypeId::kBigint, TypeId::kVarchar}));
}

TEST(JsonSchemaTest, MixedTypesWiden) {
  JsonSchema s = Infer(
      "{\"n\": 1, \"s\": 1, \"b\": true, \"nested\": 1, \"nul\": null, \"big\": 1, \"e\": 1}\n"
      "{\"n\": 1.5, \"s\": \"x\", \"b\": 1, \"nested\": [1], \"nul\": null,"
      " \"big\": 18446744073709551615, \"e\": 1e3}\n");
  EXPECT_EQ(s.names, (Names{"n", "s", "b", "nested", "nul", "big", "e"}));
  EXPECT_EQ(s.types, (Types{TypeId::kDouble, TypeId::kVarchar, TypeId::kVarchar, TypeId::kVarchar,
                            TypeId::kVarchar, TypeId::kDouble, TypeId::kDouble}));
}

TEST(JsonSchemaTest, NestedIsVarcharAndDatesMixWithTimestamps) {
  JsonSchema s = Infer(
      "{\"o\": {\"x\": 1}, \"t\": \"2024-01-01\"}\n"
      "{\"o\": {\"y\": [true]}, \"t\": \"2024-01-01 12:00:00\"}\n");
  // A date among timestamps keeps the column VARCHAR, as in DuckDB.
  EXPECT_EQ(s.types, (Types{TypeId::kVarchar, TypeId::kVarchar}));
}

TEST(JsonSchemaTest, UnionOverFilesInTheSample) {
  TempDir dir;
  std::string a = dir.Write("a.json", "{\"x\": 1}\n");
  std::string b = dir.Write("b.json", "[{\"y\": false, \"x\": 2}]");
  JsonSchema s = InferJsonSchema({a, b});
  EXPECT_EQ(s.names, (Names{"x", "y"}));
  EXPECT_EQ(s.types, (Types{TypeId::kBigint, TypeId::kBoolean}));
}

TEST(JsonSchemaTest, Errors) {
  TempDir dir;
  auto code_of = [](const std::vector<std::string>& files) -> std::string {
    try {
      InferJsonSchema(files);
    } catch (const BasaltError& e) {
      return std::string(e.code()) + " " + e.what();
    }
    return "no error";
  };
  std::string bad = dir.Write("bad.json", "{\"a\": 1}\n{\"a\": }\n");
  EXPECT_EQ(code_of({bad}).substr(0, 5), "22P02");
  EXPECT_NE(code_of({bad}).find("at line 2 (byte offset 9)"), std::string::npos) << code_of({bad});
  std::string scalar = dir.Write("scalar.json", "{\"a\": 1}\n[1]\n");
  EXPECT_NE(code_of({scalar}).find("line 2"), std::string::npos) << code_of({scalar});
  std::string empty = dir.Write("empty.json", "\n\n");
  EXPECT_EQ(code_of({empty}).substr(0, 5), "22P02");
  EXPECT_EQ(code_of({dir.File("missing.json")}).substr(0, 5), "58P01");
  std::string bad_array = dir.Write("bad_array.json", "[{\"a\": 1},");
  EXPECT_EQ(code_of({bad_array}).substr(0, 5), "22P02");
}

}  // namespace
}  // namespace basalt
