// The csv format: RFC 4180 with LF line ends, as most tools read and write it.
// NULL is an empty field and the empty string is "", so the two stay apart
// (PostgreSQL's COPY ... CSV makes the same distinction).
#include <string>
#include <string_view>

#include "shell/result_printer.h"

namespace basalt {

namespace {

void WriteField(std::ostream& out, std::string_view field) {
  bool quote = field.empty() || field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out << field;
    return;
  }
  out << '"';
  for (char c : field) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

}  // namespace

void PrintCsv(const QueryResult& result, std::ostream& out) {
  if (!result.returns_rows) return;
  const size_t columns = result.column_names.size();
  for (size_t c = 0; c < columns; ++c) {
    if (c > 0) out << ',';
    WriteField(out, result.column_names[c]);
  }
  out << '\n';
  for (const DataChunk& chunk : result.chunks) {
    for (idx_t r = 0; r < chunk.size(); ++r) {
      for (size_t c = 0; c < columns; ++c) {
        if (c > 0) out << ',';
        Value value = chunk.GetValue(c, r);
        if (!value.IsNull()) WriteField(out, value.ToString());
      }
      out << '\n';
    }
  }
}

}  // namespace basalt
