#include "exec/operators/group_hash_table.h"

#include "common/exception.h"
#include "exec/operators/key_compare.h"
#include "common/vector_hash.h"

namespace basalt {

namespace {

constexpr idx_t kMinCapacity = 64;

}  // namespace

GroupHashTable::GroupHashTable(std::vector<LogicalType> key_types)
    : keys_(std::move(key_types)),
      slots_(new uint64_t[kBatchSize]),
      candidates_(new uint32_t[kBatchSize]),
      pending_(new uint32_t[kBatchSize]),
      compare_rows_(new uint32_t[kBatchSize]),
      fresh_rows_(new uint32_t[kBatchSize]) {}

void GroupHashTable::HashKeys(const std::vector<Vector>& keys, idx_t count, uint64_t* hashes) {
  if (keys.empty()) {
    std::fill(hashes, hashes + count, uint64_t{0});
    return;
  }
  for (idx_t c = 0; c < keys.size(); c++) HashVector(keys[c], count, hashes, c > 0);
}

void GroupHashTable::Reserve(idx_t extra) {
  const idx_t needed = (size_ + extra) * 2;
  if (needed <= capacity_) return;
  idx_t capacity = capacity_ == 0 ? kMinCapacity : capacity_;
  while (capacity < needed) capacity *= 2;
  auto entries = std::unique_ptr<Entry[]>(new Entry[capacity]);
  for (idx_t s = 0; s < capacity; s++) entries[s] = Entry{0, kNoGroup};
  const idx_t mask = capacity - 1;
  // Every stored key is distinct, so reinserting needs only the hashes.
  for (idx_t s = 0; s < capacity_; s++) {
    const Entry& e = entries_[s];
    if (e.id == kNoGroup) continue;
    idx_t slot = e.hash & mask;
    while (entries[slot].id != kNoGroup) slot = (slot + 1) & mask;
    entries[slot] = e;
  }
  entries_ = std::move(entries);
  capacity_ = capacity;
  mask_ = mask;
}

idx_t GroupHashTable::CompareCandidates(const std::vector<Vector>& keys, idx_t count,
                                        idx_t compare_count, uint32_t* mismatch_rows,
                                        idx_t* mismatch_count) {
  uint32_t* rows = compare_rows_.get();
  const uint32_t* candidates = candidates_.get();
  for (idx_t c = 0; c < keys.size() && compare_count > 0; c++) {
    UnifiedFormat in;
    keys[c].ToUnified(count, &in);
    const bool stored_nulls = keys_.HasNulls(c);
    const bool input_nulls = !in.validity->AllValid();
    DispatchPhysical(keys_.types()[c].physical(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* input = in.Data<T>();
      const T* stored = keys_.Data<T>(c);
      if (c == 0) {
        for (idx_t j = 0; j < compare_count; j++) __builtin_prefetch(&stored[candidates[rows[j]]]);
      }
      idx_t kept = 0;
      if (!stored_nulls && !input_nulls) {
        for (idx_t j = 0; j < compare_count; j++) {
          const uint32_t row = rows[j];
          if (KeyEquals(input[in.sel->Get(row)], stored[candidates[row]])) {
            rows[kept++] = row;
          } else {
            mismatch_rows[(*mismatch_count)++] = row;
          }
        }
      } else {
        for (idx_t j = 0; j < compare_count; j++) {
          const uint32_t row = rows[j];
          const uint32_t src = in.sel->Get(row);
          const uint32_t id = candidates[row];
          const bool input_valid = in.validity->IsValid(src);
          const bool stored_valid = keys_.IsValid(c, id);
          const bool equal = input_valid && stored_valid ? KeyEquals(input[src], stored[id])
                                                         : input_valid == stored_valid;
          if (equal) {
            rows[kept++] = row;
          } else {
            mismatch_rows[(*mismatch_count)++] = row;
          }
        }
      }
      compare_count = kept;
    });
  }
  return compare_count;
}

template <bool kInsert>
idx_t GroupHashTable::Probe(const std::vector<Vector>& keys, const uint64_t* hashes, idx_t count,
                            uint32_t* ids, uint32_t* new_rows) {
  BASALT_CHECK(count <= kBatchSize);
  BASALT_CHECK_EQ(keys.size(), keys_.ColumnCount());
  if constexpr (kInsert) {
    Reserve(count);
  } else if (capacity_ == 0) {
    std::fill(ids, ids + count, kNoGroup);
    return 0;
  }
  uint64_t* slots = slots_.get();
  uint32_t* pending = pending_.get();
  for (idx_t i = 0; i < count; i++) {
    pending[i] = static_cast<uint32_t>(i);
    slots[i] = hashes[i] & mask_;
    // A big table misses the cache on nearly every lookup; asking for all of
    // the batch's slots up front overlaps those misses.
    __builtin_prefetch(&entries_[slots[i]]);
  }
  idx_t pending_count = count;
  idx_t new_count = 0;
  while (pending_count > 0) {
    idx_t compare_count = 0;
    idx_t fresh_count = 0;
    for (idx_t p = 0; p < pending_count; p++) {
      const uint32_t row = pending[p];
      const uint64_t hash = hashes[row];
      idx_t slot = slots[row];
      while (true) {
        Entry& e = entries_[slot];
        if (e.id == kNoGroup) {
          if constexpr (kInsert) {
            e.hash = hash;
            e.id = static_cast<uint32_t>(size_++);
            ids[row] = e.id;
            fresh_rows_[fresh_count++] = row;
            new_rows[new_count++] = row;
          } else {
            ids[row] = kNoGroup;
          }
          break;
        }
        if (e.hash == hash) {
          candidates_[row] = e.id;
          compare_rows_[compare_count++] = row;
          break;
        }
        slot = (slot + 1) & mask_;
      }
      slots[row] = slot;
    }
    if (kInsert && fresh_count > 0) {
      // Store the new keys before comparing: later rows of this batch with
      // the same key have just become candidates of these entries.
      SelectionVector fresh(fresh_rows_.get());
      keys_.Reserve(fresh_count);
      for (idx_t c = 0; c < keys.size(); c++) keys_.AppendColumn(c, keys[c], &fresh, fresh_count);
      keys_.Commit(fresh_count);
    }
    idx_t mismatch_count = 0;
    const idx_t matched = CompareCandidates(keys, count, compare_count, pending, &mismatch_count);
    for (idx_t j = 0; j < matched; j++) {
      const uint32_t row = compare_rows_[j];
      ids[row] = candidates_[row];
    }
    for (idx_t j = 0; j < mismatch_count; j++) {
      const uint32_t row = pending[j];
      slots[row] = (slots[row] + 1) & mask_;
    }
    pending_count = mismatch_count;
  }
  return new_count;
}

idx_t GroupHashTable::FindOrInsert(const std::vector<Vector>& keys, const uint64_t* hashes,
                                   idx_t count, uint32_t* ids, uint32_t* new_rows) {
  return Probe<true>(keys, hashes, count, ids, new_rows);
}

void GroupHashTable::Find(const std::vector<Vector>& keys, const uint64_t* hashes, idx_t count,
                          uint32_t* ids) {
  Probe<false>(keys, hashes, count, ids, nullptr);
}

}  // namespace basalt
