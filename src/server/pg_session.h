// One client of the PostgreSQL server: the startup handshake, then simple
// queries run on the session's own Connection, until the client leaves.
// See docs/server.md for what is and is not supported.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "main/database.h"
#include "server/pg_messages.h"
#include "server/pg_socket.h"
#include "server/wire_buffer.h"

namespace basalt {

class UserTable;

struct PgSessionOptions {
  // Messages longer than this end the session with 08P01.
  uint32_t max_message_length = 64u << 20;
  // Sent in BackendKeyData: what a CancelRequest for this session carries.
  int32_t process_id = 0;
  int32_t secret_key = 0;
  // Reported at startup as ParameterStatus basalt_http_port when not 0.
  int http_port = 0;
  // When set, SSLRequest is answered 'S' and TLS starts; otherwise 'N'.
  const TlsContext* tls = nullptr;
  // When set, users authenticate with SCRAM-SHA-256; otherwise all are trusted.
  const UserTable* users = nullptr;
  // Called with a CancelRequest's process id and secret key, on this
  // session's thread; the session then ends without an answer.
  std::function<void(int32_t process_id, int32_t secret_key)> cancel_request;
  // When not empty, a StartupMessage is answered with this FATAL error and
  // the session ends (53300 when the server has too many clients).
  std::string reject_code;
  std::string reject_message;
  // A client has this long for each read until it is authenticated
  // (PostgreSQL's authentication_timeout); 0 = no limit.
  int startup_timeout_seconds = 60;
};

// Not thread safe: one thread runs one session. The socket stays owned by
// the caller, which may shutdown() it from another thread to end Run early.
class PgSession {
 public:
  PgSession(Database& db, int socket_fd, std::string peer, PgSessionOptions options);
  // Ends TLS with close_notify when the connection still works.
  ~PgSession();

  // For the server's cancel paths (Connection::Cancel is thread safe).
  Connection& connection() { return connection_; }

  // Serves the client until it terminates, disconnects or breaks the protocol.
  void Run();

 private:
  enum class ReadStatus { kMessage, kClosed };

  ReadStatus ReadMessage(WireMessage* out);
  // Returns false when the session must end.
  bool HandleStartup();
  bool HandleStartupPacket(const WireMessage& message, bool* done);
  // SCRAM-SHA-256 when options_.users is set; false when the session must end.
  bool Authenticate();
  // Reads a SASLInitialResponse / SASLResponse ('p'); false after a FATAL error.
  bool ReadSaslMessage(WireMessage* out);
  void SendStartupReply();
  void HandleQuery(const WireMessage& message);
  void AppendResult(const QueryResult& result);

  // The extended query protocol (pg_session_extended.cc). Each handler
  // appends its reply; on an error it appends an ErrorResponse and returns
  // false, and the session then skips messages until Sync.
  bool HandleParse(const WireMessage& message);
  bool HandleBind(const WireMessage& message);
  bool HandleDescribe(const WireMessage& message);
  bool HandleExecute(const WireMessage& message);
  bool HandleClose(const WireMessage& message);
  void HandleSync();
  // An ErrorResponse from a failed result, with the position counted in `sql`.
  void AppendErrorResult(const QueryResult& result, std::string_view sql);
  // A NoticeResponse (WARNING) for each of the result's notices.
  void AppendNotices(const QueryResult& result);
  void AppendRowDescription(const QueryResult& result, const std::vector<PgFormat>& formats);
  // DataRows of rows [*next_row, *next_row + max_rows) of `result` (max_rows
  // 0 = all), in `formats`; advances *next_row. False when the client is gone.
  bool AppendDataRows(const QueryResult& result, const std::vector<PgFormat>& formats,
                      size_t max_rows, size_t* next_row);
  void AppendError(std::string_view code, std::string_view message, int32_t position,
                   std::string_view severity = "ERROR");
  void AppendReadyForQuery();
  // Sends the buffered output; false when the socket failed.
  bool Flush();

  Connection connection_;
  PgSocket socket_;
  std::string peer_;
  PgSessionOptions options_;
  MessageFramer framer_;
  WireWriter out_;
  bool broken_ = false;  // a send failed: the client is gone
  std::string user_;
  std::string database_;
  // After an extended-protocol error everything up to the next Sync is
  // skipped, as in PostgreSQL.
  bool skip_until_sync_ = false;

  // A bound statement with its values; run at its first Execute, whose
  // result it keeps so that later Executes continue where the last stopped.
  struct Portal {
    std::shared_ptr<const PreparedStatement> statement;
    std::vector<Value> values;
    std::vector<PgFormat> result_formats;  // one per column, once described
    std::vector<PgFormat> result_format_codes;  // as Bind sent them
    bool described = false;
    QueryResult description;
    bool executed = false;
    QueryResult result;
    size_t next_row = 0;
  };
  // Named ("" = the unnamed one) prepared statements and portals. Portals
  // live until the transaction ends, as PostgreSQL's do.
  struct Statement {
    std::shared_ptr<const PreparedStatement> prepared;
    // As Parse declared them: ParameterDescription must echo a declared type
    // exactly (varchar stays 1043), since drivers check it.
    std::vector<int32_t> declared_oids;
  };
  std::map<std::string, Statement> statements_;
  std::map<std::string, Portal> portals_;
};

}  // namespace basalt
