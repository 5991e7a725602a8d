#include "exec/operators/join_hash_table.h"

namespace basalt {

JoinHashTable::JoinHashTable(std::vector<LogicalType> key_types)
    : table_(std::move(key_types)), hashes_(kBatchSize), ids_(kBatchSize), new_rows_(kBatchSize) {}

void JoinHashTable::Insert(const std::vector<Vector>& keys, idx_t count, const uint32_t* row_ids) {
  if (count == 0) return;
  GroupHashTable::HashKeys(keys, count, hashes_.data());
  table_.FindOrInsert(keys, hashes_.data(), count, ids_.data(), new_rows_.data());
  heads_.resize(table_.size(), kEndOfChain);
  next_.resize(idx_t{row_ids[count - 1]} + 1, kEndOfChain);
  // Prepending keeps insertion O(1); the order of rows within a chain is
  // irrelevant to the join's result.
  for (idx_t i = 0; i < count; i++) {
    const uint32_t row = row_ids[i];
    next_[row] = heads_[ids_[i]];
    heads_[ids_[i]] = row;
  }
}

void JoinHashTable::Probe(const std::vector<Vector>& keys, idx_t count, uint32_t* heads) {
  GroupHashTable::HashKeys(keys, count, hashes_.data());
  // Stored keys have no NULLs, so a probe key with a NULL finds no entry.
  table_.Find(keys, hashes_.data(), count, ids_.data());
  for (idx_t i = 0; i < count; i++) {
    heads[i] = ids_[i] == GroupHashTable::kNoGroup ? kEndOfChain : heads_[ids_[i]];
  }
}

}  // namespace basalt
