// QueryRegistry: every statement a database runs, while it runs and after,
// for the REST API, the web console, sys.queries and /metrics
// (docs/http_api.md).
//
// Connection::Execute registers each statement (Begin) and reports its
// outcome (Entry::Finish). A running entry points at its connection's
// RunningStatement, which is how the registry reads its progress and live
// profile and how Cancel stops it. Finished queries go to a bounded list in
// memory and, with a data directory, to the QueryHistoryStore, so the list
// survives a restart.
//
// Thread safety: every method may be called from any thread; mutex_ guards
// the lists and totals. A running entry's RunningStatement outlives the
// entry (its connection finishes the entry before running another
// statement). Other threads touch it only under mutex_, while the entry is
// in running_; Finish, on the connection's own thread, reads its snapshot
// outside the lock.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exec/query_progress.h"
#include "storage/managed/query_history_store.h"

namespace basalt {

class RunningStatement;
struct QueryResult;

// Who runs a connection's statements, for the query list.
struct ClientInfo {
  std::string user = "basalt";
  // "postgres", "http", "shell", "embedded", "catalog" (forwarded DDL).
  std::string client = "embedded";
  // False for statements a server runs for itself (the REST catalog
  // listings): they are not listed.
  bool recorded = true;
  // The PostgreSQL session's process id (BackendKeyData), which its client
  // knows: how the basalt shell finds its own running statement; 0: none.
  int64_t session = 0;
};

// One query as the API shows it. record.state is "running" until it ends;
// then end_micros is set. `progress` is the latest (or final) progress.
struct QueryInfo {
  QueryHistoryRecord record;
  ProgressFigures progress;
};

class QueryRegistry {
 public:
  // Finished queries kept in memory (with their plans) when there is no
  // history store; with one, the store answers for older ones.
  static constexpr size_t kRecentInMemory = 500;
  // Upper bounds (seconds) of the latency histogram's buckets.
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60};

  // `history` may be null (an in-memory database).
  explicit QueryRegistry(std::unique_ptr<QueryHistoryStore> history = nullptr);
  ~QueryRegistry();

  // A statement registered as running; Finish records how it ended. An entry
  // destroyed unfinished (an exception escaped) ends as failed.
  class Entry {
   public:
    Entry() = default;
    Entry(Entry&& other) noexcept;
    Entry& operator=(Entry&&) = delete;
    ~Entry();
    const std::string& id() const { return id_; }
    void Finish(const QueryResult& result);

   private:
    friend class QueryRegistry;
    Entry(QueryRegistry* registry, std::string id) : registry_(registry), id_(std::move(id)) {}
    QueryRegistry* registry_ = nullptr;
    std::string id_;
  };

  // Registers a statement `statement` runs (null: nothing to cancel or
  // measure, e.g. a statement that failed to parse). An unrecorded client
  // gets an empty Entry.
  Entry Begin(const std::string& sql, const ClientInfo& client, RunningStatement* statement);
  // Records a statement that failed before it could run (a syntax error);
  // returns its id ("" when the client is not recorded).
  std::string RecordFailure(const std::string& sql, const ClientInfo& client, const QueryResult& result);

  // Running queries first, then finished ones, newest first; no plans.
  std::vector<QueryInfo> List(size_t limit) const;
  // The running queries with their progress, newest first; no plans.
  std::vector<QueryInfo> Running() const;
  // One query with its plan; nullopt when unknown.
  std::optional<QueryInfo> Find(const std::string& id) const;

  enum class CancelOutcome : uint8_t { kCancelled, kNotFound, kEnded };
  CancelOutcome Cancel(const std::string& id);

  // For /metrics: counts since start.
  struct Totals {
    std::map<std::string, uint64_t> ended;  // by state
    uint64_t running = 0;
    std::array<uint64_t, kLatencyBuckets.size()> latency_buckets{};  // not cumulative
    uint64_t latency_count = 0;
    double latency_sum_seconds = 0;
    uint64_t rows_scanned = 0;
    uint64_t bytes_scanned = 0;
    uint64_t exchange_bytes = 0;
  };
  Totals totals() const;

 private:
  struct RunningEntry {
    QueryHistoryRecord record;
    RunningStatement* statement = nullptr;
  };

  void Finish(const std::string& id, const QueryResult* result);
  // Counts an ended query in totals_; mutex_ held.
  void AddToTotals(const QueryHistoryRecord& record, const ProgressFigures& progress);
  std::string NewId(int64_t start_micros);

  std::unique_ptr<QueryHistoryStore> history_;
  mutable std::mutex mutex_;  // guards everything below
  std::map<std::string, RunningEntry> running_;
  std::deque<QueryInfo> recent_;  // newest at the front
  Totals totals_;
  uint64_t next_sequence_ = 0;
  bool history_failed_ = false;  // logged once
};

}  // namespace basalt
