#include "storage/managed/segment_timeline.h"

#include <algorithm>
#include <map>

namespace basalt {

SegmentTimeline BuildTimeline(std::vector<SegmentRecord> used) {
  std::map<int64_t, int64_t> newest;  // chunk start -> highest version
  for (const auto& s : used) {
    auto [it, inserted] = newest.emplace(s.chunk.start, s.version);
    if (!inserted) it->second = std::max(it->second, s.version);
  }
  std::sort(used.begin(), used.end(), [](const SegmentRecord& a, const SegmentRecord& b) {
    if (a.chunk.start != b.chunk.start) return a.chunk.start < b.chunk.start;
    if (a.version != b.version) return a.version < b.version;
    return a.partition < b.partition;
  });
  SegmentTimeline timeline;
  for (auto& s : used) {
    if (s.version == newest[s.chunk.start]) {
      timeline.visible.push_back(std::move(s));
    } else {
      timeline.overshadowed.push_back(std::move(s));
    }
  }
  return timeline;
}

}  // namespace basalt
