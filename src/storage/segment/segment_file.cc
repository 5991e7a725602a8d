#include "storage/segment/segment_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/exception.h"
#include "common/fd_io.h"
#include "storage/segment/segment_error.h"

namespace basalt::segment {

namespace {
constexpr size_t kWriteBufferBytes = size_t{1} << 20;
}  // namespace

SegmentOutputFile::SegmentOutputFile(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) Fail("could not create");
  buffer_.reserve(kWriteBufferBytes);
}

SegmentOutputFile::~SegmentOutputFile() {
  if (fd_ >= 0) ::close(fd_);
}

void SegmentOutputFile::Fail(const char* what) const {
  ThrowError(sqlstate::kIoError, "{} segment file \"{}\": {}", what, path_, std::strerror(errno));
}

void SegmentOutputFile::Append(const void* data, size_t n) {
  if (n == 0) return;
  offset_ += n;
  if (buffer_.size() + n <= kWriteBufferBytes) {
    const auto* p = static_cast<const uint8_t*>(data);
    buffer_.insert(buffer_.end(), p, p + n);
    return;
  }
  Flush();
  if (n < kWriteBufferBytes) {
    const auto* p = static_cast<const uint8_t*>(data);
    buffer_.insert(buffer_.end(), p, p + n);
    return;
  }
  // Large writes go straight to the file.
  if (!WriteAll(fd_, data, n)) Fail("could not write");
}

void SegmentOutputFile::Flush() {
  if (!WriteAll(fd_, buffer_.data(), buffer_.size())) Fail("could not write");
  buffer_.clear();
}

void SegmentOutputFile::Finish() {
  Flush();
  if (::fsync(fd_) != 0) Fail("could not fsync");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) Fail("could not close");
}

void SegmentOutputFile::Abandon() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  ::unlink(path_.c_str());
}

SegmentInputFile::SegmentInputFile(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    if (errno == ENOENT) {
      ThrowError(sqlstate::kUndefinedFile, "segment file \"{}\" does not exist", path_);
    }
    ThrowError(sqlstate::kIoError, "could not open segment file \"{}\": {}", path_,
               std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    const int err = errno;
    ::close(fd_);
    ThrowError(sqlstate::kIoError, "could not stat segment file \"{}\": {}", path_,
               std::strerror(err));
  }
  size_ = static_cast<uint64_t>(st.st_size);
}

SegmentInputFile::~SegmentInputFile() {
  if (fd_ >= 0) ::close(fd_);
}

void SegmentInputFile::ReadAt(uint64_t offset, size_t n, void* out) const {
  auto* p = static_cast<uint8_t*>(out);
  while (n > 0) {
    const ssize_t r = ::pread(fd_, p, n, static_cast<off_t>(offset));
    if (r < 0) {
      if (errno == EINTR) continue;
      ThrowError(sqlstate::kIoError, "could not read segment file \"{}\": {}", path_,
                 std::strerror(errno));
    }
    if (r == 0) {
      ThrowDecodeError("the file ends at byte {}, before the {} bytes expected there", offset, n);
    }
    p += r;
    n -= static_cast<size_t>(r);
    offset += static_cast<uint64_t>(r);
  }
}

}  // namespace basalt::segment
