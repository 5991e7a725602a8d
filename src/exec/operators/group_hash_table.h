// A hash table that maps distinct key tuples to dense ids 0, 1, 2, ... in the
// order the keys first appear, keeping each distinct key once in a
// ColumnStore (row id = group id). It is the core of GROUP BY, of the
// DISTINCT filter of aggregates and of the hash join's build side.
//
// Open addressing with linear probing over a power-of-two array of
// {hash, id} entries, kept at most half full and grown by rehashing from the
// stored hashes (no key is compared while growing). The full 64-bit hash sits
// next to each id, so most mismatches are rejected without touching keys.
//
// Lookups work a batch at a time: every row walks the table until it reaches
// an empty slot or an entry with its hash; then the candidates' keys are
// compared column by column in typed loops, and rows whose candidate turned
// out different continue from the next slot in another round. Keys are equal
// when every column is equal with NULL equal to NULL (GROUP BY semantics);
// joins keep NULL keys out of the table themselves.
//
// Not thread-safe: each operator instance owns its tables.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/vector.h"
#include "exec/operators/column_store.h"

namespace basalt {

class GroupHashTable {
 public:
  static constexpr uint32_t kNoGroup = UINT32_MAX;

  explicit GroupHashTable(std::vector<LogicalType> key_types);

  // hashes[i] = hash of the key tuple in row i of `keys` (i < count); all
  // rows hash alike when there are no key columns.
  static void HashKeys(const std::vector<Vector>& keys, idx_t count, uint64_t* hashes);

  // ids[i] = the id of the key in row i (i < count <= kBatchSize), creating
  // ids for keys not seen before. The rows that created an id are written to
  // new_rows in creation order (the first one got the id size() had before
  // the call); returns how many there are.
  idx_t FindOrInsert(const std::vector<Vector>& keys, const uint64_t* hashes, idx_t count,
                     uint32_t* ids, uint32_t* new_rows);
  // ids[i] = the id of the key in row i, or kNoGroup; never inserts.
  void Find(const std::vector<Vector>& keys, const uint64_t* hashes, idx_t count, uint32_t* ids);

  // Number of distinct keys.
  idx_t size() const { return size_; }
  // Bytes held: the slots and the distinct keys (memory accounting).
  uint64_t MemoryUsage() const { return capacity_ * sizeof(Entry) + keys_.MemoryUsage(); }
  // The distinct keys; row id = group id.
  const ColumnStore& keys() const { return keys_; }

 private:
  struct Entry {
    uint64_t hash;
    uint32_t id;  // kNoGroup = empty slot
  };

  // Makes room for `extra` more ids at a load factor of at most one half.
  void Reserve(idx_t extra);
  template <bool kInsert>
  idx_t Probe(const std::vector<Vector>& keys, const uint64_t* hashes, idx_t count, uint32_t* ids,
              uint32_t* new_rows);
  // Keeps in compare_rows_ the rows whose key equals their candidate's;
  // appends the others to mismatch_rows. Returns how many matched.
  idx_t CompareCandidates(const std::vector<Vector>& keys, idx_t count, idx_t compare_count,
                          uint32_t* mismatch_rows, idx_t* mismatch_count);

  ColumnStore keys_;
  std::unique_ptr<Entry[]> entries_;
  idx_t capacity_ = 0;  // a power of two
  idx_t mask_ = 0;
  idx_t size_ = 0;

  // Per-batch scratch (kBatchSize each), kept to avoid allocating per batch.
  std::unique_ptr<uint64_t[]> slots_;
  std::unique_ptr<uint32_t[]> candidates_;
  std::unique_ptr<uint32_t[]> pending_;
  std::unique_ptr<uint32_t[]> compare_rows_;
  std::unique_ptr<uint32_t[]> fresh_rows_;
};

}  // namespace basalt
