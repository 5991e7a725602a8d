#include "storage/managed/segment_handle.h"

#include <filesystem>

#include "common/exception.h"
#include "storage/segment/segment_reader.h"

namespace basalt {

void SegmentRemovalQueue::Push(std::string segment_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  ids_.push_back(std::move(segment_id));
}

std::vector<std::string> SegmentRemovalQueue::Drain() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::move(ids_);
}

SegmentHandle::SegmentHandle(SegmentRecord record, std::string directory,
                             std::shared_ptr<SegmentRemovalQueue> removals)
    : record_(std::move(record)), directory_(std::move(directory)), removals_(std::move(removals)) {}

SegmentHandle::~SegmentHandle() {
  if (!retired_.load()) return;
  // The last query holding a retired segment is done with it. A failure to
  // remove leaves the directory for the next start's clean-up.
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
  if (removals_) removals_->Push(record_.segment_id);
}

std::string SegmentHandle::file_path() const { return directory_ + "/" + kSegmentFileName; }

const SegmentReader& SegmentHandle::reader() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!reader_) {
    std::string path = file_path();
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      ThrowError(sqlstate::kUndefinedFile, "segment \"{}\" is not available: file \"{}\" is missing",
                 record_.segment_id, path);
    }
    // The reader's own errors name the file, whose directory is the segment id.
    reader_ = SegmentReader::Open(path);
  }
  return *reader_;
}

bool SegmentHandle::IsAvailable() const {
  std::error_code error;
  return std::filesystem::exists(file_path(), error);
}

}  // namespace basalt
