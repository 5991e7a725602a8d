// One client of the PostgreSQL server: the startup handshake, then simple
// queries run on the session's own Connection, until the client leaves.
// See docs/server.md for what is and is not supported.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "main/database.h"
#include "server/wire_buffer.h"

namespace basalt {

struct PgSessionOptions {
  // Messages longer than this end the session with 08P01.
  uint32_t max_message_length = 64u << 20;
  // Sent in BackendKeyData; cancel requests are not served yet.
  int32_t process_id = 0;
  int32_t secret_key = 0;
};

// Not thread safe: one thread runs one session. The socket stays owned by
// the caller, which may shutdown() it from another thread to end Run early.
class PgSession {
 public:
  PgSession(Database& db, int socket_fd, std::string peer, PgSessionOptions options);

  // Serves the client until it terminates, disconnects or breaks the protocol.
  void Run();

 private:
  enum class ReadStatus { kMessage, kClosed };

  ReadStatus ReadMessage(WireMessage* out);
  // Returns false when the session must end.
  bool HandleStartup();
  bool HandleStartupPacket(const WireMessage& message, bool* done);
  void SendStartupReply();
  void HandleQuery(const WireMessage& message);
  void AppendResult(const QueryResult& result);
  void AppendError(std::string_view code, std::string_view message, int32_t position,
                   std::string_view severity = "ERROR");
  void AppendReadyForQuery();
  // Sends the buffered output; false when the socket failed.
  bool Flush();

  Connection connection_;
  int fd_;
  std::string peer_;
  PgSessionOptions options_;
  MessageFramer framer_;
  WireWriter out_;
  bool broken_ = false;  // a send failed: the client is gone
  std::string user_;
  // After an unsupported extended-protocol message, everything up to the
  // next Sync is skipped, as PostgreSQL does after an extended-protocol error.
  bool skip_until_sync_ = false;
};

}  // namespace basalt
