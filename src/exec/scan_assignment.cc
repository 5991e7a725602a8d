#include "exec/scan_assignment.h"

#include <xxhash.h>

#include <algorithm>

namespace basalt {

namespace {

// Points per node: enough that each node's share of the ring is within a
// few percent of 1/N.
constexpr int kVirtualPoints = 128;

uint64_t Hash(const std::string& text) { return XXH3_64bits(text.data(), text.size()); }

}  // namespace

ScanAssignment::ScanAssignment(std::vector<std::string> nodes) : nodes_(std::move(nodes)) {
  for (size_t n = 0; n < nodes_.size(); n++) {
    for (int v = 0; v < kVirtualPoints; v++) {
      ring_.emplace_back(Hash(nodes_[n] + "#" + std::to_string(v)), int(n));
    }
  }
  std::sort(ring_.begin(), ring_.end());
}

std::vector<int> ScanAssignment::Assign(const std::vector<std::string>& range_ids) const {
  std::vector<int> owner(range_ids.size(), 0);
  if (nodes_.size() <= 1) return owner;
  const size_t n = nodes_.size();
  const size_t fair = (range_ids.size() + n - 1) / n;
  const size_t capacity = fair + fair / 4;
  std::vector<size_t> load(n, 0);
  for (size_t r = 0; r < range_ids.size(); r++) {
    auto point = std::lower_bound(ring_.begin(), ring_.end(),
                                  std::make_pair(Hash(range_ids[r]), 0));
    int node = point == ring_.end() ? ring_.front().second : point->second;
    if (load[size_t(node)] >= capacity) {
      node = int(std::min_element(load.begin(), load.end()) - load.begin());
    }
    load[size_t(node)]++;
    owner[r] = node;
  }
  return owner;
}

}  // namespace basalt
