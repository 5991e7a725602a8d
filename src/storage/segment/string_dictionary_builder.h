// Collects the distinct strings of a column (or of one block) and gives each
// a code in order of first appearance; SortedCodes then gives their order by
// value so the writer can renumber them into a sorted dictionary.
//
// An open-addressing hash table over XXH3 hashes: one hash and usually one
// probe per row, no allocation per row (strings are appended to one buffer).
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace basalt::segment {

class StringDictionaryBuilder {
 public:
  StringDictionaryBuilder() { Clear(); }

  // The code of `s`, adding it when it is new.
  uint32_t Insert(std::string_view s);

  size_t size() const { return hashes_.size(); }
  // Total bytes of the distinct strings.
  size_t bytes() const { return data_.size(); }
  std::string_view value(uint32_t code) const {
    return {data_.data() + offsets_[code], offsets_[code + 1] - offsets_[code]};
  }
  // Forgets every string but keeps the memory.
  void Clear();
  // Codes ordered by their strings (byte-wise, the C collation).
  std::vector<uint32_t> SortedCodes() const;

 private:
  void Grow();

  std::string data_;
  std::vector<uint64_t> offsets_;  // size() + 1 entries
  std::vector<uint64_t> hashes_;   // per code
  std::vector<uint32_t> slots_;    // 0 = empty, else code + 1
  uint64_t mask_ = 0;
};

}  // namespace basalt::segment
