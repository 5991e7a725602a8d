// SegmentCache: an executor's bounded local copy of the warehouse's segment
// files, so repeated queries over managed tables read local disk, not the
// shared warehouse. See docs/cluster.md, "Managed tables on executors and the
// segment cache".
//
// Layout: <dir>/<segment-dir>/data.bsg, where <segment-dir> is the segment's
// id made a safe path component (as in the warehouse). A copy is written
// under a temporary name starting with '.' and renamed into place, so a
// crash never leaves a partial file under a final name; temporaries left by
// a previous process are removed at start, and the segments it cached are
// adopted (and evicted down to the capacity).
//
// Segment ids are never reused (versions only grow), so a cached file is
// never stale. The cache never removes or retires warehouse files: its
// handles have no removal queue and are never retired.
//
// Capacity: the cached bytes stay at most `capacity_bytes`. To make room,
// the least recently used segments that no query holds are evicted (a handle
// referenced outside the cache is in use). A segment larger than the whole
// capacity, or one there is no room for because every cached segment is in
// use, or whose copy fails (a full disk), is read in place from the
// warehouse. A warehouse file that is missing is 58P01 naming the segment.
//
// Thread safety: every method may be called from many threads at once.
// `mutex_` guards entries_, lru_, copying_, the byte counts and the
// counters; files are copied and removed outside it. Two threads asking for
// the same missing segment copy it once: the second waits on `copied_`.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "storage/managed/segment_handle.h"

namespace basalt::cluster {

class SegmentCache {
 public:
  struct Counters {
    uint64_t hits = 0;       // found in the cache
    uint64_t misses = 0;     // copied into the cache
    uint64_t evictions = 0;  // removed to make room (or at start, over capacity)
    uint64_t in_place = 0;   // read from the warehouse: too large, no room, or a failed copy
  };

  // Creates `directory` if needed, removes leftover temporaries and adopts
  // the segments already there (least recently written evicted first when
  // over capacity). Raises 58030 when the directory cannot be created.
  SegmentCache(std::string directory, uint64_t capacity_bytes);

  // A handle on the segment's file: the cached copy, copied now from
  // `warehouse_directory` (the segment's absolute directory) when missing,
  // or the warehouse file itself (see above). `origin`, when given, says
  // which. Raises 58P01 when the warehouse file is missing and no copy is
  // cached.
  std::shared_ptr<SegmentHandle> Get(const SegmentRecord& record,
                                     const std::string& warehouse_directory,
                                     SegmentHandle::Origin* origin = nullptr);

  Counters counters() const;
  uint64_t cached_bytes() const;
  uint64_t capacity_bytes() const { return capacity_; }
  const std::string& directory() const { return directory_; }
  // Whether the segment's copy is in the cache (tests).
  bool Contains(const std::string& segment_id) const;

 private:
  struct Entry {
    uint64_t bytes = 0;
    // Opened on the first Get after a restart; kept so the reader (and its
    // parsed footer) stays open across queries.
    std::shared_ptr<SegmentHandle> handle;
    std::list<std::string>::iterator lru;  // position in lru_
  };

  // Removes unused least recently used entries until `needed` more bytes fit
  // (with the copies in flight); returns false when they cannot. The
  // directories to remove are appended to `doomed`, to be removed unlocked.
  bool MakeRoomLocked(uint64_t needed, std::vector<std::string>* doomed);
  void Adopt();
  std::string PathOf(const std::string& key) const;

  const std::string directory_;
  const uint64_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable copied_;
  std::map<std::string, Entry> entries_;  // by directory name
  std::list<std::string> lru_;            // least recently used first
  std::set<std::string> copying_;         // being copied by some thread
  uint64_t cached_bytes_ = 0;             // of entries_
  uint64_t reserved_bytes_ = 0;           // of the copies in flight
  uint64_t next_temporary_ = 0;
  Counters counters_;
};

// What an executor's plans hold for a segment the plan lists: a handle that
// asks the cache for the file only when a scan reads it, so an executor
// copies only the segments of its share of the scan, and that keeps the
// cached copy in use (not evictable) for as long as the query holds it.
// Without a cache it reads the warehouse file in place.
class CachedSegmentHandle final : public SegmentHandle {
 public:
  CachedSegmentHandle(SegmentRecord record, std::string warehouse_directory, SegmentCache* cache);

  const SegmentReader& reader() const override;
  Origin origin() const override;

 private:
  SegmentCache* const cache_;
  mutable std::mutex mutex_;  // guards local_ and origin_
  mutable std::shared_ptr<SegmentHandle> local_;
  mutable Origin origin_ = Origin::kInPlace;
};

}  // namespace basalt::cluster
