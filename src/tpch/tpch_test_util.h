// Helpers for the generator tests: a temporary output directory
// (common/temp_dir_test_util.h) and a reader for the generated .tbl files.
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/temp_dir_test_util.h"

namespace basalt::tpch::testing {

using ::basalt::testing::TempDir;

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

using Row = std::vector<std::string>;

// The rows of a .tbl file: fields between '|', the trailing '|' dropped.
inline std::vector<Row> ReadTbl(const std::string& path) {
  std::vector<Row> rows;
  std::string text = ReadFile(path);
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    Row row;
    size_t field_start = line_start;
    for (size_t i = line_start; i < line_end; ++i) {
      if (text[i] == '|') {
        row.emplace_back(text, field_start, i - field_start);
        field_start = i + 1;
      }
    }
    if (field_start != line_end) row.emplace_back(text, field_start, line_end - field_start);
    rows.push_back(std::move(row));
    line_start = line_end + 1;
  }
  return rows;
}

// "-12.05" -> -1205.
inline int64_t ParseCents(const std::string& text) {
  bool negative = !text.empty() && text[0] == '-';
  size_t dot = text.find('.');
  int64_t whole = std::stoll(text.substr(negative ? 1 : 0, dot - (negative ? 1 : 0)));
  int64_t cents = std::stoll(text.substr(dot + 1));
  int64_t value = whole * 100 + cents;
  return negative ? -value : value;
}

}  // namespace basalt::tpch::testing
