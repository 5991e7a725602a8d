// A bump allocator for variable-length data (string bytes, hash table
// payloads). Memory is freed all at once when the arena dies, so hot loops
// never call malloc per row.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "common/string_ref.h"

namespace basalt {

class Arena {
 public:
  explicit Arena(size_t block_size = 64 * 1024) : block_size_(block_size) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  char* Allocate(size_t n) {
    n = (n + 7) & ~size_t{7};
    if (remaining_ < n) NewBlock(n);
    char* p = cursor_;
    cursor_ += n;
    remaining_ -= n;
    return p;
  }

  // Copies the string into the arena unless it fits inline in a StringRef.
  StringRef AddString(std::string_view s) {
    if (s.size() <= StringRef::kInlineLength) return StringRef(s);
    char* p = Allocate(s.size());
    std::memcpy(p, s.data(), s.size());
    return StringRef(p, static_cast<uint32_t>(s.size()));
  }
  StringRef AddString(const StringRef& s) {
    return s.IsInlined() ? s : AddString(s.view());
  }

  size_t BytesAllocated() const { return total_; }

 private:
  void NewBlock(size_t min_size) {
    size_t size = min_size > block_size_ ? min_size : block_size_;
    // Not zeroed: every byte is written before it is read, and zeroing a
    // fresh block would touch (and fault in) all of its pages at once.
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    cursor_ = blocks_.back().get();
    remaining_ = size;
    total_ += size;
    // Grow geometrically so big inputs need few blocks.
    if (block_size_ < (size_t{16} << 20)) block_size_ *= 2;
  }

  size_t block_size_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  size_t remaining_ = 0;
  size_t total_ = 0;
};

}  // namespace basalt
