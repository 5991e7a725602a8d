// The frontend messages of the startup phase, SASL authentication and the
// extended query protocol, decoded from a message body into plain structs.
// Pure functions over bytes, with no socket and no session state, so that
// every malformed, truncated or oversized body is covered by unit tests and
// the fuzz target (fuzz/).
//
// Each Decode* returns "" on success or a description of what is wrong,
// which the session sends as an 08P01 protocol violation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/wire_buffer.h"

namespace basalt {

// The protocol version this server speaks (3.0), and the codes that take a
// version's place in the packets that are not a StartupMessage (PostgreSQL's
// pqcomm.h).
inline constexpr int kPgProtocolMajor = 3;
inline constexpr int32_t kPgCancelRequestCode = 80877102;
inline constexpr int32_t kPgSslRequestCode = 80877103;
inline constexpr int32_t kPgGssEncRequestCode = 80877104;

// A packet of the startup phase (before the first typed message), by its
// first four bytes: a StartupMessage's protocol version or a request code.
struct StartupPacket {
  enum class Kind { kStartup, kSslRequest, kGssEncRequest, kCancelRequest };
  Kind kind = Kind::kStartup;
  // The four bytes read as a protocol version (a request code reads as
  // 1234.5678 and up). The parameters of a StartupMessage are read only for
  // major version 3: another version's layout is unknown, and the session
  // refuses it.
  int protocol_major = 0;
  int protocol_minor = 0;
  // kStartup, version 3: the name / value pairs in order (a name may repeat:
  // the last one counts), and the "_pq_." protocol options among the names.
  std::vector<std::pair<std::string, std::string>> parameters;
  std::vector<std::string> protocol_options;
  // kCancelRequest: the session to cancel, as its BackendKeyData said.
  int32_t process_id = 0;
  int32_t secret_key = 0;

  // The value of the last parameter called `name`; "" when there is none.
  std::string Parameter(std::string_view name) const;
};

// 'p' answering AuthenticationSASL: the mechanism the client chose and its
// initial response (nullopt when the client sent length -1, none).
struct SaslInitialResponse {
  std::string mechanism;
  std::optional<std::string> data;
};

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

// A startup-phase packet's body (after its length word). On an error `kind`
// is still set when the four bytes of the code are there, so that the
// session can tell a malformed CancelRequest (ignored without an answer, as
// in PostgreSQL) from a malformed StartupMessage.
std::string DecodeStartupPacket(std::string_view body, StartupPacket* out);
// SASLInitialResponse and SASLResponse, both sent as 'p'. A SASLResponse is
// the mechanism's data and nothing else, so it cannot be malformed here.
std::string DecodeSaslInitialResponse(std::string_view body, SaslInitialResponse* out);
std::string DecodeSaslResponse(std::string_view body, std::string* out);

std::string DecodeParse(std::string_view body, ParseMessage* out);
std::string DecodeBind(std::string_view body, BindMessage* out);
std::string DecodeDescribeOrClose(std::string_view body, DescribeOrCloseMessage* out);
std::string DecodeExecute(std::string_view body, ExecuteMessage* out);

// One format per result column from Bind's codes (none = all text, one =
// the same for all, else one each); an error when the count does not fit.
std::string ExpandResultFormats(const std::vector<PgFormat>& codes, size_t column_count,
                                std::vector<PgFormat>* out);

}  // namespace basalt
