#include "server/pg_session.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "server/pg_types.h"
#include "server/server_log.h"

namespace basalt {

namespace {

// Request codes of the untyped startup-phase packets (PostgreSQL pqcomm.h).
constexpr int32_t kSslRequestCode = 80877103;
constexpr int32_t kGssEncRequestCode = 80877104;
constexpr int32_t kCancelRequestCode = 80877102;
constexpr int kProtocolMajor = 3;

// PostgreSQL's MAX_STARTUP_PACKET_LENGTH: a startup packet is a few names.
constexpr uint32_t kMaxStartupLength = 10000;
// Output is sent once this much is buffered, so a large result does not
// sit whole in memory twice.
constexpr size_t kFlushThreshold = 64 * 1024;

// The parameters psql and drivers read at startup; DateStyle and
// integer_datetimes tell them how to parse dates and timestamps.
constexpr std::pair<const char*, const char*> kParameterStatus[] = {
    {"server_version", "15.0 (Basalt)"},
    {"server_encoding", "UTF8"},
    {"client_encoding", "UTF8"},
    {"DateStyle", "ISO, MDY"},
    {"TimeZone", "UTC"},
    {"integer_datetimes", "on"},
    {"standard_conforming_strings", "on"},
    {"application_name", ""},
};

// ErrorResponse positions count characters from 1; QueryResult counts bytes
// from 0. Counts the UTF-8 lead bytes before `offset`.
int32_t CharacterPosition(std::string_view text, int32_t offset) {
  size_t end = std::min(static_cast<size_t>(offset), text.size());
  int32_t characters = 0;
  for (size_t i = 0; i < end; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++characters;
  }
  return characters + 1;
}

}  // namespace

PgSession::PgSession(Database& db, int socket_fd, std::string peer, PgSessionOptions options)
    : connection_(db),
      fd_(socket_fd),
      peer_(std::move(peer)),
      options_(options),
      framer_(kMaxStartupLength) {}

void PgSession::Run() {
  if (!HandleStartup()) return;
  framer_.set_startup(false);
  framer_.set_max_message_length(options_.max_message_length);
  SendStartupReply();
  if (!Flush()) return;

  WireMessage message;
  while (ReadMessage(&message) == ReadStatus::kMessage) {
    char type = message.type;
    if (type == 'X') break;  // Terminate
    if (type == 'S') {       // Sync ends an extended-protocol batch
      skip_until_sync_ = false;
      AppendReadyForQuery();
    } else if (type == 'H') {  // Flush
    } else if (skip_until_sync_) {
      // Discarded, as PostgreSQL discards messages after an extended-protocol error.
    } else if (type == 'Q') {
      HandleQuery(message);
    } else if (type == 'd' || type == 'c' || type == 'f') {
      // CopyData / CopyDone / CopyFail outside COPY are ignored, as PostgreSQL does.
    } else {
      // Parse, Bind, Describe, Execute, Close, FunctionCall and unknown tags.
      AppendError("0A000", "extended query protocol is not supported yet", -1);
      if (type == 'F') {
        AppendReadyForQuery();  // FunctionCall belongs to the simple protocol: no Sync follows
      } else {
        skip_until_sync_ = true;
      }
    }
    if (!Flush()) return;
  }
}

PgSession::ReadStatus PgSession::ReadMessage(WireMessage* out) {
  char buffer[64 * 1024];
  while (true) {
    switch (framer_.Next(out)) {
      case MessageFramer::Status::kMessage:
        return ReadStatus::kMessage;
      case MessageFramer::Status::kBadLength:
        ServerLog(fmt::format("{}: invalid message length, closing", peer_));
        AppendError("08P01", "invalid message length", -1, "FATAL");
        Flush();
        return ReadStatus::kClosed;
      case MessageFramer::Status::kNeedMore:
        break;
    }
    ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (framer_.buffered() > 0) {
        ServerLog(fmt::format("{}: disconnected in the middle of a message", peer_));
      } else if (n < 0) {
        ServerLog(fmt::format("{}: receive failed: {}", peer_, std::strerror(errno)));
      }
      return ReadStatus::kClosed;
    }
    framer_.Append(buffer, static_cast<size_t>(n));
  }
}

bool PgSession::HandleStartup() {
  WireMessage message;
  bool done = false;
  while (!done) {
    if (ReadMessage(&message) != ReadStatus::kMessage) return false;
    if (!HandleStartupPacket(message, &done)) return false;
  }
  return true;
}

bool PgSession::HandleStartupPacket(const WireMessage& message, bool* done) {
  WireReader reader(message.body);
  int32_t code = 0;
  reader.ReadInt32(&code);  // the framer guarantees at least these 4 bytes
  if (code == kSslRequestCode || code == kGssEncRequestCode) {
    // 'N': no encryption; the client goes on in plain text (or gives up).
    out_.AddByte('N');
    return Flush();
  }
  if (code == kCancelRequestCode) {
    ServerLog(fmt::format("{}: cancel request ignored (not supported yet)", peer_));
    return false;
  }
  int major = static_cast<int>(static_cast<uint32_t>(code) >> 16);
  int minor = code & 0xFFFF;
  if (major != kProtocolMajor) {
    AppendError("0A000",
                fmt::format("unsupported frontend protocol {}.{}: server supports 3.0 to 3.0",
                            major, minor),
                -1, "FATAL");
    Flush();
    ServerLog(fmt::format("{}: unsupported protocol {}.{}", peer_, major, minor));
    return false;
  }

  std::string database;
  std::vector<std::string> unknown_options;
  while (true) {
    std::string_view name;
    std::string_view value;
    if (!reader.ReadCString(&name)) {
      AppendError("08P01", "invalid startup packet layout: expected terminator as last byte", -1,
                  "FATAL");
      Flush();
      return false;
    }
    if (name.empty()) break;
    if (!reader.ReadCString(&value)) {
      AppendError("08P01", "invalid startup packet layout: expected terminator as last byte", -1,
                  "FATAL");
      Flush();
      return false;
    }
    if (name == "user") user_ = value;
    if (name == "database") database = value;
    if (name.starts_with("_pq_.")) unknown_options.emplace_back(name);
  }
  if (user_.empty()) {
    AppendError("28000", "no PostgreSQL user name specified in startup packet", -1, "FATAL");
    Flush();
    return false;
  }
  if (minor > 0 || !unknown_options.empty()) {
    // A newer 3.x client learns that we speak 3.0 and none of its options.
    out_.BeginMessage('v');
    out_.AddInt32(kProtocolMajor << 16);
    out_.AddInt32(static_cast<int32_t>(unknown_options.size()));
    for (const std::string& option : unknown_options) out_.AddCString(option);
    out_.EndMessage();
  }
  ServerLog(fmt::format("{}: connected as user \"{}\", database \"{}\"", peer_, user_,
                        database.empty() ? user_ : database));
  *done = true;
  return true;
}

void PgSession::SendStartupReply() {
  out_.BeginMessage('R');  // AuthenticationOk: every user is trusted for now
  out_.AddInt32(0);
  out_.EndMessage();
  for (const auto& [name, value] : kParameterStatus) {
    out_.BeginMessage('S');
    out_.AddCString(name);
    out_.AddCString(value);
    out_.EndMessage();
  }
  out_.BeginMessage('K');  // BackendKeyData
  out_.AddInt32(options_.process_id);
  out_.AddInt32(options_.secret_key);
  out_.EndMessage();
  AppendReadyForQuery();
}

void PgSession::HandleQuery(const WireMessage& message) {
  WireReader reader(message.body);
  std::string_view sql;
  if (!reader.ReadCString(&sql) || !reader.AtEnd()) {
    AppendError("08P01", "invalid Query message: expected one NUL-terminated string", -1);
    AppendReadyForQuery();
    return;
  }
  int results = 0;
  connection_.QueryEach(sql, [&](QueryResult& result) {
    ++results;
    if (!result.ok) {
      int32_t position =
          result.error_position >= 0 ? CharacterPosition(sql, result.error_position) : -1;
      AppendError(result.error_code, result.error_message, position);
      ServerLog(fmt::format("{}: ERROR {}: {}", peer_, result.error_code, result.error_message));
      return;
    }
    AppendResult(result);
  });
  // No statement at all (empty or only comments / semicolons).
  if (results == 0) {
    out_.BeginMessage('I');
    out_.EndMessage();
  }
  AppendReadyForQuery();
}

void PgSession::AppendResult(const QueryResult& result) {
  if (result.returns_rows) {
    out_.BeginMessage('T');  // RowDescription
    out_.AddInt16(static_cast<int16_t>(result.column_names.size()));
    for (size_t i = 0; i < result.column_names.size(); ++i) {
      PgTypeInfo type = PgTypeOf(result.column_types[i]);
      out_.AddCString(result.column_names[i]);
      out_.AddInt32(0);  // not a table column
      out_.AddInt16(0);
      out_.AddInt32(type.oid);
      out_.AddInt16(type.length);
      out_.AddInt32(type.modifier);
      out_.AddInt16(0);  // text format
    }
    out_.EndMessage();
    for (const DataChunk& chunk : result.chunks) {
      for (idx_t row = 0; row < chunk.size(); ++row) {
        out_.BeginMessage('D');  // DataRow
        out_.AddInt16(static_cast<int16_t>(chunk.ColumnCount()));
        for (idx_t column = 0; column < chunk.ColumnCount(); ++column) {
          Value value = chunk.GetValue(column, row);
          if (value.IsNull()) {
            out_.AddInt32(-1);
            continue;
          }
          std::string text = PgTextOf(value);
          out_.AddInt32(static_cast<int32_t>(text.size()));
          out_.AddBytes(text);
        }
        out_.EndMessage();
        if (out_.size() >= kFlushThreshold && !Flush()) return;
      }
    }
  }
  out_.BeginMessage('C');  // CommandComplete
  out_.AddCString(result.tag);
  out_.EndMessage();
}

void PgSession::AppendError(std::string_view code, std::string_view message, int32_t position,
                            std::string_view severity) {
  out_.BeginMessage('E');
  out_.AddByte('S');
  out_.AddCString(severity);
  out_.AddByte('V');  // the same, never localized
  out_.AddCString(severity);
  out_.AddByte('C');
  out_.AddCString(code);
  out_.AddByte('M');
  out_.AddCString(message);
  if (position > 0) {
    out_.AddByte('P');
    out_.AddCString(std::to_string(position));
  }
  out_.AddByte(0);
  out_.EndMessage();
}

void PgSession::AppendReadyForQuery() {
  out_.BeginMessage('Z');
  out_.AddByte(static_cast<uint8_t>(connection_.TransactionStatus()));  // 'I', 'T' or 'E'
  out_.EndMessage();
}

bool PgSession::Flush() {
  if (broken_) {
    out_.Clear();
    return false;
  }
  const std::string& data = out_.data();
  size_t sent = 0;
  while (sent < data.size()) {
    // MSG_NOSIGNAL: a client that went away must not raise SIGPIPE.
    ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ServerLog(fmt::format("{}: send failed: {}", peer_, std::strerror(errno)));
      broken_ = true;
      out_.Clear();
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  out_.Clear();
  return true;
}

}  // namespace basalt
