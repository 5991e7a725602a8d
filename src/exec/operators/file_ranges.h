// FileRangeQueue: the units of parallel work of a CSV or JSON scan: whole
// files, and byte ranges of large files, so that one big file is read by
// every instance (docs/storage.md, "Splitting large files").
//
// The plan is made when the first instance asks for work (inside a task, so
// a missing file fails the query like any read error): every file the
// virtual-column filter kept is sized, and a file is split when
//   - the split size is given (setting file_split_size > 0): into ranges of
//     that many bytes, whatever the instance count (tests force tiny ranges);
//   - automatically (the default): when there is more than one instance, into
//     ranges of max(kMinRangeBytes, all bytes / (4 * instances)), when the
//     file holds at least two of them; about four ranges per instance balance
//     uneven ranges without making each too small to stream well.
// file_split_size = 0 never splits. A JSON file is split only when it is
// JSON lines (its first non-blank byte is not '['); a CSV file only when its
// escape character is its quote character (storage/csv_split.h).
//
// A split CSV file first needs its quote counts: the queue hands out one
// counting job per range before any range to read, so instances count in
// parallel; whoever takes a range to read computes any count still missing
// itself (racing a peer at worst), so no instance ever waits for another.
// If a range's quotes are not all where quoting puts them, the whole file is
// read as one range by whoever takes its first range, and its other ranges
// are skipped.
//
// Thread safety: Take is called by all instances concurrently. The plan is
// built once under plan_mutex_; afterwards it is read-only except for the
// atomic cursor and the atomic quote counts.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exec/operators/file_virtual_columns.h"
#include "storage/csv_options.h"

namespace basalt {

// What one instance reads next: a file, or a byte range of it.
struct FileRange {
  size_t file = 0;  // index into the scan's files
  bool whole = true;
  // For a range (whole == false): record starts; `end` may be the file size.
  uint64_t start = 0;
  uint64_t end = 0;
};

enum class SplitFormat { kCsv, kJsonLines };

class FileRangeQueue {
 public:
  static constexpr uint64_t kMinRangeBytes = uint64_t{4} << 20;
  // The setting file_split_size unset.
  static constexpr int64_t kAutomatic = -1;

  // `files` are the scan's paths; `queue` says which of them to read.
  // `csv` is null for JSON.
  FileRangeQueue(std::shared_ptr<FileQueue> queue, const std::vector<std::string>* files,
                 SplitFormat format, std::shared_ptr<const CsvOptions> csv, int64_t split_size);
  ~FileRangeQueue();

  // The next unit to read, or false when all are taken. `instances` is the
  // scan's instance count (the same from every caller).
  bool Take(int instances, FileRange* out);

  const FileQueue& files() const { return *queue_; }

 private:
  struct SplitFile;
  struct Job {
    size_t split = 0;   // index into splits_, or kWhole
    size_t range = 0;   // range of that file; for kWhole, the file's index
    bool count = false;  // a quote-counting job rather than a range to read
  };
  static constexpr size_t kWhole = static_cast<size_t>(-1);

  void Plan(int instances);
  // Whether `path` (of `size` bytes) may be cut into ranges at all.
  bool Splittable(const std::string& path) const;
  // Counts range `range`'s quotes unless known; returns the packed count.
  uint64_t EnsureCount(SplitFile& split, size_t range);
  // Fills `out` for reading range `range` of a split file; false to skip it.
  bool ResolveRange(SplitFile& split, size_t range, FileRange* out);

  std::shared_ptr<FileQueue> queue_;
  const std::vector<std::string>* paths_;
  SplitFormat format_;
  std::shared_ptr<const CsvOptions> csv_;
  int64_t split_size_;

  std::mutex plan_mutex_;  // guards the planning (once)
  std::atomic<bool> planned_{false};
  std::vector<std::unique_ptr<SplitFile>> splits_;
  std::vector<Job> jobs_;
  std::atomic<size_t> next_{0};
};

// The setting file_split_size from a session's settings (name, value):
// kAutomatic when absent or 'auto', else a byte count >= 0. Raises 22023 for
// another value.
int64_t FileSplitSizeSetting(const std::vector<std::pair<std::string, std::string>>& settings);

}  // namespace basalt
