// The json format: one array of objects per result, a row a line, so that
// the whole output of a statement is one JSON document and yet greppable:
//
//   [{"id":1,"name":"alice"},
//   {"id":2,"name":null}]
//
// Numbers stay numbers, except NaN and infinities, which JSON cannot express
// and which are written as the strings PostgreSQL's to_json writes.
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <string_view>

#include "shell/result_printer.h"
#include "shell/text_width.h"

namespace basalt {

namespace {

// Escapes what JSON requires; valid UTF-8 passes through, invalid bytes
// become U+FFFD so that the output is always valid JSON.
void WriteString(std::ostream& out, std::string_view text) {
  out << '"';
  for (size_t pos = 0; pos < text.size();) {
    auto u = static_cast<unsigned char>(text[pos]);
    if (u >= 0x80) {
      char32_t cp;
      bool valid;
      size_t length = DecodeUtf8(text, pos, &cp, &valid);
      out << (valid ? text.substr(pos, length) : std::string_view("\\ufffd"));
      pos += length;
      continue;
    }
    switch (u) {
      case '"':
        out << "\\\"";
        break;
      case '\\':
        out << "\\\\";
        break;
      case '\b':
        out << "\\b";
        break;
      case '\f':
        out << "\\f";
        break;
      case '\n':
        out << "\\n";
        break;
      case '\r':
        out << "\\r";
        break;
      case '\t':
        out << "\\t";
        break;
      default:
        if (u < 0x20) {
          out << fmt::format("\\u{:04x}", u);
        } else {
          out << static_cast<char>(u);
        }
    }
    ++pos;
  }
  out << '"';
}

void WriteValue(std::ostream& out, const Value& value) {
  if (value.IsNull()) {
    out << "null";
    return;
  }
  const LogicalType& type = value.type();
  if (type.id() == TypeId::kBoolean) {
    out << (value.GetBool() ? "true" : "false");
  } else if (type.IsFloat() && !std::isfinite(value.GetDouble())) {
    WriteString(out, value.ToString());
  } else if (type.IsNumeric()) {
    out << value.ToString();
  } else {
    WriteString(out, value.ToString());
  }
}

}  // namespace

void PrintJson(const QueryResult& result, std::ostream& out) {
  if (!result.returns_rows) return;
  const size_t columns = result.column_names.size();
  out << '[';
  bool first = true;
  for (const DataChunk& chunk : result.chunks) {
    for (idx_t r = 0; r < chunk.size(); ++r) {
      if (!first) out << ",\n";
      first = false;
      out << '{';
      for (size_t c = 0; c < columns; ++c) {
        if (c > 0) out << ',';
        WriteString(out, result.column_names[c]);
        out << ':';
        WriteValue(out, chunk.GetValue(c, r));
      }
      out << '}';
    }
  }
  out << "]\n";
}

}  // namespace basalt
