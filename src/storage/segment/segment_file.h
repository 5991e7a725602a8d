// Plain POSIX file access for segments: a buffered append-only writer that
// fsyncs on Finish, and a positioned reader (pread, so one open file serves
// many threads). Failures raise 58030 (58P01 for a missing file) naming the
// path; a read past the end of the file raises SegmentDecodeError, because
// for a segment that means it was truncated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace basalt::segment {

class SegmentOutputFile {
 public:
  // Creates or truncates the file.
  explicit SegmentOutputFile(std::string path);
  ~SegmentOutputFile();
  SegmentOutputFile(const SegmentOutputFile&) = delete;
  SegmentOutputFile& operator=(const SegmentOutputFile&) = delete;

  const std::string& path() const { return path_; }
  // Bytes appended so far (the offset the next byte lands at).
  uint64_t offset() const { return offset_; }
  void Append(const void* data, size_t n);
  // Writes what is buffered, fsyncs and closes the file.
  void Finish();
  // Closes (if open) and removes the file; for writers that give up. Never throws.
  void Abandon() noexcept;

 private:
  void Flush();
  [[noreturn]] void Fail(const char* what) const;

  std::string path_;
  int fd_ = -1;
  uint64_t offset_ = 0;
  std::vector<uint8_t> buffer_;
};

class SegmentInputFile {
 public:
  explicit SegmentInputFile(std::string path);
  ~SegmentInputFile();
  SegmentInputFile(const SegmentInputFile&) = delete;
  SegmentInputFile& operator=(const SegmentInputFile&) = delete;

  const std::string& path() const { return path_; }
  // The size when the file was opened.
  uint64_t size() const { return size_; }
  // Reads exactly n bytes at `offset`. Thread-safe.
  void ReadAt(uint64_t offset, size_t n, void* out) const;

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace basalt::segment
