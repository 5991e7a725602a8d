// Writes one output file from chunks that several threads produce out of
// order: each chunk is appended once every chunk before it has been, so the
// file's bytes do not depend on which thread made what. Chunks are large
// (megabytes), so each is one write(2) straight from its buffer.
//
// Thread safety: every method may be called from any thread. mutex_ guards
// pending_, next_chunk_, aborted_ and the file descriptor's position.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace basalt::tpch {

class OrderedFileWriter {
 public:
  // Creates or truncates `path`; throws BasaltError 58030 when it cannot.
  // At most `window` chunks may wait for their turn, which bounds memory when
  // one thread falls behind the others.
  OrderedFileWriter(std::string path, int64_t window);
  ~OrderedFileWriter();

  OrderedFileWriter(const OrderedFileWriter&) = delete;
  OrderedFileWriter& operator=(const OrderedFileWriter&) = delete;

  // Blocks until chunk `index` is within the window. Returns false when the
  // writer was aborted, so the caller should stop.
  bool WaitForTurn(int64_t index);
  // Hands over chunk `index` (each index exactly once, from 0 up). Throws
  // BasaltError 58030 when writing fails.
  void Submit(int64_t index, std::string data);
  // Wakes every waiter and makes later waits return false.
  void Abort();
  // Closes the file; throws when closing reports a write error.
  void Close();

  const std::string& path() const { return path_; }

 private:
  void WriteLocked(const std::string& data);

  const std::string path_;
  const int64_t window_;
  int fd_ = -1;
  std::mutex mutex_;
  std::condition_variable turn_;
  std::map<int64_t, std::string> pending_;
  int64_t next_chunk_ = 0;
  bool aborted_ = false;
};

}  // namespace basalt::tpch
