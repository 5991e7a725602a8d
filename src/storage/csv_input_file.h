// A file opened read-only by path and read at explicit offsets, shared by the
// CSV reader and sniffer so both report open and read failures alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace basalt {

// Owns one descriptor; reads go through pread, so the object has no file
// position and several readers may read one InputFile from different threads.
// Generic to every file reader; it sits here because it serves only CSV so far.
class InputFile {
 public:
  // Raises 58P01 `could not open file "x": No such file or directory` when the
  // file is missing, 58030 for any other failure (including a directory).
  explicit InputFile(std::string path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& path() const { return path_; }
  // The size when the file was opened.
  uint64_t size() const { return size_; }

  // Reads up to `bytes` bytes at `offset`; fewer only at the end of the file.
  // Raises 58030 on a read error.
  size_t ReadAt(char* destination, size_t bytes, uint64_t offset) const;
  // Hints that the file will be read front to back (the kernel reads ahead).
  void AdviseSequential() const;

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace basalt
