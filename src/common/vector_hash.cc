#include "common/vector_hash.h"

#include <cmath>
#include <cstring>

#include <xxhash.h>

#include "common/date_time.h"

namespace basalt {

namespace {

constexpr uint64_t kNullHash = 0xbf58476d1ce4e5b9ULL;

template <typename T>
inline uint64_t HashValue(const T& v) {
  if constexpr (std::is_same_v<T, StringRef>) {
    return XXH3_64bits(v.data(), v.size());
  } else if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
    double d = v;
    if (d == 0) d = 0;  // -0.0 == 0.0
    if (std::isnan(d)) d = NAN;
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    return MixHash(bits);
  } else if constexpr (std::is_same_v<T, int128_t>) {
    uint64_t lo = static_cast<uint64_t>(v);
    uint64_t hi = static_cast<uint64_t>(static_cast<uint128_t>(v) >> 64);
    return CombineHash(MixHash(lo), hi);
  } else if constexpr (std::is_same_v<T, Interval>) {
    // Intervals that compare equal ('1 month' = '30 days') must hash equally.
    return HashValue<int128_t>(IntervalSortKey(v));
  } else {
    return MixHash(static_cast<uint64_t>(static_cast<int64_t>(v)));
  }
}

}  // namespace

void HashVector(const Vector& v, idx_t count, uint64_t* hashes, bool combine) {
  UnifiedFormat in;
  v.ToUnified(count, &in);
  DispatchPhysical(v.type().physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* data = in.Data<T>();
    for (idx_t i = 0; i < count; i++) {
      uint32_t row = in.sel->Get(i);
      uint64_t h = in.validity->IsValid(row) ? HashValue(data[row]) : kNullHash;
      hashes[i] = combine ? CombineHash(hashes[i], h) : h;
    }
  });
}

}  // namespace basalt
