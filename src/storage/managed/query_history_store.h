// QueryHistoryStore: the finished queries of a data directory, kept across
// restarts in <data-dir>/system/queries.db (SQLite, beside the metadata
// store) for the console, the REST API and sys.queries.
//
// One row per finished statement. Appending is one small transaction in WAL
// mode with synchronous=NORMAL: a power loss may forget the last queries but
// never corrupts the file, and a query does not wait for an fsync. The
// metadata store keeps synchronous=FULL for what must not be lost; history
// lives in its own file so its writes never queue behind a DDL commit.
// Only the newest `retention` rows are kept.
//
// Thread safety: every method may be called from any thread (one mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace basalt {

struct QueryHistoryRecord {
  std::string id;
  std::string sql;
  std::string user;
  std::string client;
  // The PostgreSQL session's process id while the server runs (not stored:
  // ids are reused after a restart).
  int64_t session = 0;
  std::string state;          // "finished", "failed" or "cancelled"
  int64_t start_micros = 0;   // since 1970 (UTC)
  int64_t end_micros = 0;
  uint64_t rows = 0;
  uint64_t peak_memory = 0;
  uint64_t rows_scanned = 0;
  uint64_t bytes_scanned = 0;
  std::string error_code;     // empty on success
  std::string error_message;
  int32_t error_position = -1;
  std::string plan_json;      // the plan with its profile (docs/http_api.md); may be empty
  std::string plan_text;      // EXPLAIN ANALYZE text; may be empty
};

class QueryHistoryStore {
 public:
  // Opens (creating if needed) the store at `path`; 58030 when it cannot.
  static std::unique_ptr<QueryHistoryStore> Open(const std::string& path, uint64_t retention);
  ~QueryHistoryStore();
  QueryHistoryStore(const QueryHistoryStore&) = delete;
  QueryHistoryStore& operator=(const QueryHistoryStore&) = delete;

  // Stores `record` and drops what falls out of the retention. Failures are
  // thrown (58030); the caller decides whether a query may fail for them.
  void Append(const QueryHistoryRecord& record);
  // The newest `limit` records, newest first, without their plans.
  std::vector<QueryHistoryRecord> Recent(uint64_t limit) const;
  std::optional<QueryHistoryRecord> Find(const std::string& id) const;

 private:
  QueryHistoryStore(sqlite3* db, std::string path, uint64_t retention);

  mutable std::mutex mutex_;
  sqlite3* db_;
  std::string path_;
  uint64_t retention_;
  uint64_t appended_ = 0;  // since open, to trim now and then rather than every time
};

}  // namespace basalt
