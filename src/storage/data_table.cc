#include "storage/data_table.h"

#include <algorithm>

#include "common/vector_hash.h"

namespace basalt {

void DataTable::Append(const DataChunk& chunk) {
  if (chunk.size() == 0) return;
  // Hash outside the lock; only the sketch update needs it.
  std::vector<std::vector<uint64_t>> hashes(types_.size(), std::vector<uint64_t>(chunk.size()));
  for (idx_t c = 0; c < types_.size(); c++) {
    HashVector(chunk.column(c), chunk.size(), hashes[c].data(), false);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (idx_t c = 0; c < types_.size(); c++) {
    UnifiedFormat f;
    chunk.column(c).ToUnified(chunk.size(), &f);
    const uint64_t* h = hashes[c].data();
    if (f.validity->AllValid()) {
      for (idx_t r = 0; r < chunk.size(); r++) distinct_[c].Add(h[r]);
    } else {
      for (idx_t r = 0; r < chunk.size(); r++) {
        if (f.validity->IsValid(f.sel->Get(r))) distinct_[c].Add(h[r]);
      }
    }
  }
  idx_t offset = 0;
  while (offset < chunk.size()) {
    std::shared_ptr<DataChunk> target;
    if (!batches_.empty() && batches_.back()->size() < kBatchSize) {
      // Copy the partial last batch so scans holding the old one are unaffected.
      target = std::make_shared<DataChunk>(types_);
      target->Append(*batches_.back());
      batches_.pop_back();
    } else {
      target = std::make_shared<DataChunk>(types_);
    }
    idx_t n = std::min(kBatchSize - target->size(), chunk.size() - offset);
    SelectionVector sel(n);
    for (idx_t i = 0; i < n; i++) sel.Set(i, static_cast<uint32_t>(offset + i));
    for (idx_t c = 0; c < types_.size(); c++) {
      target->column(c).CopyFrom(chunk.column(c), sel, n, target->size());
    }
    target->SetSize(target->size() + n);
    batches_.push_back(std::move(target));
    offset += n;
    row_count_ += n;
  }
}

void DataTable::Truncate() {
  std::lock_guard<std::mutex> lock(mutex_);
  batches_.clear();
  row_count_ = 0;
  distinct_.assign(types_.size(), HyperLogLog());
}

double DataTable::DistinctCount(idx_t column) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::min(distinct_[column].Estimate(), static_cast<double>(row_count_));
}

std::vector<std::shared_ptr<const DataChunk>> DataTable::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return batches_;
}

idx_t DataTable::RowCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return row_count_;
}

}  // namespace basalt
