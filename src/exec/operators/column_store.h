// A growable, column-wise collection of rows: what blocking operators (hash
// join build, sort, top-N, nested loop join) materialize their input into.
//
// Each column is one contiguous typed array plus a validity bitmap that is
// only allocated once a NULL arrives, so rows are addressed by a dense
// uint32_t row id and gathering a batch by row ids is one typed loop per
// column. Strings longer than StringRef::kInlineLength are copied once into
// the store's arena; vectors gathered from the store point into that arena
// and keep it alive, so output never copies string bytes again.
//
// Not thread-safe: owned by one operator instance. Appending may move the
// column arrays, so typed pointers from Data() are valid until the next append.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/arena.h"
#include "common/data_chunk.h"

namespace basalt {

class ColumnStore {
 public:
  explicit ColumnStore(std::vector<LogicalType> types);
  ColumnStore(const ColumnStore&) = delete;
  ColumnStore& operator=(const ColumnStore&) = delete;
  ColumnStore(ColumnStore&&) = default;
  ColumnStore& operator=(ColumnStore&&) = default;

  idx_t size() const { return size_; }
  // Bytes the store has allocated: its column arrays at their capacity, the
  // validity bitmaps and the string arena's blocks (memory accounting).
  uint64_t MemoryUsage() const;
  idx_t ColumnCount() const { return columns_.size(); }
  const std::vector<LogicalType>& types() const { return types_; }

  // Appends rows of a chunk whose columns are exactly this store's columns:
  // row i of the new rows is the chunk's row sel[i] (or i without sel).
  void Append(const DataChunk& chunk, const SelectionVector* sel, idx_t count);

  // Column-at-a-time appending, for rows assembled from several sources:
  // Reserve, then AppendColumn for every column, then Commit the row count.
  void Reserve(idx_t extra_rows);
  void AppendColumn(idx_t column, const Vector& source, const SelectionVector* sel, idx_t count);
  void Commit(idx_t count) { size_ += count; }

  // Appends rows `rows[0..count)` of `other` (same types), copying strings
  // into this store's arena so `other` may be dropped afterwards.
  void AppendRows(const ColumnStore& other, const uint32_t* rows, idx_t count);

  // Writes the values of `rows[0..count)` of `column` into the flat vector
  // `out` at positions offset.. offset+count-1.
  void Gather(idx_t column, const uint32_t* rows, idx_t count, Vector& out, idx_t offset) const;

  template <typename T>
  const T* Data(idx_t column) const {
    return reinterpret_cast<const T*>(columns_[column].data.get());
  }
  // Whether any NULL was ever appended to the column.
  bool HasNulls(idx_t column) const { return columns_[column].validity != nullptr; }
  bool IsValid(idx_t column, idx_t row) const {
    const uint64_t* bits = columns_[column].validity.get();
    return bits == nullptr || ((bits[row >> 6] >> (row & 63)) & 1);
  }

 private:
  struct Column {
    idx_t width = 0;
    std::unique_ptr<uint8_t[]> data;
    // nullptr while every row is valid; else one bit per row, 1 = valid.
    std::unique_ptr<uint64_t[]> validity;
  };

  void Grow(idx_t min_capacity);
  void MarkInvalid(Column& column, idx_t row);

  std::vector<LogicalType> types_;
  std::vector<Column> columns_;
  idx_t size_ = 0;
  idx_t capacity_ = 0;
  // Shared so that gathered vectors can keep the string bytes alive.
  std::shared_ptr<Arena> arena_;
};

}  // namespace basalt
