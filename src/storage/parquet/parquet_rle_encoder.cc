#include "storage/parquet/parquet_rle_encoder.h"

#include <bit>

namespace basalt::parquet {

namespace {

constexpr size_t kMaxGroupsPerRun = 63;

void PutVarint(uint64_t v, std::vector<uint8_t>* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<uint8_t>(v));
}

// Length of the run of equal values at `i`, counting no further than `limit`.
size_t RunLength(const uint32_t* values, size_t count, size_t i, size_t limit) {
  size_t j = i + 1;
  while (j < count && j - i < limit && values[j] == values[i]) j++;
  return j - i;
}

}  // namespace

int BitWidthFor(uint32_t max_value) { return max_value == 0 ? 0 : std::bit_width(max_value); }

void EncodeRleBitPackedHybrid(const uint32_t* values, size_t count, int bit_width,
                              std::vector<uint8_t>* out) {
  const size_t value_bytes = (static_cast<size_t>(bit_width) + 7) / 8;
  size_t i = 0;
  while (i < count) {
    size_t run = RunLength(values, count, i, SIZE_MAX);
    if (run >= 8) {
      PutVarint(static_cast<uint64_t>(run) << 1, out);
      for (size_t b = 0; b < value_bytes; b++) out->push_back(static_cast<uint8_t>(values[i] >> (8 * b)));
      i += run;
      continue;
    }
    // A bit-packed run: whole groups of 8, until a group would start a run
    // worth encoding as RLE.
    const size_t start = i;
    size_t groups = 0;
    do {
      i += 8;
      groups++;
    } while (i < count && groups < kMaxGroupsPerRun && RunLength(values, count, i, 8) < 8);
    const size_t end = i < count ? i : count;
    PutVarint(static_cast<uint64_t>(groups) << 1 | 1, out);
    // Values are packed least significant bit first.
    uint64_t acc = 0;
    int bits = 0;
    for (size_t k = start; k < start + groups * 8; k++) {
      const uint64_t v = k < end ? values[k] : 0;
      acc |= v << bits;
      bits += bit_width;
      while (bits >= 8) {
        out->push_back(static_cast<uint8_t>(acc));
        acc >>= 8;
        bits -= 8;
      }
    }
    // groups * 8 * bit_width is a multiple of 8 bits: nothing is left over.
    i = end;
  }
}

}  // namespace basalt::parquet
