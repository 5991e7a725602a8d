// A 16-byte string view used inside vectors. Strings of up to 12 bytes are
// stored inline; longer ones keep a 4-byte prefix inline (so most comparisons
// never touch the heap) and a pointer into a string heap owned by the vector.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace basalt {

class StringRef {
 public:
  static constexpr uint32_t kInlineLength = 12;

  StringRef() : size_(0), prefix_{0, 0, 0, 0}, ptr_(nullptr) {}
  // Does not copy: the caller keeps `data` alive (see StringHeap).
  StringRef(const char* data, uint32_t size) : size_(size), prefix_{0, 0, 0, 0}, ptr_(nullptr) {
    if (size <= kInlineLength) {
      // The inline bytes run from prefix_ through the pointer's storage.
      if (size > 0) std::memcpy(InlineBytes(), data, size);
    } else {
      std::memcpy(prefix_, data, 4);
      ptr_ = data;
    }
  }
  explicit StringRef(std::string_view s) : StringRef(s.data(), static_cast<uint32_t>(s.size())) {}

  uint32_t size() const { return size_; }
  bool IsInlined() const { return size_ <= kInlineLength; }
  const char* data() const {
    return IsInlined() ? reinterpret_cast<const char*>(this) + 4 : ptr_;
  }
  std::string_view view() const { return {data(), size_}; }
  std::string ToString() const { return std::string(view()); }

  bool operator==(const StringRef& o) const {
    // Size and prefix are the first 8 bytes: one compare rejects most mismatches.
    uint64_t a, b;
    std::memcpy(&a, this, 8);
    std::memcpy(&b, &o, 8);
    if (a != b) return false;
    if (IsInlined()) return std::memcmp(&ptr_, &o.ptr_, 8) == 0;
    return std::memcmp(ptr_, o.ptr_, size_) == 0;
  }
  bool operator!=(const StringRef& o) const { return !(*this == o); }
  // Byte-wise comparison (the C collation).
  int Compare(const StringRef& o) const {
    uint32_t n = size_ < o.size_ ? size_ : o.size_;
    int c = std::memcmp(data(), o.data(), n);
    if (c != 0) return c;
    return size_ < o.size_ ? -1 : (size_ > o.size_ ? 1 : 0);
  }
  bool operator<(const StringRef& o) const { return Compare(o) < 0; }

 private:
  char* InlineBytes() { return reinterpret_cast<char*>(this) + 4; }

  uint32_t size_;
  char prefix_[4];
  // Long strings: pointer to the bytes. Short strings: bytes 4..11 of the
  // string itself (read through prefix_, which directly precedes it).
  const char* ptr_;
};

static_assert(sizeof(StringRef) == 16, "StringRef must stay 16 bytes");

}  // namespace basalt
