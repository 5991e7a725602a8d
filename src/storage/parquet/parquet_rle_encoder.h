// The RLE / bit-packed hybrid encoding of the writer (definition levels and
// dictionary indices): the mirror of the decoder in parquet_encoding.h.
// Runs of 8 or more equal values become RLE runs; everything between them is
// bit-packed in groups of 8 values, at most 63 groups per run (the limit some
// older readers assume). Only the last group may be padded with zeros, which
// readers drop because they know how many values to expect. Stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace basalt::parquet {

// Appends the encoding of values[0, count) at `bit_width` (0..32; every value
// must fit) to `out`, without any length prefix.
void EncodeRleBitPackedHybrid(const uint32_t* values, size_t count, int bit_width,
                              std::vector<uint8_t>* out);

// The bit width needed for values up to max_value (0 for 0).
int BitWidthFor(uint32_t max_value);

}  // namespace basalt::parquet
