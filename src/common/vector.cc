#include "common/vector.h"

#include "common/exception.h"

namespace basalt {

const SelectionVector& SelectionVector::ZeroSelection() {
  static uint32_t zeros[kBatchSize] = {};
  static const SelectionVector sel(zeros);
  return sel;
}

const SelectionVector& SelectionVector::IncrementalSelection() {
  static uint32_t* indices = [] {
    auto* p = new uint32_t[kBatchSize];
    for (idx_t i = 0; i < kBatchSize; i++) p[i] = static_cast<uint32_t>(i);
    return p;
  }();
  static const SelectionVector sel(indices);
  return sel;
}

void ValidityMask::Allocate() {
  idx_t words = (capacity_ + 63) / 64;
  buffer_ = std::shared_ptr<uint64_t[]>(new uint64_t[words]);
  bits_ = buffer_.get();
  std::memset(bits_, 0xFF, words * sizeof(uint64_t));
}

bool ValidityMask::CheckAllValid(idx_t count) const {
  if (!bits_) return true;
  idx_t full = count / 64;
  for (idx_t w = 0; w < full; w++) {
    if (bits_[w] != ~uint64_t{0}) return false;
  }
  idx_t rest = count % 64;
  if (rest == 0) return true;
  uint64_t mask = (uint64_t{1} << rest) - 1;
  return (bits_[full] & mask) == mask;
}

Vector::Vector(const LogicalType& type, idx_t capacity) : type_(type) { ResetFlat(capacity); }

Vector::Vector(const Value& value) : type_(value.type()) { SetConstant(value); }

void Vector::ResetFlat(idx_t capacity) {
  kind_ = VectorKind::kFlat;
  capacity_ = capacity;
  idx_t bytes = type_.ValueSize() * capacity;
  buffer_ = std::shared_ptr<uint8_t[]>(new uint8_t[bytes == 0 ? 1 : bytes]);
  data_ = buffer_.get();
  validity_.Reset(capacity);
  heap_.reset();
  sel_ = SelectionVector();
  child_.reset();
}

void Vector::SetConstant(const Value& value) {
  ResetFlat(1);
  kind_ = VectorKind::kConstant;
  if (value.IsNull()) {
    validity_.SetInvalid(0);
  } else {
    SetValue(0, value);
  }
}

StringHeap& Vector::Heap() {
  if (!heap_) heap_ = std::make_shared<StringHeap>();
  return *heap_;
}

void Vector::KeepAlive(const Vector& other) {
  const Vector& src = other.kind_ == VectorKind::kDictionary ? *other.child_ : other;
  if (src.heap_ && src.heap_ != heap_) Heap().keep_alive.push_back(src.heap_);
}

void Vector::Reference(const Vector& other) { *this = other; }

void Vector::Slice(const SelectionVector& sel, idx_t count) {
  if (kind_ == VectorKind::kConstant) return;
  if (kind_ == VectorKind::kDictionary) {
    // Compose the two selections so the child stays flat.
    SelectionVector merged(count);
    for (idx_t i = 0; i < count; i++) merged.Set(i, sel_.Get(sel.Get(i)));
    sel_ = merged;
    return;
  }
  auto child = std::make_shared<Vector>(std::move(*this));
  type_ = child->type_;
  kind_ = VectorKind::kDictionary;
  capacity_ = count;
  buffer_.reset();
  data_ = nullptr;
  validity_.Reset(count);
  heap_.reset();
  sel_ = sel;
  child_ = std::move(child);
}

void Vector::ToUnified(idx_t count, UnifiedFormat* out) const {
  switch (kind_) {
    case VectorKind::kFlat:
      out->sel = &SelectionVector::IncrementalSelection();
      out->data = data_;
      out->validity = &validity_;
      return;
    case VectorKind::kConstant:
      out->sel = &SelectionVector::ZeroSelection();
      out->data = data_;
      out->validity = &validity_;
      return;
    case VectorKind::kDictionary:
      out->sel = &sel_;
      out->data = child_->data_;
      out->validity = &child_->validity_;
      return;
  }
}

void Vector::Flatten(idx_t count) {
  if (kind_ == VectorKind::kFlat) return;
  Vector flat(type_, count < kBatchSize ? kBatchSize : count);
  flat.CopyFrom(*this, SelectionVector::IncrementalSelection(), count, 0);
  *this = std::move(flat);
}

void Vector::CopyFrom(const Vector& source, const SelectionVector& sel, idx_t count, idx_t offset) {
  BASALT_CHECK(kind_ == VectorKind::kFlat);
  BASALT_CHECK(offset + count <= capacity_);
  UnifiedFormat in;
  source.ToUnified(count, &in);
  DispatchPhysical(type_.physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* src = in.Data<T>();
    T* dst = Data<T>() + offset;
    for (idx_t i = 0; i < count; i++) {
      uint32_t row = in.sel->Get(sel.Get(i));
      if (in.validity->IsValid(row)) {
        if constexpr (std::is_same_v<T, StringRef>) {
          dst[i] = src[row].IsInlined() ? src[row] : AddString(src[row].view());
        } else {
          dst[i] = src[row];
        }
        validity_.SetValid(offset + i);
      } else {
        validity_.SetInvalid(offset + i);
      }
    }
  });
}

bool Vector::IsNull(idx_t i) const {
  switch (kind_) {
    case VectorKind::kFlat:
      return !validity_.IsValid(i);
    case VectorKind::kConstant:
      return !validity_.IsValid(0);
    case VectorKind::kDictionary:
      return child_->IsNull(sel_.Get(i));
  }
  return false;
}

Value Vector::GetValue(idx_t i) const {
  if (kind_ == VectorKind::kConstant) i = 0;
  if (kind_ == VectorKind::kDictionary) return child_->GetValue(sel_.Get(i));
  if (!validity_.IsValid(i)) return Value::Null(type_);
  switch (type_.id()) {
    case TypeId::kBoolean:
      return Value::Boolean(Data<bool>()[i]);
    case TypeId::kSmallint:
      return Value::Smallint(Data<int16_t>()[i]);
    case TypeId::kInteger:
      return Value::Integer(Data<int32_t>()[i]);
    case TypeId::kBigint:
      return Value::Bigint(Data<int64_t>()[i]);
    case TypeId::kReal:
      return Value::Real(Data<float>()[i]);
    case TypeId::kDouble:
      return Value::Double(Data<double>()[i]);
    case TypeId::kDecimal:
      if (type_.physical() == PhysicalType::kInt64) {
        return Value::Decimal(Data<int64_t>()[i], type_.precision(), type_.scale());
      }
      return Value::Decimal(Data<int128_t>()[i], type_.precision(), type_.scale());
    case TypeId::kVarchar:
      return Value::Varchar(Data<StringRef>()[i].ToString());
    case TypeId::kDate:
      return Value::Date(Data<int32_t>()[i]);
    case TypeId::kTimestamp:
      return Value::Timestamp(Data<int64_t>()[i]);
    case TypeId::kInterval:
      return Value::FromInterval(Data<Interval>()[i]);
    case TypeId::kList:
    case TypeId::kStruct:
      return Value::Nested(type_, Data<StringRef>()[i].ToString());
    case TypeId::kNull:
    case TypeId::kInvalid:
      break;
  }
  return Value::Null(type_);
}

void Vector::SetValue(idx_t i, const Value& v) {
  if (v.IsNull()) {
    validity_.SetInvalid(i);
    return;
  }
  validity_.SetValid(i);
  switch (type_.id()) {
    case TypeId::kBoolean:
      Data<bool>()[i] = v.GetBool();
      break;
    case TypeId::kSmallint:
      Data<int16_t>()[i] = static_cast<int16_t>(v.GetInt64());
      break;
    case TypeId::kInteger:
    case TypeId::kDate:
      Data<int32_t>()[i] = static_cast<int32_t>(v.GetInt64());
      break;
    case TypeId::kBigint:
    case TypeId::kTimestamp:
      Data<int64_t>()[i] = v.GetInt64();
      break;
    case TypeId::kReal:
      Data<float>()[i] = static_cast<float>(v.GetDouble());
      break;
    case TypeId::kDouble:
      Data<double>()[i] = v.GetDouble();
      break;
    case TypeId::kDecimal:
      if (type_.physical() == PhysicalType::kInt64) {
        Data<int64_t>()[i] = static_cast<int64_t>(v.GetDecimal());
      } else {
        Data<int128_t>()[i] = v.GetDecimal();
      }
      break;
    case TypeId::kVarchar:
      SetString(i, v.GetString());
      break;
    case TypeId::kInterval:
      Data<Interval>()[i] = v.GetInterval();
      break;
    case TypeId::kList:
    case TypeId::kStruct:
      SetString(i, v.GetString());
      break;
    case TypeId::kNull:
      validity_.SetInvalid(i);
      break;
    case TypeId::kInvalid:
      throw BasaltError(sqlstate::kInternalError, "internal error: SetValue on invalid type");
  }
}

}  // namespace basalt
