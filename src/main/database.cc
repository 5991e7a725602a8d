#include "main/database.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "common/exception.h"
#include "main/database_instance.h"
#include "main/running_statement.h"
#include "main/statement_executor.h"
#include "plan/statement_parameters.h"
#include "sql/ast_statement.h"
#include "sql/parser.h"

namespace basalt {

idx_t QueryResult::RowCount() const {
  idx_t n = 0;
  for (const auto& c : chunks) n += c.size();
  return n;
}

Value QueryResult::GetValue(idx_t column, idx_t row) const {
  for (const auto& c : chunks) {
    if (row < c.size()) return c.GetValue(column, row);
    row -= c.size();
  }
  return Value::Null();
}

DatabaseInstance::DatabaseInstance(DatabaseOptions options) : options_(std::move(options)) {
  int threads = options_.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  scheduler_ = std::make_unique<TaskScheduler>(threads);
  if (!options_.data_dir.empty()) {
    WarehouseOptions warehouse_options;
    if (options_.max_segment_rows > 0) warehouse_options.max_segment_rows = options_.max_segment_rows;
    warehouse_ = Warehouse::Open(options_.data_dir, warehouse_options);
    catalog_.AttachWarehouse(warehouse_.get());
  }
  std::filesystem::path history_path = options_.query_history_path;
  if (history_path.empty() && !options_.data_dir.empty()) {
    history_path = std::filesystem::path(options_.data_dir) / "system" / "queries.db";
  }
  std::unique_ptr<QueryHistoryStore> history;
  if (!history_path.empty() && options_.query_history > 0) {
    std::error_code ignored;  // Open reports a directory it cannot use
    std::filesystem::create_directories(history_path.parent_path(), ignored);
    try {
      history = QueryHistoryStore::Open(history_path.string(), options_.query_history);
    } catch (const BasaltError& e) {
      // The database works without its history; say so once and go on.
      std::fprintf(stderr, "WARNING:  finished queries are not kept in the history: %s\n",
                   e.what());
    }
  }
  queries_ = std::make_unique<QueryRegistry>(std::move(history));
}

std::unique_lock<std::timed_mutex> DatabaseInstance::LockForWriting() {
  std::unique_lock<std::timed_mutex> lock(write_mutex_, std::defer_lock);
  RunningStatement* statement = RunningStatement::Current();
  while (!lock.try_lock_for(std::chrono::milliseconds(20))) {
    if (statement != nullptr && statement->cancelled()) {
      ThrowError(sqlstate::kQueryCanceled, "canceling statement due to user request");
    }
  }
  return lock;
}

Database::Database(DatabaseOptions options)
    : instance_(std::make_unique<DatabaseInstance>(std::move(options))) {}

Database::~Database() = default;

Connection::Connection(Database& db)
    : db_(db.instance()),
      settings_(db.instance().parallelism()),
      settings_at_begin_(settings_),
      running_(std::make_unique<RunningStatement>()) {}
Connection::~Connection() = default;

void Connection::Cancel() { running_->Cancel(); }

bool Connection::Executing() const { return running_->running(); }

ProgressFigures Connection::Progress() const {
  if (!running_->running()) return {};
  return running_->Current(/*with_plan=*/false).progress;
}

std::string Connection::query_id() const {
  std::lock_guard<std::mutex> lock(query_id_mutex_);
  return query_id_;
}

namespace {
QueryResult ErrorResult(const char* code, const std::string& message, int32_t position) {
  QueryResult r;
  r.ok = false;
  r.error_code = code;
  r.error_message = message;
  r.error_position = position;
  return r;
}

// Runs `f`, turning any exception into an error result.
// What every statement but COMMIT / ROLLBACK gets in a failed block.
QueryResult AbortedTransactionError() {
  return ErrorResult(sqlstate::kInFailedSqlTransaction,
                     "current transaction is aborted, commands ignored until end of "
                     "transaction block",
                     -1);
}

template <typename F>
QueryResult Guarded(F&& f) {
  try {
    return f();
  } catch (const BasaltError& e) {
    return ErrorResult(e.code(), e.what(), e.position());
  } catch (const std::bad_alloc&) {
    return ErrorResult(sqlstate::kOutOfMemory, "out of memory", -1);
  } catch (const std::exception& e) {
    return ErrorResult(sqlstate::kInternalError, std::string("internal error: ") + e.what(), -1);
  }
}
}  // namespace

bool Connection::QueryEach(std::string_view sql,
                           const std::function<bool(QueryResult&)>& on_result) {
  std::vector<std::unique_ptr<sql::Statement>> statements;
  QueryResult parse_error = Guarded([&] {
    statements = sql::ParseSql(sql);
    return QueryResult{};
  });
  if (!parse_error.ok) {
    NoteError();
    std::string id = db_.queries().RecordFailure(std::string(sql), client_, parse_error);
    if (!id.empty()) {
      std::lock_guard<std::mutex> lock(query_id_mutex_);
      query_id_ = id;
    }
    on_result(parse_error);
    return false;
  }
  for (const auto& statement : statements) {
    QueryResult result = Execute(*statement);
    bool go_on = on_result(result);
    if (!result.ok || !go_on) return false;
  }
  return true;
}

QueryResult Connection::Execute(const sql::Statement& statement,
                                const StatementParameters* parameters) {
  running_->ResetSnapshot();
  QueryRegistry::Entry entry = db_.queries().Begin(statement.text, client_, running_.get());
  if (!entry.id().empty()) {
    std::lock_guard<std::mutex> lock(query_id_mutex_);
    query_id_ = entry.id();
  }
  QueryResult result = ExecuteUnregistered(statement, parameters);
  entry.Finish(result);
  return result;
}

QueryResult Connection::ExecuteUnregistered(const sql::Statement& statement,
                                            const StatementParameters* parameters) {
  if (statement.Is<sql::TransactionStatement>()) {
    return ExecuteTransaction(statement.As<sql::TransactionStatement>());
  }
  if (transaction_state_ == TransactionState::kFailed) {
    return AbortedTransactionError();
  }
  bool changed = false;
  const bool catalog_statement = RunsOnCatalogService(statement);
  QueryResult result;
  if (catalog_statement && db_.statement_forwarder()) {
    // A coordinator of a cluster: the catalog service makes the change.
    result = Guarded([&] {
      RunningStatement::Scope running(*running_);
      return db_.statement_forwarder()(statement, parameters, settings_);
    });
    changed = true;
  } else {
    result = Guarded([&] {
      RunningStatement::Scope running(*running_);
      StatementContext ctx{db_, settings_};
      return ExecuteStatement(ctx, statement, &changed, parameters);
    });
    // Even a failed INSERT or DROP may have changed something.
    if (catalog_statement) db_.NotifyChanged();
  }
  if (transaction_state_ == TransactionState::kInTransaction) {
    if (changed) changed_since_begin_ = true;
    if (!result.ok) NoteError();
  }
  return result;
}

QueryResult Connection::ExecuteTransaction(const sql::TransactionStatement& statement) {
  TransactionState state = transaction_state_;
  QueryResult result;
  switch (statement.transaction_kind) {
    case sql::TransactionKind::kBegin:
      if (state == TransactionState::kFailed) {
        return AbortedTransactionError();
      }
      // BEGIN inside a block: PostgreSQL warns and goes on; so do we.
      if (state == TransactionState::kIdle) {
        transaction_state_ = TransactionState::kInTransaction;
        changed_since_begin_ = false;
        settings_at_begin_ = settings_;
      } else {
        result.notices.push_back({"25001", "there is already a transaction in progress"});
      }
      result.tag = "BEGIN";
      return result;
    case sql::TransactionKind::kCommit:
    case sql::TransactionKind::kRollback:
      break;
  }
  if (state == TransactionState::kIdle) {
    result.notices.push_back({"25P01", "there is no transaction in progress"});
  }
  bool changed = changed_since_begin_;
  transaction_state_ = TransactionState::kIdle;
  changed_since_begin_ = false;
  bool commit = statement.transaction_kind == sql::TransactionKind::kCommit;
  // COMMIT of a failed block rolls it back, as in PostgreSQL.
  if (commit && state != TransactionState::kFailed) {
    result.tag = "COMMIT";
    return result;
  }
  // A rollback undoes the block's SETs, whatever else it cannot undo.
  if (state != TransactionState::kIdle) settings_ = settings_at_begin_;
  if (changed) {
    return ErrorResult(sqlstate::kFeatureNotSupported,
                       "ROLLBACK cannot undo changes yet: Basalt applies each statement when it "
                       "runs",
                       statement.position);
  }
  result.tag = "ROLLBACK";
  return result;
}

void Connection::NoteError() {
  if (transaction_state_ == TransactionState::kInTransaction) {
    transaction_state_ = TransactionState::kFailed;
  }
}

char Connection::TransactionStatus() const {
  switch (transaction_state_) {
    case TransactionState::kIdle:
      return 'I';
    case TransactionState::kInTransaction:
      return 'T';
    case TransactionState::kFailed:
      return 'E';
  }
  return 'I';
}

QueryResult Connection::Prepare(std::string_view sql,
                                const std::vector<LogicalType>& declared_types,
                                PreparedStatement* out) {
  out->sql = std::string(sql);
  std::vector<std::unique_ptr<sql::Statement>> statements;
  QueryResult result = Guarded([&] {
    statements = sql::ParseSql(sql);
    return QueryResult{};
  });
  if (!result.ok) {
    NoteError();
    return result;
  }
  if (statements.size() > 1) {
    NoteError();
    return ErrorResult(sqlstate::kSyntaxError,
                       "cannot insert multiple commands into a prepared statement",
                       statements[1]->position);
  }
  if (statements.empty()) return result;  // an empty query: nothing to describe
  out->statement = std::move(statements[0]);
  const sql::Statement& statement = *out->statement;
  StatementParameters parameters;
  parameters.types = declared_types;
  if (parameters.types.size() < static_cast<size_t>(statement.parameter_count)) {
    parameters.types.resize(static_cast<size_t>(statement.parameter_count), TypeId::kInvalid);
  }
  out->parameter_types = parameters.types;
  if (statement.Is<sql::TransactionStatement>()) return result;
  if (transaction_state_ == TransactionState::kFailed) {
    return AbortedTransactionError();
  }
  out->description = Guarded([&] {
    StatementContext ctx{db_, settings_};
    return DescribeStatement(ctx, statement, parameters, &out->parameter_types);
  });
  out->description.chunks.clear();
  // A query that does not bind is an error now, as in PostgreSQL, unless its
  // parameters are why: then only a Describe of the statement reports it.
  if (!out->description.ok && statement.parameter_count == 0) {
    NoteError();
    return out->description;
  }
  return result;
}

QueryResult Connection::Describe(const PreparedStatement& prepared,
                                 const std::vector<Value>& values) {
  if (!prepared.statement) return QueryResult{};
  StatementParameters parameters{prepared.parameter_types, values};
  std::vector<LogicalType> unused;
  QueryResult result =
      Guarded([&] {
        StatementContext ctx{db_, settings_};
        return DescribeStatement(ctx, *prepared.statement, parameters, &unused);
      });
  result.chunks.clear();
  return result;
}

QueryResult Connection::ExecutePrepared(const PreparedStatement& prepared,
                                        const std::vector<Value>& values) {
  if (!prepared.statement) {
    QueryResult empty;
    empty.tag = "EMPTY";
    return empty;
  }
  StatementParameters parameters{prepared.parameter_types, values};
  return Execute(*prepared.statement, &parameters);
}

QueryResult Connection::Query(std::string_view sql) {
  QueryResult last;
  last.tag = "EMPTY";
  QueryEach(sql, [&](QueryResult& r) {
    last = std::move(r);
    return true;
  });
  return last;
}

}  // namespace basalt
