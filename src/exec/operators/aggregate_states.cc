#include "exec/operators/aggregate_states.h"

#include <algorithm>

#include "common/exception.h"

namespace basalt {

namespace {

constexpr idx_t kWideAlignment = 16;

idx_t AlignUp(idx_t n, idx_t alignment) { return (n + alignment - 1) & ~(alignment - 1); }

}  // namespace

AggregateStates::AggregateStates(std::vector<const BoundAggregateFunction*> functions)
    : functions_(std::move(functions)), scratch_(kBatchSize) {
  idx_t offset = 0;
  for (const BoundAggregateFunction* f : functions_) {
    offset = AlignUp(offset, f->state_size >= kWideAlignment ? kWideAlignment : 8);
    offsets_.push_back(offset);
    offset += f->state_size;
  }
  width_ = AlignUp(std::max<idx_t>(offset, 1), kWideAlignment);
}

AggregateStates::~AggregateStates() {
  for (idx_t a = 0; a < functions_.size(); a++) {
    if (functions_[a]->destroy == nullptr) continue;
    for (idx_t first = 0; first < groups_.size(); first += kBatchSize) {
      const idx_t count = std::min(kBatchSize, groups_.size() - first);
      for (idx_t i = 0; i < count; i++) scratch_[i] = groups_[first + i] + offsets_[a];
      functions_[a]->destroy(scratch_.data(), count);
    }
  }
}

void AggregateStates::AddGroups(idx_t count) {
  if (count == 0) return;
  // One block for the whole batch of new groups, aligned for int128_t states.
  char* raw = arena_.Allocate(count * width_ + kWideAlignment);
  auto* base =
      reinterpret_cast<uint8_t*>(AlignUp(reinterpret_cast<uintptr_t>(raw), kWideAlignment));
  const idx_t first = groups_.size();
  for (idx_t i = 0; i < count; i++) groups_.push_back(base + i * width_);
  for (idx_t a = 0; a < functions_.size(); a++) {
    const auto initialize = functions_[a]->initialize;
    for (idx_t i = 0; i < count; i++) initialize(groups_[first + i] + offsets_[a]);
  }
}

void AggregateStates::Finalize(idx_t aggregate, idx_t first, idx_t count, Vector& result) {
  BASALT_CHECK(count <= kBatchSize && first + count <= groups_.size());
  for (idx_t i = 0; i < count; i++) scratch_[i] = groups_[first + i] + offsets_[aggregate];
  const BoundAggregateFunction& f = *functions_[aggregate];
  f.finalize(scratch_.data(), count, result, f.data.get());
}

}  // namespace basalt
