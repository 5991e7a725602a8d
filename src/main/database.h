// The embedded API: a Database owns the catalog, the storage and the thread
// pool; a Connection runs SQL text against it. The shell, the test runner
// and (later) the server all go through this.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/data_chunk.h"
#include "common/types.h"
#include "main/query_registry.h"
#include "main/session_settings.h"

namespace basalt {

struct DatabaseOptions {
  // Worker threads for query execution; 0 = one per core.
  int threads = 0;
  // Data directory (docs/managed_storage.md); empty = in memory. Opening a
  // directory another process uses fails with 55006.
  std::string data_dir;
  // Rows per segment of managed tables at most; 0 = the default (4 Mi).
  uint64_t max_segment_rows = 0;
  // Finished queries kept in <data_dir>/system/queries.db (docs/http_api.md).
  uint64_t query_history = 10000;
  // Where the history goes instead (its directory is created); for a
  // coordinator whose tables are a replica in memory but which has a
  // directory of its own. Empty: under data_dir, or none in memory.
  std::string query_history_path;
};

// The outcome of one statement.
struct QueryResult {
  bool ok = true;
  // Set when !ok.
  std::string error_code;  // SQLSTATE, e.g. "42601"
  std::string error_message;
  int32_t error_position = -1;  // byte offset into the submitted text, -1 = none

  std::vector<std::string> column_names;
  std::vector<LogicalType> column_types;
  std::vector<DataChunk> chunks;  // the rows, in order
  // PostgreSQL command tag: "SELECT 3", "INSERT 0 5", "CREATE TABLE", ...
  std::string tag;
  // Whether the statement returns rows (SELECT, SHOW, EXPLAIN) as opposed to
  // a command (CREATE, INSERT) whose result is only its tag.
  bool returns_rows = false;
  // Warnings for the client that do not fail the statement (PostgreSQL's
  // NoticeResponse), e.g. COMMIT with no transaction in progress.
  struct Notice {
    std::string code;  // SQLSTATE
    std::string message;
  };
  std::vector<Notice> notices;

  idx_t RowCount() const;
  // Slow per-value access for printing and tests.
  Value GetValue(idx_t column, idx_t row) const;
};

class DatabaseInstance;
class RunningStatement;
struct StatementParameters;
namespace sql {
class Statement;
class TransactionStatement;
}  // namespace sql

// A statement parsed once and run many times with values for its parameters
// $1..$n: the extended query protocol's prepared statement. Immutable once
// Connection::Prepare has filled it, so portals may share it.
struct PreparedStatement {
  std::string sql;
  std::shared_ptr<const sql::Statement> statement;  // null for an empty query
  // One per parameter: declared by the client, else inferred from its use;
  // kInvalid when neither (a value then acts as an untyped literal, '...').
  std::vector<LogicalType> parameter_types;
  // What it returns (returns_rows, column_names, column_types; no rows), or
  // !ok when it could not be described without values (e.g. LIMIT $1).
  QueryResult description;
};


class Database {
 public:
  explicit Database(DatabaseOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  DatabaseInstance& instance() { return *instance_; }

 private:
  std::unique_ptr<DatabaseInstance> instance_;
};

class Connection {
 public:
  explicit Connection(Database& db);
  ~Connection();

  // Runs every statement in `sql` in order and returns the last one's result,
  // or the first error (later statements do not run).
  QueryResult Query(std::string_view sql);
  // Runs every statement in order, handing each result to `on_result` as it
  // finishes; stops after the first error (which is also handed over), or
  // when `on_result` returns false (a server whose client has gone, say).
  // Returns true when every statement ran and succeeded.
  bool QueryEach(std::string_view sql, const std::function<bool(QueryResult&)>& on_result);

  // Parses `sql` (one statement or none) into `out` and describes it.
  // `declared_types` types the first parameters (kInvalid: infer). Errors
  // (syntax, 42P02, a query that does not bind) come back as !ok.
  QueryResult Prepare(std::string_view sql, const std::vector<LogicalType>& declared_types,
                      PreparedStatement* out);
  // What `prepared` returns when run with `values` (one per parameter, typed
  // as PreparedStatement::parameter_types says), without running it.
  QueryResult Describe(const PreparedStatement& prepared, const std::vector<Value>& values);
  // Runs `prepared` with `values`, keeping the transaction state as Query does.
  QueryResult ExecutePrepared(const PreparedStatement& prepared, const std::vector<Value>& values);

  // The transaction status PostgreSQL's ReadyForQuery reports: 'I' idle,
  // 'T' in a transaction block, 'E' in a failed transaction block.
  char TransactionStatus() const;
  // This connection's settings (SET / SHOW); a server reports some of them
  // to its client and applies the client's startup options here.
  SessionSettings& settings() { return settings_; }
  // An error inside a transaction block fails the block, as in PostgreSQL.
  // The Connection notes its own statements' errors; a server calls this for
  // the errors it finds itself (a Bind value that does not convert, say).
  void NoteError();

  // Cancels the statement this connection is running; it fails with 57014
  // "canceling statement due to user request". Thread safe: meant to be
  // called from another thread (a PostgreSQL CancelRequest, a client that
  // disconnected). Between statements it does nothing, so a late cancel never
  // reaches a later statement. Statements that run no query plan (COPY FROM,
  // DDL) are not interrupted.
  void Cancel();
  // Whether a statement is running now. Thread safe; for logging only, since
  // the answer may change at once.
  bool Executing() const;

  // Who runs this connection's statements, as the query list shows them.
  void set_client(ClientInfo client) { client_ = std::move(client); }
  const ClientInfo& client() const { return client_; }
  // How far the running statement's query has come (zeros between
  // statements and for statements without a query plan). Thread safe.
  ProgressFigures Progress() const;
  // The registry id of the statement running now, or of the last one run
  // ("" before the first). Thread safe.
  std::string query_id() const;

 private:
  // Transaction blocks, for clients that send BEGIN / COMMIT / ROLLBACK.
  // Basalt has no undo: each statement is applied when it runs, inside a
  // block or not, so a block only tracks what the client must be told.
  //   kIdle   --BEGIN--> kInTransaction  (BEGIN inside a block: succeeds, no change)
  //   kInTransaction --a statement fails--> kFailed (and a parse error too)
  //   kFailed: every statement but COMMIT / ROLLBACK fails with 25P02.
  //   COMMIT / ROLLBACK --> kIdle. ROLLBACK, and COMMIT of a failed block
  //   (PostgreSQL rolls it back), fail with 0A000 when changed_since_begin_,
  //   since those changes stay; the block ends all the same.
  enum class TransactionState : uint8_t { kIdle, kInTransaction, kFailed };

  // Runs one statement, keeping the transaction state, registered in the
  // database's QueryRegistry.
  QueryResult Execute(const sql::Statement& statement,
                      const StatementParameters* parameters = nullptr);
  QueryResult ExecuteUnregistered(const sql::Statement& statement,
                                  const StatementParameters* parameters);
  QueryResult ExecuteTransaction(const sql::TransactionStatement& statement);

  DatabaseInstance& db_;
  ClientInfo client_;
  mutable std::mutex query_id_mutex_;  // guards query_id_
  std::string query_id_;
  SessionSettings settings_;
  // The settings as BEGIN found them: ROLLBACK puts them back, as in
  // PostgreSQL, where SET inside a block is undone with it.
  SessionSettings settings_at_begin_;
  // The statement being run, for Cancel from other threads (own mutex).
  std::unique_ptr<RunningStatement> running_;
  TransactionState transaction_state_ = TransactionState::kIdle;
  // Whether a statement changed the database (INSERT, COPY FROM, CREATE,
  // DROP, CREATE TABLE AS) since BEGIN: then ROLLBACK cannot be honest.
  bool changed_since_begin_ = false;
};

}  // namespace basalt
