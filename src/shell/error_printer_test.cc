#include "shell/error_printer.h"

#include <gtest/gtest.h>

#include <string>

namespace basalt {
namespace {

TEST(ErrorPrinterTest, WithoutPosition) {
  EXPECT_EQ(FormatError("22012", "division by zero", -1, "select 1/0;"),
            "ERROR:  division by zero (SQLSTATE 22012)\n");
  EXPECT_EQ(FormatError("", "oops", -1, "x"), "ERROR:  oops\n");
}

TEST(ErrorPrinterTest, CaretOnFirstLine) {
  EXPECT_EQ(FormatError("42601", "syntax error at or near \"FORM\"", 9, "select a FORM t;"),
            "ERROR:  syntax error at or near \"FORM\" (SQLSTATE 42601)\n"
            "LINE 1: select a FORM t;\n"
            "                 ^\n");
}

TEST(ErrorPrinterTest, CaretOnLaterLine) {
  const std::string sql = "select a,\n       b\n  FORM t;";
  size_t offset = sql.find("FORM");
  EXPECT_EQ(FormatError("42601", "syntax error at or near \"FORM\"", offset, sql),
            "ERROR:  syntax error at or near \"FORM\" (SQLSTATE 42601)\n"
            "LINE 3:   FORM t;\n"
            "          ^\n");
}

TEST(ErrorPrinterTest, CountsCharactersNotBytes) {
  const std::string sql = "select 'é', 'ü' FORM t;";
  ErrorLocation location = LocateError(sql, sql.find("FORM"));
  EXPECT_EQ(location.line, 1);
  EXPECT_EQ(location.text, sql);
  EXPECT_EQ(location.caret_column, 16u);
}

TEST(ErrorPrinterTest, WideCharactersTakeTwoColumns) {
  const std::string sql = "select '名' x";
  EXPECT_EQ(LocateError(sql, sql.find('x')).caret_column, 12u);
}

TEST(ErrorPrinterTest, OffsetInsideACharacterMeansThatCharacter) {
  const std::string sql = "select é";
  EXPECT_EQ(LocateError(sql, sql.size() - 1).caret_column, 7u);
}

TEST(ErrorPrinterTest, EndOfInput) {
  const std::string sql = "select (1 +\n  2";
  ErrorLocation location = LocateError(sql, sql.size());
  EXPECT_EQ(location.line, 2);
  EXPECT_EQ(location.text, "  2");
  EXPECT_EQ(location.caret_column, 3u);
  EXPECT_EQ(LocateError(sql, 1000).caret_column, 3u);
}

TEST(ErrorPrinterTest, OffsetAtLineStartAndNewline) {
  const std::string sql = "select 1\nfrom";
  ErrorLocation at_from = LocateError(sql, 9);
  EXPECT_EQ(at_from.line, 2);
  EXPECT_EQ(at_from.caret_column, 0u);
  ErrorLocation at_newline = LocateError(sql, 8);
  EXPECT_EQ(at_newline.line, 1);
  EXPECT_EQ(at_newline.text, "select 1");
  EXPECT_EQ(at_newline.caret_column, 8u);
  EXPECT_EQ(LocateError(sql, 0).caret_column, 0u);
}

TEST(ErrorPrinterTest, TabsAndCarriageReturns) {
  const std::string sql = "select\t1 x\r\nfrom t";
  ErrorLocation location = LocateError(sql, sql.find('x'));
  EXPECT_EQ(location.text, "select 1 x");
  EXPECT_EQ(location.caret_column, 9u);
}

TEST(ErrorPrinterTest, LongLinesShowAWindowAroundTheCaret) {
  std::string sql = "insert into t values ";
  for (int i = 0; i < 40; ++i) sql += "(" + std::to_string(i) + "), ";
  size_t offset = sql.find("(20)");
  ErrorLocation location = LocateError(sql, offset);
  EXPECT_LE(location.text.size(), kMaxErrorLineWidth);
  EXPECT_EQ(location.text.substr(0, 3), "...");
  EXPECT_EQ(location.text.substr(location.text.size() - 3), "...");
  EXPECT_EQ(location.text.substr(location.caret_column, 4), "(20)");

  // Near the start, only the end is cut.
  ErrorLocation early = LocateError(sql, 7);
  EXPECT_EQ(early.text.substr(0, 10), "insert int");
  EXPECT_EQ(early.caret_column, 7u);
  // At the end, only the start is cut.
  ErrorLocation late = LocateError(sql, sql.size());
  EXPECT_EQ(late.text.substr(0, 3), "...");
  EXPECT_EQ(late.caret_column, late.text.size());
}

}  // namespace
}  // namespace basalt
