// TempDir: a scratch directory for tests in every layer (storage, tpch, exec,
// ...), created fresh under the system's temporary directory and removed,
// with everything in it, when the object dies. Not thread-safe.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace basalt::testing {

class TempDir {
 public:
  TempDir() {
    std::string name = (std::filesystem::temp_directory_path() / "basalt_test_XXXXXX").string();
    const char* made = ::mkdtemp(name.data());
    if (made == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = made;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  // The full path of `name` inside the directory (nothing is created).
  std::string File(std::string_view name) const {
    return (std::filesystem::path(path_) / name).string();
  }

  // Writes `content` byte for byte to `relative` (creating parent folders) and
  // returns the full path.
  std::string Write(const std::string& relative, const std::string& content) const {
    std::filesystem::path full = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream out(full, std::ios::binary);
    out << content;
    return full.string();
  }

 private:
  std::string path_;
};

}  // namespace basalt::testing
