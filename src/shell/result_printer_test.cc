#include "shell/result_printer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace basalt {
namespace {

// A result of `rows`, split into chunks of `chunk_rows` rows so that
// printing across chunk boundaries is exercised too.
QueryResult MakeResult(std::vector<std::string> names, std::vector<LogicalType> types,
                       const std::vector<std::vector<Value>>& rows, size_t chunk_rows = 2) {
  QueryResult result;
  result.returns_rows = true;
  result.column_names = std::move(names);
  result.column_types = types;
  for (size_t start = 0; start < rows.size(); start += chunk_rows) {
    DataChunk chunk(types);
    size_t count = std::min(chunk_rows, rows.size() - start);
    for (size_t r = 0; r < count; ++r) {
      for (size_t c = 0; c < types.size(); ++c) chunk.column(c).SetValue(r, rows[start + r][c]);
    }
    chunk.SetSize(count);
    result.chunks.push_back(std::move(chunk));
  }
  result.tag = "SELECT " + std::to_string(rows.size());
  return result;
}

QueryResult Command(std::string tag) {
  QueryResult result;
  result.tag = std::move(tag);
  return result;
}

std::string Print(const QueryResult& result, OutputFormat format) {
  std::ostringstream out;
  PrintResult(result, format, out);
  return out.str();
}

QueryResult People() {
  return MakeResult({"id", "name"}, {TypeId::kInteger, TypeId::kVarchar},
                    {{Value::Integer(1), Value::Varchar("alice")},
                     {Value::Integer(20), Value::Null(TypeId::kVarchar)},
                     {Value::Integer(300), Value::Varchar("")}});
}

TEST(ResultPrinterTest, ParsesFormatNames) {
  EXPECT_EQ(ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_EQ(ParseOutputFormat("json"), OutputFormat::kJson);
  EXPECT_EQ(ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_FALSE(ParseOutputFormat("xml"));
  EXPECT_EQ(OutputFormatName(OutputFormat::kCsv), "csv");
}

TEST(TablePrinterTest, AlignsNumbersRightAndTextLeft) {
  EXPECT_EQ(Print(People(), OutputFormat::kTable),
            " id  | name\n"
            "-----+-------\n"
            "   1 | alice\n"
            "  20 | NULL\n"
            " 300 |\n"
            "(3 rows)\n"
            "\n");
}

TEST(TablePrinterTest, OneRowAndNoRows) {
  auto one = MakeResult({"a"}, {TypeId::kBigint}, {{Value::Bigint(-5)}});
  EXPECT_EQ(Print(one, OutputFormat::kTable), " a\n----\n -5\n(1 row)\n\n");
  auto none = MakeResult({"a", "b"}, {TypeId::kInteger, TypeId::kVarchar}, {});
  EXPECT_EQ(Print(none, OutputFormat::kTable), " a | b\n---+---\n(0 rows)\n\n");
}

TEST(TablePrinterTest, KeepsTrailingSpacesOfValuesButNotPadding) {
  auto result = MakeResult({"long header", "s"}, {TypeId::kVarchar, TypeId::kVarchar},
                           {{Value::Varchar("x"), Value::Varchar("ab  ")}});
  EXPECT_EQ(Print(result, OutputFormat::kTable),
            " long header |  s\n"
            "-------------+------\n"
            " x           | ab  \n"
            "(1 row)\n\n");
}

TEST(TablePrinterTest, EscapesControlCharacters) {
  auto result = MakeResult({"s"}, {TypeId::kVarchar}, {{Value::Varchar("b\tc\x01\r")}});
  EXPECT_EQ(Print(result, OutputFormat::kTable),
            "     s\n------------\n b\\tc\\x01\\r\n(1 row)\n\n");
}

TEST(TablePrinterTest, LineBreaksContinueOnTheNextLine) {
  auto result =
      MakeResult({"a", "b", "c"}, {TypeId::kVarchar, TypeId::kVarchar, TypeId::kInteger},
                 {{Value::Varchar("one\ntwo\nthree"), Value::Varchar("x\n"), Value::Integer(1)},
                  {Value::Varchar("z"), Value::Varchar("last\ncolumn"), Value::Integer(2)}});
  // A text column last: the `+` takes the place of the space before a `|`.
  auto last = MakeResult({"c", "b"}, {TypeId::kInteger, TypeId::kVarchar},
                         {{Value::Integer(1), Value::Varchar("x\ny")}});
  EXPECT_EQ(Print(result, OutputFormat::kTable),
            "   a   |   b    | c\n"
            "-------+--------+---\n"
            " one  +| x     +| 1\n"
            " two  +|        |\n"
            " three |        |\n"
            " z     | last  +| 2\n"
            "       | column |\n"
            "(2 rows)\n\n");
  EXPECT_EQ(Print(last, OutputFormat::kTable),
            " c | b\n"
            "---+---\n"
            " 1 | x+\n"
            "   | y\n"
            "(1 row)\n\n");
}

TEST(TablePrinterTest, WideCharactersTakeTwoColumns) {
  auto result = MakeResult(
      {"k", "v"}, {TypeId::kVarchar, TypeId::kInteger},
      {{Value::Varchar("名前"), Value::Integer(1)}, {Value::Varchar("é"), Value::Integer(2)}});
  EXPECT_EQ(Print(result, OutputFormat::kTable),
            "  k   | v\n"
            "------+---\n"
            " 名前 | 1\n"
            " é    | 2\n"
            "(2 rows)\n\n");
}

TEST(TablePrinterTest, DecimalsAndBooleans) {
  auto result = MakeResult({"price", "ok"}, {LogicalType::Decimal(10, 2), TypeId::kBoolean},
                           {{Value::Decimal(12345, 10, 2), Value::Boolean(true)},
                            {Value::Decimal(-5, 10, 2), Value::Boolean(false)}});
  EXPECT_EQ(Print(result, OutputFormat::kTable),
            " price  |  ok\n"
            "--------+-------\n"
            " 123.45 | true\n"
            "  -0.05 | false\n"
            "(2 rows)\n\n");
}

TEST(TablePrinterTest, CommandsPrintTheirTag) {
  EXPECT_EQ(Print(Command("CREATE TABLE"), OutputFormat::kTable), "CREATE TABLE\n");
  EXPECT_EQ(Print(Command("INSERT 0 3"), OutputFormat::kTable), "INSERT 0 3\n");
}

TEST(CsvPrinterTest, QuotesOnlyWhatNeedsIt) {
  auto result = MakeResult({"n", "s"}, {TypeId::kInteger, TypeId::kVarchar},
                           {{Value::Integer(1), Value::Null(TypeId::kVarchar)},
                            {Value::Integer(2), Value::Varchar("")},
                            {Value::Integer(3), Value::Varchar("a,b")},
                            {Value::Integer(4), Value::Varchar("say \"hi\"")},
                            {Value::Integer(5), Value::Varchar("two\nlines")},
                            {Value::Integer(6), Value::Varchar("cr\r")},
                            {Value::Null(TypeId::kInteger), Value::Varchar("plain text")}});
  EXPECT_EQ(Print(result, OutputFormat::kCsv),
            "n,s\n"
            "1,\n"
            "2,\"\"\n"
            "3,\"a,b\"\n"
            "4,\"say \"\"hi\"\"\"\n"
            "5,\"two\nlines\"\n"
            "6,\"cr\r\"\n"
            ",plain text\n");
}

TEST(CsvPrinterTest, HeaderIsQuotedLikeData) {
  auto result = MakeResult({"a,b", "c"}, {TypeId::kInteger, TypeId::kInteger}, {});
  EXPECT_EQ(Print(result, OutputFormat::kCsv), "\"a,b\",c\n");
}

TEST(CsvPrinterTest, CommandsPrintNothing) {
  EXPECT_EQ(Print(Command("CREATE TABLE"), OutputFormat::kCsv), "");
}

TEST(JsonPrinterTest, OneObjectPerRow) {
  EXPECT_EQ(Print(People(), OutputFormat::kJson),
            "[{\"id\":1,\"name\":\"alice\"},\n"
            "{\"id\":20,\"name\":null},\n"
            "{\"id\":300,\"name\":\"\"}]\n");
}

TEST(JsonPrinterTest, EmptyResultIsAnEmptyArray) {
  auto result = MakeResult({"a"}, {TypeId::kInteger}, {});
  EXPECT_EQ(Print(result, OutputFormat::kJson), "[]\n");
}

TEST(JsonPrinterTest, EscapesStrings) {
  auto result = MakeResult({"s\""}, {TypeId::kVarchar},
                           {{Value::Varchar("q\" b\\ \n\r\t\b\f \x01\x1f \x7f é 名")},
                            {Value::Varchar("bad \xff\xc3 utf8")}});
  EXPECT_EQ(Print(result, OutputFormat::kJson),
            "[{\"s\\\"\":\"q\\\" b\\\\ \\n\\r\\t\\b\\f \\u0001\\u001f \x7f é 名\"},\n"
            "{\"s\\\"\":\"bad \\ufffd\\ufffd utf8\"}]\n");
}

TEST(JsonPrinterTest, NumbersStayNumbers) {
  auto result = MakeResult({"i", "d", "r", "dec", "b", "day"},
                           {TypeId::kBigint, TypeId::kDouble, TypeId::kReal,
                            LogicalType::Decimal(5, 2), TypeId::kBoolean, TypeId::kDate},
                           {{Value::Bigint(-9), Value::Double(0.5), Value::Real(1.25f),
                             Value::Decimal(-1, 5, 2), Value::Boolean(false), Value::Date(0)},
                            {Value::Bigint(0), Value::Double(std::nan("")), Value::Real(INFINITY),
                             Value::Null(LogicalType::Decimal(5, 2)), Value::Boolean(true),
                             Value::Null(TypeId::kDate)}});
  EXPECT_EQ(Print(result, OutputFormat::kJson),
            "[{\"i\":-9,\"d\":0.5,\"r\":1.25,\"dec\":-0.01,\"b\":false,\"day\":\"1970-01-01\"},\n"
            "{\"i\":0,\"d\":\"NaN\",\"r\":\"Infinity\",\"dec\":null,\"b\":true,\"day\":null}]\n");
}

TEST(JsonPrinterTest, CommandsPrintNothing) {
  EXPECT_EQ(Print(Command("INSERT 0 1"), OutputFormat::kJson), "");
}

}  // namespace
}  // namespace basalt
