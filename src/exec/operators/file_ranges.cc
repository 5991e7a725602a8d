#include "exec/operators/file_ranges.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "common/exception.h"
#include "storage/csv_input_file.h"
#include "storage/csv_split.h"

namespace basalt {

namespace {

// A range's quote scan packed into one atomic word: the count, then whether
// its quotes sit properly when starting outside / inside quotes.
constexpr uint64_t kUnknown = ~uint64_t{0};

uint64_t Pack(const CsvQuoteScan& scan) {
  return (scan.quotes << 2) | (uint64_t{scan.proper_if_outside} << 1) |
         uint64_t{scan.proper_if_inside};
}

CsvQuoteScan Unpack(uint64_t packed) {
  CsvQuoteScan scan;
  scan.quotes = packed >> 2;
  scan.proper_if_outside = (packed & 2) != 0;
  scan.proper_if_inside = (packed & 1) != 0;
  return scan;
}

// How much of a file is read to tell JSON lines from an array.
constexpr size_t kJsonProbeBytes = 4096;

}  // namespace

struct FileRangeQueue::SplitFile {
  size_t file = 0;
  uint64_t size = 0;
  // Range k nominally covers [bounds[k], bounds[k + 1]).
  std::vector<uint64_t> bounds;
  size_t ranges() const { return bounds.size() - 1; }

  // CSV only: each range's packed quote scan, kUnknown until counted.
  std::unique_ptr<std::atomic<uint64_t>[]> counts;
  // CSV only: once every count is known, which ranges start inside quotes
  // and whether the file may be read split at all.
  std::mutex resolve_mutex;  // guards the three below
  bool resolved = false;
  std::vector<bool> starts_inside;
  bool proper = true;
};

FileRangeQueue::FileRangeQueue(std::shared_ptr<FileQueue> queue,
                               const std::vector<std::string>* files, SplitFormat format,
                               std::shared_ptr<const CsvOptions> csv, int64_t split_size)
    : queue_(std::move(queue)),
      paths_(files),
      format_(format),
      csv_(std::move(csv)),
      split_size_(split_size) {}

FileRangeQueue::~FileRangeQueue() = default;

bool FileRangeQueue::Splittable(const std::string& path) const {
  if (format_ == SplitFormat::kCsv) return csv_ && csv_->escape == csv_->quote;
  // An array file is one document, which simdjson parses whole.
  InputFile file(path);
  char probe[kJsonProbeBytes];
  size_t n = file.ReadAt(probe, sizeof(probe), 0);
  size_t i = n >= 3 && std::memcmp(probe, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (i < n && (probe[i] == ' ' || probe[i] == '\t' || probe[i] == '\r' || probe[i] == '\n')) {
    i++;
  }
  return i < n && probe[i] != '[';
}

void FileRangeQueue::Plan(int instances) {
  std::lock_guard<std::mutex> lock(plan_mutex_);
  if (planned_.load(std::memory_order_acquire)) return;
  const std::vector<size_t>& files = queue_->files;
  std::vector<uint64_t> sizes(files.size(), 0);
  uint64_t range_bytes = 0;  // 0: no file is split
  bool explicit_size = split_size_ > 0;
  if (explicit_size) {
    range_bytes = static_cast<uint64_t>(split_size_);
  } else if (split_size_ == kAutomatic && instances > 1) {
    uint64_t total = 0;
    for (size_t i = 0; i < files.size(); i++) {
      sizes[i] = InputFile((*paths_)[files[i]]).size();
      total += sizes[i];
    }
    range_bytes = std::max(kMinRangeBytes, total / (4 * static_cast<uint64_t>(instances)));
  }
  std::vector<Job> reads;
  for (size_t i = 0; i < files.size(); i++) {
    const std::string& path = (*paths_)[files[i]];
    size_t ranges = 1;
    if (range_bytes > 0) {
      if (explicit_size) sizes[i] = InputFile(path).size();
      const uint64_t size = sizes[i];
      // Explicit sizes cut every longer file; automatic ones leave a file
      // whole unless it holds two full ranges.
      uint64_t n = explicit_size ? (size + range_bytes - 1) / range_bytes : size / range_bytes;
      if (n > 1 && Splittable(path)) ranges = static_cast<size_t>(n);
    }
    if (ranges == 1) {
      reads.push_back(Job{kWhole, files[i], false});
      continue;
    }
    auto split = std::make_unique<SplitFile>();
    split->file = files[i];
    split->size = sizes[i];
    split->bounds.resize(ranges + 1);
    for (size_t k = 0; k <= ranges; k++) {
      // In 128 bits: with tiny ranges of a large file, size * k can pass 64.
      const unsigned __int128 scaled = static_cast<unsigned __int128>(sizes[i]) * k;
      split->bounds[k] = static_cast<uint64_t>(scaled / ranges);
    }
    if (format_ == SplitFormat::kCsv) {
      split->counts = std::make_unique<std::atomic<uint64_t>[]>(ranges);
      for (size_t k = 0; k < ranges; k++) split->counts[k].store(kUnknown);
    }
    for (size_t k = 0; k < ranges; k++) reads.push_back(Job{splits_.size(), k, false});
    splits_.push_back(std::move(split));
  }
  // Every counting job comes before every range to read, so the counts are
  // made in parallel and are mostly done when the first range is read.
  for (size_t s = 0; s < splits_.size() && format_ == SplitFormat::kCsv; s++) {
    for (size_t k = 0; k < splits_[s]->ranges(); k++) jobs_.push_back(Job{s, k, true});
  }
  jobs_.insert(jobs_.end(), reads.begin(), reads.end());
  planned_.store(true, std::memory_order_release);
}

uint64_t FileRangeQueue::EnsureCount(SplitFile& split, size_t range) {
  uint64_t packed = split.counts[range].load(std::memory_order_acquire);
  if (packed != kUnknown) return packed;
  InputFile file((*paths_)[split.file]);
  packed = Pack(ScanCsvQuotes(file, split.bounds[range], split.bounds[range + 1],
                              csv_->delimiter, csv_->quote));
  // A peer may have counted the same range meanwhile; both got the same.
  split.counts[range].store(packed, std::memory_order_release);
  return packed;
}

bool FileRangeQueue::ResolveRange(SplitFile& split, size_t range, FileRange* out) {
  const size_t n = split.ranges();
  out->file = split.file;
  out->whole = false;
  const std::string& path = (*paths_)[split.file];
  if (format_ == SplitFormat::kJsonLines) {
    InputFile file(path);
    out->start = range == 0 ? 0 : FindLineStart(file, split.bounds[range]);
    out->end = range + 1 == n ? split.size : FindLineStart(file, split.bounds[range + 1]);
    return true;
  }
  // This range's count first: it is about to be read, so its bytes are
  // wanted in the page cache anyway.
  EnsureCount(split, range);
  {
    std::lock_guard<std::mutex> lock(split.resolve_mutex);
    if (!split.resolved) {
      split.starts_inside.resize(n + 1);
      bool inside = false;
      for (size_t k = 0; k < n; k++) {
        CsvQuoteScan scan = Unpack(EnsureCount(split, k));
        split.starts_inside[k] = inside;
        split.proper = split.proper && scan.Proper(inside);
        if (scan.quotes & 1) inside = !inside;
      }
      split.starts_inside[n] = inside;
      split.resolved = true;
    }
  }
  if (!split.proper) {
    // A quote where quoting does not put it: the parities cannot be
    // trusted, so the first range reads the whole file alone.
    if (range != 0) return false;
    out->whole = true;
    return true;
  }
  InputFile file(path);
  const char quote = csv_->quote;
  out->start = range == 0 ? 0
                          : FindCsvRecordStart(file, split.bounds[range],
                                               split.starts_inside[range], quote);
  out->end = range + 1 == n ? split.size
                            : FindCsvRecordStart(file, split.bounds[range + 1],
                                                 split.starts_inside[range + 1], quote);
  return true;
}

bool FileRangeQueue::Take(int instances, FileRange* out) {
  if (!planned_.load(std::memory_order_acquire)) Plan(instances);
  while (true) {
    size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= jobs_.size()) return false;
    const Job& job = jobs_[i];
    if (job.split == kWhole) {
      *out = FileRange{job.range, true, 0, 0};
      return true;
    }
    SplitFile& split = *splits_[job.split];
    if (job.count) {
      EnsureCount(split, job.range);
      continue;
    }
    if (ResolveRange(split, job.range, out)) return true;
  }
}

int64_t FileSplitSizeSetting(const std::vector<std::pair<std::string, std::string>>& settings) {
  for (const auto& [name, value] : settings) {
    if (name != "file_split_size") continue;
    std::string v;
    for (char c : value) {
      if (c != ' ') v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (v.empty() || v == "auto" || v == "default") return FileRangeQueue::kAutomatic;
    bool digits = v.size() <= 18 && std::all_of(v.begin(), v.end(), [](char c) {
                    return c >= '0' && c <= '9';
                  });
    if (!digits) {
      ThrowError(sqlstate::kInvalidParameterValue,
                 "invalid value for file_split_size: \"{}\" (a number of bytes, 0 for never, or "
                 "auto)",
                 value);
    }
    return std::stoll(v);
  }
  return FileRangeQueue::kAutomatic;
}

}  // namespace basalt
