// Column batches as bytes, for exchanges between processes: each column
// flattened to its values and validity, the whole batch LZ4-compressed when
// that pays. Strings of a decoded batch point into the received buffer (no
// copy per string); the batch keeps the buffer alive.
//
// Layout of the raw bytes (little-endian; the nodes of one cluster share a
// byte order):
//   u32 rows, u32 columns
//   per column: u8 type id, u8 has_nulls,
//               [u64 validity words, ceil(rows/64)] when has_nulls,
//               fixed-width values: rows x value size, or
//               strings: u32 length per row, then the bytes back to back.
// NULL rows hold zeros / empty strings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/data_chunk.h"

namespace basalt {

struct SerializedBatch {
  std::string bytes;     // LZ4 block when compressed, else the raw layout
  uint32_t raw_size = 0;
  uint32_t rows = 0;
  bool compressed = false;
};

// Encodes `chunk` (any vector forms) into *out, reusing its buffers.
void SerializeBatch(const DataChunk& chunk, SerializedBatch* out);

// Decodes a batch of `types`. Throws BasaltError (XX001) when the bytes are
// damaged or do not match the types, never reads outside them.
DataChunk DeserializeBatch(const std::string& bytes, uint32_t raw_size, bool compressed,
                           const std::vector<LogicalType>& types);

}  // namespace basalt
