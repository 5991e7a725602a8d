#include "result_compare.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <regex>
#include <string>
#include <utility>

namespace basalt::sqllogictest {

namespace {

bool ParseNumber(std::string_view text, double* out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

std::string JoinRow(const Row& row) {
  std::string out;
  for (size_t c = 0; c < row.size(); ++c) {
    if (c > 0) out += '\t';
    out += row[c];
  }
  return out;
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

std::string RenderValue(const Value& value) {
  if (value.IsNull()) return "NULL";
  std::string text = value.ToString();
  if (text.empty()) return "(empty)";
  return text;
}

Row SplitRow(std::string_view line) {
  Row values;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      values.emplace_back(line.substr(start));
      return values;
    }
    values.emplace_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

bool ValuesMatch(char type, std::string_view expected, std::string_view actual) {
  if (expected == actual) return true;
  for (bool negated : {false, true}) {
    const std::string_view prefix = negated ? "<!REGEX>:" : "<REGEX>:";
    if (!expected.starts_with(prefix)) continue;
    try {
      const std::regex pattern(std::string(expected.substr(prefix.size())));
      return std::regex_match(actual.begin(), actual.end(), pattern) != negated;
    } catch (const std::regex_error&) {
      return false;  // a malformed pattern matches nothing
    }
  }
  if (type != 'R') return false;
  double e = 0;
  double a = 0;
  if (!ParseNumber(expected, &e) || !ParseNumber(actual, &a)) return false;
  if (std::isnan(e) || std::isnan(a)) return std::isnan(e) && std::isnan(a);
  if (std::isinf(e) || std::isinf(a)) return e == a;
  return std::fabs(e - a) <= kRealTolerance * std::max(std::fabs(e), std::fabs(a));
}

Comparison CompareResult(const std::string& column_types, SortMode sort_mode,
                         std::vector<Row> actual, const std::vector<std::string>& expected_lines) {
  Comparison out;
  const size_t columns = column_types.size();

  std::vector<Row> expected;
  expected.reserve(expected_lines.size());
  for (const std::string& line : expected_lines) expected.push_back(SplitRow(line));

  if (sort_mode == SortMode::kValueSort) {
    // Columns lose their identity once values are sorted, so an R anywhere
    // makes every numeric value compare with tolerance.
    const char type = column_types.find('R') != std::string::npos ? 'R' : 'T';
    std::vector<std::string> want;
    std::vector<std::string> got;
    for (Row& row : expected) want.insert(want.end(), row.begin(), row.end());
    for (Row& row : actual) got.insert(got.end(), row.begin(), row.end());
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    out.actual_lines = got;
    if (want.size() != got.size()) {
      out.ok = false;
      out.message = "expected " + std::to_string(want.size()) + " values, got " +
                    std::to_string(got.size());
      return out;
    }
    for (size_t k = 0; k < want.size(); ++k) {
      if (!ValuesMatch(type, want[k], got[k])) {
        out.ok = false;
        out.message = "sorted value " + std::to_string(k + 1) + ": expected " + Quote(want[k]) +
                      ", got " + Quote(got[k]);
        return out;
      }
    }
    return out;
  }

  // SQLite's original layout writes one value per line; accept it when the
  // count says that is what the file holds.
  bool one_value_per_line = columns > 1 && !expected.empty() &&
                            expected.size() == actual.size() * columns &&
                            std::all_of(expected.begin(), expected.end(),
                                        [](const Row& row) { return row.size() == 1; });
  if (one_value_per_line) {
    std::vector<Row> grouped;
    for (size_t k = 0; k < expected.size(); k += columns) {
      Row row;
      for (size_t c = 0; c < columns; ++c) row.push_back(expected[k + c][0]);
      grouped.push_back(std::move(row));
    }
    expected = std::move(grouped);
  }

  if (sort_mode == SortMode::kRowSort) {
    // Both sides are sorted: rowsort asks for the same multiset of rows, and
    // sorting the expected side too spares authors from sorting by hand.
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
  }
  for (const Row& row : actual) out.actual_lines.push_back(JoinRow(row));

  if (expected.size() != actual.size()) {
    out.ok = false;
    out.message = "expected " + std::to_string(expected.size()) + " rows, got " +
                  std::to_string(actual.size());
    return out;
  }
  for (size_t r = 0; r < expected.size(); ++r) {
    const std::string where = "row " + std::to_string(r + 1);
    if (expected[r].size() != columns) {
      out.ok = false;
      out.message = where + ": the expected line has " + std::to_string(expected[r].size()) +
                    " TAB-separated values but the query declares " + std::to_string(columns) +
                    " columns";
      return out;
    }
    if (actual[r].size() != columns) {
      out.ok = false;
      out.message = where + ": the result has " + std::to_string(actual[r].size()) +
                    " values but the query declares " + std::to_string(columns) + " columns";
      return out;
    }
    for (size_t c = 0; c < columns; ++c) {
      if (!ValuesMatch(column_types[c], expected[r][c], actual[r][c])) {
        out.ok = false;
        out.message = where + ", column " + std::to_string(c + 1) + ": expected " +
                      Quote(expected[r][c]) + ", got " + Quote(actual[r][c]);
        return out;
      }
    }
  }
  return out;
}

}  // namespace basalt::sqllogictest
