#include "common/fd_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace basalt {

bool WriteAll(int fd, const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    const ssize_t written = ::write(fd, p, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (written == 0) {
      // Not for a regular file, a pipe or a socket; looping would never end.
      errno = EIO;
      return false;
    }
    p += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

}  // namespace basalt
