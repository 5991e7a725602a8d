#include "tpch/ordered_file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/exception.h"
#include "common/fd_io.h"

namespace basalt::tpch {

OrderedFileWriter::OrderedFileWriter(std::string path, int64_t window)
    : path_(std::move(path)), window_(window) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    ThrowError(sqlstate::kIoError, "could not create \"{}\": {}", path_, std::strerror(errno));
  }
}

OrderedFileWriter::~OrderedFileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

bool OrderedFileWriter::WaitForTurn(int64_t index) {
  std::unique_lock lock(mutex_);
  turn_.wait(lock, [&] { return aborted_ || index < next_chunk_ + window_; });
  return !aborted_;
}

void OrderedFileWriter::Submit(int64_t index, std::string data) {
  std::lock_guard lock(mutex_);
  if (aborted_) return;
  if (index != next_chunk_) {
    pending_.emplace(index, std::move(data));
    return;
  }
  WriteLocked(data);
  ++next_chunk_;
  for (auto it = pending_.begin(); it != pending_.end() && it->first == next_chunk_;
       it = pending_.erase(it)) {
    WriteLocked(it->second);
    ++next_chunk_;
  }
  turn_.notify_all();
}

void OrderedFileWriter::WriteLocked(const std::string& data) {
  if (!WriteAll(fd_, data.data(), data.size())) {
    ThrowError(sqlstate::kIoError, "could not write \"{}\": {}", path_, std::strerror(errno));
  }
}

void OrderedFileWriter::Abort() {
  std::lock_guard lock(mutex_);
  aborted_ = true;
  pending_.clear();
  turn_.notify_all();
}

void OrderedFileWriter::Close() {
  std::lock_guard lock(mutex_);
  if (fd_ < 0) return;
  int status = ::close(fd_);
  fd_ = -1;
  if (status != 0) {
    ThrowError(sqlstate::kIoError, "could not write \"{}\": {}", path_, std::strerror(errno));
  }
}

}  // namespace basalt::tpch
