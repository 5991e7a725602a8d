#include "storage/managed/query_history_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <string_view>

#include "common/exception.h"

namespace basalt {

namespace {

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS query_history(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE, sql TEXT NOT NULL, user TEXT NOT NULL, client TEXT NOT NULL,
  state TEXT NOT NULL, start_micros INTEGER NOT NULL, end_micros INTEGER NOT NULL,
  rows INTEGER NOT NULL, peak_memory INTEGER NOT NULL, rows_scanned INTEGER NOT NULL,
  bytes_scanned INTEGER NOT NULL, error_code TEXT NOT NULL, error_message TEXT NOT NULL,
  error_position INTEGER NOT NULL, plan_json TEXT NOT NULL, plan_text TEXT NOT NULL);
)sql";

constexpr const char* kColumns =
    "id, sql, user, client, state, start_micros, end_micros, rows, peak_memory, rows_scanned, "
    "bytes_scanned, error_code, error_message, error_position";

// Trimming deletes every row but the newest `retention`; doing it every
// this many appends keeps the table within retention + this.
constexpr uint64_t kTrimEvery = 64;

[[noreturn]] void Fail(sqlite3* db, const std::string& path, std::string_view what) {
  ThrowError(sqlstate::kIoError, "query history \"{}\": cannot {}: {}", path, what,
             db != nullptr ? sqlite3_errmsg(db) : "out of memory");
}

// A prepared statement finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& path, const std::string& sql) : db_(db), path_(path) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      Fail(db, path, "prepare a statement");
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void Text(int index, const std::string& value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void Int(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  bool Step(std::string_view what) {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) Fail(db_, path_, what);
    return false;
  }
  std::string ColumnText(int index) const {
    const unsigned char* text = sqlite3_column_text(stmt_, index);
    return text != nullptr ? std::string(reinterpret_cast<const char*>(text),
                                         static_cast<size_t>(sqlite3_column_bytes(stmt_, index)))
                           : std::string();
  }
  int64_t ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

 private:
  sqlite3* db_;
  const std::string& path_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Reads the kColumns of the current row.
QueryHistoryRecord ReadRecord(const Statement& s) {
  QueryHistoryRecord r;
  r.id = s.ColumnText(0);
  r.sql = s.ColumnText(1);
  r.user = s.ColumnText(2);
  r.client = s.ColumnText(3);
  r.state = s.ColumnText(4);
  r.start_micros = s.ColumnInt(5);
  r.end_micros = s.ColumnInt(6);
  r.rows = static_cast<uint64_t>(s.ColumnInt(7));
  r.peak_memory = static_cast<uint64_t>(s.ColumnInt(8));
  r.rows_scanned = static_cast<uint64_t>(s.ColumnInt(9));
  r.bytes_scanned = static_cast<uint64_t>(s.ColumnInt(10));
  r.error_code = s.ColumnText(11);
  r.error_message = s.ColumnText(12);
  r.error_position = static_cast<int32_t>(s.ColumnInt(13));
  return r;
}

}  // namespace

std::unique_ptr<QueryHistoryStore> QueryHistoryStore::Open(const std::string& path,
                                                           uint64_t retention) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    ThrowError(sqlstate::kIoError, "query history \"{}\": cannot open: {}", path, message);
  }
  sqlite3_busy_timeout(db, 5000);
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    ThrowError(sqlstate::kIoError, "query history \"{}\": cannot create its table: {}", path,
               message);
  }
  return std::unique_ptr<QueryHistoryStore>(new QueryHistoryStore(db, path, retention));
}

QueryHistoryStore::QueryHistoryStore(sqlite3* db, std::string path, uint64_t retention)
    : db_(db), path_(std::move(path)), retention_(retention) {}

QueryHistoryStore::~QueryHistoryStore() { sqlite3_close(db_); }

void QueryHistoryStore::Append(const QueryHistoryRecord& r) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement insert(db_, path_,
                   std::string("INSERT OR REPLACE INTO query_history(") + kColumns +
                       ", plan_json, plan_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.Text(1, r.id);
  insert.Text(2, r.sql);
  insert.Text(3, r.user);
  insert.Text(4, r.client);
  insert.Text(5, r.state);
  insert.Int(6, r.start_micros);
  insert.Int(7, r.end_micros);
  insert.Int(8, static_cast<int64_t>(r.rows));
  insert.Int(9, static_cast<int64_t>(r.peak_memory));
  insert.Int(10, static_cast<int64_t>(r.rows_scanned));
  insert.Int(11, static_cast<int64_t>(r.bytes_scanned));
  insert.Text(12, r.error_code);
  insert.Text(13, r.error_message);
  insert.Int(14, r.error_position);
  insert.Text(15, r.plan_json);
  insert.Text(16, r.plan_text);
  insert.Step("store a query");
  if (++appended_ % kTrimEvery == 1 || retention_ < kTrimEvery) {
    Statement trim(db_, path_,
                   "DELETE FROM query_history WHERE seq <= (SELECT max(seq) FROM query_history) - ?");
    trim.Int(1, static_cast<int64_t>(retention_));
    trim.Step("trim the history");
  }
}

std::vector<QueryHistoryRecord> QueryHistoryStore::Recent(uint64_t limit) const {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement select(db_, path_,
                   std::string("SELECT ") + kColumns +
                       " FROM query_history ORDER BY seq DESC LIMIT ?");
  select.Int(1, static_cast<int64_t>(std::min<uint64_t>(limit, retention_)));
  std::vector<QueryHistoryRecord> records;
  while (select.Step("read the history")) records.push_back(ReadRecord(select));
  return records;
}

std::optional<QueryHistoryRecord> QueryHistoryStore::Find(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement select(db_, path_,
                   std::string("SELECT ") + kColumns +
                       ", plan_json, plan_text FROM query_history WHERE id = ?");
  select.Text(1, id);
  if (!select.Step("read the history")) return std::nullopt;
  QueryHistoryRecord record = ReadRecord(select);
  record.plan_json = select.ColumnText(14);
  record.plan_text = select.ColumnText(15);
  return record;
}

}  // namespace basalt
