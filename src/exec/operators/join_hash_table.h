// The index over a hash join's build rows: each distinct key once in a
// GroupHashTable, and per key a chain of the build rows that carry it
// (heads per key id, a next pointer per build row). Deduplicating the keys
// means a probe row compares keys once, however many build rows share its
// key, and every row of the chain it then walks is a match.
//
// Rows with a NULL key never enter the index (NULL never equals anything in
// a join condition); the caller keeps them out. Not thread-safe: each
// operator instance builds its own index.
#pragma once

#include <cstdint>
#include <vector>

#include "exec/operators/group_hash_table.h"

namespace basalt {

class JoinHashTable {
 public:
  static constexpr uint32_t kEndOfChain = UINT32_MAX;

  explicit JoinHashTable(std::vector<LogicalType> key_types);

  // Indexes build rows row_ids[0..count): row i's key is row i of `keys`,
  // which must not be NULL. Row ids increase from call to call.
  void Insert(const std::vector<Vector>& keys, idx_t count, const uint32_t* row_ids);
  // heads[i] = the first build row whose key equals row i of `keys`, or
  // kEndOfChain (also for keys with a NULL).
  void Probe(const std::vector<Vector>& keys, idx_t count, uint32_t* heads);
  // The build row after `row` in its key's chain, or kEndOfChain.
  uint32_t Next(uint32_t row) const { return next_[row]; }

  bool empty() const { return table_.size() == 0; }
  // Bytes held: the key table and the chains (memory accounting).
  uint64_t MemoryUsage() const {
    return table_.MemoryUsage() + (heads_.capacity() + next_.capacity()) * sizeof(uint32_t);
  }

 private:
  GroupHashTable table_;
  std::vector<uint32_t> heads_;  // per key id
  std::vector<uint32_t> next_;   // per build row id
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> new_rows_;
};

}  // namespace basalt
