// What the shell runs its statements through. The shell splits its input into
// statements, hands each to a Session and prints the QueryResult it gets
// back, so that printing, error reports, timing and exit statuses are the
// same whether the statements run in this process (EmbeddedSession) or on a
// server (RemoteSession, remote_session.h).
//
// A session is used by one thread at a time.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "main/database.h"

namespace basalt {

class Session {
 public:
  virtual ~Session() = default;

  // Runs one statement. Errors are reported in the result (ok == false, with
  // a SQLSTATE and, when known, a byte offset into `sql`); this never throws.
  virtual QueryResult Run(std::string_view sql) = 0;

  // What the session runs on, for the interactive banner: "in-memory
  // database; ...", "server 127.0.0.1:5433".
  virtual std::string Description() const = 0;
};

// Runs statements on an embedded Connection (src/main/database.h).
class EmbeddedSession final : public Session {
 public:
  // `description` is what Description() returns. With `progress_to`, a
  // statement that runs long draws a progress bar there (a terminal).
  EmbeddedSession(Connection& connection, std::string description,
                  std::ostream* progress_to = nullptr)
      : connection_(connection), description_(std::move(description)), progress_to_(progress_to) {}

  QueryResult Run(std::string_view sql) override;
  std::string Description() const override { return description_; }

 private:
  Connection& connection_;
  std::string description_;
  std::ostream* progress_to_;
};

}  // namespace basalt
