#include "storage/csv_options.h"

#include <gtest/gtest.h>

#include "common/exception.h"
#include "storage/csv_test_util.h"

namespace basalt {
namespace {

using testing::ExpectError;

TEST(CsvOptionsTest, Defaults) {
  CsvOptions o;
  EXPECT_EQ(o.delimiter, ',');
  EXPECT_EQ(o.quote, '"');
  EXPECT_EQ(o.escape, '"');
  EXPECT_FALSE(o.header);
  EXPECT_EQ(o.null_string, "");
  EXPECT_FALSE(o.delimiter_set);
  EXPECT_FALSE(o.header_set);
}

TEST(CsvOptionsTest, CopyOptions) {
  CsvOptions o;
  ApplyCsvOption(o, "FORMAT", Value::Varchar("CSV"));
  ApplyCsvOption(o, "Header", Value::Null());
  ApplyCsvOption(o, "delimiter", Value::Varchar("|"));
  ApplyCsvOption(o, "null", Value::Varchar("\\N"));
  ApplyCsvOption(o, "quote", Value::Varchar("'"));
  ValidateCsvOptions(o);
  EXPECT_TRUE(o.header);
  EXPECT_TRUE(o.header_set);
  EXPECT_EQ(o.delimiter, '|');
  EXPECT_TRUE(o.delimiter_set);
  EXPECT_EQ(o.null_string, "\\N");
  EXPECT_EQ(o.quote, '\'');
  EXPECT_EQ(o.escape, '\'');  // follows QUOTE when ESCAPE is not given
}

TEST(CsvOptionsTest, EscapeKeptWhenGivenBeforeQuote) {
  CsvOptions o;
  ApplyCsvOption(o, "escape", Value::Varchar("\\"));
  ApplyCsvOption(o, "quote", Value::Varchar("'"));
  EXPECT_EQ(o.escape, '\\');
  EXPECT_EQ(o.quote, '\'');
}

TEST(CsvOptionsTest, HeaderValues) {
  for (const Value& yes :
       {Value::Boolean(true), Value::Varchar("on"), Value::Integer(1), Value::Varchar("TRUE")}) {
    CsvOptions o;
    ApplyCsvOption(o, "header", yes);
    EXPECT_TRUE(o.header);
  }
  CsvOptions o;
  ApplyCsvOption(o, "header", Value::Boolean(false));
  EXPECT_FALSE(o.header);
  EXPECT_TRUE(o.header_set);
  CsvOptions bad;
  ExpectError([&] { ApplyCsvOption(bad, "header", Value::Varchar("maybe")); },
              sqlstate::kInvalidParameterValue, "header requires a Boolean value");
}

TEST(CsvOptionsTest, Aliases) {
  CsvOptions o;
  ApplyCsvOption(o, "sep", Value::Varchar("\t"));
  ApplyCsvOption(o, "nullstr", Value::Varchar("NA"));
  ApplyCsvOption(o, "encoding", Value::Varchar("UTF8"));
  EXPECT_EQ(o.delimiter, '\t');
  EXPECT_EQ(o.null_string, "NA");
  CsvOptions d;
  ApplyCsvOption(d, "delim", Value::Varchar(";"));
  EXPECT_EQ(d.delimiter, ';');
}

TEST(CsvOptionsTest, Rejections) {
  CsvOptions o;
  ExpectError([&] { ApplyCsvOption(o, "force_quote", Value::Varchar("a")); },
              sqlstate::kInvalidParameterValue, "option \"force_quote\" not recognized");
  ExpectError([&] { ApplyCsvOption(o, "DELIMITER", Value::Varchar("||")); },
              sqlstate::kInvalidParameterValue,
              "COPY delimiter must be a single one-byte character");
  CsvOptions o2;
  ExpectError([&] { ApplyCsvOption(o2, "delimiter", Value::Varchar("")); },
              sqlstate::kInvalidParameterValue,
              "COPY delimiter must be a single one-byte character");
  CsvOptions o3;
  ExpectError([&] { ApplyCsvOption(o3, "delimiter", Value::Varchar("\n")); },
              sqlstate::kInvalidParameterValue,
              "COPY delimiter cannot be newline or carriage return");
  CsvOptions o4;
  ExpectError([&] { ApplyCsvOption(o4, "quote", Value::Varchar("ab")); },
              sqlstate::kInvalidParameterValue, "COPY quote must be a single one-byte character");
  ExpectError([&] { ApplyCsvOption(o4, "format", Value::Varchar("parquet")); },
              sqlstate::kInvalidParameterValue, "COPY format \"parquet\" not recognized");
  ExpectError([&] { ApplyCsvOption(o4, "null", Value::Null()); }, sqlstate::kInvalidParameterValue,
              "option \"null\" requires a value");
  ExpectError([&] { ApplyCsvOption(o4, "encoding", Value::Varchar("latin1")); },
              sqlstate::kInvalidParameterValue,
              "encoding \"latin1\" is not supported: CSV files must be UTF-8");
  CsvOptions twice;
  ApplyCsvOption(twice, "delimiter", Value::Varchar("|"));
  ExpectError([&] { ApplyCsvOption(twice, "delimiter", Value::Varchar(",")); },
              sqlstate::kSyntaxError, "conflicting or redundant options");
}

TEST(CsvOptionsTest, Validate) {
  CsvOptions same;
  ApplyCsvOption(same, "delimiter", Value::Varchar("\""));
  ExpectError([&] { ValidateCsvOptions(same); }, sqlstate::kInvalidParameterValue,
              "COPY delimiter and quote must be different");
  CsvOptions null_with_delimiter;
  ApplyCsvOption(null_with_delimiter, "null", Value::Varchar("a,b"));
  ExpectError([&] { ValidateCsvOptions(null_with_delimiter); }, sqlstate::kInvalidParameterValue,
              "COPY delimiter character must not appear in the NULL specification");
  CsvOptions fine;
  ValidateCsvOptions(fine);
}

}  // namespace
}  // namespace basalt
