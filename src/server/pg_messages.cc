#include "server/pg_messages.h"

#include <fmt/format.h>

#include "server/wire_buffer.h"

namespace basalt {

namespace {

// Counts of parameters, formats and columns are unsigned 16-bit, as
// PostgreSQL reads them (up to 65535 parameters).
bool ReadCount(WireReader& reader, size_t* out) {
  int16_t raw = 0;
  if (!reader.ReadInt16(&raw)) return false;
  *out = static_cast<uint16_t>(raw);
  return true;
}

// Reads a count and that many format codes, each 0 or 1.
std::string ReadFormatCodes(WireReader& reader, const char* what, std::vector<PgFormat>* out) {
  size_t count = 0;
  if (!ReadCount(reader, &count)) return fmt::format("invalid {} format count", what);
  // Each code takes two bytes: a count beyond what remains is a lie.
  if (count * 2 > reader.remaining()) {
    return fmt::format("{} format count {} exceeds the message", what, count);
  }
  out->clear();
  for (size_t i = 0; i < count; ++i) {
    int16_t code = 0;
    reader.ReadInt16(&code);
    if (code != 0 && code != 1) return fmt::format("unsupported format code: {}", code);
    out->push_back(static_cast<PgFormat>(code));
  }
  return "";
}

}  // namespace

void AppendErrorOrNotice(WireWriter& out, char type, std::string_view severity,
                         std::string_view code, std::string_view message, int32_t position) {
  out.BeginMessage(type);
  out.AddByte('S');
  out.AddCString(severity);
  out.AddByte('V');
  out.AddCString(severity);
  out.AddByte('C');
  out.AddCString(code);
  out.AddByte('M');
  out.AddCString(message);
  if (position > 0) {
    out.AddByte('P');
    out.AddCString(std::to_string(position));
  }
  out.AddByte(0);
  out.EndMessage();
}

std::string StartupPacket::Parameter(std::string_view name) const {
  for (auto it = parameters.rbegin(); it != parameters.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return "";
}

std::string DecodeStartupPacket(std::string_view body, StartupPacket* out) {
  *out = StartupPacket{};
  WireReader reader(body);
  int32_t code = 0;
  if (!reader.ReadInt32(&code)) return "invalid length of startup packet";
  out->protocol_major = static_cast<int>(static_cast<uint32_t>(code) >> 16);
  out->protocol_minor = code & 0xFFFF;
  switch (code) {
    case kPgSslRequestCode:
      out->kind = StartupPacket::Kind::kSslRequest;
      return "";
    case kPgGssEncRequestCode:
      out->kind = StartupPacket::Kind::kGssEncRequest;
      return "";
    case kPgCancelRequestCode:
      out->kind = StartupPacket::Kind::kCancelRequest;
      if (!reader.ReadInt32(&out->process_id) || !reader.ReadInt32(&out->secret_key) ||
          !reader.AtEnd()) {
        return "invalid length of cancel request";
      }
      return "";
    default:
      break;
  }
  out->kind = StartupPacket::Kind::kStartup;
  if (out->protocol_major != kPgProtocolMajor) return "";
  // Name / value pairs, each NUL-terminated, ending in an empty name that is
  // the packet's last byte (PostgreSQL's ProcessStartupPacket).
  constexpr const char* kLayoutError =
      "invalid startup packet layout: expected terminator as last byte";
  while (true) {
    std::string_view name;
    std::string_view value;
    if (!reader.ReadCString(&name)) return kLayoutError;
    if (name.empty()) break;
    if (!reader.ReadCString(&value)) return kLayoutError;
    if (name.starts_with("_pq_.")) out->protocol_options.emplace_back(name);
    out->parameters.emplace_back(std::string(name), std::string(value));
  }
  if (!reader.AtEnd()) return kLayoutError;
  return "";
}

std::string DecodeSaslInitialResponse(std::string_view body, SaslInitialResponse* out) {
  WireReader reader(body);
  std::string_view mechanism;
  int32_t length = 0;
  if (!reader.ReadCString(&mechanism) || !reader.ReadInt32(&length) || length < -1) {
    return "invalid SASLInitialResponse message";
  }
  out->mechanism = mechanism;
  out->data.reset();
  if (length >= 0) {
    std::string_view data;
    if (!reader.ReadBytes(static_cast<size_t>(length), &data)) {
      return "invalid SASLInitialResponse message";
    }
    out->data = std::string(data);
  }
  if (!reader.AtEnd()) return "invalid SASLInitialResponse message";
  return "";
}

std::string DecodeSaslResponse(std::string_view body, std::string* out) {
  *out = body;
  return "";
}

std::string DecodeParse(std::string_view body, ParseMessage* out) {
  WireReader reader(body);
  std::string_view name;
  std::string_view query;
  size_t count = 0;
  if (!reader.ReadCString(&name) || !reader.ReadCString(&query) || !ReadCount(reader, &count)) {
    return "invalid Parse message";
  }
  if (count * 4 != reader.remaining()) {
    return "invalid Parse message: parameter type count does not match its length";
  }
  out->statement_name = name;
  out->query = query;
  out->parameter_type_oids.resize(count);
  for (int32_t& oid : out->parameter_type_oids) reader.ReadInt32(&oid);
  return "";
}

std::string DecodeBind(std::string_view body, BindMessage* out) {
  WireReader reader(body);
  std::string_view portal;
  std::string_view statement;
  if (!reader.ReadCString(&portal) || !reader.ReadCString(&statement)) {
    return "invalid Bind message";
  }
  out->portal_name = portal;
  out->statement_name = statement;
  std::vector<PgFormat> formats;
  std::string error = ReadFormatCodes(reader, "parameter", &formats);
  if (!error.empty()) return error;
  size_t count = 0;
  if (!ReadCount(reader, &count)) return "invalid Bind message: parameter count";
  if (formats.size() > 1 && formats.size() != count) {
    return fmt::format("bind message has {} parameter formats but {} parameters", formats.size(),
                       count);
  }
  // Every value takes at least its 4-byte length.
  if (count * 4 > reader.remaining()) {
    return fmt::format("bind message parameter count {} exceeds the message", count);
  }
  out->parameter_formats.assign(count,
                                formats.empty() ? PgFormat::kText : formats[0]);
  if (formats.size() > 1) out->parameter_formats = formats;
  out->parameter_values.clear();
  for (size_t i = 0; i < count; ++i) {
    int32_t length = 0;
    if (!reader.ReadInt32(&length) || length < -1) {
      return fmt::format("invalid length of bind parameter {}", i + 1);
    }
    if (length == -1) {
      out->parameter_values.emplace_back(std::nullopt);
      continue;
    }
    std::string_view value;
    if (!reader.ReadBytes(static_cast<size_t>(length), &value)) {
      return fmt::format("insufficient data left in message for bind parameter {}", i + 1);
    }
    out->parameter_values.emplace_back(std::string(value));
  }
  error = ReadFormatCodes(reader, "result", &out->result_formats);
  if (!error.empty()) return error;
  if (!reader.AtEnd()) return "invalid Bind message: extra data at the end";
  return "";
}

std::string DecodeDescribeOrClose(std::string_view body, DescribeOrCloseMessage* out) {
  WireReader reader(body);
  uint8_t target = 0;
  std::string_view name;
  if (!reader.ReadByte(&target) || !reader.ReadCString(&name) || !reader.AtEnd()) {
    return "invalid Describe or Close message";
  }
  if (target != 'S' && target != 'P') {
    return fmt::format("invalid Describe or Close target type: {}", static_cast<int>(target));
  }
  out->target = static_cast<char>(target);
  out->name = name;
  return "";
}

std::string DecodeExecute(std::string_view body, ExecuteMessage* out) {
  WireReader reader(body);
  std::string_view portal;
  if (!reader.ReadCString(&portal) || !reader.ReadInt32(&out->max_rows) || !reader.AtEnd()) {
    return "invalid Execute message";
  }
  out->portal_name = portal;
  if (out->max_rows < 0) out->max_rows = 0;  // PostgreSQL treats a negative limit as none
  return "";
}

std::string ExpandResultFormats(const std::vector<PgFormat>& codes, size_t column_count,
                                std::vector<PgFormat>* out) {
  if (codes.size() > 1 && codes.size() != column_count) {
    return fmt::format("bind message has {} result formats but query has {} columns", codes.size(),
                       column_count);
  }
  out->assign(column_count, codes.empty() ? PgFormat::kText : codes[0]);
  if (codes.size() > 1) *out = codes;
  return "";
}

}  // namespace basalt
