#include "exec/operators/column_store.h"

#include <algorithm>

#include "common/exception.h"

namespace basalt {

namespace {

// Row ids are uint32_t throughout the operators; one instance never holds more.
constexpr idx_t kMaxRows = idx_t{UINT32_MAX} - 1;
constexpr idx_t kInitialCapacity = 1024;

idx_t ValidityWords(idx_t rows) { return (rows + 63) / 64; }

}  // namespace

ColumnStore::ColumnStore(std::vector<LogicalType> types)
    : types_(std::move(types)), arena_(std::make_shared<Arena>()) {
  columns_.resize(types_.size());
  for (idx_t c = 0; c < types_.size(); c++) columns_[c].width = types_[c].ValueSize();
}

void ColumnStore::Grow(idx_t min_capacity) {
  if (min_capacity > kMaxRows) {
    ThrowError(sqlstate::kProgramLimitExceeded,
               "an operator instance cannot hold more than {} rows", kMaxRows);
  }
  // Doubling keeps the cost of moving the arrays linear in the rows appended.
  idx_t capacity = std::max({min_capacity, capacity_ * 2, kInitialCapacity});
  capacity = std::min(capacity, kMaxRows);
  for (Column& column : columns_) {
    auto data = std::unique_ptr<uint8_t[]>(new uint8_t[capacity * column.width]);
    if (size_ > 0) std::memcpy(data.get(), column.data.get(), size_ * column.width);
    column.data = std::move(data);
    if (column.validity) {
      auto bits = std::unique_ptr<uint64_t[]>(new uint64_t[ValidityWords(capacity)]);
      std::memset(bits.get(), 0xFF, ValidityWords(capacity) * sizeof(uint64_t));
      std::memcpy(bits.get(), column.validity.get(), ValidityWords(capacity_) * sizeof(uint64_t));
      column.validity = std::move(bits);
    }
  }
  capacity_ = capacity;
}

uint64_t ColumnStore::MemoryUsage() const {
  uint64_t bytes = arena_->BytesAllocated();
  for (const Column& column : columns_) {
    bytes += uint64_t{capacity_} * column.width;
    if (column.validity) bytes += ValidityWords(capacity_) * sizeof(uint64_t);
  }
  return bytes;
}

void ColumnStore::Reserve(idx_t extra_rows) {
  if (size_ + extra_rows > capacity_) Grow(size_ + extra_rows);
}

void ColumnStore::MarkInvalid(Column& column, idx_t row) {
  if (!column.validity) {
    column.validity = std::unique_ptr<uint64_t[]>(new uint64_t[ValidityWords(capacity_)]);
    std::memset(column.validity.get(), 0xFF, ValidityWords(capacity_) * sizeof(uint64_t));
  }
  column.validity[row >> 6] &= ~(uint64_t{1} << (row & 63));
}

void ColumnStore::AppendColumn(idx_t column_index, const Vector& source, const SelectionVector* sel,
                               idx_t count) {
  BASALT_CHECK(size_ + count <= capacity_);
  Column& column = columns_[column_index];
  UnifiedFormat in;
  source.ToUnified(count, &in);
  // Bitmap bits past size_ are always 1 (fresh words are all ones), so only
  // NULL rows need a write.
  DispatchPhysical(types_[column_index].physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* src = in.Data<T>();
    T* dst = reinterpret_cast<T*>(column.data.get()) + size_;
    const bool all_valid = in.validity->AllValid();
    for (idx_t i = 0; i < count; i++) {
      uint32_t row = in.sel->Get(sel ? sel->Get(i) : i);
      if (!all_valid && !in.validity->IsValid(row)) {
        dst[i] = T{};
        MarkInvalid(column, size_ + i);
        continue;
      }
      if constexpr (std::is_same_v<T, StringRef>) {
        dst[i] = arena_->AddString(src[row]);
      } else {
        dst[i] = src[row];
      }
    }
  });
}

void ColumnStore::Append(const DataChunk& chunk, const SelectionVector* sel, idx_t count) {
  BASALT_CHECK_EQ(chunk.ColumnCount(), columns_.size());
  Reserve(count);
  for (idx_t c = 0; c < columns_.size(); c++) AppendColumn(c, chunk.column(c), sel, count);
  Commit(count);
}

void ColumnStore::AppendRows(const ColumnStore& other, const uint32_t* rows, idx_t count) {
  BASALT_CHECK_EQ(other.ColumnCount(), columns_.size());
  Reserve(count);
  for (idx_t c = 0; c < columns_.size(); c++) {
    Column& column = columns_[c];
    const bool has_nulls = other.HasNulls(c);
    DispatchPhysical(types_[c].physical(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* src = other.Data<T>(c);
      T* dst = reinterpret_cast<T*>(column.data.get()) + size_;
      for (idx_t i = 0; i < count; i++) {
        uint32_t row = rows[i];
        if (has_nulls && !other.IsValid(c, row)) {
          dst[i] = T{};
          MarkInvalid(column, size_ + i);
          continue;
        }
        if constexpr (std::is_same_v<T, StringRef>) {
          dst[i] = arena_->AddString(src[row]);
        } else {
          dst[i] = src[row];
        }
      }
    });
  }
  Commit(count);
}

void ColumnStore::Gather(idx_t column_index, const uint32_t* rows, idx_t count, Vector& out,
                         idx_t offset) const {
  BASALT_CHECK(out.kind() == VectorKind::kFlat && offset + count <= out.capacity());
  const Column& column = columns_[column_index];
  const PhysicalType physical = types_[column_index].physical();
  DispatchPhysical(physical, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* src = reinterpret_cast<const T*>(column.data.get());
    T* dst = out.Data<T>() + offset;
    for (idx_t i = 0; i < count; i++) dst[i] = src[rows[i]];
  });
  ValidityMask& validity = out.validity();
  if (column.validity) {
    for (idx_t i = 0; i < count; i++) validity.Set(offset + i, IsValid(column_index, rows[i]));
  } else if (!validity.AllValid()) {
    for (idx_t i = 0; i < count; i++) validity.SetValid(offset + i);
  }
  if (physical == PhysicalType::kString) out.KeepAlive(arena_);
}

}  // namespace basalt
