// A bounds-checked little-endian cursor over a byte range. Every read checks
// the remaining length first and throws SegmentDecodeError rather than reading
// past the end, so a decoder built on it cannot be led out of bounds by the
// lengths and counts it finds in a corrupt file.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "storage/segment/segment_error.h"

namespace basalt::segment {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }
  bool AtEnd() const { return pos_ == size_; }

  uint8_t GetU8(const char* what) {
    Need(1, what);
    return data_[pos_++];
  }
  uint32_t GetU32(const char* what) { return GetFixed<uint32_t>(what); }
  uint64_t GetU64(const char* what) { return GetFixed<uint64_t>(what); }
  uint64_t GetVarint(const char* what) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = GetU8(what);
      if (shift == 63 && b > 1) ThrowDecodeError("{} does not fit in 64 bits", what);
      v |= uint64_t{b & 0x7Fu} << shift;
      if ((b & 0x80) == 0) return v;
    }
    ThrowDecodeError("{} does not fit in 64 bits", what);
  }
  // A pointer to the next n bytes, which the reader then skips.
  const uint8_t* GetBytes(uint64_t n, const char* what) {
    Need(n, what);
    const uint8_t* p = data_ + pos_;
    pos_ += n;
    return p;
  }
  std::string_view GetString(const char* what) {
    uint64_t n = GetVarint(what);
    const uint8_t* p = GetBytes(n, what);
    return {reinterpret_cast<const char*>(p), n};
  }
  void ExpectEnd(const char* what) const {
    if (pos_ != size_) ThrowDecodeError("{} bytes left over after {}", size_ - pos_, what);
  }

 private:
  template <typename T>
  T GetFixed(const char* what) {
    Need(sizeof(T), what);
    T v;
    std::memcpy(&v, data_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  void Need(uint64_t n, const char* what) const {
    if (n > size_ - pos_) {
      ThrowDecodeError("{} needs {} bytes at offset {} but only {} remain", what, n, pos_,
                       size_ - pos_);
    }
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace basalt::segment
