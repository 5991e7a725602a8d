// The timeline of a managed table (Druid's versioned interval timeline, in
// its simplest form: chunks never overlap because a table has one
// granularity): which of its published segments queries read.
#pragma once

#include <vector>

#include "storage/managed/metadata_store.h"

namespace basalt {

struct SegmentTimeline {
  // Per time chunk, the used segments of the chunk's highest version,
  // ordered by chunk start, then partition number.
  std::vector<SegmentRecord> visible;
  // Used segments of lower versions (what an overwrite overshadowed).
  std::vector<SegmentRecord> overshadowed;
};

SegmentTimeline BuildTimeline(std::vector<SegmentRecord> used);

}  // namespace basalt
