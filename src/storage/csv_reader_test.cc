#include "storage/csv_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "common/exception.h"
#include "storage/csv_test_util.h"

namespace basalt {
namespace {

using testing::ExpectError;
using testing::TempDir;
using Rows = std::vector<std::vector<std::string>>;

// NULL prints as <NULL> so it cannot be confused with the text "NULL".
std::string Text(const Value& v) { return v.IsNull() ? "<NULL>" : v.ToString(); }

struct ReadSpec {
  CsvOptions options;
  std::vector<LogicalType> types;
  std::vector<std::string> names;
  uint64_t start = 0;
  uint64_t end = CsvReader::kToEnd;
  size_t block_size = 0;  // 0 = the reader's default
};

Rows ReadAll(const std::string& path, const ReadSpec& spec,
             std::vector<idx_t>* chunk_sizes = nullptr) {
  CsvReader reader(path, spec.options, spec.types, spec.names, spec.start, spec.end);
  if (spec.block_size != 0) reader.set_block_size(spec.block_size);
  DataChunk chunk(spec.types);
  Rows rows;
  while (reader.ReadChunk(chunk)) {
    if (chunk_sizes != nullptr) chunk_sizes->push_back(chunk.size());
    for (idx_t r = 0; r < chunk.size(); r++) {
      std::vector<std::string> row;
      for (idx_t c = 0; c < chunk.ColumnCount(); c++) row.push_back(Text(chunk.GetValue(c, r)));
      rows.push_back(std::move(row));
    }
  }
  EXPECT_EQ(chunk.size(), 0u);
  EXPECT_FALSE(reader.ReadChunk(chunk));  // stays exhausted
  EXPECT_EQ(reader.rows_read(), rows.size());
  return rows;
}

Rows ReadAll(const std::string& path, std::vector<LogicalType> types, CsvOptions options = {}) {
  ReadSpec spec;
  spec.types = std::move(types);
  spec.options = std::move(options);
  return ReadAll(path, spec);
}

CsvOptions Delimited(char delimiter) {
  CsvOptions o;
  o.delimiter = delimiter;
  o.delimiter_set = true;
  return o;
}

CsvOptions WithHeader() {
  CsvOptions o;
  o.header = true;
  o.header_set = true;
  return o;
}

const std::vector<LogicalType> kIntText = {TypeId::kInteger, TypeId::kVarchar};

class CsvReaderTest : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(CsvReaderTest, Basic) {
  std::string path = dir_.Write("a.csv", "1,one\n2,two\n3,a string longer than twelve\n");
  EXPECT_EQ(ReadAll(path, kIntText),
            (Rows{{"1", "one"}, {"2", "two"}, {"3", "a string longer than twelve"}}));
}

TEST_F(CsvReaderTest, LastLineWithoutNewline) {
  std::string path = dir_.Write("a.csv", "1,one\n2,two");
  EXPECT_EQ(ReadAll(path, kIntText), (Rows{{"1", "one"}, {"2", "two"}}));
  path = dir_.Write("b.csv", "1,one\n2,\"two\"");
  EXPECT_EQ(ReadAll(path, kIntText), (Rows{{"1", "one"}, {"2", "two"}}));
}

TEST_F(CsvReaderTest, Crlf) {
  std::string path = dir_.Write("a.csv", "1,one\r\n2,\"two\"\r\n3,\r\n4,x\r");
  EXPECT_EQ(ReadAll(path, kIntText),
            (Rows{{"1", "one"}, {"2", "two"}, {"3", "<NULL>"}, {"4", "x"}}));
}

TEST_F(CsvReaderTest, Quoting) {
  std::string path = dir_.Write("a.csv",
                                "1,\"a,b\"\n"
                                "2,\"say \"\"hi\"\"\"\n"
                                "3,\"line one\nline two\"\n"
                                "4,\"crlf\r\ninside\"\r\n"
                                "5,\"\"\"\"\n"
                                "6,mid\"quote\n"
                                "7,\"a long quoted field with \"\"escapes\"\" and, commas\"\n");
  EXPECT_EQ(ReadAll(path, kIntText),
            (Rows{{"1", "a,b"},
                  {"2", "say \"hi\""},
                  {"3", "line one\nline two"},
                  {"4", "crlf\r\ninside"},
                  {"5", "\""},
                  {"6", "mid\"quote"},
                  {"7", "a long quoted field with \"escapes\" and, commas"}}));
}

TEST_F(CsvReaderTest, QuotedNumbersAndDelimiterInLastField) {
  std::string path = dir_.Write("a.csv", "\"42\",\"x,\"\n");
  EXPECT_EQ(ReadAll(path, kIntText), (Rows{{"42", "x,"}}));
}

TEST_F(CsvReaderTest, EscapeCharacter) {
  CsvOptions o;
  o.escape = '\\';
  o.escape_set = true;
  std::string path = dir_.Write("a.csv",
                                "1,\"a\\\"b\"\n"  // "a\"b"  -> a"b
                                "2,\"a\\\\b\"\n"  // "a\\b"  -> a\b
                                "3,\"a\\nb\"\n"   // "a\nb"  -> a\nb (escape kept)
                                "4,a\\\"b\n");    // unquoted: escapes are data
  EXPECT_EQ(ReadAll(path, kIntText, o),
            (Rows{{"1", "a\"b"}, {"2", "a\\b"}, {"3", "a\\nb"}, {"4", "a\\\"b"}}));
}

TEST_F(CsvReaderTest, OtherQuoteCharacter) {
  CsvOptions o;
  o.quote = '\'';
  o.escape = '\'';
  std::string path = dir_.Write("a.csv", "1,'it''s, fine'\n2,\"plain\"\n");
  EXPECT_EQ(ReadAll(path, kIntText, o), (Rows{{"1", "it's, fine"}, {"2", "\"plain\""}}));
}

TEST_F(CsvReaderTest, NullHandling) {
  std::vector<LogicalType> types = {TypeId::kInteger, TypeId::kVarchar, TypeId::kDate};
  std::string path = dir_.Write("a.csv", ",,\n1,\"\",2024-01-01\n\"\",x,\n");
  // A quoted empty field is an empty string, which is no integer.
  ExpectError([&] { ReadAll(path, types); }, sqlstate::kInvalidTextRepresentation,
              fmt::format("invalid input syntax for type integer: \"\" (file {}, line 3, column "
                          "\"column0\")",
                          path));
  path = dir_.Write("b.csv", ",,\n1,\"\",2024-01-01\n");
  EXPECT_EQ(ReadAll(path, types), (Rows{{"<NULL>", "<NULL>", "<NULL>"}, {"1", "", "2024-01-01"}}));

  CsvOptions na;
  na.null_string = "NA";
  path = dir_.Write("c.csv", "NA,NA,NA\n2,\"NA\",NA\n3,,2024-02-03\n");
  EXPECT_EQ(ReadAll(path, types, na),
            (Rows{{"<NULL>", "<NULL>", "<NULL>"}, {"2", "NA", "<NULL>"}, {"3", "", "2024-02-03"}}));
}

TEST_F(CsvReaderTest, TpchTrailingDelimiter) {
  std::string path = dir_.Write(
      "customer.tbl",
      "1|Customer#000000001|IVhzIApeRb ot,c,E|15|25-989-741-2988|711.56|BUILDING|to the even, "
      "regular platelets. regular, ironic epitaphs nag e|\n"
      "2|Customer#000000002|XSTf4,NCwDVaWNe6tEgvwfmRchLXak|13|23-768-687-3665|121.65|AUTOMOBILE|"
      "l accounts. blithely ironic theodolites integrate boldly: caref|\n");
  ReadSpec spec;
  spec.options = Delimited('|');
  spec.types = {TypeId::kInteger, TypeId::kVarchar, TypeId::kVarchar,
                TypeId::kInteger, TypeId::kVarchar, LogicalType::Decimal(15, 2),
                TypeId::kVarchar, TypeId::kVarchar};
  Rows rows = ReadAll(path, spec);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "1");
  EXPECT_EQ(rows[0][2], "IVhzIApeRb ot,c,E");
  EXPECT_EQ(rows[0][5], "711.56");
  EXPECT_EQ(rows[1][7], "l accounts. blithely ironic theodolites integrate boldly: caref");

  // Without the trailing delimiter it reads the same.
  path = dir_.Write("plain.tbl", "1|a\n2|b|\n");
  spec.types = kIntText;
  EXPECT_EQ(ReadAll(path, spec), (Rows{{"1", "a"}, {"2", "b"}}));
}

TEST_F(CsvReaderTest, TrailingFieldMustBeEmptyAndSingle) {
  std::string path = dir_.Write("a.tbl", "1|a|\n2|b||\n");
  ReadSpec spec;
  spec.options = Delimited('|');
  spec.types = kIntText;
  ExpectError([&] { ReadAll(path, spec); }, sqlstate::kBadCopyFileFormat,
              fmt::format("extra data after last expected column (file {}, line 2)", path));
  path = dir_.Write("b.tbl", "1|a|\"\"\n");
  ExpectError([&] { ReadAll(path, spec); }, sqlstate::kBadCopyFileFormat,
              fmt::format("extra data after last expected column (file {}, line 1)", path));
}

TEST_F(CsvReaderTest, Header) {
  std::string path = dir_.Write("a.csv", "id,\"name, quoted\nacross lines\"\n1,x\n2,y\n");
  EXPECT_EQ(ReadAll(path, kIntText, WithHeader()), (Rows{{"1", "x"}, {"2", "y"}}));
  // The header alone gives no rows; so does an empty file.
  path = dir_.Write("b.csv", "id,name\n");
  EXPECT_EQ(ReadAll(path, kIntText, WithHeader()), Rows{});
  path = dir_.Write("c.csv", "id,name");
  EXPECT_EQ(ReadAll(path, kIntText, WithHeader()), Rows{});
}

TEST_F(CsvReaderTest, ByteOrderMarkIsSkipped) {
  std::string path = dir_.Write("a.csv", "\xEF\xBB\xBFid,name\n1,x\n");
  EXPECT_EQ(ReadAll(path, kIntText, WithHeader()), (Rows{{"1", "x"}}));
  path = dir_.Write("b.csv",
                    "\xEF\xBB\xBF"
                    "7,x\n");
  EXPECT_EQ(ReadAll(path, kIntText), (Rows{{"7", "x"}}));
}

TEST_F(CsvReaderTest, EmptyFilesAndBlankLines) {
  std::string path = dir_.Write("empty.csv", "");
  EXPECT_EQ(ReadAll(path, kIntText), Rows{});
  // Blank lines are skipped with several columns ...
  path = dir_.Write("blank.csv", "\n1,a\n\n\r\n2,b\n\n");
  EXPECT_EQ(ReadAll(path, kIntText), (Rows{{"1", "a"}, {"2", "b"}}));
  // ... and are NULL rows with one column, as in PostgreSQL.
  path = dir_.Write("one.csv", "1\n\n3\n");
  EXPECT_EQ(ReadAll(path, {TypeId::kInteger}), (Rows{{"1"}, {"<NULL>"}, {"3"}}));
}

TEST_F(CsvReaderTest, EveryType) {
  std::vector<LogicalType> types = {TypeId::kBoolean,
                                    TypeId::kSmallint,
                                    TypeId::kInteger,
                                    TypeId::kBigint,
                                    TypeId::kReal,
                                    TypeId::kDouble,
                                    LogicalType::Decimal(15, 2),
                                    LogicalType::Decimal(38, 10),
                                    TypeId::kVarchar,
                                    TypeId::kDate,
                                    TypeId::kTimestamp,
                                    TypeId::kInterval};
  std::string path =
      dir_.Write("types.csv",
                 "true,-32768,2147483647,-9223372036854775808,1.5,3.25,12345.67,"
                 "12345678901234567890.123,short,1998-12-01,1998-12-01 10:11:12,3 days\n"
                 "f,32767,-2147483648,9223372036854775807,-0.25,1e300,-0.5,-1,"
                 "a much longer string value,2000-02-29,2000-02-29T23:59:59.123456,1 year 2 mons\n"
                 " yes , 42 ,+7, 9 ,Infinity,-inf, 1e2 ,0.00000000005,\" spaced \","
                 " 2024-01-05 ,2024-01-05,-1 day 02:00:00\n"
                 "0,0,0,0,NaN,1.7976931348623157e308,1.005,99999999999999999999999999.9999999999,"
                 "\"quoted\",1970-01-01,1970-01-01 00:00:00,90\n");
  Rows rows = ReadAll(path, types);
  EXPECT_EQ(rows, (Rows{{"true", "-32768", "2147483647", "-9223372036854775808", "1.5", "3.25",
                         "12345.67", "12345678901234567890.1230000000", "short", "1998-12-01",
                         "1998-12-01 10:11:12", "3 days"},
                        {"false", "32767", "-2147483648", "9223372036854775807", "-0.25", "1e+300",
                         "-0.50", "-1.0000000000", "a much longer string value", "2000-02-29",
                         "2000-02-29 23:59:59.123456", "1 year 2 mons"},
                        {"true", "42", "7", "9", "Infinity", "-Infinity", "100.00", "0.0000000001",
                         " spaced ", "2024-01-05", "2024-01-05 00:00:00", "-1 days +02:00:00"},
                        {"false", "0", "0", "0", "NaN", "1.7976931348623157e+308", "1.01",
                         "99999999999999999999999999.9999999999", "quoted", "1970-01-01",
                         "1970-01-01 00:00:00", "00:01:30"}}));
}

TEST_F(CsvReaderTest, ChunksAreFullAndStayValid) {
  std::string content;
  for (int i = 0; i < 5000; i++) content += fmt::format("{},value number {}\n", i, i);
  std::string path = dir_.Write("big.csv", content);
  for (size_t block : {size_t{0}, size_t{100}, size_t{4096}}) {
    ReadSpec spec;
    spec.types = kIntText;
    spec.block_size = block;
    std::vector<idx_t> sizes;
    Rows rows = ReadAll(path, spec, &sizes);
    EXPECT_EQ(sizes, (std::vector<idx_t>{2048, 2048, 904})) << "block " << block;
    ASSERT_EQ(rows.size(), 5000u);
    for (int i = 0; i < 5000; i++) {
      ASSERT_EQ(rows[i][0], std::to_string(i));
      ASSERT_EQ(rows[i][1], fmt::format("value number {}", i));
    }
  }
  // A chunk handed on keeps its strings after the reader fills the next one.
  CsvReader reader(path, {}, kIntText);
  DataChunk chunk(kIntText);
  ASSERT_TRUE(reader.ReadChunk(chunk));
  DataChunk kept;
  kept.Reference(chunk);
  ASSERT_TRUE(reader.ReadChunk(chunk));
  EXPECT_EQ(kept.GetValue(1, 2047).ToString(), "value number 2047");
  EXPECT_EQ(chunk.GetValue(1, 0).ToString(), "value number 2048");
}

TEST_F(CsvReaderTest, SmallChunkCapacity) {
  std::string path = dir_.Write("a.csv", "1,a\n2,b\n3,c\n4,d\n5,e\n");
  CsvReader reader(path, {}, kIntText);
  DataChunk chunk(kIntText, 2);
  std::vector<idx_t> sizes;
  while (reader.ReadChunk(chunk)) sizes.push_back(chunk.size());
  EXPECT_EQ(sizes, (std::vector<idx_t>{2, 2, 1}));
}

// Every read size, including one byte, must give the same rows: records,
// quoted fields, doubled quotes and CRLF pairs then straddle reads.
TEST_F(CsvReaderTest, AnyBlockSize) {
  std::string content =
      "1,\"quoted, with \"\"quotes\"\" and\nnewline\"\r\n"
      "2,plain text that is longer than the smallest blocks\n"
      "3,\"\"\n"
      "4,\n"
      "5,\"x\"\r\n"
      "6,\"ends at eof\"";
  std::string path = dir_.Write("a.csv", content);
  Rows expected = {{"1", "quoted, with \"quotes\" and\nnewline"},
                   {"2", "plain text that is longer than the smallest blocks"},
                   {"3", ""},
                   {"4", "<NULL>"},
                   {"5", "x"},
                   {"6", "ends at eof"}};
  for (size_t block = 1; block <= 80; block++) {
    ReadSpec spec;
    spec.types = kIntText;
    spec.block_size = block;
    ASSERT_EQ(ReadAll(path, spec), expected) << "block " << block;
  }
}

// Random fields full of delimiters, quotes, CR and LF, written the way a CSV
// writer quotes them; reading them back at random read sizes must give the
// values that were written.
TEST_F(CsvReaderTest, RandomizedRoundTrip) {
  std::mt19937 random(42);
  const std::string alphabet = "ab,\"\n\r xyz|";
  for (int round = 0; round < 20; round++) {
    std::string content;
    Rows expected;
    int rows = 1 + static_cast<int>(random() % 200);
    for (int r = 0; r < rows; r++) {
      std::vector<std::string> row;
      for (int c = 0; c < 3; c++) {
        std::string value;
        size_t length = random() % 4 == 0 ? 0 : random() % 30;
        for (size_t i = 0; i < length; i++) value += alphabet[random() % alphabet.size()];
        bool must_quote = value.find_first_of(",\"\r\n") != std::string::npos;
        bool quoted = must_quote || random() % 5 == 0;
        if (c > 0) content += ',';
        if (quoted) {
          content += '"';
          for (char ch : value) content += ch == '"' ? std::string("\"\"") : std::string(1, ch);
          content += '"';
        } else {
          content += value;
        }
        row.push_back(value.empty() && !quoted ? "<NULL>" : value);
      }
      bool last = r + 1 == rows;
      if (!last || random() % 2 == 0) content += random() % 3 == 0 ? "\r\n" : "\n";
      expected.push_back(std::move(row));
    }
    std::string path = dir_.Write("random.csv", content);
    for (size_t block : {size_t{1}, size_t{7}, size_t{64}, size_t{0}}) {
      ReadSpec spec;
      spec.types = {TypeId::kVarchar, TypeId::kVarchar, TypeId::kVarchar};
      spec.block_size = block;
      ASSERT_EQ(ReadAll(path, spec), expected) << "round " << round << " block " << block;
    }
  }
}

std::string RangeTestContent(bool crlf) {
  std::string content;
  for (int i = 0; i < 700; i++) {
    std::string text(static_cast<size_t>(i * 7 % 23), static_cast<char>('a' + i % 26));
    if (i % 5 == 0) text = "\"with, comma " + text + "\"";
    content += fmt::format("{},{}{}", i, text, crlf ? "\r\n" : "\n");
    if (i % 97 == 0) content += crlf ? "\r\n" : "\n";  // a blank line now and then
  }
  return content;
}

TEST_F(CsvReaderTest, RangesPartitionTheFile) {
  for (bool crlf : {false, true}) {
    std::string content = RangeTestContent(crlf);
    std::string path = dir_.Write(crlf ? "crlf.csv" : "lf.csv", content);
    ReadSpec whole_spec;
    whole_spec.types = kIntText;
    Rows whole = ReadAll(path, whole_spec);
    ASSERT_EQ(whole.size(), 700u);
    uint64_t size = CsvReader::FileSize(path);
    ASSERT_EQ(size, content.size());
    std::vector<uint64_t> splits = {0,        1,        2,        3,        4,    5,        17,
                                    size / 3, size / 2, size - 2, size - 1, size, size + 10};
    // Every offset around a few line starts: exactly at, just before, just after.
    for (size_t line_start = content.find('\n', 500) + 1, n = 0; n < 3; n++) {
      splits.push_back(line_start - 1);
      splits.push_back(line_start);
      splits.push_back(line_start + 1);
      line_start = content.find('\n', line_start) + 1;
    }
    for (uint64_t k : splits) {
      ReadSpec first = whole_spec;
      first.end = k;
      first.block_size = 64;
      ReadSpec second = whole_spec;
      second.start = k;
      second.block_size = 64;
      Rows rows = ReadAll(path, first);
      Rows rest = ReadAll(path, second);
      rows.insert(rows.end(), rest.begin(), rest.end());
      ASSERT_EQ(rows, whole) << "split at " << k << (crlf ? " crlf" : "");
    }
    // Many small ranges, as parallel readers would take them.
    for (uint64_t step : {uint64_t{1}, uint64_t{13}, uint64_t{1000}}) {
      Rows rows;
      for (uint64_t at = 0; at < size; at += step) {
        ReadSpec part = whole_spec;
        part.start = at;
        part.end = at + step;
        part.block_size = 256;
        Rows some = ReadAll(path, part);
        rows.insert(rows.end(), some.begin(), some.end());
      }
      ASSERT_EQ(rows, whole) << "step " << step;
    }
  }
}

TEST_F(CsvReaderTest, RangesWithHeader) {
  std::string path = dir_.Write("h.csv", "id,name\n1,a\n2,b\n3,c\n");
  for (uint64_t k = 0; k <= 21; k++) {
    ReadSpec first;
    first.types = kIntText;
    first.options = WithHeader();
    first.end = k;
    ReadSpec second = first;
    second.start = k;
    second.end = CsvReader::kToEnd;
    Rows rows = ReadAll(path, first);
    Rows rest = ReadAll(path, second);
    rows.insert(rows.end(), rest.begin(), rest.end());
    ASSERT_EQ(rows, (Rows{{"1", "a"}, {"2", "b"}, {"3", "c"}})) << "split at " << k;
  }
}

TEST_F(CsvReaderTest, RangesWithByteOrderMark) {
  std::string content =
      "\xEF\xBB\xBF"
      "1,a\n2,b\n3,c";
  std::string path = dir_.Write("bom.csv", content);
  for (uint64_t k = 0; k <= content.size() + 1; k++) {
    ReadSpec first;
    first.types = kIntText;
    first.end = k;
    ReadSpec second = first;
    second.start = k;
    second.end = CsvReader::kToEnd;
    Rows rows = ReadAll(path, first);
    Rows rest = ReadAll(path, second);
    rows.insert(rows.end(), rest.begin(), rest.end());
    ASSERT_EQ(rows, (Rows{{"1", "a"}, {"2", "b"}, {"3", "c"}})) << "split at " << k;
  }
}

TEST_F(CsvReaderTest, MissingData) {
  std::string content;
  for (int i = 1; i <= 6; i++) content += fmt::format("{}|Customer#{}|\n", i, i);
  content += "7|\n";
  std::string path = dir_.Write("x.tbl", content);
  ReadSpec spec;
  spec.options = Delimited('|');
  spec.types = {TypeId::kInteger, TypeId::kVarchar, TypeId::kVarchar};
  spec.names = {"c_custkey", "c_name", "c_address"};
  ExpectError([&] { ReadAll(path, spec); }, sqlstate::kBadCopyFileFormat,
              fmt::format("missing data for column \"c_address\" (file {}, line 7)", path));
  path = dir_.Write("y.tbl", "1|a|b\n2\n");
  ExpectError([&] { ReadAll(path, spec); }, sqlstate::kBadCopyFileFormat,
              fmt::format("missing data for column \"c_name\" (file {}, line 2)", path));
}

TEST_F(CsvReaderTest, ExtraData) {
  std::string path = dir_.Write("a.csv", "1,a\n2,b,c\n");
  ExpectError([&] { ReadAll(path, kIntText); }, sqlstate::kBadCopyFileFormat,
              fmt::format("extra data after last expected column (file {}, line 2)", path));
}

TEST_F(CsvReaderTest, BadValueNamesFileLineAndColumn) {
  std::string path = dir_.Write("a.csv", "c_custkey,c_name\n1,a\nabc,b\n");
  ReadSpec spec;
  spec.options = WithHeader();
  spec.types = kIntText;
  spec.names = {"c_custkey", "c_name"};
  ExpectError([&] { ReadAll(path, spec); }, sqlstate::kInvalidTextRepresentation,
              fmt::format("invalid input syntax for type integer: \"abc\" (file {}, line 3, "
                          "column \"c_custkey\")",
                          path));
}

TEST_F(CsvReaderTest, LineNumbersCountPhysicalLines) {
  // The bad record starts on line 4: a quoted newline spans lines 1-2 and a
  // blank line is line 3.
  std::string path = dir_.Write("a.csv", "1,\"two\nlines\"\n\n2x,b\n");
  ExpectError([&] { ReadAll(path, kIntText); }, sqlstate::kInvalidTextRepresentation,
              fmt::format("invalid input syntax for type integer: \"2x\" (file {}, line 4, "
                          "column \"column0\")",
                          path));
}

TEST_F(CsvReaderTest, ErrorsInLaterChunksAndRanges) {
  std::string content;
  for (int i = 0; i < 4999; i++) content += fmt::format("{},v\n", i);
  content += "oops,v\n";
  std::string path = dir_.Write("a.csv", content);
  std::string expected = fmt::format(
      "invalid input syntax for type integer: \"oops\" (file {}, line 5000, column \"id\")", path);
  ReadSpec spec;
  spec.types = kIntText;
  spec.names = {"id", "v"};
  spec.block_size = 1000;
  ExpectError([&] { ReadAll(path, spec); }, sqlstate::kInvalidTextRepresentation, expected);
  // A reader of a late range still reports the line counted from the file start.
  spec.start = content.size() - 20;
  ExpectError([&] { ReadAll(path, spec); }, sqlstate::kInvalidTextRepresentation, expected);
}

TEST_F(CsvReaderTest, FirstErrorInFileOrderWins) {
  // Line 2 has a bad value and line 3 too few fields; both are in one batch.
  std::string path = dir_.Write("a.csv", "1,a\nx,b\n3\n");
  ExpectError([&] { ReadAll(path, kIntText); }, sqlstate::kInvalidTextRepresentation,
              fmt::format("invalid input syntax for type integer: \"x\" (file {}, line 2, column "
                          "\"column0\")",
                          path));
}

TEST_F(CsvReaderTest, OutOfRange) {
  struct Case {
    LogicalType type;
    std::string text;
    std::string message;
  };
  std::vector<Case> cases = {
      {TypeId::kInteger, "99999999999", "value \"99999999999\" is out of range for type integer"},
      {TypeId::kInteger, "2147483648", "value \"2147483648\" is out of range for type integer"},
      {TypeId::kSmallint, "-32769", "value \"-32769\" is out of range for type smallint"},
      {TypeId::kBigint, "9223372036854775808",
       "value \"9223372036854775808\" is out of range for type bigint"},
      {TypeId::kReal, "1e39", "\"1e39\" is out of range for type real"},
      {TypeId::kDouble, "1e400", "\"1e400\" is out of range for type double precision"},
      {LogicalType::Decimal(15, 2), "12345678901234.5",
       "numeric field overflow: \"12345678901234.5\" does not fit DECIMAL(15,2)"},
      {LogicalType::Decimal(15, 2), "1e20",
       "numeric field overflow: \"1e20\" does not fit DECIMAL(15,2)"},
      {LogicalType::Decimal(38, 0), "123456789012345678901234567890123456789",
       "numeric field overflow: \"123456789012345678901234567890123456789\" does not fit "
       "DECIMAL(38,0)"},
  };
  for (const auto& c : cases) {
    std::string path = dir_.Write("a.csv", "0\n" + c.text + "\n");
    ExpectError([&] { ReadAll(path, {c.type}); }, sqlstate::kNumericOutOfRange,
                fmt::format("{} (file {}, line 2, column \"column0\")", c.message, path));
  }
  // The largest values that fit are read.
  std::string path = dir_.Write("ok.csv", "9999999999999.99\n-9999999999999.99\n");
  EXPECT_EQ(ReadAll(path, {LogicalType::Decimal(15, 2)}),
            (Rows{{"9999999999999.99"}, {"-9999999999999.99"}}));
}

TEST_F(CsvReaderTest, InvalidSyntax) {
  struct Case {
    LogicalType type;
    std::string text;
    const char* code;
    std::string message;
  };
  std::vector<Case> cases = {
      {TypeId::kBoolean, "maybe", sqlstate::kInvalidTextRepresentation,
       "invalid input syntax for type boolean: \"maybe\""},
      {TypeId::kBigint, "1.5", sqlstate::kInvalidTextRepresentation,
       "invalid input syntax for type bigint: \"1.5\""},
      {TypeId::kBigint, "-", sqlstate::kInvalidTextRepresentation,
       "invalid input syntax for type bigint: \"-\""},
      {TypeId::kDouble, "1.2.3", sqlstate::kInvalidTextRepresentation,
       "invalid input syntax for type double precision: \"1.2.3\""},
      {TypeId::kDouble, "0x10", sqlstate::kInvalidTextRepresentation,
       "invalid input syntax for type double precision: \"0x10\""},
      {LogicalType::Decimal(10, 2), "12,5", sqlstate::kInvalidTextRepresentation,
       "invalid input syntax for type numeric: \"12,5\""},
      {LogicalType::Decimal(10, 2), "NaN", sqlstate::kInvalidTextRepresentation,
       "invalid input syntax for type numeric: \"NaN\""},
      {TypeId::kDate, "2023-02-29", sqlstate::kInvalidDatetimeFormat,
       "invalid input syntax for type date: \"2023-02-29\""},
      {TypeId::kDate, "yesterday", sqlstate::kInvalidDatetimeFormat,
       "invalid input syntax for type date: \"yesterday\""},
      {TypeId::kTimestamp, "2024-01-01 25:00:00", sqlstate::kInvalidDatetimeFormat,
       "invalid input syntax for type timestamp: \"2024-01-01 25:00:00\""},
      {TypeId::kInterval, "3 fortnights", sqlstate::kInvalidDatetimeFormat,
       "invalid input syntax for type interval: \"3 fortnights\""},
  };
  for (const auto& c : cases) {
    // Quoted, so that "12,5" is one field.
    std::string path = dir_.Write("a.csv", "\"" + c.text + "\"\n");
    ExpectError([&] { ReadAll(path, {c.type}); }, c.code,
                fmt::format("{} (file {}, line 1, column \"column0\")", c.message, path));
  }
  std::string long_text(300, '9');
  long_text += "x";
  std::string path = dir_.Write("long.csv", long_text + "\n");
  ExpectError([&] { ReadAll(path, {TypeId::kInteger}); }, sqlstate::kInvalidTextRepresentation,
              fmt::format("invalid input syntax for type integer: \"{}...\" (file {}, line 1, "
                          "column \"column0\")",
                          std::string(100, '9'), path));
}

TEST_F(CsvReaderTest, UnterminatedQuote) {
  std::string path = dir_.Write("a.csv", "1,a\n2,\"never\nclosed\n");
  for (size_t block : {size_t{0}, size_t{3}}) {
    ReadSpec spec;
    spec.types = kIntText;
    spec.block_size = block;
    ExpectError([&] { ReadAll(path, spec); }, sqlstate::kBadCopyFileFormat,
                fmt::format("unterminated CSV quoted field (file {}, line 2)", path));
  }
}

TEST_F(CsvReaderTest, TextAfterClosingQuote) {
  std::string path = dir_.Write("a.csv", "1,\"a\"b\n");
  ExpectError([&] { ReadAll(path, kIntText); }, sqlstate::kBadCopyFileFormat,
              fmt::format("unexpected character after closing quote (file {}, line 1)", path));
}

TEST_F(CsvReaderTest, UnreadableFiles) {
  std::string missing = dir_.path() + "/missing.csv";
  ExpectError([&] { CsvReader reader(missing, {}, kIntText); }, sqlstate::kUndefinedFile,
              fmt::format("could not open file \"{}\": No such file or directory", missing));
  ExpectError([&] { CsvReader reader(dir_.path(), {}, kIntText); }, sqlstate::kIoError,
              fmt::format("could not read file \"{}\": Is a directory", dir_.path()));
  ExpectError([&] { CsvReader::FileSize(missing); }, sqlstate::kUndefinedFile,
              fmt::format("could not open file \"{}\": No such file or directory", missing));
}

}  // namespace
}  // namespace basalt
