// Where a script's lines come from: the text of a -c flag, or a file or pipe
// read as it arrives (so piped statements run before the writer finishes).
#pragma once

#include <cstdio>
#include <optional>
#include <string>

namespace basalt {

class LineSource {
 public:
  virtual ~LineSource() = default;
  // The next line with its '\n' (the last line may lack one); nothing at the end.
  virtual std::optional<std::string> ReadLine() = 0;
};

class TextLineSource : public LineSource {
 public:
  explicit TextLineSource(std::string text) : text_(std::move(text)) {}
  std::optional<std::string> ReadLine() override;

 private:
  std::string text_;
  size_t pos_ = 0;
};

// Reads with getline(3); does not own or close the FILE.
class FileLineSource : public LineSource {
 public:
  explicit FileLineSource(std::FILE* file) : file_(file) {}
  ~FileLineSource() override;
  FileLineSource(const FileLineSource&) = delete;
  FileLineSource& operator=(const FileLineSource&) = delete;
  std::optional<std::string> ReadLine() override;
  // Whether reading stopped on an error rather than at the end.
  bool failed() const { return failed_; }

 private:
  std::FILE* file_;
  char* line_ = nullptr;  // getline's buffer, reused across calls
  size_t capacity_ = 0;
  bool failed_ = false;
};

}  // namespace basalt
