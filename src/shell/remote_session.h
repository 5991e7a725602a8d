// A Session on a PostgreSQL-protocol server (`basalt server`, or any server
// that speaks the v3 protocol), through libpq. Each statement is sent as a
// simple query; its result comes back as a QueryResult typed from the column
// OIDs, with the values parsed from their text format (pg_text.h), so that
// the shell prints it exactly as it prints the same result locally. Errors
// keep the server's SQLSTATE, message and position. Notices (warnings) are
// printed by libpq to standard error as they arrive, in psql's layout, which
// is how the shell prints the embedded engine's notices too.
//
// libpq's environment variables (PGPASSWORD, PGCONNECT_TIMEOUT, PGSSLMODE,
// ~/.pgpass, ...) apply as in any libpq client. Not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "main/database.h"
#include "shell/session.h"

// libpq's connection handle; pg_conn is its tag in libpq-fe.h.
struct pg_conn;

namespace basalt {

struct RemoteOptions {
  std::string host;
  int port = 0;        // 0: libpq's default (PGPORT, else 5432)
  std::string user;    // empty: libpq's default (PGUSER, else the login name)
  std::string dbname;  // empty: libpq's default (PGDATABASE, else the user)
};

class RemoteSession final : public Session {
 public:
  // Connects; on failure returns nothing and sets `*error` to libpq's
  // explanation (without a trailing newline).
  static std::unique_ptr<RemoteSession> Connect(const RemoteOptions& options, std::string* error);
  ~RemoteSession() override;
  RemoteSession(const RemoteSession&) = delete;
  RemoteSession& operator=(const RemoteSession&) = delete;

  // Runs `sql` as one simple query; with several statements in it, returns
  // the last one's result or the first error, as Connection::Query does. A
  // lost connection is an error (08006) and is re-established, once, before
  // the next statement.
  QueryResult Run(std::string_view sql) override;
  std::string Description() const override;

 private:
  explicit RemoteSession(pg_conn* connection) : connection_(connection) {}

  pg_conn* connection_;  // owned; PQfinish in the destructor
};

// A column of a result as libpq reports it.
struct RemoteColumn {
  std::string name;
  int32_t type_oid = 0;
  int32_t type_modifier = -1;
};

// Builds the rows of a QueryResult from values in text format: `value(row,
// column)` returns a value's text, or nothing for NULL. Each column gets the
// type of its OID; a column with a value that does not parse as that type
// (or would print differently) becomes VARCHAR, so that what is shown is
// always what was sent. Fills column_names, column_types and chunks.
void FillRowsFromText(const std::vector<RemoteColumn>& columns, idx_t row_count,
                      const std::function<const char*(idx_t row, idx_t column)>& value,
                      QueryResult* result);

}  // namespace basalt
