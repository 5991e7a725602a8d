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

namespace basalt {

class Operator;

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
};

class QueryProfile {
 public:
  QueryProfile() = default;
  QueryProfile(const QueryProfile&) = delete;
  QueryProfile& operator=(const QueryProfile&) = delete;

  // Merges the statistics of one instance's operator tree: every operator
  // under `root`, each into its node's entry.
  void AddInstance(Operator& root);
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

 private:
  void AddOperator(Operator& op);

  mutable std::mutex mutex_;  // guards nodes_, wall_nanos_, rows_returned_
  std::map<int, NodeProfile> nodes_;
  uint64_t wall_nanos_ = 0;
  uint64_t rows_returned_ = 0;
};

}  // namespace basalt
