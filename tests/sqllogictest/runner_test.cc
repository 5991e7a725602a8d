// Unit tests for the sqllogictest file parser and result comparison; they
// need no engine, so they also guard the runner while the engine changes.
#include <gtest/gtest.h>

#include "result_compare.h"
#include "test_file.h"

namespace basalt::sqllogictest {
namespace {

TEST(ParseTestFileTest, StatementsAndQueries) {
  std::vector<Record> records = ParseTestFile(
      "# a comment\n"
      "statement ok\n"
      "CREATE TABLE t (a INTEGER)\n"
      "\n"
      "query IT rowsort\n"
      "SELECT a,\n"
      "       'x'\n"
      "FROM t\n"
      "----\n"
      "1\tx\n"
      "2\tx\n"
      "\n"
      "query I\n"
      "SELECT 1\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].kind, RecordKind::kStatementOk);
  EXPECT_EQ(records[0].line, 2);
  EXPECT_EQ(records[0].sql, "CREATE TABLE t (a INTEGER)");
  EXPECT_EQ(records[1].kind, RecordKind::kQuery);
  EXPECT_EQ(records[1].line, 5);
  EXPECT_EQ(records[1].column_types, "IT");
  EXPECT_EQ(records[1].sort_mode, SortMode::kRowSort);
  EXPECT_EQ(records[1].sql, "SELECT a,\n       'x'\nFROM t");
  EXPECT_EQ(records[1].expected_lines, (std::vector<std::string>{"1\tx", "2\tx"}));
  EXPECT_EQ(records[2].sort_mode, SortMode::kNoSort);
  EXPECT_TRUE(records[2].expected_lines.empty());
}

TEST(ParseTestFileTest, StatementErrorForms) {
  std::vector<Record> records = ParseTestFile(
      "statement error 42P01\n"
      "SELECT * FROM missing\n"
      "\n"
      "statement error\n"
      "SELECT 1/0\n"
      "----\n"
      "division by zero\n"
      "\n"
      "statement error\n"
      "SELECT x\n"
      "\n"
      "statement error relation \"t\" does not exist\n"
      "SELECT * FROM t\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].kind, RecordKind::kStatementError);
  EXPECT_EQ(records[0].expected_error, "42P01");
  EXPECT_EQ(records[1].expected_error, "division by zero");
  EXPECT_EQ(records[1].sql, "SELECT 1/0");
  EXPECT_EQ(records[2].expected_error, "");
  EXPECT_EQ(records[3].expected_error, "relation \"t\" does not exist");
}

TEST(ParseTestFileTest, ControlLines) {
  std::vector<Record> records = ParseTestFile(
      "hash-threshold 8\n"
      "\n"
      "skipif basalt\n"
      "onlyif postgresql\n"
      "statement ok\n"
      "SELECT 1\n"
      "\n"
      "loop i 0 3\n"
      "\n"
      "statement ok\n"
      "SELECT ${i}\n"
      "\n"
      "endloop\n"
      "\n"
      "foreach type INTEGER BIGINT\n"
      "\n"
      "endloop\n"
      "\n"
      "mode skip\n"
      "\n"
      "mode unskip\n"
      "\n"
      "mode output_hash\n"
      "\n"
      "require parquet\n"
      "\n"
      "halt\n"
      "\n"
      "bogus command\n"
      "SELECT 1\n"
      "\n"
      "statement ok\n"
      "SELECT 2\n");
  ASSERT_EQ(records.size(), 12u);
  EXPECT_EQ(records[0].kind, RecordKind::kStatementOk);
  EXPECT_EQ(records[0].skip_if, std::vector<std::string>{"basalt"});
  EXPECT_EQ(records[0].only_if, std::vector<std::string>{"postgresql"});
  EXPECT_EQ(records[1].kind, RecordKind::kLoop);
  EXPECT_EQ(records[1].loop_variable, "i");
  EXPECT_EQ(records[1].loop_start, 0);
  EXPECT_EQ(records[1].loop_end, 3);
  EXPECT_TRUE(records[2].skip_if.empty());
  EXPECT_EQ(records[3].kind, RecordKind::kEndLoop);
  EXPECT_EQ(records[4].kind, RecordKind::kForeach);
  EXPECT_EQ(records[4].foreach_values, (std::vector<std::string>{"INTEGER", "BIGINT"}));
  EXPECT_EQ(records[6].kind, RecordKind::kModeSkip);
  EXPECT_EQ(records[7].kind, RecordKind::kModeUnskip);
  EXPECT_EQ(records[8].kind, RecordKind::kRequire);
  EXPECT_EQ(records[8].argument, "parquet");
  EXPECT_EQ(records[9].kind, RecordKind::kHalt);
  // The bad record's SQL is skipped, not read as commands.
  EXPECT_EQ(records[10].kind, RecordKind::kInvalid);
  EXPECT_EQ(records[10].line, 29);
}

TEST(ParseTestFileTest, MalformedRecords) {
  std::vector<Record> records = ParseTestFile(
      "statement ok\n"
      "SELECT 1\n"
      "----\n"
      "1\n"
      "\n"
      "loop i x 3\n"
      "\n"
      "statement maybe\n"
      "SELECT 1\n"
      "\n"
      "query\n"
      "SELECT 1\n"
      "\r\n"
      "statement ok\r\n"
      "SELECT 3\r\n");
  ASSERT_EQ(records.size(), 5u);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(records[k].kind, RecordKind::kInvalid) << k;
  EXPECT_EQ(records[4].kind, RecordKind::kStatementOk);
  EXPECT_EQ(records[4].sql, "SELECT 3");
}

TEST(RenderValueTest, SpecialValues) {
  EXPECT_EQ(RenderValue(Value::Null(TypeId::kInteger)), "NULL");
  EXPECT_EQ(RenderValue(Value::Varchar("")), "(empty)");
  EXPECT_EQ(RenderValue(Value::Varchar("a b")), "a b");
  EXPECT_EQ(RenderValue(Value::Boolean(true)), "true");
  EXPECT_EQ(RenderValue(Value::Integer(-7)), "-7");
  EXPECT_EQ(RenderValue(Value::Decimal(150, 15, 2)), "1.50");
}

TEST(ValuesMatchTest, RegexValues) {
  EXPECT_TRUE(ValuesMatch('T', "<REGEX>:\\d{4}-\\d\\d-\\d\\d .*", "2024-05-06 10:11:12.5"));
  EXPECT_FALSE(ValuesMatch('T', "<REGEX>:\\d{4}", "2024-05-06"));  // the whole value
  EXPECT_TRUE(ValuesMatch('T', "<!REGEX>:NULL", "2024-05-06"));
  EXPECT_FALSE(ValuesMatch('T', "<!REGEX>:NULL", "NULL"));
  EXPECT_FALSE(ValuesMatch('T', "<REGEX>:(", "("));
}

TEST(ValuesMatchTest, RealToleranceOnlyForR) {
  EXPECT_TRUE(ValuesMatch('R', "0.3", "0.30000000000000004"));
  EXPECT_TRUE(ValuesMatch('R', "1e20", "100000000000000000000"));
  EXPECT_FALSE(ValuesMatch('R', "0.3", "0.31"));
  EXPECT_FALSE(ValuesMatch('R', "0", "1e-20"));
  EXPECT_FALSE(ValuesMatch('R', "NULL", "0"));
  EXPECT_TRUE(ValuesMatch('R', "NaN", "NaN"));
  EXPECT_FALSE(ValuesMatch('T', "0.3", "0.30000000000000004"));
  EXPECT_FALSE(ValuesMatch('I', "1", "1.0"));
  EXPECT_TRUE(ValuesMatch('T', "a b", "a b"));
}

TEST(CompareResultTest, RowsInOrder) {
  std::vector<Row> actual = {{"1", "a"}, {"2", "NULL"}};
  EXPECT_TRUE(CompareResult("IT", SortMode::kNoSort, actual, {"1\ta", "2\tNULL"}).ok);
  Comparison swapped = CompareResult("IT", SortMode::kNoSort, actual, {"2\tNULL", "1\ta"});
  EXPECT_FALSE(swapped.ok);
  EXPECT_EQ(swapped.message, "row 1, column 1: expected '2', got '1'");
  EXPECT_EQ(swapped.actual_lines, (std::vector<std::string>{"1\ta", "2\tNULL"}));
}

TEST(CompareResultTest, RowCountAndWidth) {
  std::vector<Row> actual = {{"1", "a"}};
  EXPECT_EQ(CompareResult("IT", SortMode::kNoSort, actual, {}).message, "expected 0 rows, got 1");
  // Spaces do not separate values: only TAB does.
  EXPECT_FALSE(CompareResult("IT", SortMode::kNoSort, actual, {"1 a"}).ok);
}

TEST(CompareResultTest, RowSortSortsBothSides) {
  std::vector<Row> actual = {{"2", "b"}, {"1", "a"}};
  EXPECT_TRUE(CompareResult("IT", SortMode::kRowSort, actual, {"1\ta", "2\tb"}).ok);
  EXPECT_TRUE(CompareResult("IT", SortMode::kRowSort, actual, {"2\tb", "1\ta"}).ok);
  EXPECT_FALSE(CompareResult("IT", SortMode::kRowSort, actual, {"2\ta", "1\tb"}).ok);
}

TEST(CompareResultTest, ValueSort) {
  std::vector<Row> actual = {{"3", "1"}, {"2", "4"}};
  EXPECT_TRUE(CompareResult("II", SortMode::kValueSort, actual, {"1", "2", "3", "4"}).ok);
  EXPECT_TRUE(CompareResult("II", SortMode::kValueSort, actual, {"4\t3", "2\t1"}).ok);
  EXPECT_FALSE(CompareResult("II", SortMode::kValueSort, actual, {"1", "2", "3"}).ok);
}

TEST(CompareResultTest, OneValuePerLine) {
  std::vector<Row> actual = {{"1", "a"}, {"2", "b"}};
  EXPECT_TRUE(CompareResult("IT", SortMode::kNoSort, actual, {"1", "a", "2", "b"}).ok);
}

TEST(CompareResultTest, RealColumns) {
  std::vector<Row> actual = {{"x", "0.30000000000000004"}};
  EXPECT_TRUE(CompareResult("TR", SortMode::kNoSort, actual, {"x\t0.3"}).ok);
}

}  // namespace
}  // namespace basalt::sqllogictest
