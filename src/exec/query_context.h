// Per-query execution state shared by all fragment instances: the first
// error, cancellation, the exchanges, the shared state of plan nodes, and the
// profile finished instances leave their statistics in. Filled before the
// first instance starts; afterwards only `Fail`, `Cancel` and the profile
// (which has its own lock) change it, all thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/exception.h"
#include "exec/exchange/local_exchange.h"
#include "exec/memory_tracker.h"
#include "exec/query_profile.h"
#include "exec/query_progress.h"

namespace basalt {

// Which part of each table scan this process reads: in a cluster, the nodes
// that split the scans between them and this node's place among them (every
// range is read by the node ScanAssignment gives it); alone, everything.
struct ScanShare {
  std::vector<std::string> nodes;
  int index = 0;

  bool whole() const { return nodes.size() <= 1; }
  // For ranges named `range_ids`, in the scan's order: which are this node's.
  std::vector<bool> Mine(const std::vector<std::string>& range_ids) const;
};

class QueryContext {
 public:
  // Records the first error and stops the query.
  void Fail(const BasaltError& error);
  void Cancel();
  bool IsCancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  // The first error, if any.
  std::optional<BasaltError> error() const;

  void SetSharedState(int node_id, std::shared_ptr<void> state) {
    shared_states_[node_id] = std::move(state);
  }
  template <typename T>
  T& GetSharedState(int node_id) {
    return *static_cast<T*>(shared_states_.at(node_id).get());
  }

  int AddExchange(std::shared_ptr<LocalExchange> exchange) {
    exchanges_.push_back(std::move(exchange));
    return static_cast<int>(exchanges_.size()) - 1;
  }
  LocalExchange& exchange(int id) { return *exchanges_.at(id); }

  const ScanShare& scan_share() const { return scan_share_; }
  void set_scan_share(ScanShare share) { scan_share_ = share; }

  // What the query's operators hold in this process, against its limit.
  QueryMemoryTracker& memory() { return memory_; }
  const QueryMemoryTracker& memory() const { return memory_; }
  // The node this part of the query runs on ("" in one process): the
  // execution site sets it, for profiles and error messages.
  const std::string& host() const { return memory_.host(); }
  void set_host(std::string host) { memory_.set_host(std::move(host)); }

  QueryProfile& profile() { return profile_; }
  const QueryProfile& profile() const { return profile_; }
  // Whether operators count the bytes of the batches they return
  // (NodeProfile::bytes_out). It takes a pass over every string column of
  // every batch, so only EXPLAIN ANALYZE asks for it. Set before the start.
  bool count_bytes() const { return count_bytes_; }
  void set_count_bytes(bool on) { count_bytes_ = on; }

  // How far the query has come (exec/query_progress.h). Operators update it
  // through their const QueryContext*; its counters are atomics.
  QueryProgress& progress() const { return progress_; }

 private:
  std::atomic<bool> cancelled_{false};
  mutable std::mutex error_mutex_;  // guards error_
  std::optional<BasaltError> error_;
  std::unordered_map<int, std::shared_ptr<void>> shared_states_;
  std::vector<std::shared_ptr<LocalExchange>> exchanges_;
  QueryProfile profile_;
  bool count_bytes_ = false;
  mutable QueryProgress progress_;
  // Operators are freed before their instance finishes, so their
  // OperatorMemory always releases into a live tracker.
  QueryMemoryTracker memory_;
  ScanShare scan_share_;
};

}  // namespace basalt
