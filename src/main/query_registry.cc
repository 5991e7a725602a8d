#include "main/query_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <set>

#include "common/exception.h"
#include "main/database.h"
#include "main/running_statement.h"

namespace basalt {

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The rows a statement returned or changed: a SELECT's rows, else the
// count its tag ends with ("INSERT 0 5"), else 0.
uint64_t RowsOf(const QueryResult& result) {
  if (result.returns_rows) return result.RowCount();
  size_t space = result.tag.rfind(' ');
  if (space == std::string::npos) return 0;
  uint64_t rows = 0;
  for (size_t i = space + 1; i < result.tag.size(); i++) {
    char c = result.tag[i];
    if (c < '0' || c > '9') return 0;
    rows = rows * 10 + static_cast<uint64_t>(c - '0');
  }
  return rows;
}

const char* StateOf(const QueryResult& result) {
  if (result.ok) return "finished";
  return result.error_code == sqlstate::kQueryCanceled ? "cancelled" : "failed";
}

QueryInfo InfoOf(const QueryHistoryRecord& record) {
  QueryInfo info;
  info.record = record;
  info.progress.rows_scanned = record.rows_scanned;
  info.progress.bytes_scanned = record.bytes_scanned;
  return info;
}

}  // namespace

QueryRegistry::QueryRegistry(std::unique_ptr<QueryHistoryStore> history)
    : history_(std::move(history)) {}

QueryRegistry::~QueryRegistry() = default;

QueryRegistry::Entry::Entry(Entry&& other) noexcept
    : registry_(other.registry_), id_(std::move(other.id_)) {
  other.registry_ = nullptr;
}

QueryRegistry::Entry::~Entry() {
  if (registry_ != nullptr) registry_->Finish(id_, nullptr);
}

void QueryRegistry::Entry::Finish(const QueryResult& result) {
  if (registry_ == nullptr) return;
  QueryRegistry* registry = registry_;
  registry_ = nullptr;
  registry->Finish(id_, &result);
}

std::string QueryRegistry::NewId(int64_t start_micros) {
  // Time first, so ids sort by start; a per-process sequence and a random
  // part keep ids unique across restarts within the same microsecond.
  thread_local std::mt19937 random(std::random_device{}());
  return fmt::format("q{:013x}{:03x}{:04x}", start_micros, next_sequence_++ & 0xfff,
                     random() & 0xffff);
}

QueryRegistry::Entry QueryRegistry::Begin(const std::string& sql, const ClientInfo& client,
                                          RunningStatement* statement) {
  if (!client.recorded) return Entry();
  RunningEntry running;
  running.record.sql = sql;
  running.record.user = client.user;
  running.record.client = client.client;
  running.record.session = client.session;
  running.record.state = "running";
  running.record.start_micros = NowMicros();
  running.statement = statement;
  std::lock_guard<std::mutex> lock(mutex_);
  std::string id = NewId(running.record.start_micros);
  running.record.id = id;
  running_.emplace(id, std::move(running));
  totals_.running = running_.size();
  return Entry(this, std::move(id));
}

std::string QueryRegistry::RecordFailure(const std::string& sql, const ClientInfo& client,
                                         const QueryResult& result) {
  if (!client.recorded) return "";
  Entry entry = Begin(sql, client, nullptr);
  std::string id = entry.id();
  entry.Finish(result);
  return id;
}

void QueryRegistry::Finish(const std::string& id, const QueryResult* result) {
  RunningStatement* statement = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = running_.find(id);
    if (it == running_.end()) return;
    statement = it->second.statement;
  }
  // Rendered outside the lock. The statement is the finishing connection's,
  // alive until this returns, and its snapshot is this statement's until
  // the connection runs another.
  RunningStatement::Snapshot snapshot;
  if (statement != nullptr) snapshot = statement->Current(/*with_plan=*/true);
  const int64_t end_micros = NowMicros();

  QueryHistoryRecord record;
  {
    // From running to recent in one step, so that a reader never finds the
    // id in neither list.
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = running_.find(id);
    if (it == running_.end()) return;
    record = std::move(it->second.record);
    running_.erase(it);
    totals_.running = running_.size();
    record.end_micros = end_micros;
    if (result != nullptr) {
      record.state = StateOf(*result);
      record.rows = result->ok ? RowsOf(*result) : 0;
      record.error_code = result->error_code;
      record.error_message = result->error_message;
      record.error_position = result->error_position;
    } else {
      record.state = "failed";
      record.error_code = sqlstate::kInternalError;
      record.error_message = "the statement ended without a result";
    }
    record.plan_json = std::move(snapshot.plan_json);
    record.plan_text = std::move(snapshot.plan_text);
    record.peak_memory = snapshot.peak_memory;
    record.rows_scanned = snapshot.progress.rows_scanned;
    record.bytes_scanned = snapshot.progress.bytes_scanned;
    AddToTotals(record, snapshot.progress);
    QueryInfo info;
    info.record = record;
    info.progress = snapshot.progress;
    recent_.push_front(std::move(info));
    // With a store, memory keeps only what the list shows most often; the
    // store has the plans of the rest.
    const size_t keep = history_ ? 100 : kRecentInMemory;
    while (recent_.size() > keep) recent_.pop_back();
  }
  if (history_) {
    try {
      history_->Append(record);
    } catch (const std::exception& e) {
      // History is for people looking back; a full disk must not fail queries.
      std::lock_guard<std::mutex> lock(mutex_);
      if (!history_failed_) {
        std::fprintf(stderr, "WARNING:  finished queries are not kept in the history: %s\n",
                     e.what());
        history_failed_ = true;
      }
    }
  }
}

void QueryRegistry::AddToTotals(const QueryHistoryRecord& record, const ProgressFigures& progress) {
  const double seconds = static_cast<double>(record.end_micros - record.start_micros) / 1e6;
  totals_.ended[record.state]++;
  size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) bucket++;
  if (bucket < kLatencyBuckets.size()) totals_.latency_buckets[bucket]++;
  totals_.latency_count++;
  totals_.latency_sum_seconds += seconds;
  totals_.rows_scanned += progress.rows_scanned;
  totals_.bytes_scanned += progress.bytes_scanned;
  totals_.exchange_bytes += progress.exchange_bytes;
}

std::vector<QueryInfo> QueryRegistry::Running() const {
  std::vector<QueryInfo> live;
  std::lock_guard<std::mutex> lock(mutex_);
  // The progress of running statements is read under the lock: an entry's
  // statement is valid only while the entry is in running_.
  for (const auto& [id, entry] : running_) {
    QueryInfo info;
    info.record = entry.record;
    if (entry.statement != nullptr) {
      RunningStatement::Snapshot snapshot = entry.statement->Current(/*with_plan=*/false);
      info.progress = snapshot.progress;
      info.record.peak_memory = snapshot.peak_memory;
    }
    live.push_back(std::move(info));
  }
  std::sort(live.begin(), live.end(), [](const QueryInfo& a, const QueryInfo& b) {
    return a.record.start_micros > b.record.start_micros;
  });
  return live;
}

std::vector<QueryInfo> QueryRegistry::List(size_t limit) const {
  std::vector<QueryInfo> out = Running();
  std::set<std::string> running_ids;
  for (const QueryInfo& info : out) running_ids.insert(info.record.id);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const QueryInfo& info : recent_) {
      if (out.size() >= limit) break;
      if (running_ids.count(info.record.id) > 0) continue;  // ended since Running()
      out.push_back(info);
      out.back().record.plan_json.clear();
      out.back().record.plan_text.clear();
    }
  }
  if (history_ && out.size() < limit) {
    // Older queries from the store: those not in memory.
    std::vector<QueryHistoryRecord> stored;
    try {
      stored = history_->Recent(limit);
    } catch (const std::exception&) {
      return out;
    }
    std::set<std::string> seen;
    for (const QueryInfo& info : out) seen.insert(info.record.id);
    for (QueryHistoryRecord& record : stored) {
      if (out.size() >= limit) break;
      if (seen.count(record.id) > 0) continue;
      out.push_back(InfoOf(record));
    }
  }
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::optional<QueryInfo> QueryRegistry::Find(const std::string& id) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = running_.find(id); it != running_.end()) {
      QueryInfo info;
      info.record = it->second.record;
      if (it->second.statement != nullptr) {
        RunningStatement::Snapshot snapshot = it->second.statement->Current(/*with_plan=*/true);
        info.progress = snapshot.progress;
        info.record.peak_memory = snapshot.peak_memory;
        info.record.plan_json = std::move(snapshot.plan_json);
        info.record.plan_text = std::move(snapshot.plan_text);
      }
      return info;
    }
    for (const QueryInfo& info : recent_) {
      if (info.record.id == id) return info;
    }
  }
  if (history_) {
    try {
      if (auto record = history_->Find(id)) return InfoOf(*record);
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

QueryRegistry::CancelOutcome QueryRegistry::Cancel(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = running_.find(id); it != running_.end()) {
    if (it->second.statement != nullptr) it->second.statement->Cancel();
    return CancelOutcome::kCancelled;
  }
  for (const QueryInfo& info : recent_) {
    if (info.record.id == id) return CancelOutcome::kEnded;
  }
  if (history_) {
    try {
      if (history_->Find(id)) return CancelOutcome::kEnded;
    } catch (const std::exception&) {
    }
  }
  return CancelOutcome::kNotFound;
}

QueryRegistry::Totals QueryRegistry::totals() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return totals_;
}

}  // namespace basalt
