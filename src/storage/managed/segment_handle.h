// SegmentHandle: one segment of a managed table as the running process holds
// it: its metadata record and, opened on first use, its reader.
//
// Queries hold handles (through a table's data snapshot) for as long as they
// run. A segment that an overwrite or DROP replaced is retired: its files are
// removed when the last handle goes, never under a running query, and its id
// is queued so the warehouse forgets it in the metadata store.
//
// Thread safety: reader() may be called from many threads at once.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/managed/metadata_store.h"

namespace basalt {

class SegmentReader;

// Ids of retired segments whose files are gone, for the metadata store.
class SegmentRemovalQueue {
 public:
  void Push(std::string segment_id);
  std::vector<std::string> Drain();

 private:
  std::mutex mutex_;
  std::vector<std::string> ids_;
};

// The segment file inside a segment's directory.
inline constexpr const char* kSegmentFileName = "data.bsg";

class SegmentHandle {
 public:
  // `directory` is the segment's absolute directory.
  SegmentHandle(SegmentRecord record, std::string directory,
                std::shared_ptr<SegmentRemovalQueue> removals);
  virtual ~SegmentHandle();
  SegmentHandle(const SegmentHandle&) = delete;
  SegmentHandle& operator=(const SegmentHandle&) = delete;

  const SegmentRecord& record() const { return record_; }
  const std::string& id() const { return record_.segment_id; }
  const std::string& directory() const { return directory_; }
  std::string file_path() const;

  // The open reader. The first call opens the file; a missing file raises
  // 58P01 and a damaged one XX001, both naming the segment. Later calls
  // after a failure try again. An executor's handles read a local copy
  // instead (cluster/segment_cache.h), hence virtual.
  virtual const SegmentReader& reader() const;
  // Where reader() found the file, for a scan's counters: in place, or in
  // an executor's segment cache, already there or copied for this read.
  enum class Origin { kInPlace, kCached, kCopied };
  virtual Origin origin() const { return Origin::kInPlace; }
  // Whether the segment's file is present (sys.segments.is_available).
  bool IsAvailable() const;

  // From now on the segment is no longer part of its table; its directory is
  // removed when the last reference to this handle goes.
  void Retire() { retired_.store(true); }
  bool retired() const { return retired_.load(); }

 private:
  SegmentRecord record_;
  std::string directory_;
  std::shared_ptr<SegmentRemovalQueue> removals_;
  std::atomic<bool> retired_{false};
  mutable std::mutex mutex_;  // guards reader_
  mutable std::shared_ptr<const SegmentReader> reader_;
};

}  // namespace basalt
