#include "storage/segment/string_dictionary_builder.h"

#include <xxhash.h>

#include <algorithm>
#include <numeric>

namespace basalt::segment {

namespace {
constexpr size_t kInitialSlots = 1024;
}

void StringDictionaryBuilder::Clear() {
  data_.clear();
  offsets_.assign(1, 0);
  hashes_.clear();
  if (slots_.size() != kInitialSlots) {
    slots_.assign(kInitialSlots, 0);
    slots_.shrink_to_fit();
  } else {
    std::fill(slots_.begin(), slots_.end(), 0);
  }
  mask_ = slots_.size() - 1;
}

uint32_t StringDictionaryBuilder::Insert(std::string_view s) {
  const uint64_t h = XXH3_64bits(s.data(), s.size());
  uint64_t slot = h & mask_;
  while (true) {
    const uint32_t entry = slots_[slot];
    if (entry == 0) break;
    const uint32_t code = entry - 1;
    if (hashes_[code] == h && value(code) == s) return code;
    slot = (slot + 1) & mask_;
  }
  const auto code = static_cast<uint32_t>(hashes_.size());
  data_.append(s);
  offsets_.push_back(data_.size());
  hashes_.push_back(h);
  slots_[slot] = code + 1;
  // Keep the load at most one half so probes stay short.
  if (hashes_.size() * 2 > slots_.size()) Grow();
  return code;
}

void StringDictionaryBuilder::Grow() {
  slots_.assign(slots_.size() * 2, 0);
  mask_ = slots_.size() - 1;
  for (uint32_t code = 0; code < hashes_.size(); code++) {
    uint64_t slot = hashes_[code] & mask_;
    while (slots_[slot] != 0) slot = (slot + 1) & mask_;
    slots_[slot] = code + 1;
  }
}

std::vector<uint32_t> StringDictionaryBuilder::SortedCodes() const {
  std::vector<uint32_t> order(size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [this](uint32_t a, uint32_t b) { return value(a) < value(b); });
  return order;
}

}  // namespace basalt::segment
