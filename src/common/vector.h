// Column vectors: the unit every operator and expression works on.
//
// A Vector holds up to kBatchSize values of one type in one of three forms:
//   flat:       a typed array plus a validity bitmap;
//   constant:   one value (or NULL) standing for every row;
//   dictionary: a selection of row indices into a flat child vector (what a
//               filter or a join produces without copying).
// Kernels read any form through UnifiedFormat (data + index map + validity)
// and write flat vectors. Buffers are reference counted so slices and
// references are cheap; a vector that is written to owns fresh buffers.
// Not thread-safe: a vector belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "common/string_ref.h"
#include "common/types.h"
#include "common/value.h"

namespace basalt {

// Row indices; an empty SelectionVector is the identity.
class SelectionVector {
 public:
  SelectionVector() = default;
  explicit SelectionVector(idx_t capacity)
      : buffer_(new uint32_t[capacity], std::default_delete<uint32_t[]>()),
        indices_(buffer_.get()) {}
  // Views existing indices without owning them.
  explicit SelectionVector(uint32_t* indices) : indices_(indices) {}

  uint32_t Get(idx_t i) const { return indices_ ? indices_[i] : static_cast<uint32_t>(i); }
  void Set(idx_t i, uint32_t index) { indices_[i] = index; }
  uint32_t* data() { return indices_; }
  const uint32_t* data() const { return indices_; }
  bool IsIdentity() const { return indices_ == nullptr; }

  // A selection of all zeros: how a constant vector is read as a batch.
  static const SelectionVector& ZeroSelection();
  // 0, 1, 2, ... as a real array (for code that wants a pointer).
  static const SelectionVector& IncrementalSelection();

 private:
  std::shared_ptr<uint32_t[]> buffer_;
  uint32_t* indices_ = nullptr;
};

// One bit per row, 1 = valid. No buffer means every row is valid, which is
// the common case and costs nothing to test in bulk.
class ValidityMask {
 public:
  bool AllValid() const { return bits_ == nullptr; }
  bool IsValid(idx_t i) const { return !bits_ || ((bits_[i >> 6] >> (i & 63)) & 1); }
  void SetInvalid(idx_t i) {
    if (!bits_) Allocate();
    bits_[i >> 6] &= ~(uint64_t{1} << (i & 63));
  }
  void SetValid(idx_t i) {
    if (bits_) bits_[i >> 6] |= uint64_t{1} << (i & 63);
  }
  void Set(idx_t i, bool valid) {
    if (valid) {
      SetValid(i);
    } else {
      SetInvalid(i);
    }
  }
  void Reset(idx_t capacity = kBatchSize) {
    buffer_.reset();
    bits_ = nullptr;
    capacity_ = capacity;
  }
  const uint64_t* bits() const { return bits_; }
  // Whether every row in [0, count) is valid, checking 64 rows a step.
  bool CheckAllValid(idx_t count) const;

 private:
  void Allocate();

  std::shared_ptr<uint64_t[]> buffer_;
  uint64_t* bits_ = nullptr;
  idx_t capacity_ = kBatchSize;
};

// Strings written into a vector live in its heap; a heap can keep other heaps
// alive when the vector points at strings it did not copy.
struct StringHeap {
  Arena arena;
  std::vector<std::shared_ptr<const void>> keep_alive;
};

enum class VectorKind : uint8_t { kFlat, kConstant, kDictionary };

class Vector;

// A read-only view of any vector form: value of row i is
// data[sel->Get(i)], valid if validity->IsValid(sel->Get(i)).
struct UnifiedFormat {
  const SelectionVector* sel = nullptr;
  const uint8_t* data = nullptr;
  const ValidityMask* validity = nullptr;

  template <typename T>
  const T* Data() const {
    return reinterpret_cast<const T*>(data);
  }
};

class Vector {
 public:
  Vector() = default;
  // A flat vector with room for `capacity` values.
  explicit Vector(const LogicalType& type, idx_t capacity = kBatchSize);
  // A constant vector.
  explicit Vector(const Value& value);

  const LogicalType& type() const { return type_; }
  VectorKind kind() const { return kind_; }
  idx_t capacity() const { return capacity_; }

  template <typename T>
  T* Data() {
    return reinterpret_cast<T*>(data_);
  }
  template <typename T>
  const T* Data() const {
    return reinterpret_cast<const T*>(data_);
  }
  uint8_t* RawData() { return data_; }
  ValidityMask& validity() { return validity_; }
  const ValidityMask& validity() const { return validity_; }

  // Dictionary parts (kind() == kDictionary).
  const SelectionVector& dictionary_selection() const { return sel_; }
  const Vector& dictionary_child() const { return *child_; }

  // Becomes a view of `other`, sharing its buffers.
  void Reference(const Vector& other);
  // Keeps only the rows named by `sel` (count of them); no data is copied.
  void Slice(const SelectionVector& sel, idx_t count);
  // Materializes the first `count` rows as a flat vector.
  void Flatten(idx_t count);
  void ToUnified(idx_t count, UnifiedFormat* out) const;

  // Makes this an empty, writable flat vector (fresh buffers).
  void ResetFlat(idx_t capacity = kBatchSize);
  void SetConstant(const Value& value);

  // Writing (flat vectors).
  void SetNull(idx_t i) { validity_.SetInvalid(i); }
  // Copies the bytes into this vector's heap.
  StringRef AddString(std::string_view s) { return Heap().arena.AddString(s); }
  void SetString(idx_t i, std::string_view s) { Data<StringRef>()[i] = AddString(s); }
  // Strings referenced by this vector may live in `other`'s heap.
  void KeepAlive(const Vector& other);
  void KeepAlive(std::shared_ptr<const void> owner) { Heap().keep_alive.push_back(std::move(owner)); }

  // Slow, per-value access: for constants, tests and result printing only.
  bool IsNull(idx_t i) const;
  Value GetValue(idx_t i) const;
  void SetValue(idx_t i, const Value& v);

  // Copies `count` rows selected by `sel` from `source` (any form) into this
  // flat vector starting at `offset`. Strings are copied into this heap.
  void CopyFrom(const Vector& source, const SelectionVector& sel, idx_t count, idx_t offset);

 private:
  StringHeap& Heap();

  LogicalType type_;
  VectorKind kind_ = VectorKind::kFlat;
  idx_t capacity_ = 0;
  std::shared_ptr<uint8_t[]> buffer_;
  uint8_t* data_ = nullptr;
  ValidityMask validity_;
  std::shared_ptr<StringHeap> heap_;
  // Dictionary form: rows are child_[sel_[i]]; child_ is always flat.
  SelectionVector sel_;
  std::shared_ptr<Vector> child_;
};

template <typename T>
struct TypeTag {
  using type = T;
};

// Calls f(TypeTag<T>{}) with the C++ type that stores `type`'s values.
template <typename F>
decltype(auto) DispatchPhysical(PhysicalType type, F&& f) {
  switch (type) {
    case PhysicalType::kBool:
      return f(TypeTag<bool>{});
    case PhysicalType::kInt16:
      return f(TypeTag<int16_t>{});
    case PhysicalType::kInt32:
      return f(TypeTag<int32_t>{});
    case PhysicalType::kInt64:
      return f(TypeTag<int64_t>{});
    case PhysicalType::kInt128:
      return f(TypeTag<int128_t>{});
    case PhysicalType::kFloat:
      return f(TypeTag<float>{});
    case PhysicalType::kDouble:
      return f(TypeTag<double>{});
    case PhysicalType::kString:
      return f(TypeTag<StringRef>{});
    case PhysicalType::kInterval:
      return f(TypeTag<Interval>{});
  }
  __builtin_unreachable();
}

}  // namespace basalt
