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

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "main/database.h"
#include "shell/pg_text.h"
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

  // Draws a progress bar on `out` (a terminal) for statements that run
  // long, when the server reports its HTTP port (ParameterStatus
  // basalt_http_port): the bar polls GET /api/v1/queries?session=<this
  // session's process id> (docs/http_api.md). Null: none.
  void set_progress_output(std::ostream* out) { progress_to_ = out; }

 private:
  explicit RemoteSession(pg_conn* connection) : connection_(connection) {}
  // The running statement's progress as the server's REST API reports it;
  // zeros when it cannot be had. Called on the progress bar's thread; uses
  // HTTP only, never the libpq connection.
  ProgressFigures FetchProgress(const std::string& host, int http_port, int session) const;

  pg_conn* connection_;  // owned; PQfinish in the destructor
  std::ostream* progress_to_ = nullptr;
};

// A column of a result as libpq reports it.
struct RemoteColumn {
  std::string name;
  int32_t type_oid = 0;
  int32_t type_modifier = -1;
};

namespace remote_internal {

// FillRowsFromText's steps that do not depend on where the text comes from.
// Sets column_names and column_types (from the OIDs) and allocates the
// chunks for row_count rows.
void StartRowsFromText(const std::vector<RemoteColumn>& columns, idx_t row_count,
                       QueryResult* result);
// Makes `column` VARCHAR, with fresh (empty) vectors in every chunk.
void ResetColumnToText(idx_t column, QueryResult* result);

// Parses column `column` of every row into the chunks' vectors; false at the
// first value that does not read back as the column's type.
template <typename TextAt>
bool FillColumnFromText(idx_t column, TextAt& text_at, QueryResult* result) {
  const LogicalType& type = result->column_types[column];
  idx_t row = 0;
  for (DataChunk& chunk : result->chunks) {
    Vector& vector = chunk.column(column);
    for (idx_t r = 0; r < chunk.size(); ++r, ++row) {
      const char* text = text_at(row, column);
      if (text == nullptr) {
        vector.SetNull(r);
      } else if (!ParsePgText(text, type, &vector, r)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace remote_internal

// Builds the rows of a QueryResult from values in text format:
// `text_at(row, column)` returns a value's text (a NUL-terminated const
// char*), or nullptr for NULL. Each column gets the type of its OID; a column
// with a value that does not parse as that type (or would print differently)
// becomes VARCHAR, so that what is shown is always what was sent. Values are
// parsed straight into the chunks' vectors; only a column that falls back to
// VARCHAR is read a second time. Fills column_names, column_types and chunks.
template <typename TextAt>
void FillRowsFromText(const std::vector<RemoteColumn>& columns, idx_t row_count, TextAt&& text_at,
                      QueryResult* result) {
  remote_internal::StartRowsFromText(columns, row_count, result);
  for (idx_t c = 0; c < columns.size(); ++c) {
    if (!remote_internal::FillColumnFromText(c, text_at, result)) {
      remote_internal::ResetColumnToText(c, result);
      remote_internal::FillColumnFromText(c, text_at, result);  // VARCHAR takes any text
    }
  }
}

}  // namespace basalt
