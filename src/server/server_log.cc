#include "server/server_log.h"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>

namespace basalt {

namespace {

// Guards the log file and keeps lines whole.
std::mutex log_mutex;
std::FILE* log_file = nullptr;

// "2024-05-01 12:34:56.789 UTC", as PostgreSQL's log_line_prefix %m.
std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &utc);
  return fmt::format("{}.{:03d} UTC", text, static_cast<int>(millis));
}

}  // namespace

void ServerLog(std::string_view line) {
  std::string text = fmt::format("basalt server: {}\n", line);
  std::lock_guard<std::mutex> lock(log_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
  if (log_file != nullptr) {
    std::string stamped = fmt::format("{} {}\n", Timestamp(), line);
    std::fwrite(stamped.data(), 1, stamped.size(), log_file);
    std::fflush(log_file);
  }
}

bool OpenServerLogFile(const std::string& path, std::string* error) {
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) {
    *error = fmt::format("cannot create log directory \"{}\": {}", parent.string(), ec.message());
    return false;
  }
  std::FILE* file = std::fopen(path.c_str(), "ae");  // append, close-on-exec
  if (file == nullptr) {
    *error = fmt::format("cannot open log file \"{}\": {}", path, std::strerror(errno));
    return false;
  }
  std::lock_guard<std::mutex> lock(log_mutex);
  if (log_file != nullptr) std::fclose(log_file);
  log_file = file;
  return true;
}

void CloseServerLogFile() {
  std::lock_guard<std::mutex> lock(log_mutex);
  if (log_file != nullptr) std::fclose(log_file);
  log_file = nullptr;
}

}  // namespace basalt
