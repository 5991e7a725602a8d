#include "server/pg_session.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "common/exception.h"
#include "common/pg_types.h"
#include "server/pg_data_rows.h"
#include "server/scram.h"
#include "server/server_log.h"
#include "server/user_table.h"
#include "sql/source_position.h"

namespace basalt {

namespace {

// PostgreSQL's MAX_STARTUP_PACKET_LENGTH: a startup packet is a few names.
constexpr uint32_t kMaxStartupLength = 10000;
// SASL messages during authentication (PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH).
constexpr uint32_t kMaxAuthMessageLength = 65535;
// Authentication request codes of the 'R' message.
constexpr int32_t kAuthSasl = 10;
constexpr int32_t kAuthSaslContinue = 11;
constexpr int32_t kAuthSaslFinal = 12;
// Output is sent once this much is buffered, so a large result does not
// sit whole in memory twice.
constexpr size_t kFlushThreshold = 64 * 1024;

}  // namespace

PgSession::PgSession(Database& db, int socket_fd, std::string peer, PgSessionOptions options)
    : connection_(db),
      socket_(socket_fd),
      peer_(std::move(peer)),
      options_(options),
      framer_(kMaxStartupLength) {}

PgSession::~PgSession() { socket_.Shutdown(); }

void PgSession::Run() {
  if (!HandleStartup()) return;
  framer_.set_startup(false);
  framer_.set_max_message_length(options_.max_message_length);
  SendStartupReply();
  if (!Flush()) return;

  WireMessage message;
  // A failed send means the client is gone: stop before running more of
  // what it pipelined.
  while (!broken_ && ReadMessage(&message) == ReadStatus::kMessage) {
    char type = message.type;
    if (type == 'X') break;  // Terminate
    // Replies to extended-protocol messages are sent at Sync or Flush (or
    // when the buffer fills), so a pipelined batch costs one send.
    bool flush = true;
    if (type == 'S') {  // Sync ends an extended-protocol batch
      HandleSync();
    } else if (type == 'H') {  // Flush
    } else if (skip_until_sync_) {
      // Discarded, as PostgreSQL discards messages after an extended-protocol error.
      flush = false;
    } else if (type == 'Q') {
      // A simple query drops the unnamed statement and portal, as in PostgreSQL.
      statements_.erase("");
      portals_.erase("");
      HandleQuery(message);
    } else if (type == 'd' || type == 'c' || type == 'f') {
      // CopyData / CopyDone / CopyFail outside COPY are ignored, as PostgreSQL does.
      flush = false;
    } else if (type == 'P' || type == 'B' || type == 'D' || type == 'E' || type == 'C') {
      bool ok = type == 'P'   ? HandleParse(message)
                : type == 'B' ? HandleBind(message)
                : type == 'D' ? HandleDescribe(message)
                : type == 'E' ? HandleExecute(message)
                              : HandleClose(message);
      skip_until_sync_ = !ok;
      flush = out_.size() >= kFlushThreshold;
    } else if (type == 'F') {
      AppendError(sqlstate::kFeatureNotSupported, "FunctionCall is not supported", -1);
      AppendReadyForQuery();  // FunctionCall belongs to the simple protocol: no Sync follows
    } else {
      AppendError(sqlstate::kProtocolViolation,
                  fmt::format("invalid frontend message type {}", static_cast<int>(type)), -1,
                  "FATAL");
      Flush();
      ServerLog(fmt::format("{}: invalid message type {}, closing", peer_, static_cast<int>(type)));
      return;
    }
    if (flush && !Flush()) return;
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
    ssize_t n = socket_.Read(buffer, sizeof(buffer));
    if (n <= 0) {
      if (framer_.buffered() > 0) {
        ServerLog(fmt::format("{}: disconnected in the middle of a message", peer_));
      } else if (n < 0) {
        ServerLog(fmt::format("{}: receive failed: {}", peer_, socket_.error()));
      }
      return ReadStatus::kClosed;
    }
    framer_.Append(buffer, static_cast<size_t>(n));
  }
}

bool PgSession::HandleStartup() {
  // A client that stalls before it is authenticated must not hold its thread forever.
  socket_.SetReceiveTimeout(options_.startup_timeout_seconds);
  WireMessage message;
  bool done = false;
  while (!done) {
    if (ReadMessage(&message) != ReadStatus::kMessage) return false;
    if (!HandleStartupPacket(message, &done)) return false;
  }
  // Every later message has a type byte; SASL messages are small.
  framer_.set_startup(false);
  framer_.set_max_message_length(kMaxAuthMessageLength);
  if (!options_.reject_code.empty()) {
    ServerLog(fmt::format("{}: refused user \"{}\": {}", peer_, user_, options_.reject_message));
    AppendError(options_.reject_code, options_.reject_message, -1, "FATAL");
    Flush();
    return false;
  }
  if (!Authenticate()) return false;
  socket_.SetReceiveTimeout(0);  // an authenticated client may stay idle
  std::string details;
  if (socket_.tls()) details += fmt::format(", {}", socket_.TlsDescription());
  if (options_.users != nullptr) details += ", SCRAM-SHA-256";
  ServerLog(fmt::format("{}: connected as user \"{}\", database \"{}\"{}", peer_, user_,
                        database_.empty() ? user_ : database_, details));
  return true;
}

bool PgSession::ReadSaslMessage(WireMessage* out) {
  if (ReadMessage(out) != ReadStatus::kMessage) {
    // psql does this when it learns it needs a password it does not have.
    ServerLog(fmt::format("{}: disconnected during authentication", peer_));
    return false;
  }
  if (out->type != 'p') {
    AppendError("08P01",
                fmt::format("expected SASL response, got message type {}",
                            static_cast<int>(static_cast<unsigned char>(out->type))),
                -1, "FATAL");
    Flush();
    ServerLog(fmt::format("{}: protocol violation during authentication", peer_));
    return false;
  }
  return true;
}

bool PgSession::Authenticate() {
  if (options_.users == nullptr) return true;  // trust
  bool exists = false;
  ScramServer scram(options_.users->Find(user_, &exists));
  out_.BeginMessage('R');  // AuthenticationSASL: the mechanisms offered
  out_.AddInt32(kAuthSasl);
  out_.AddCString("SCRAM-SHA-256");
  out_.AddByte(0);
  out_.EndMessage();
  if (!Flush()) return false;

  auto fail = [&](const char* code, const std::string& message, const std::string& log) {
    AppendError(code, message, -1, "FATAL");
    Flush();
    ServerLog(fmt::format("{}: {}", peer_, log));
    return false;
  };
  auto auth_failed = [&](const std::string& why) {
    // The client is not told whether the user exists; the log says why.
    std::string message = fmt::format("password authentication failed for user \"{}\"", user_);
    return fail("28P01", message, fmt::format("{} ({})", message, why));
  };

  WireMessage message;
  if (!ReadSaslMessage(&message)) return false;
  SaslInitialResponse initial;
  std::string error = DecodeSaslInitialResponse(message.body, &initial);
  if (!error.empty()) return fail("08P01", error, error);
  if (initial.mechanism != "SCRAM-SHA-256") {
    return fail("08P01", "client selected an invalid SASL authentication mechanism",
                fmt::format("client selected SASL mechanism \"{}\"", initial.mechanism));
  }
  // SCRAM starts with the client's first message: it cannot be left out.
  if (!initial.data) {
    return fail("08P01", "invalid SASLInitialResponse message",
                "SASLInitialResponse without the client-first-message");
  }
  std::string reply;
  ScramServer::Status status = scram.HandleClientFirst(*initial.data, &reply, &error);
  if (status != ScramServer::Status::kOk) return fail("08P01", error, error);
  out_.BeginMessage('R');  // AuthenticationSASLContinue: server-first-message
  out_.AddInt32(kAuthSaslContinue);
  out_.AddBytes(reply);
  out_.EndMessage();
  if (!Flush()) return false;

  if (!ReadSaslMessage(&message)) return false;  // SASLResponse: client-final-message
  std::string client_final;
  error = DecodeSaslResponse(message.body, &client_final);
  if (!error.empty()) return fail("08P01", error, error);
  status = scram.HandleClientFinal(client_final, &reply, &error);
  if (status == ScramServer::Status::kProtocolError) return fail("08P01", error, error);
  if (status == ScramServer::Status::kFailed || !exists) {
    return auth_failed(exists ? "wrong password" : "no such user");
  }
  out_.BeginMessage('R');  // AuthenticationSASLFinal: server-final-message
  out_.AddInt32(kAuthSaslFinal);
  out_.AddBytes(reply);
  out_.EndMessage();
  return true;  // SendStartupReply follows with AuthenticationOk
}

bool PgSession::HandleStartupPacket(const WireMessage& message, bool* done) {
  StartupPacket packet;
  std::string error = DecodeStartupPacket(message.body, &packet);
  using Kind = StartupPacket::Kind;
  if (packet.kind == Kind::kCancelRequest) {
    if (!error.empty()) {
      ServerLog(fmt::format("{}: malformed cancel request ignored", peer_));
    } else if (options_.cancel_request) {
      options_.cancel_request(packet.process_id, packet.secret_key);
    }
    return false;  // no answer, as in PostgreSQL
  }
  if (!error.empty()) {
    AppendError("08P01", error, -1, "FATAL");
    Flush();
    ServerLog(fmt::format("{}: {}", peer_, error));
    return false;
  }
  // Once in TLS, a second SSLRequest falls through to "unsupported frontend
  // protocol 1234.5679", as in PostgreSQL.
  if (packet.kind == Kind::kSslRequest && options_.tls != nullptr && !socket_.tls()) {
    if (framer_.buffered() > 0) {
      // Bytes the client sent before the handshake would be taken as if
      // they had come through TLS.
      AppendError("08P01", "received unencrypted data after SSL request", -1, "FATAL");
      Flush();
      ServerLog(fmt::format("{}: received unencrypted data after SSL request", peer_));
      return false;
    }
    out_.AddByte('S');
    if (!Flush()) return false;
    if (!socket_.StartTls(*options_.tls, &error)) {
      ServerLog(fmt::format("{}: {}", peer_, error));
      return false;
    }
    return true;
  }
  if ((packet.kind == Kind::kSslRequest || packet.kind == Kind::kGssEncRequest) && !socket_.tls()) {
    // 'N': no encryption; the client goes on in plain text (or gives up).
    out_.AddByte('N');
    return Flush();
  }
  if (packet.kind != Kind::kStartup || packet.protocol_major != kPgProtocolMajor) {
    AppendError("0A000",
                fmt::format("unsupported frontend protocol {}.{}: server supports 3.0 to 3.0",
                            packet.protocol_major, packet.protocol_minor),
                -1, "FATAL");
    Flush();
    ServerLog(fmt::format("{}: unsupported protocol {}.{}", peer_, packet.protocol_major,
                          packet.protocol_minor));
    return false;
  }
  user_ = packet.Parameter("user");
  database_ = packet.Parameter("database");
  if (user_.empty()) {
    AppendError("28000", "no PostgreSQL user name specified in startup packet", -1, "FATAL");
    Flush();
    return false;
  }
  ClientInfo client;
  client.user = user_;
  client.client = "postgres";
  client.session = options_.process_id;
  connection_.set_client(client);
  // Other parameters set the session's settings, as in PostgreSQL
  // (application_name, DateStyle, ...); ParameterStatus then reports them.
  for (const auto& [name, value] : packet.parameters) {
    if (name == "user" || name == "database" || name == "options" || name == "replication" ||
        name.starts_with("_pq_.")) {
      continue;
    }
    connection_.settings().Set(name, value);
  }
  if (packet.protocol_minor > 0 || !packet.protocol_options.empty()) {
    // A newer 3.x client learns that we speak 3.0 and none of its options.
    out_.BeginMessage('v');
    out_.AddInt32(kPgProtocolMajor << 16);
    out_.AddInt32(static_cast<int32_t>(packet.protocol_options.size()));
    for (const std::string& option : packet.protocol_options) out_.AddCString(option);
    out_.EndMessage();
  }
  *done = true;
  return true;
}

void PgSession::SendStartupReply() {
  out_.BeginMessage('R');  // AuthenticationOk, after SCRAM or for a trusted user
  out_.AddInt32(0);
  out_.EndMessage();
  // The connection's settings PostgreSQL reports (session_settings.cc).
  for (const auto& [name, value] : connection_.settings().Reported()) {
    out_.BeginMessage('S');
    out_.AddCString(name);
    out_.AddCString(value);
    out_.EndMessage();
  }
  if (options_.http_port > 0) {
    // Not a PostgreSQL setting: clients keep what they do not know (libpq's
    // PQparameterStatus); the basalt shell reads it for progress bars.
    out_.BeginMessage('S');
    out_.AddCString("basalt_http_port");
    out_.AddCString(std::to_string(options_.http_port));
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
      AppendErrorResult(result, sql);
    } else {
      AppendResult(result);
    }
    // A client that is gone (a send failed) gets none of the later statements run.
    return !broken_;
  });
  if (broken_) return;  // Flush logged the failed send
  // No statement at all (empty or only comments / semicolons).
  if (results == 0) {
    out_.BeginMessage('I');
    out_.EndMessage();
  }
  AppendReadyForQuery();
}

void PgSession::AppendNotices(const QueryResult& result) {
  for (const QueryResult::Notice& notice : result.notices) {
    AppendErrorOrNotice(out_, 'N', "WARNING", notice.code, notice.message);
  }
}

void PgSession::AppendResult(const QueryResult& result) {
  AppendNotices(result);
  if (result.returns_rows) {
    // The simple protocol always sends text.
    std::vector<PgFormat> formats(result.column_names.size(), PgFormat::kText);
    AppendRowDescription(result, formats);
    size_t next_row = 0;
    if (!AppendDataRows(result, formats, 0, &next_row)) return;
  }
  out_.BeginMessage('C');  // CommandComplete
  out_.AddCString(result.tag);
  out_.EndMessage();
}

bool PgSession::AppendDataRows(const QueryResult& result, const std::vector<PgFormat>& formats,
                               size_t max_rows, size_t* next_row) {
  size_t skip = *next_row;
  size_t sent = 0;
  // Each chunk's rows to send are encoded a column at a time, then emitted row by row.
  PgDataRowEncoder encoder(formats);
  for (const DataChunk& chunk : result.chunks) {
    if (skip >= chunk.size()) {
      skip -= chunk.size();
      continue;
    }
    if (max_rows > 0 && sent == max_rows) return true;
    idx_t end = chunk.size();
    if (max_rows > 0) end = std::min<idx_t>(end, skip + (max_rows - sent));
    encoder.Encode(chunk, skip, end);
    for (idx_t row = skip; row < end; ++row) {
      encoder.AppendDataRow(row, out_);
      ++sent;
      ++*next_row;
      if (out_.size() >= kFlushThreshold && !Flush()) return false;
    }
    skip = 0;
  }
  return true;
}

void PgSession::AppendErrorResult(const QueryResult& result, std::string_view sql) {
  int32_t position =
      result.error_position >= 0 ? sql::CharacterPosition(sql, result.error_position) : -1;
  AppendError(result.error_code, result.error_message, position);
  ServerLog(fmt::format("{}: ERROR {}: {}", peer_, result.error_code, result.error_message));
}

void PgSession::AppendError(std::string_view code, std::string_view message, int32_t position,
                            std::string_view severity) {
  AppendErrorOrNotice(out_, 'E', severity, code, message, position);
  // Any ERROR fails an open transaction block, whoever found it.
  if (severity == "ERROR") connection_.NoteError();
}

void PgSession::AppendReadyForQuery() {
  // Portals end with their transaction, however it ended (Sync of an
  // implicit one, COMMIT or ROLLBACK in a simple Query).
  if (connection_.TransactionStatus() == 'I') portals_.clear();
  out_.BeginMessage('Z');
  out_.AddByte(static_cast<uint8_t>(connection_.TransactionStatus()));  // 'I', 'T' or 'E'
  out_.EndMessage();
}

bool PgSession::Flush() {
  if (broken_) {
    out_.Clear();
    return false;
  }
  if (!socket_.Write(out_.data())) {
    ServerLog(fmt::format("{}: send failed: {}", peer_, socket_.error()));
    broken_ = true;
    out_.Clear();
    return false;
  }
  out_.Clear();
  return true;
}

}  // namespace basalt
