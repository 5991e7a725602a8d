// The aggregate states of every group of a hash aggregation: one fixed-width
// row of state bytes per group id, holding each aggregate's state at its own
// offset, carved out of an arena so that new groups never cost a malloc.
//
// Offsets of states of 16 bytes or more are 16-byte aligned (such states may
// hold an int128_t); the others are 8-byte aligned. States are destroyed
// (BoundAggregateFunction::destroy) when this object dies, after all output
// has been finalized. Not thread-safe: owned by one operator instance.
#pragma once

#include <cstdint>
#include <vector>

#include "common/arena.h"
#include "exec/function.h"

namespace basalt {

class AggregateStates {
 public:
  explicit AggregateStates(std::vector<const BoundAggregateFunction*> functions);
  ~AggregateStates();
  AggregateStates(const AggregateStates&) = delete;
  AggregateStates& operator=(const AggregateStates&) = delete;

  // Creates and initializes the states of groups size() .. size()+count-1.
  void AddGroups(idx_t count);
  idx_t size() const { return groups_.size(); }
  // Bytes held: the state rows' arena and the pointers to them. States that
  // allocate on their own (string_agg's text, say) are not seen.
  uint64_t MemoryUsage() const {
    return arena_.BytesAllocated() + groups_.capacity() * sizeof(uint8_t*);
  }

  // The state row of a group; aggregate a's state is at Group(id) + offset(a).
  uint8_t* Group(uint32_t id) const { return groups_[id]; }
  idx_t offset(idx_t aggregate) const { return offsets_[aggregate]; }

  // Writes the values of aggregate a for groups first .. first+count-1 into
  // rows 0.. count-1 of `result` (count <= kBatchSize).
  void Finalize(idx_t aggregate, idx_t first, idx_t count, Vector& result);

 private:
  std::vector<const BoundAggregateFunction*> functions_;
  std::vector<idx_t> offsets_;
  idx_t width_ = 0;
  Arena arena_;
  std::vector<uint8_t*> groups_;
  std::vector<uint8_t*> scratch_;  // kBatchSize state pointers
};

}  // namespace basalt
