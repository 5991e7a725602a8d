// Helpers shared by the CSV and file glob tests: a scratch directory that is
// removed afterwards, and a check on a BasaltError's code and message.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/exception.h"

namespace basalt::testing {

class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/basalt_csv_test_XXXXXX";
    const char* made = ::mkdtemp(name);
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

// Runs `f` and checks that it throws a BasaltError with this SQLSTATE and a
// message equal to `message`.
template <typename F>
void ExpectError(F&& f, const char* code, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "expected error " << code << ": " << message;
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), code) << e.what();
    EXPECT_EQ(std::string(e.what()), message);
  }
}

}  // namespace basalt::testing
