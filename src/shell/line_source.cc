#include "shell/line_source.h"

#include <cstdlib>

namespace basalt {

std::optional<std::string> TextLineSource::ReadLine() {
  if (pos_ >= text_.size()) return std::nullopt;
  size_t end = text_.find('\n', pos_);
  end = end == std::string::npos ? text_.size() : end + 1;
  std::string line = text_.substr(pos_, end - pos_);
  pos_ = end;
  return line;
}

FileLineSource::~FileLineSource() { std::free(line_); }

std::optional<std::string> FileLineSource::ReadLine() {
  ssize_t length = getline(&line_, &capacity_, file_);
  if (length < 0) {
    failed_ = std::ferror(file_) != 0;
    return std::nullopt;
  }
  return std::string(line_, static_cast<size_t>(length));
}

}  // namespace basalt
