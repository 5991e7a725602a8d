// The embedded API: a Database owns the catalog, the storage and the thread
// pool; a Connection runs SQL text against it. The shell, the test runner
// and (later) the server all go through this.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/data_chunk.h"
#include "common/types.h"

namespace basalt {

struct DatabaseOptions {
  // Worker threads for query execution; 0 = one per core.
  int threads = 0;
  // Data directory; empty = in memory.
  std::string data_dir;
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

  idx_t RowCount() const;
  // Slow per-value access for printing and tests.
  Value GetValue(idx_t column, idx_t row) const;
};

class DatabaseInstance;
namespace sql {
class Statement;
class TransactionStatement;
}  // namespace sql

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
  // finishes; stops after the first error (which is also handed over).
  // Returns false when a statement failed.
  bool QueryEach(std::string_view sql, const std::function<void(QueryResult&)>& on_result);

  // The transaction status PostgreSQL's ReadyForQuery reports: 'I' idle,
  // 'T' in a transaction block, 'E' in a failed transaction block.
  char TransactionStatus() const;

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

  // Runs one statement, keeping the transaction state.
  QueryResult Execute(const sql::Statement& statement);
  QueryResult ExecuteTransaction(const sql::TransactionStatement& statement);

  DatabaseInstance& db_;
  TransactionState transaction_state_ = TransactionState::kIdle;
  // Whether a statement changed the database (INSERT, COPY FROM, CREATE,
  // DROP, CREATE TABLE AS, SET) since BEGIN: then ROLLBACK cannot be honest.
  bool changed_since_begin_ = false;
};

}  // namespace basalt
