#include "storage/csv_sniffer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "common/exception.h"
#include "storage/csv_reader.h"
#include "storage/csv_test_util.h"

namespace basalt {
namespace {

using testing::ExpectError;
using testing::TempDir;
using Names = std::vector<std::string>;
using Types = std::vector<LogicalType>;

CsvSchema Sniff(std::string_view text, CsvOptions options = {}) {
  return SniffCsvSample(text, true, options);
}

TEST(CsvSnifferTest, CommaWithHeaderAndTypes) {
  CsvSchema s = Sniff(
      "id,price,name,day,at,flag\n"
      "1,2.5,apple,2024-01-01,2024-01-01 10:00:00,true\n"
      "2,3,\"pear, green\",2024-01-02,2024-01-02 11:30:00,False\n");
  EXPECT_EQ(s.options.delimiter, ',');
  EXPECT_TRUE(s.options.header);
  EXPECT_FALSE(s.options.header_set);  // still says what the user wrote
  EXPECT_EQ(s.names, (Names{"id", "price", "name", "day", "at", "flag"}));
  EXPECT_EQ(s.types, (Types{TypeId::kBigint, TypeId::kDouble, TypeId::kVarchar, TypeId::kDate,
                            TypeId::kTimestamp, TypeId::kBoolean}));
}

TEST(CsvSnifferTest, TpchTblHasNoExtraColumnAndNoHeader) {
  CsvSchema s = Sniff(
      "1|Customer#000000001|IVhzIApeRb ot,c,E|15|25-989-741-2988|711.56|BUILDING|to the even, "
      "regular platelets|\n"
      "2|Customer#000000002|XSTf4,NCwDVaWNe6tEgvwfmRchLXak|13|23-768-687-3665|121.65|AUTOMOBILE|"
      "l accounts. blithely|\n");
  EXPECT_EQ(s.options.delimiter, '|');
  EXPECT_FALSE(s.options.header);
  EXPECT_EQ(s.names, (Names{"column0", "column1", "column2", "column3", "column4", "column5",
                            "column6", "column7"}));
  EXPECT_EQ(s.types,
            (Types{TypeId::kBigint, TypeId::kVarchar, TypeId::kVarchar, TypeId::kBigint,
                   TypeId::kVarchar, TypeId::kDouble, TypeId::kVarchar, TypeId::kVarchar}));
}

TEST(CsvSnifferTest, SemicolonAndTab) {
  CsvSchema semi = Sniff("a;b\n1;x,y\n2;z\n");
  EXPECT_EQ(semi.options.delimiter, ';');
  EXPECT_EQ(semi.names, (Names{"a", "b"}));
  EXPECT_EQ(semi.types, (Types{TypeId::kBigint, TypeId::kVarchar}));
  CsvSchema tab = Sniff("1\t1.5\t2020-01-01\n2\t-3e2\t2020-01-02\n");
  EXPECT_EQ(tab.options.delimiter, '\t');
  EXPECT_FALSE(tab.options.header);
  EXPECT_EQ(tab.types, (Types{TypeId::kBigint, TypeId::kDouble, TypeId::kDate}));
}

TEST(CsvSnifferTest, QuotedDelimitersDoNotMislead) {
  CsvSchema s = Sniff("\"a|b|c\",1\n\"d|e|f\",2\n\"g|h|i\",3\n");
  EXPECT_EQ(s.options.delimiter, ',');
  EXPECT_EQ(s.types, (Types{TypeId::kVarchar, TypeId::kBigint}));
}

TEST(CsvSnifferTest, OneColumn) {
  CsvSchema s = Sniff("10\n20\n30\n");
  EXPECT_EQ(s.names, Names{"column0"});
  EXPECT_EQ(s.types, Types{TypeId::kBigint});
  EXPECT_EQ(s.options.delimiter, ',');
}

TEST(CsvSnifferTest, HeaderDetection) {
  // Header names that fit their columns' types look like data: no header.
  CsvSchema years = Sniff("name,2019,2020\nann,5,6\nbob,7,8\n");
  EXPECT_FALSE(years.options.header);
  CsvSchema typed = Sniff("id,2019\n1,5\n2,7\n");
  EXPECT_TRUE(typed.options.header);
  EXPECT_EQ(typed.names, (Names{"id", "2019"}));
  // All text: no evidence, so no header (the row is kept as data).
  CsvSchema text = Sniff("name,city\nann,paris\nbob,rome\n");
  EXPECT_FALSE(text.options.header);
  EXPECT_EQ(text.names, (Names{"column0", "column1"}));
  // An empty name (pandas writes one for the index) does not hide a header.
  CsvSchema pandas = Sniff(",a,b\n0,x,1.5\n1,y,2.5\n");
  EXPECT_TRUE(pandas.options.header);
  EXPECT_EQ(pandas.names, (Names{"column0", "a", "b"}));
  EXPECT_EQ(pandas.types, (Types{TypeId::kBigint, TypeId::kVarchar, TypeId::kDouble}));
  // A first row that fits the types is data, NULLs and all.
  CsvSchema with_null = Sniff("7,\n1,2\n3,4\n");
  EXPECT_FALSE(with_null.options.header);
  EXPECT_EQ(with_null.types, (Types{TypeId::kBigint, TypeId::kBigint}));
  // One row only: data.
  CsvSchema single = Sniff("a,b\n");
  EXPECT_FALSE(single.options.header);
}

TEST(CsvSnifferTest, UserHeaderIsKept) {
  CsvOptions no;
  no.header = false;
  no.header_set = true;
  CsvSchema s = Sniff("id,v\n1,2\n", no);
  EXPECT_FALSE(s.options.header);
  EXPECT_EQ(s.types, (Types{TypeId::kVarchar, TypeId::kVarchar}));
  CsvOptions yes;
  yes.header = true;
  yes.header_set = true;
  s = Sniff("name,city\nann,paris\n", yes);
  EXPECT_TRUE(s.options.header);
  EXPECT_EQ(s.names, (Names{"name", "city"}));
}

TEST(CsvSnifferTest, UserDelimiterIsKept) {
  CsvOptions pipe;
  pipe.delimiter = '|';
  pipe.delimiter_set = true;
  CsvSchema s = Sniff("a,b\n1,2\n", pipe);
  EXPECT_EQ(s.options.delimiter, '|');
  EXPECT_EQ(s.names, Names{"column0"});
  EXPECT_EQ(s.types, Types{TypeId::kVarchar});
}

TEST(CsvSnifferTest, TypeWidening) {
  CsvSchema s = Sniff(
      "1,0,true,2020-01-01,1,x,,z\n"
      "2.5,1,FALSE,2020-01-01 12:00:00,99999999999999999999,,,z\n"
      ",,,,,,,\n"
      "3,1,true,2020-01-03,-4,y,,z\n");
  EXPECT_FALSE(s.options.header);
  EXPECT_EQ(s.types, (Types{TypeId::kDouble,     // integers and a fraction
                            TypeId::kBigint,     // 0/1 is not boolean
                            TypeId::kBoolean,    // true/false in any case
                            TypeId::kTimestamp,  // dates and a timestamp
                            TypeId::kDouble,     // beyond BIGINT
                            TypeId::kVarchar,    // text with NULLs
                            TypeId::kVarchar,    // all NULL
                            TypeId::kVarchar}));
}

TEST(CsvSnifferTest, NullStringIsHonored) {
  CsvOptions na;
  na.null_string = "NA";
  CsvSchema s = Sniff("1,NA\nNA,2.5\n3,\"NA\"\n", na);
  EXPECT_EQ(s.types, (Types{TypeId::kBigint, TypeId::kVarchar}));  // a quoted "NA" is text
}

TEST(CsvSnifferTest, HeaderNamesAreMadeUnique) {
  CsvSchema s = Sniff("a,a,,b,a\n1,2,3,4,5\n");
  EXPECT_TRUE(s.options.header);
  EXPECT_EQ(s.names, (Names{"a", "a_1", "column2", "b", "a_2"}));
}

TEST(CsvSnifferTest, OddRecordsDoNotVote) {
  CsvSchema s = Sniff("1,2\n3,4\nnot,a,number\n5,6\n");
  EXPECT_EQ(s.types, (Types{TypeId::kBigint, TypeId::kBigint}));
}

TEST(CsvSnifferTest, EmptyInput) {
  CsvSchema s = Sniff("");
  EXPECT_EQ(s.names, Names{"column0"});
  EXPECT_EQ(s.types, Types{TypeId::kVarchar});
  EXPECT_FALSE(s.options.header);
}

TEST(CsvSnifferTest, TruncatedSampleDropsTheCutRecord) {
  // Without the last, cut record ("4,\"unfinis") the second column is all numbers.
  CsvSchema s = SniffCsvSample("1,10\n2,20\n3,30\n4,\"unfinis", false, {});
  EXPECT_EQ(s.types, (Types{TypeId::kBigint, TypeId::kBigint}));
  CsvSchema whole = SniffCsvSample("1,10\n2,20\n3,30\n4,x", true, {});
  EXPECT_EQ(whole.types, (Types{TypeId::kBigint, TypeId::kVarchar}));
}

TEST(CsvSnifferTest, CrlfAndQuotedNewlines) {
  CsvSchema s = Sniff("id;note\r\n1;\"two\r\nlines; really\"\r\n2;plain\r\n");
  EXPECT_EQ(s.options.delimiter, ';');
  EXPECT_TRUE(s.options.header);
  EXPECT_EQ(s.names, (Names{"id", "note"}));
  EXPECT_EQ(s.types, (Types{TypeId::kBigint, TypeId::kVarchar}));
}

TEST(CsvSnifferTest, SniffThenReadFile) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 3000; i++) {
    content += fmt::format("{}|name {}|{}.{:02d}|1995-03-{:02d}|\n", i, i, i, i % 100, i % 28 + 1);
  }
  std::string path = dir.Write("orders.tbl", content);
  CsvSchema s = SniffCsv(path, {});
  EXPECT_EQ(s.options.delimiter, '|');
  EXPECT_FALSE(s.options.header);
  EXPECT_EQ(s.types, (Types{TypeId::kBigint, TypeId::kVarchar, TypeId::kDouble, TypeId::kDate}));
  CsvReader reader(path, s.options, s.types, s.names);
  DataChunk chunk(s.types);
  uint64_t rows = 0;
  Value last;
  while (reader.ReadChunk(chunk)) {
    rows += chunk.size();
    last = chunk.GetValue(2, chunk.size() - 1);
  }
  EXPECT_EQ(rows, 3000u);
  EXPECT_EQ(last.ToString(), "2999.99");
}

TEST(CsvSnifferTest, LargeFileIsSampled) {
  TempDir dir;
  // Past the first megabyte the second column turns into text; the sample
  // does not see that, which is the documented trade-off.
  std::string content;
  while (content.size() < kSniffSampleBytes + 1000) content += "12345,67890\n";
  content += "1,text\n";
  std::string path = dir.Write("big.csv", content);
  CsvSchema s = SniffCsv(path, {});
  EXPECT_EQ(s.types, (Types{TypeId::kBigint, TypeId::kBigint}));
}

TEST(CsvSnifferTest, MissingFile) {
  TempDir dir;
  std::string missing = dir.path() + "/none.csv";
  ExpectError([&] { SniffCsv(missing, {}); }, sqlstate::kUndefinedFile,
              fmt::format("could not open file \"{}\": No such file or directory", missing));
}

}  // namespace
}  // namespace basalt
