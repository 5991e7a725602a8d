#include "server/server_log.h"

#include <fmt/format.h>

#include <cstdio>
#include <mutex>

namespace basalt {

void ServerLog(std::string_view line) {
  static std::mutex mutex;
  std::string text = fmt::format("basalt server: {}\n", line);
  std::lock_guard<std::mutex> lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace basalt
