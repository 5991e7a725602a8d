#include "exec/query_profile.h"

#include <algorithm>

#include "exec/physical_node.h"

namespace basalt {

void QueryProfile::AddInstance(Operator& root, const std::string& host) {
  std::lock_guard<std::mutex> lock(mutex_);
  AddOperator(root, host);
}

void QueryProfile::AddOperator(Operator& op, const std::string& host) {
  const OperatorStats& stats = op.stats();
  uint64_t children_nanos = 0;
  for (auto& child : op.children()) children_nanos += child->stats().cpu_nanos;
  // Children run inside their parent's Next, so their time is part of it;
  // clamp anyway, as clock reads of parent and child are separate.
  uint64_t self = stats.cpu_nanos > children_nanos ? stats.cpu_nanos - children_nanos : 0;

  NodeProfile& node = nodes_[op.node().id];
  node.instances++;
  node.rows_out += stats.rows_out;
  node.batches_out += stats.batches_out;
  node.total_nanos += stats.cpu_nanos;
  node.max_total_nanos = std::max(node.max_total_nanos, stats.cpu_nanos);
  node.self_nanos += self;
  node.max_self_nanos = std::max(node.max_self_nanos, self);
  for (const auto& [name, value] : stats.counters) node.counters[name] += value;
  node.bytes_out += stats.bytes_out;
  const uint64_t peak = op.memory().peak();
  node.peak_memory = std::max(node.peak_memory, peak);
  node.per_instance.push_back(InstanceProfileFigures{op.instance(), host, stats.rows_out,
                                                     stats.bytes_out, stats.cpu_nanos, peak});

  for (auto& child : op.children()) AddOperator(*child, host);
}

void QueryProfile::MergeNode(int node_id, const NodeProfile& other) {
  std::lock_guard<std::mutex> lock(mutex_);
  NodeProfile& node = nodes_[node_id];
  node.instances += other.instances;
  node.rows_out += other.rows_out;
  node.batches_out += other.batches_out;
  node.total_nanos += other.total_nanos;
  node.max_total_nanos = std::max(node.max_total_nanos, other.max_total_nanos);
  node.self_nanos += other.self_nanos;
  node.max_self_nanos = std::max(node.max_self_nanos, other.max_self_nanos);
  for (const auto& [name, value] : other.counters) node.counters[name] += value;
  node.bytes_out += other.bytes_out;
  node.peak_memory = std::max(node.peak_memory, other.peak_memory);
  node.per_instance.insert(node.per_instance.end(), other.per_instance.begin(),
                           other.per_instance.end());
}

std::map<int, NodeProfile> QueryProfile::nodes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return nodes_;
}

void QueryProfile::SetTotals(uint64_t wall_nanos, uint64_t rows_returned) {
  std::lock_guard<std::mutex> lock(mutex_);
  wall_nanos_ = wall_nanos;
  rows_returned_ = rows_returned;
}

std::optional<NodeProfile> QueryProfile::node(int node_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return std::nullopt;
  return it->second;
}

uint64_t QueryProfile::wall_nanos() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return wall_nanos_;
}

void QueryProfile::SetHostPeakMemory(const std::string& host, uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  host_peak_memory_[host] = bytes;
}

std::map<std::string, uint64_t> QueryProfile::host_peak_memory() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return host_peak_memory_;
}

uint64_t QueryProfile::peak_memory() const {
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t sum = 0;
  for (const auto& [host, bytes] : host_peak_memory_) sum += bytes;
  return sum;
}

uint64_t QueryProfile::rows_returned() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rows_returned_;
}

}  // namespace basalt
