#include "storage/csv_split.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "storage/csv_reader.h"
#include "storage/csv_test_util.h"

namespace basalt {
namespace {

using testing::TempDir;
using Rows = std::vector<std::vector<std::string>>;

const std::vector<LogicalType> kTypes = {TypeId::kInteger, TypeId::kVarchar, TypeId::kVarchar};

Rows Read(const std::string& path, const CsvOptions& options, uint64_t start, uint64_t end,
          CsvRangeBounds bounds) {
  CsvReader reader(path, options, kTypes, {}, start, end, bounds);
  reader.set_block_size(37);  // records straddle reads too
  DataChunk chunk(kTypes);
  Rows rows;
  while (reader.ReadChunk(chunk)) {
    for (idx_t r = 0; r < chunk.size(); r++) {
      std::vector<std::string> row;
      for (idx_t c = 0; c < chunk.ColumnCount(); c++) {
        Value v = chunk.GetValue(c, r);
        row.push_back(v.IsNull() ? "<NULL>" : v.ToString());
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

// What the scan's FileRangeQueue does for one file: cut it into ranges of
// `step` bytes, count each range's quotes, and read every range from the
// record start its prefix parity gives to the next range's.
Rows ReadSplit(const std::string& path, const CsvOptions& options, uint64_t step,
               bool* proper = nullptr) {
  InputFile file(path);
  const uint64_t size = file.size();
  std::vector<uint64_t> bounds;
  for (uint64_t at = 0; at < size; at += step) bounds.push_back(at);
  bounds.push_back(size);
  const size_t n = bounds.size() - 1;
  std::vector<bool> inside(n + 1);
  bool parity = false;
  bool all_proper = true;
  for (size_t k = 0; k < n; k++) {
    CsvQuoteScan scan = ScanCsvQuotes(file, bounds[k], bounds[k + 1], options.delimiter,
                                      options.quote);
    inside[k] = parity;
    all_proper = all_proper && scan.Proper(parity);
    if (scan.quotes & 1) parity = !parity;
  }
  inside[n] = parity;
  if (proper != nullptr) *proper = all_proper;
  if (!all_proper) return Read(path, options, 0, CsvReader::kToEnd, CsvRangeBounds::kLineStarts);
  std::vector<uint64_t> starts(n + 1);
  for (size_t k = 0; k <= n; k++) {
    starts[k] = k == n ? size : FindCsvRecordStart(file, bounds[k], inside[k], options.quote);
  }
  Rows rows;
  for (size_t k = 0; k < n; k++) {
    Rows some = Read(path, options, starts[k], starts[k + 1], CsvRangeBounds::kExactRecords);
    rows.insert(rows.end(), some.begin(), some.end());
  }
  return rows;
}

// Fields with embedded line feeds (LF and CRLF), doubled quotes, delimiters,
// empty quoted strings and NULLs, in records of varying length.
std::string QuotedContent(std::mt19937& random, int records, bool crlf) {
  const char* eol = crlf ? "\r\n" : "\n";
  std::string out;
  for (int i = 0; i < records; i++) {
    std::string second;
    switch (random() % 6) {
      case 0: second = ""; break;
      case 1: second = "\"\""; break;
      case 2: second = "plain"; break;
      case 3: second = fmt::format("\"line one{}line \"\"two\"\"{}\"", eol, eol); break;
      case 4: second = "\"\"\"\"\"\"\"\""; break;  // three doubled quotes
      default: second = fmt::format("\"a,b\n\n\"\"\n,{}\"", std::string(random() % 40, 'x'));
    }
    std::string third = random() % 2 ? "\"\n\"" : std::string(random() % 9, 'z');
    out += fmt::format("{},{},{}{}", i, second, third, eol);
    if (random() % 17 == 0) out += eol;  // a blank line
  }
  return out;
}

TEST(CsvSplitTest, FindLineStart) {
  TempDir dir;
  InputFile file(dir.Write("a.txt", "ab\ncd\n\nef"));
  EXPECT_EQ(FindLineStart(file, 0), 0u);
  EXPECT_EQ(FindLineStart(file, 1), 3u);
  EXPECT_EQ(FindLineStart(file, 3), 3u);  // just after a line feed
  EXPECT_EQ(FindLineStart(file, 4), 6u);
  EXPECT_EQ(FindLineStart(file, 6), 6u);
  EXPECT_EQ(FindLineStart(file, 7), 7u);
  EXPECT_EQ(FindLineStart(file, 8), 9u);  // no line feed after: the end
  EXPECT_EQ(FindLineStart(file, 100), 9u);
}

TEST(CsvSplitTest, QuoteParityAndRecordStarts) {
  TempDir dir;
  // Bytes: 1 , " a LF b " , c LF(9) 2 , " " " " LF(16); 17 in all.
  InputFile file(dir.Write("q.csv", "1,\"a\nb\",c\n2,\"\"\"\"\n"));
  CsvQuoteScan all = ScanCsvQuotes(file, 0, file.size(), ',', '"');
  EXPECT_EQ(all.quotes, 6u);
  EXPECT_TRUE(all.proper_if_outside);
  // Offset 4 is inside the quoted "a\nb": its line feed is data.
  EXPECT_EQ(FindCsvRecordStart(file, 4, true, '"'), 10u);
  EXPECT_EQ(FindCsvRecordStart(file, 4, false, '"'), 5u);  // what a naive cut does
  EXPECT_EQ(FindCsvRecordStart(file, 10, false, '"'), 10u);
  EXPECT_EQ(FindCsvRecordStart(file, 11, false, '"'), 17u);
}

TEST(CsvSplitTest, StrayQuotesAreNotProper) {
  TempDir dir;
  InputFile stray(dir.Write("s.csv", "1,ab\"c\n2,x\n"));
  EXPECT_FALSE(ScanCsvQuotes(stray, 0, stray.size(), ',', '"').proper_if_outside);
  InputFile closing(dir.Write("c.csv", "1,\"ab\"c\n"));
  EXPECT_FALSE(ScanCsvQuotes(closing, 0, closing.size(), ',', '"').proper_if_outside);
  // The same bytes seen from inside quotes are a closing then opening pair.
  InputFile pair(dir.Write("p.csv", "x\",\"y"));
  CsvQuoteScan scan = ScanCsvQuotes(pair, 0, pair.size(), ',', '"');
  EXPECT_TRUE(scan.proper_if_inside);
  EXPECT_FALSE(scan.proper_if_outside);
}

// The quote scan's reference: one byte at a time, as its contract says.
CsvQuoteScan NaiveScan(const std::string& text, size_t begin, size_t end) {
  CsvQuoteScan scan;
  for (size_t i = begin; i < end; i++) {
    if (text[i] != '"') continue;
    const char before = i > 0 ? text[i - 1] : '\n';
    const char after = i + 1 < text.size() ? text[i + 1] : '\n';
    const bool opens = i == 0 || before == ',' || before == '\n' || before == '"';
    const bool closes = i + 1 == text.size() || after == ',' || after == '\n' || after == '\r' ||
                        after == '"';
    const bool even = scan.quotes % 2 == 0;
    if (!(even ? opens : closes)) scan.proper_if_outside = false;
    if (!(even ? closes : opens)) scan.proper_if_inside = false;
    scan.quotes++;
  }
  return scan;
}

TEST(CsvSplitTest, QuoteScanMatchesNaiveScan) {
  TempDir dir;
  std::mt19937 random(11);
  const char alphabet[] = {'"', '"', ',', '\n', '\r', 'a', 'b', ' '};
  for (int round = 0; round < 300; round++) {
    // Mostly well-placed quotes, sometimes a stray one, at every alignment.
    std::string text;
    const size_t length = random() % 400;
    for (size_t i = 0; i < length; i++) {
      text += round % 3 == 0 ? alphabet[random() % sizeof(alphabet)]
                             : (random() % 4 == 0 ? "\"x\"\"y\"," : "ab,\n")[random() % 4];
    }
    InputFile file(dir.Write("r.csv", text));
    for (int cut = 0; cut < 5; cut++) {
      size_t begin = text.empty() ? 0 : random() % text.size();
      size_t end = begin + random() % (text.size() - begin + 1);
      CsvQuoteScan want = NaiveScan(text, begin, end);
      CsvQuoteScan got = ScanCsvQuotes(file, begin, end, ',', '"');
      ASSERT_EQ(got.quotes, want.quotes) << round;
      ASSERT_EQ(got.proper_if_outside, want.proper_if_outside) << round << " " << begin;
      ASSERT_EQ(got.proper_if_inside, want.proper_if_inside) << round << " " << begin;
    }
  }
}

TEST(CsvSplitTest, SplitReadsEveryRecordOnce) {
  TempDir dir;
  std::mt19937 random(7);
  for (bool crlf : {false, true}) {
    for (bool header : {false, true}) {
      std::string content = QuotedContent(random, 300, crlf);
      if (header) content = std::string("id,\"sec\nond\",third") + (crlf ? "\r\n" : "\n") + content;
      std::string path = dir.Write(fmt::format("f{}{}.csv", crlf, header), content);
      CsvOptions options;
      options.header = header;
      Rows whole = Read(path, options, 0, CsvReader::kToEnd, CsvRangeBounds::kLineStarts);
      ASSERT_EQ(whole.size(), 300u);
      for (uint64_t step : {1, 2, 3, 5, 7, 16, 64, 100, 1000, 100000}) {
        bool proper = false;
        EXPECT_EQ(ReadSplit(path, options, step, &proper), whole)
            << "step " << step << " crlf " << crlf << " header " << header;
        EXPECT_TRUE(proper);
      }
    }
  }
}

TEST(CsvSplitTest, StrayQuoteFallsBackToOneRange) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 50; i++) content += fmt::format("{},x{}\"y,\"q\n\"\n", i, i);
  std::string path = dir.Write("stray.csv", content);
  CsvOptions options;
  Rows whole = Read(path, options, 0, CsvReader::kToEnd, CsvRangeBounds::kLineStarts);
  ASSERT_EQ(whole.size(), 50u);
  bool proper = true;
  EXPECT_EQ(ReadSplit(path, options, 16, &proper), whole);
  EXPECT_FALSE(proper);
}

TEST(CsvSplitTest, WrongCutIsReported) {
  TempDir dir;
  // A cut at byte 5 (inside the quoted field) is not a record start.
  std::string path = dir.Write("w.csv", "1,\"a\nb\",c\n2,d,e\n");
  CsvOptions options;
  try {
    Read(path, options, 0, 5, CsvRangeBounds::kExactRecords);
    ADD_FAILURE() << "expected an error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kInternalError);
  }
}

}  // namespace
}  // namespace basalt
