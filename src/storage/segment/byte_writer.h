// An append-only little-endian byte buffer for building block payloads and
// the footer. Reused across blocks so encoding allocates only while it grows.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace basalt::segment {

static_assert(std::endian::native == std::endian::little,
              "the segment format is little-endian and written with memcpy");

class ByteWriter {
 public:
  void Clear() { bytes_.clear(); }
  size_t size() const { return bytes_.size(); }
  const uint8_t* data() const { return bytes_.data(); }
  uint8_t* data() { return bytes_.data(); }

  void PutU8(uint8_t v) { bytes_.push_back(v); }
  void PutU32(uint32_t v) { PutRaw(&v, sizeof(v)); }
  void PutU64(uint64_t v) { PutRaw(&v, sizeof(v)); }
  // LEB128: 7 bits a byte, least significant first.
  void PutVarint(uint64_t v) {
    while (v >= 0x80) {
      bytes_.push_back(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    bytes_.push_back(static_cast<uint8_t>(v));
  }
  void PutBytes(const void* p, size_t n) { PutRaw(p, n); }
  // Varint length, then the bytes.
  void PutString(std::string_view s) {
    PutVarint(s.size());
    PutRaw(s.data(), s.size());
  }
  // Appends n zero bytes and returns where they start (valid until the next append).
  uint8_t* Extend(size_t n) {
    size_t at = bytes_.size();
    bytes_.resize(at + n);
    return bytes_.data() + at;
  }

 private:
  void PutRaw(const void* p, size_t n) {
    if (n == 0) return;
    size_t at = bytes_.size();
    bytes_.resize(at + n);
    std::memcpy(bytes_.data() + at, p, n);
  }

  std::vector<uint8_t> bytes_;
};

}  // namespace basalt::segment
