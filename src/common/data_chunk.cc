#include "common/data_chunk.h"

#include "common/exception.h"

namespace basalt {

void DataChunk::Initialize(const std::vector<LogicalType>& types, idx_t capacity) {
  columns_.clear();
  capacity_ = capacity;
  for (const auto& t : types) columns_.emplace_back(t, capacity);
  size_ = 0;
}

void DataChunk::Reset() {
  for (auto& c : columns_) c.ResetFlat(capacity_);
  size_ = 0;
}

uint64_t DataChunk::ApproximateBytes() const {
  uint64_t bytes = 0;
  for (const Vector& column : columns_) {
    bytes += uint64_t{column.type().ValueSize()} * size_;
    if (column.type().physical() != PhysicalType::kString) continue;
    UnifiedFormat data;
    column.ToUnified(size_, &data);
    const StringRef* strings = data.Data<StringRef>();
    if (strings == nullptr) continue;
    for (idx_t i = 0; i < size_; i++) {
      const uint32_t row = data.sel->Get(i);
      if (data.validity->IsValid(row) && !strings[row].IsInlined()) bytes += strings[row].size();
    }
  }
  return bytes;
}

uint64_t DataChunk::FixedWidthBytes() const {
  uint64_t width = 0;
  for (const Vector& column : columns_) width += column.type().ValueSize();
  return width * size_;
}

std::vector<LogicalType> DataChunk::Types() const {
  std::vector<LogicalType> types;
  types.reserve(columns_.size());
  for (const auto& c : columns_) types.push_back(c.type());
  return types;
}

void DataChunk::Reference(const DataChunk& other) {
  columns_ = other.columns_;
  size_ = other.size_;
  capacity_ = other.capacity_;
}

void DataChunk::Slice(const SelectionVector& sel, idx_t count) {
  for (auto& c : columns_) c.Slice(sel, count);
  size_ = count;
}

void DataChunk::Flatten() {
  for (auto& c : columns_) c.Flatten(size_);
}

void DataChunk::Append(const DataChunk& other) {
  BASALT_CHECK_EQ(other.ColumnCount(), ColumnCount());
  BASALT_CHECK(size_ + other.size() <= capacity_);
  for (idx_t i = 0; i < columns_.size(); i++) {
    columns_[i].CopyFrom(other.column(i), SelectionVector::IncrementalSelection(), other.size(),
                         size_);
  }
  size_ += other.size();
}

std::string DataChunk::ToString() const {
  std::string out;
  for (idx_t r = 0; r < size_; r++) {
    for (idx_t c = 0; c < columns_.size(); c++) {
      if (c > 0) out += "\t";
      out += GetValue(c, r).ToString();
    }
    out += "\n";
  }
  return out;
}

}  // namespace basalt
