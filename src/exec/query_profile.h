// What a query actually did, per plan node, summed over the fragment
// instances that ran the node (EXPLAIN ANALYZE). Operator statistics live in
// each instance's operators and would die with them; a finishing instance
// merges them here, keyed by PhysicalNode::id, before it frees its operators.
// The query execution adds the totals (wall time, rows returned) once the
// last instance is done. See docs/execution.md.
//
// Thread safety: every method may be called from any thread; mutex_ guards
// all members. Instances finish on worker threads, so AddInstance races with
// itself; readers get copies.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace basalt {

class Operator;

// What one fragment instance's operator of a node did.
struct InstanceProfileFigures {
  int instance = 0;  // index among the fragment's instances
  std::string host;  // the node that ran it; "" in one process
  uint64_t rows_out = 0;
  uint64_t bytes_out = 0;
  uint64_t total_nanos = 0;
  uint64_t peak_memory = 0;
};

// One node's figures, summed over the instances that merged it.
struct NodeProfile {
  uint64_t instances = 0;
  uint64_t rows_out = 0;
  uint64_t batches_out = 0;
  // Time in the node's operator including its children (Operator's cpu_nanos).
  uint64_t total_nanos = 0;
  uint64_t max_total_nanos = 0;  // the slowest instance's
  // Time in the operator itself: its total minus its operator children's in
  // the same instance. An exchange receiver has no operator children (its
  // producers run in another fragment), so its self time is the time spent
  // taking batches off the exchange, not the producers' work.
  uint64_t self_nanos = 0;
  uint64_t max_self_nanos = 0;  // the slowest instance's
  // Operator-specific counters (OperatorStats::counters), summed.
  std::map<std::string, uint64_t> counters;
  // Approximate bytes of the batches the node returned, summed.
  uint64_t bytes_out = 0;
  // The most any one instance's operator held (exec/memory_tracker.h).
  uint64_t peak_memory = 0;
  // Each instance's figures, in the order they were merged.
  std::vector<InstanceProfileFigures> per_instance;
};

class QueryProfile {
 public:
  QueryProfile() = default;
  QueryProfile(const QueryProfile&) = delete;
  QueryProfile& operator=(const QueryProfile&) = delete;

  // Merges the statistics of one instance's operator tree: every operator
  // under `root`, each into its node's entry.
  // `host` names the node the instance ran on ("" in one process).
  void AddInstance(Operator& root, const std::string& host = "");
  // Merges figures of `node_id` measured elsewhere (another node's
  // instances of it, in a cluster).
  void MergeNode(int node_id, const NodeProfile& other);
  // Every node's figures.
  std::map<int, NodeProfile> nodes() const;
  // What the query returned and how long it took, from start to the last
  // instance's end.
  void SetTotals(uint64_t wall_nanos, uint64_t rows_returned);

  // The node's figures; nullopt when no instance of it has finished.
  std::optional<NodeProfile> node(int node_id) const;
  uint64_t wall_nanos() const;
  uint64_t rows_returned() const;

  // The most the query's operators held at once on `host` ("" in one
  // process); each process reports its own peak once its part has ended.
  void SetHostPeakMemory(const std::string& host, uint64_t bytes);
  std::map<std::string, uint64_t> host_peak_memory() const;
  // The query's peak: the sum of the processes' peaks (an upper bound in a
  // cluster, where the peaks need not coincide).
  uint64_t peak_memory() const;

 private:
  void AddOperator(Operator& op, const std::string& host);

  mutable std::mutex mutex_;  // guards every member below
  std::map<int, NodeProfile> nodes_;
  uint64_t wall_nanos_ = 0;
  uint64_t rows_returned_ = 0;
  std::map<std::string, uint64_t> host_peak_memory_;
};

}  // namespace basalt
