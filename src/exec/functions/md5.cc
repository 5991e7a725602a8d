// MD5 as specified in RFC 1321.
#include "exec/functions/md5.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace basalt {

namespace {

struct Md5Constants {
  uint32_t k[64];
  Md5Constants() {
    // The RFC defines K[i] as the integer part of 2^32 * |sin(i + 1)|.
    for (int i = 0; i < 64; i++) {
      k[i] = static_cast<uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
    }
  }
};

const Md5Constants kConstants;

constexpr int kShifts[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                             5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                             4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                             6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

uint32_t RotateLeft(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

void ProcessBlock(const uint8_t* block, uint32_t state[4]) {
  uint32_t m[16];
  for (int i = 0; i < 16; i++) {
    m[i] = uint32_t{block[i * 4]} | (uint32_t{block[i * 4 + 1]} << 8) |
           (uint32_t{block[i * 4 + 2]} << 16) | (uint32_t{block[i * 4 + 3]} << 24);
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  for (int i = 0; i < 64; i++) {
    uint32_t f;
    int g;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) % 16;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) % 16;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) % 16;
    }
    f += a + kConstants.k[i] + m[g];
    a = d;
    d = c;
    c = b;
    b += RotateLeft(f, kShifts[i]);
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
}

}  // namespace

void Md5Hex(std::string_view data, char* out) {
  uint32_t state[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(data.data());
  size_t full = data.size() / 64;
  for (size_t i = 0; i < full; i++) ProcessBlock(bytes + i * 64, state);
  // The tail, a 1 bit, zeros, and the length in bits fill one or two blocks.
  uint8_t tail[128] = {};
  size_t rest = data.size() % 64;
  if (rest > 0) std::memcpy(tail, bytes + full * 64, rest);
  tail[rest] = 0x80;
  size_t tail_size = rest < 56 ? 64 : 128;
  uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; i++) tail[tail_size - 8 + i] = static_cast<uint8_t>(bits >> (8 * i));
  ProcessBlock(tail, state);
  if (tail_size == 128) ProcessBlock(tail + 64, state);
  static const char kHex[] = "0123456789abcdef";
  for (int w = 0; w < 4; w++) {
    for (int byte = 0; byte < 4; byte++) {
      uint8_t v = static_cast<uint8_t>(state[w] >> (8 * byte));
      out[(w * 4 + byte) * 2] = kHex[v >> 4];
      out[(w * 4 + byte) * 2 + 1] = kHex[v & 15];
    }
  }
}

}  // namespace basalt
