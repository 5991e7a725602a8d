#include "shell/error_printer.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "shell/text_width.h"

namespace basalt {

namespace {

// One character of the shown line.
struct Glyph {
  std::string_view bytes;
  size_t width;
};

}  // namespace

ErrorLocation LocateError(std::string_view statement, int32_t byte_offset) {
  ErrorLocation location;
  if (byte_offset < 0) return location;
  size_t offset = std::min(static_cast<size_t>(byte_offset), statement.size());
  // An offset inside a multi-byte character means that character.
  while (offset > 0 && offset < statement.size() &&
         (static_cast<unsigned char>(statement[offset]) & 0xC0) == 0x80) {
    --offset;
  }
  size_t line_start = offset == 0 ? 0 : statement.rfind('\n', offset - 1);
  line_start = line_start == std::string_view::npos || offset == 0 ? 0 : line_start + 1;
  size_t line_end = statement.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = statement.size();
  if (line_end > line_start && statement[line_end - 1] == '\r') --line_end;
  location.line = 1;
  for (size_t i = 0; i < line_start; ++i) location.line += statement[i] == '\n';

  std::vector<Glyph> glyphs;
  size_t caret_glyph = 0;
  for (size_t pos = line_start; pos < line_end;) {
    if (pos < offset) caret_glyph = glyphs.size() + 1;
    char32_t cp;
    size_t length = DecodeUtf8(statement, pos, &cp);
    // A tab is shown as one space so that the caret's column is predictable.
    if (cp == '\t') {
      glyphs.push_back({" ", 1});
    } else {
      glyphs.push_back({statement.substr(pos, length), static_cast<size_t>(CodePointWidth(cp))});
    }
    pos += length;
  }
  if (offset <= line_start) caret_glyph = 0;

  size_t total_width = 0;
  for (const Glyph& g : glyphs) total_width += g.width;
  size_t first = 0;
  size_t last = glyphs.size();
  if (total_width > kMaxErrorLineWidth) {
    // Keep the caret a little left of the middle of a window that fits.
    const size_t window = kMaxErrorLineWidth - 6;  // room for "..." on both sides
    size_t width_before = 0;
    first = caret_glyph;
    while (first > 0 && width_before + glyphs[first - 1].width <= window * 2 / 3) {
      width_before += glyphs[--first].width;
    }
    size_t width = 0;
    last = first;
    while (last < glyphs.size() && width + glyphs[last].width <= window) {
      width += glyphs[last++].width;
    }
  }

  if (first > 0) location.text += "...";
  location.caret_column = location.text.size();
  for (size_t i = first; i < last; ++i) {
    location.text += glyphs[i].bytes;
    if (i < caret_glyph) location.caret_column += glyphs[i].width;
  }
  if (last < glyphs.size()) location.text += "...";
  return location;
}

std::string FormatError(std::string_view code, std::string_view message, int32_t position,
                        std::string_view statement) {
  std::string report = fmt::format("ERROR:  {}", message);
  if (!code.empty()) report += fmt::format(" (SQLSTATE {})", code);
  report += '\n';
  ErrorLocation location = LocateError(statement, position);
  if (location.line > 0) {
    std::string prefix = fmt::format("LINE {}: ", location.line);
    report += prefix + location.text + '\n';
    report.append(prefix.size() + location.caret_column, ' ');
    report += "^\n";
  }
  return report;
}

}  // namespace basalt
