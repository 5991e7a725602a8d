// A batch of rows as a set of column vectors of equal length.
#pragma once

#include <string>
#include <vector>

#include "common/vector.h"

namespace basalt {

class DataChunk {
 public:
  DataChunk() = default;
  explicit DataChunk(const std::vector<LogicalType>& types, idx_t capacity = kBatchSize) {
    Initialize(types, capacity);
  }

  // Fresh writable flat vectors of these types, size 0.
  void Initialize(const std::vector<LogicalType>& types, idx_t capacity = kBatchSize);
  // New buffers for every column (the old ones may still be referenced elsewhere).
  void Reset();

  idx_t size() const { return size_; }
  void SetSize(idx_t size) { size_ = size; }
  idx_t ColumnCount() const { return columns_.size(); }
  idx_t capacity() const { return capacity_; }
  Vector& column(idx_t i) { return columns_[i]; }
  const Vector& column(idx_t i) const { return columns_[i]; }
  std::vector<Vector>& columns() { return columns_; }
  std::vector<LogicalType> Types() const;

  void AddColumn(Vector v) { columns_.push_back(std::move(v)); }
  void Reference(const DataChunk& other);
  void Slice(const SelectionVector& sel, idx_t count);
  void Flatten();
  // Copies all rows of `other` (same types) after the rows already here.
  void Append(const DataChunk& other);

  Value GetValue(idx_t column, idx_t row) const { return columns_[column].GetValue(row); }
  std::string ToString() const;  // for debugging and tests
  // About how many bytes the rows hold: each column's value width times the
  // rows, plus the bytes of strings too long to be inlined. One pass over
  // string columns, none over the others (for profiles; not an allocation size).
  uint64_t ApproximateBytes() const;
  // Each column's value width times the rows (a string counts its 16-byte
  // reference, not its characters): no pass over the values, for counters
  // kept on every query.
  uint64_t FixedWidthBytes() const;

 private:
  std::vector<Vector> columns_;
  idx_t size_ = 0;
  idx_t capacity_ = kBatchSize;
};

}  // namespace basalt
