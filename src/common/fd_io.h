// Whole-buffer writes to POSIX file descriptors. write() may write less than
// asked (a signal, a pipe, a full device) or fail with EINTR; every writer of
// files in Basalt needs the same loop around it, so it lives here once.
#pragma once

#include <cstddef>

namespace basalt {

// Writes all `size` bytes of `data` to `fd`, continuing after short writes
// and retrying after EINTR. Returns false when a write fails, with errno as
// that write left it (so the caller can report strerror(errno) its own way).
[[nodiscard]] bool WriteAll(int fd, const void* data, size_t size);

}  // namespace basalt
