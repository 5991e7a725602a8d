#include "storage/data_table.h"

#include <algorithm>

#include "common/vector_hash.h"

namespace basalt {

DataTable::DataTable(std::vector<LogicalType> types)
    : types_(std::move(types)), data_(std::make_shared<TableData>()), sketches_(types_.size()) {}

void AddToSketches(const DataChunk& chunk, std::vector<HyperLogLog>* sketches) {
  if (chunk.size() == 0) return;
  std::vector<uint64_t> hashes(chunk.size());
  for (idx_t c = 0; c < sketches->size(); c++) {
    HashVector(chunk.column(c), chunk.size(), hashes.data(), false);
    UnifiedFormat f;
    chunk.column(c).ToUnified(chunk.size(), &f);
    HyperLogLog& sketch = (*sketches)[c];
    if (f.validity->AllValid()) {
      for (idx_t r = 0; r < chunk.size(); r++) sketch.Add(hashes[r]);
    } else {
      for (idx_t r = 0; r < chunk.size(); r++) {
        if (f.validity->IsValid(f.sel->Get(r))) sketch.Add(hashes[r]);
      }
    }
  }
}

void DataTable::CommitBatches(std::vector<DataChunk> chunks, const std::vector<HyperLogLog>& added,
                              bool replace) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto next = std::make_shared<TableData>();
  if (!replace) {
    next->batches = data_->batches;
    next->row_count = data_->row_count;
  }
  for (DataChunk& chunk : chunks) {
    bool last_full = next->batches.empty() || next->batches.back()->size() == kBatchSize;
    if (chunk.size() == kBatchSize && last_full) {
      next->row_count += chunk.size();
      next->batches.push_back(std::make_shared<DataChunk>(std::move(chunk)));
      continue;
    }
    idx_t offset = 0;
    while (offset < chunk.size()) {
      std::shared_ptr<DataChunk> target = std::make_shared<DataChunk>(types_);
      if (!next->batches.empty() && next->batches.back()->size() < kBatchSize) {
        // Copy the partial last batch so scans holding the old one are unaffected.
        target->Append(*next->batches.back());
        next->batches.pop_back();
      }
      idx_t n = std::min(kBatchSize - target->size(), chunk.size() - offset);
      SelectionVector sel(n);
      for (idx_t i = 0; i < n; i++) sel.Set(i, static_cast<uint32_t>(offset + i));
      for (idx_t c = 0; c < types_.size(); c++) {
        target->column(c).CopyFrom(chunk.column(c), sel, n, target->size());
      }
      target->SetSize(target->size() + n);
      next->batches.push_back(std::move(target));
      offset += n;
      next->row_count += n;
    }
  }
  if (replace) sketches_.assign(types_.size(), HyperLogLog());
  for (size_t c = 0; c < added.size() && c < sketches_.size(); c++) sketches_[c].Merge(added[c]);
  data_ = std::move(next);
}

void DataTable::AppendAll(std::vector<DataChunk> chunks) {
  std::vector<HyperLogLog> added(types_.size());
  for (const DataChunk& chunk : chunks) AddToSketches(chunk, &added);
  CommitBatches(std::move(chunks), added, false);
}

void DataTable::Append(const DataChunk& chunk) {
  if (chunk.size() == 0) return;
  std::vector<DataChunk> chunks;
  chunks.emplace_back(types_, chunk.size());
  chunks.back().Append(chunk);
  AppendAll(std::move(chunks));
}

void DataTable::Install(std::shared_ptr<const TableData> data, std::vector<HyperLogLog> sketches) {
  MarkManaged();
  std::lock_guard<std::mutex> lock(mutex_);
  data_ = std::move(data);
  sketches.resize(types_.size());
  sketches_ = std::move(sketches);
}

bool DataTable::ReplaceSketches(const std::shared_ptr<const TableData>& scanned,
                                std::vector<HyperLogLog> sketches) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (data_ != scanned) return false;
  sketches.resize(types_.size());
  sketches_ = std::move(sketches);
  return true;
}

double DataTable::DistinctCount(idx_t column) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::min(sketches_[column].Estimate(), static_cast<double>(data_->row_count));
}

std::vector<HyperLogLog> DataTable::Sketches() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sketches_;
}

std::shared_ptr<const TableData> DataTable::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return data_;
}

idx_t DataTable::RowCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return data_->row_count;
}

}  // namespace basalt
