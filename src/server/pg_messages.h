// The frontend messages of the extended query protocol, decoded from a
// message body into plain structs. Pure functions over bytes, with no socket
// and no session state, so that every malformed, truncated or oversized body
// is covered by unit tests and the fuzz target (fuzz/).
//
// Each Decode* returns "" on success or a description of what is wrong,
// which the session sends as an 08P01 protocol violation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/wire_buffer.h"

namespace basalt {

// Format codes of Bind's parameters and results.
enum class PgFormat : int16_t { kText = 0, kBinary = 1 };

// 'P': prepare `query` under `statement_name` ("" = the unnamed statement).
struct ParseMessage {
  std::string statement_name;
  std::string query;
  std::vector<int32_t> parameter_type_oids;  // 0 = let the server infer
};

// 'B': bind parameter values to a prepared statement, creating a portal.
struct BindMessage {
  std::string portal_name;
  std::string statement_name;
  // One per parameter after expansion: Bind may send no format codes (all
  // text), one (applies to all) or one per parameter.
  std::vector<PgFormat> parameter_formats;
  std::vector<std::optional<std::string>> parameter_values;  // nullopt = NULL
  // As sent: empty = all text, one = applies to all columns, or one per column.
  std::vector<PgFormat> result_formats;
};

// 'D' (Describe) and 'C' (Close) name a statement ('S') or a portal ('P').
struct DescribeOrCloseMessage {
  char target = 'S';  // 'S' statement, 'P' portal
  std::string name;
};

// 'E': run a portal, returning at most `max_rows` rows (0 = all).
struct ExecuteMessage {
  std::string portal_name;
  int32_t max_rows = 0;
};

// Appends an ErrorResponse ('E') or NoticeResponse ('N'): severity (also as
// the never-localized 'V' field), SQLSTATE, message and, when > 0, the
// 1-based character position in the statement.
void AppendErrorOrNotice(WireWriter& out, char type, std::string_view severity,
                         std::string_view code, std::string_view message, int32_t position = 0);

std::string DecodeParse(std::string_view body, ParseMessage* out);
std::string DecodeBind(std::string_view body, BindMessage* out);
std::string DecodeDescribeOrClose(std::string_view body, DescribeOrCloseMessage* out);
std::string DecodeExecute(std::string_view body, ExecuteMessage* out);

// One format per result column from Bind's codes (none = all text, one =
// the same for all, else one each); an error when the count does not fit.
std::string ExpandResultFormats(const std::vector<PgFormat>& codes, size_t column_count,
                                std::vector<PgFormat>* out);

}  // namespace basalt
