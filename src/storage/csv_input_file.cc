#include "storage/csv_input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/exception.h"

namespace basalt {

namespace {

[[noreturn]] void ThrowOpenError(const std::string& path, int err) {
  const char* code =
      err == ENOENT || err == ENOTDIR ? sqlstate::kUndefinedFile : sqlstate::kIoError;
  ThrowError(code, "could not open file \"{}\": {}", path, std::strerror(err));
}

}  // namespace

InputFile::InputFile(std::string path) : path_(std::move(path)) {
  do {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd_ < 0 && errno == EINTR);
  if (fd_ < 0) ThrowOpenError(path_, errno);
  // The destructor does not run when the constructor throws, so close here.
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    int err = errno;
    ::close(fd_);
    ThrowOpenError(path_, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd_);
    ThrowError(sqlstate::kIoError, "could not read file \"{}\": Is a directory", path_);
  }
  size_ = static_cast<uint64_t>(st.st_size);
}

InputFile::~InputFile() { ::close(fd_); }

size_t InputFile::ReadAt(char* destination, size_t bytes, uint64_t offset) const {
  size_t done = 0;
  while (done < bytes) {
    ssize_t n = ::pread(fd_, destination + done, bytes - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowError(sqlstate::kIoError, "could not read file \"{}\": {}", path_, std::strerror(errno));
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

void InputFile::AdviseSequential() const { ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL); }

}  // namespace basalt
