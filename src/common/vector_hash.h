// Hashing of column values, for hash joins, hash aggregation and hash
// exchanges. Equal values of one type hash equally (0.0 and -0.0, every NaN);
// NULLs hash to a fixed value (callers decide whether NULLs match).
#pragma once

#include <cstdint>

#include "common/vector.h"

namespace basalt {

// hashes[i] = hash of row i (i < count). With `combine`, mixes into the
// existing hashes[i] instead (for multi-column keys).
void HashVector(const Vector& v, idx_t count, uint64_t* hashes, bool combine);

inline uint64_t MixHash(uint64_t h) {
  // A 64-bit finalizer (multiply-xorshift) to spread low-entropy keys.
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ULL;
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ULL;
  h ^= h >> 32;
  return h;
}

inline uint64_t CombineHash(uint64_t a, uint64_t b) { return MixHash(a * 0x9e3779b97f4a7c15ULL + b); }

}  // namespace basalt
