// The table format, modelled on psql's aligned output:
//
//    id | name
//   ----+-------
//     1 | alice
//     2 | NULL
//     3 | two  +
//       | lines
//   (3 rows)
//
// Numbers are right-aligned, everything else left-aligned, headers centred
// (the odd space of padding goes right, as in psql). A value with line breaks
// takes several lines, each but the last marked with `+` as psql does, so
// that EXPLAIN output and multi-line text stay readable. No line ends in
// padding, so output compares cleanly in tests and diffs; a value's own
// trailing spaces are kept.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "shell/result_printer.h"
#include "shell/text_width.h"

namespace basalt {

namespace {

enum class Align { kLeft, kCenter, kRight };

// A value as shown: one entry per line of text.
struct Cell {
  std::vector<std::string> lines;
  std::vector<size_t> widths;
  size_t width = 0;  // of the widest line
};

// Control characters other than line breaks would break the grid, so they
// are shown escaped; the csv and json formats carry them exactly.
Cell MakeCell(const std::string& value, bool split_lines) {
  Cell cell;
  cell.lines.emplace_back();
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n' && split_lines) {
      cell.lines.emplace_back();
    } else if (c == '\n') {
      cell.lines.back() += "\\n";
    } else if (c == '\r') {
      cell.lines.back() += "\\r";
    } else if (c == '\t') {
      cell.lines.back() += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      cell.lines.back() += fmt::format("\\x{:02x}", u);
    } else {
      cell.lines.back() += c;
    }
  }
  for (const std::string& line : cell.lines) {
    cell.widths.push_back(DisplayWidth(line));
    cell.width = std::max(cell.width, cell.widths.back());
  }
  return cell;
}

// Appends line `index` of `cell` padded to `width`, then the column's right
// margin: `+` when the cell goes on, and the `|` before the next column.
void AppendCellLine(std::string& out, const Cell& cell, size_t index, size_t width, Align align,
                    bool last) {
  std::string_view text;  // a shorter cell is blank below its last line
  size_t text_width = 0;
  if (index < cell.lines.size()) {
    text = cell.lines[index];
    text_width = cell.widths[index];
  }
  bool continues = index + 1 < cell.lines.size();
  size_t slack = width > text_width ? width - text_width : 0;
  size_t left = align == Align::kRight ? slack : align == Align::kCenter ? slack / 2 : 0;
  if (last && !continues) {
    if (!text.empty()) {
      out += ' ';
      out.append(left, ' ');
      out += text;
    }
    return;
  }
  out += ' ';
  out.append(left, ' ');
  out += text;
  out.append(slack - left, ' ');
  out += continues ? '+' : ' ';
  if (!last) out += '|';
}

// Writes one row (or the header) of cells, as many lines as its tallest cell.
void WriteRow(std::ostream& out, const Cell* cells, const std::vector<size_t>& widths,
              const std::vector<Align>& aligns) {
  size_t height = 1;
  for (size_t c = 0; c < widths.size(); ++c) height = std::max(height, cells[c].lines.size());
  std::string line;
  for (size_t i = 0; i < height; ++i) {
    for (size_t c = 0; c < widths.size(); ++c) {
      AppendCellLine(line, cells[c], i, widths[c], aligns[c], c + 1 == widths.size());
    }
    line += '\n';
    out << line;
    line.clear();
  }
}

}  // namespace

void PrintTable(const QueryResult& result, std::ostream& out) {
  if (!result.returns_rows) {
    if (!result.tag.empty()) out << result.tag << '\n';
    return;
  }
  const size_t columns = result.column_names.size();
  std::vector<Cell> headers;
  std::vector<size_t> widths;
  std::vector<Align> aligns;
  for (size_t c = 0; c < columns; ++c) {
    headers.push_back(MakeCell(result.column_names[c], /*split_lines=*/false));
    widths.push_back(headers.back().width);
    bool numeric = c < result.column_types.size() && result.column_types[c].IsNumeric();
    aligns.push_back(numeric ? Align::kRight : Align::kLeft);
  }

  // Every value is rendered before anything is printed: widths depend on all.
  std::vector<Cell> cells;
  size_t rows = 0;
  for (const DataChunk& chunk : result.chunks) {
    for (idx_t r = 0; r < chunk.size(); ++r) {
      for (size_t c = 0; c < columns; ++c) {
        Value value = chunk.GetValue(c, r);
        cells.push_back(MakeCell(value.IsNull() ? "NULL" : value.ToString(), /*split_lines=*/true));
        widths[c] = std::max(widths[c], cells.back().width);
      }
      ++rows;
    }
  }

  if (columns > 0) {
    WriteRow(out, headers.data(), widths, std::vector<Align>(columns, Align::kCenter));
    std::string separator;
    for (size_t c = 0; c < columns; ++c) {
      if (c > 0) separator += '+';
      separator.append(widths[c] + 2, '-');
    }
    out << separator << '\n';
    for (size_t r = 0; r < rows; ++r) WriteRow(out, &cells[r * columns], widths, aligns);
  }
  out << (rows == 1 ? std::string("(1 row)") : fmt::format("({} rows)", rows)) << "\n\n";
}

}  // namespace basalt
