// Which node of a cluster reads which scan range (a table's batch or
// segment, a Parquet row group). Every node computes the same assignment on
// its own, from the same node list and the same ranges in the same order, so
// no message is needed and every range is read exactly once.
//
// A range goes to the node that owns its id's hash on a ring of virtual
// points (consistent hashing: the same segment lands on the same executor
// from query to query, so its local cache is reused, and losing a node moves
// only that node's ranges). A node already holding its fair share (the
// ranges over the nodes, rounded up, plus a quarter of that, rounded down)
// takes no more: the range
// goes to the least loaded node instead, so one node never reads most of a
// table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace basalt {

class ScanAssignment {
 public:
  // `nodes`: the names of the nodes that share scans, in placement order.
  explicit ScanAssignment(std::vector<std::string> nodes);

  // The node index of each range, in order.
  std::vector<int> Assign(const std::vector<std::string>& range_ids) const;

  size_t node_count() const { return nodes_.size(); }

 private:
  std::vector<std::string> nodes_;
  // (hash, node) points, sorted by hash.
  std::vector<std::pair<uint64_t, int>> ring_;
};

}  // namespace basalt
