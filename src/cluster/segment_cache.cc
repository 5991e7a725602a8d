#include "cluster/segment_cache.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "common/exception.h"
#include "storage/managed/time_chunk.h"

namespace basalt::cluster {

namespace fs = std::filesystem;

namespace {

// Temporaries start with '.', which PathComponent never puts first.
constexpr const char* kTemporaryPrefix = ".tmp-";

std::shared_ptr<SegmentHandle> InPlace(const SegmentRecord& record, const std::string& directory) {
  // No removal queue, never retired: the warehouse's files are not ours.
  return std::make_shared<SegmentHandle>(record, directory, nullptr);
}

bool SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

}  // namespace

SegmentCache::SegmentCache(std::string directory, uint64_t capacity_bytes)
    : directory_(std::move(directory)), capacity_(capacity_bytes) {
  std::error_code error;
  fs::create_directories(directory_, error);
  if (error) {
    ThrowError(sqlstate::kIoError, "cannot create the segment cache directory \"{}\": {}",
               directory_, error.message());
  }
  Adopt();
}

std::string SegmentCache::PathOf(const std::string& key) const { return directory_ + "/" + key; }

void SegmentCache::Adopt() {
  struct Found {
    std::string key;
    uint64_t bytes;
    fs::file_time_type written;
  };
  std::vector<Found> found;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory_, error)) {
    const std::string name = entry.path().filename().string();
    std::error_code ignored;
    const fs::path file = entry.path() / kSegmentFileName;
    // A temporary (a copy cut short), or anything that is not a segment's
    // directory with its file, goes.
    if (name.empty() || name[0] == '.' || !entry.is_directory(ignored) ||
        !fs::is_regular_file(file, ignored)) {
      fs::remove_all(entry.path(), ignored);
      continue;
    }
    uint64_t bytes = fs::file_size(file, ignored);
    if (ignored) continue;
    found.push_back({name, bytes, fs::last_write_time(file, ignored)});
  }
  // Oldest first: the least recently copied are the first to go.
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.written < b.written; });
  std::vector<std::string> doomed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (Found& f : found) {
      Entry& e = entries_[f.key];
      e.bytes = f.bytes;
      e.lru = lru_.insert(lru_.end(), f.key);
      cached_bytes_ += f.bytes;
    }
    MakeRoomLocked(0, &doomed);
  }
  for (const std::string& path : doomed) fs::remove_all(path, error);
}

bool SegmentCache::MakeRoomLocked(uint64_t needed, std::vector<std::string>* doomed) {
  auto it = lru_.begin();
  while (cached_bytes_ + reserved_bytes_ + needed > capacity_ && it != lru_.end()) {
    auto entry = entries_.find(*it);
    // A handle referenced outside the cache is held by a query. Its count
    // only grows under mutex_ (in Get), so what is seen here holds.
    if (entry->second.handle && entry->second.handle.use_count() > 1) {
      ++it;
      continue;
    }
    // Renamed away now, removed unlocked later: a copy of the same segment
    // made meanwhile lands in a free place.
    std::string away =
        PathOf(fmt::format("{}{}-{}", kTemporaryPrefix, getpid(), next_temporary_++));
    std::error_code error;
    fs::rename(PathOf(entry->first), away, error);
    if (!error) doomed->push_back(std::move(away));
    cached_bytes_ -= entry->second.bytes;
    counters_.evictions++;
    entries_.erase(entry);
    it = lru_.erase(it);
  }
  return cached_bytes_ + reserved_bytes_ + needed <= capacity_;
}

std::shared_ptr<SegmentHandle> SegmentCache::Get(const SegmentRecord& record,
                                                 const std::string& warehouse_directory,
                                                 SegmentHandle::Origin* origin) {
  const std::string key = PathComponent(record.segment_id);
  const std::string source = warehouse_directory + "/" + kSegmentFileName;
  auto set_origin = [&](SegmentHandle::Origin o) {
    if (origin) *origin = o;
  };
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    if (auto it = entries_.find(key); it != entries_.end()) {
      Entry& e = it->second;
      lru_.splice(lru_.end(), lru_, e.lru);
      if (!e.handle) e.handle = std::make_shared<SegmentHandle>(record, PathOf(key), nullptr);
      counters_.hits++;
      set_origin(SegmentHandle::Origin::kCached);
      return e.handle;
    }
    if (!copying_.count(key)) break;
    copied_.wait(lock);
  }
  // This thread copies it; others asking meanwhile wait for the outcome.
  copying_.insert(key);
  lock.unlock();

  auto finish = [&](uint64_t reserved) {
    std::lock_guard<std::mutex> relock(mutex_);
    reserved_bytes_ -= reserved;
    copying_.erase(key);
    copied_.notify_all();
  };
  auto in_place = [&](uint64_t reserved) {
    finish(reserved);
    {
      std::lock_guard<std::mutex> relock(mutex_);
      counters_.in_place++;
    }
    set_origin(SegmentHandle::Origin::kInPlace);
    return InPlace(record, warehouse_directory);
  };

  std::error_code error;
  const uint64_t bytes = fs::file_size(source, error);
  if (error) {
    finish(0);
    if (error == std::errc::no_such_file_or_directory || error == std::errc::not_a_directory) {
      ThrowError(sqlstate::kUndefinedFile,
                 "segment \"{}\" is not available: file \"{}\" is missing", record.segment_id,
                 source);
    }
    ThrowError(sqlstate::kIoError, "segment \"{}\": cannot read \"{}\": {}", record.segment_id,
               source, error.message());
  }
  if (bytes > capacity_) return in_place(0);

  std::vector<std::string> doomed;
  std::string temporary;
  bool room;
  {
    std::lock_guard<std::mutex> relock(mutex_);
    room = MakeRoomLocked(bytes, &doomed);
    // Reserved at once, so copies in flight never add up past the capacity.
    if (room) reserved_bytes_ += bytes;
    temporary = PathOf(fmt::format("{}{}-{}", kTemporaryPrefix, getpid(), next_temporary_++));
  }
  for (const std::string& path : doomed) fs::remove_all(path, error);
  // Every cached segment is in use (or copies in flight hold the room).
  if (!room) return in_place(0);

  // <dir>/.tmp-N/data.bsg, renamed to <dir>/<key> once complete.
  const std::string target = PathOf(key);
  bool copied = fs::create_directory(temporary, error) && !error;
  if (copied) {
    copied = fs::copy_file(source, temporary + "/" + kSegmentFileName,
                           fs::copy_options::overwrite_existing, error) &&
             !error;
  }
  // Durable before it gets its final name: a crash never leaves a file
  // there that is not the whole segment.
  if (copied) copied = SyncFile(temporary + "/" + kSegmentFileName);
  if (copied) {
    fs::rename(temporary, target, error);
    copied = !error;
  }
  if (!copied) {
    std::error_code ignored;
    fs::remove_all(temporary, ignored);
    if (!fs::exists(source, ignored)) {
      finish(bytes);
      ThrowError(sqlstate::kUndefinedFile,
                 "segment \"{}\" is not available: file \"{}\" is missing", record.segment_id,
                 source);
    }
    // A full disk or the like: the warehouse file is still there to read.
    return in_place(bytes);
  }

  std::lock_guard<std::mutex> relock(mutex_);
  reserved_bytes_ -= bytes;
  copying_.erase(key);
  copied_.notify_all();
  Entry& e = entries_[key];
  e.bytes = bytes;
  e.lru = lru_.insert(lru_.end(), key);
  e.handle = std::make_shared<SegmentHandle>(record, target, nullptr);
  cached_bytes_ += bytes;
  counters_.misses++;
  set_origin(SegmentHandle::Origin::kCopied);
  return e.handle;
}

SegmentCache::Counters SegmentCache::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

uint64_t SegmentCache::cached_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cached_bytes_;
}

bool SegmentCache::Contains(const std::string& segment_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.count(PathComponent(segment_id)) > 0;
}

// ------------------------------------------------------------ CachedSegmentHandle

CachedSegmentHandle::CachedSegmentHandle(SegmentRecord record, std::string warehouse_directory,
                                         SegmentCache* cache)
    : SegmentHandle(std::move(record), std::move(warehouse_directory), nullptr), cache_(cache) {}

const SegmentReader& CachedSegmentHandle::reader() const {
  if (!cache_) return SegmentHandle::reader();
  std::lock_guard<std::mutex> lock(mutex_);
  if (!local_) {
    Origin origin = Origin::kInPlace;
    local_ = cache_->Get(record(), directory(), &origin);
    origin_ = origin;
  }
  return local_->reader();
}

SegmentHandle::Origin CachedSegmentHandle::origin() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return origin_;
}

}  // namespace basalt::cluster
