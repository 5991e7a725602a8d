#include "shell/memory_limit.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace basalt {

std::string ApplyMemoryLimit(int64_t limit_mb) {
  if (limit_mb == 0) return "";
  uint64_t bytes;
  if (limit_mb < 0) {
    long pages = sysconf(_SC_PHYS_PAGES);
    long page_size = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page_size <= 0) return "";
    bytes = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size) / 4 * 3;
  } else {
    bytes = static_cast<uint64_t>(limit_mb) << 20;
  }
  rlimit limit;
  if (getrlimit(RLIMIT_AS, &limit) != 0) return fmt::format("getrlimit: {}", std::strerror(errno));
  // Never raise a limit someone already set lower.
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < bytes) return "";
  limit.rlim_cur = bytes;
  if (setrlimit(RLIMIT_AS, &limit) != 0) {
    return fmt::format("could not set the memory limit: {}", std::strerror(errno));
  }
  return "";
}

}  // namespace basalt
