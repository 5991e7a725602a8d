#include "common/nested_value.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "common/exception.h"
#include "common/nested_type.h"
#include "common/string_ref.h"

namespace basalt {

namespace {

[[noreturn]] void ThrowMalformed() {
  throw BasaltError(sqlstate::kInternalError, "internal error: malformed nested value");
}

bool GetVarint(std::string_view* in, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in->empty()) return false;
    auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

// Bytes of the fixed element form, or 0 for length-prefixed ones.
size_t FixedWidth(const LogicalType& type) {
  switch (type.physical()) {
    case PhysicalType::kString:
      return 0;
    case PhysicalType::kInterval:
      return 16;
    default:
      return type.ValueSize();
  }
}

template <typename T>
void PutFixed(std::string* out, const T& v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

// Equality, hashing and grouping compare elements by their bytes, so a
// float is written in one form per value as `=` sees it: -0.0 as 0.0, and
// every NaN (any sign or payload) as the one quiet NaN.
template <typename T>
void PutFloat(std::string* out, T v) {
  if (std::isnan(v)) {
    v = std::numeric_limits<T>::quiet_NaN();
  } else if (v == 0) {
    v = 0;  // -0.0 == 0: both become +0.0
  }
  PutFixed(out, v);
}

void PutInterval(std::string* out, const Interval& iv) {
  PutFixed(out, iv.months);
  PutFixed(out, iv.days);
  PutFixed(out, iv.micros);
}

void PutBytes(std::string* out, std::string_view bytes) {
  PutVarint(out, bytes.size());
  out->append(bytes);
}

}  // namespace

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void AppendElement(std::string* out, const LogicalType& type, const UnifiedFormat& v,
                   idx_t row) {
  idx_t i = v.sel->Get(row);
  switch (type.physical()) {
    case PhysicalType::kBool:
      out->push_back(v.Data<bool>()[i] ? 1 : 0);
      return;
    case PhysicalType::kInt16:
      return PutFixed(out, v.Data<int16_t>()[i]);
    case PhysicalType::kInt32:
      return PutFixed(out, v.Data<int32_t>()[i]);
    case PhysicalType::kInt64:
      return PutFixed(out, v.Data<int64_t>()[i]);
    case PhysicalType::kInt128:
      return PutFixed(out, v.Data<int128_t>()[i]);
    case PhysicalType::kFloat:
      return PutFloat(out, v.Data<float>()[i]);
    case PhysicalType::kDouble:
      return PutFloat(out, v.Data<double>()[i]);
    case PhysicalType::kString:
      return PutBytes(out, v.Data<StringRef>()[i].view());
    case PhysicalType::kInterval:
      return PutInterval(out, v.Data<Interval>()[i]);
  }
}

void AppendElementValue(std::string* out, const LogicalType& type, const Value& value) {
  switch (type.physical()) {
    case PhysicalType::kBool:
      out->push_back(value.GetBool() ? 1 : 0);
      return;
    case PhysicalType::kInt16:
      return PutFixed(out, static_cast<int16_t>(value.GetInt64()));
    case PhysicalType::kInt32:
      return PutFixed(out, static_cast<int32_t>(value.GetInt64()));
    case PhysicalType::kInt64:
      if (type.id() == TypeId::kDecimal) {
        return PutFixed(out, static_cast<int64_t>(value.GetDecimal()));
      }
      return PutFixed(out, value.GetInt64());
    case PhysicalType::kInt128:
      return PutFixed(out, value.GetDecimal());
    case PhysicalType::kFloat:
      return PutFloat(out, static_cast<float>(value.GetDouble()));
    case PhysicalType::kDouble:
      return PutFloat(out, value.GetDouble());
    case PhysicalType::kString:
      return PutBytes(out, value.GetString());
    case PhysicalType::kInterval:
      return PutInterval(out, value.GetInterval());
  }
}

void NestedBuilder::AppendBitmap(std::string* out) const {
  size_t start = out->size();
  out->append((valid_.size() + 7) / 8, '\0');
  for (size_t i = 0; i < valid_.size(); i++) {
    if (valid_[i]) (*out)[start + i / 8] = static_cast<char>((*out)[start + i / 8] | (1 << (i % 8)));
  }
}

void NestedBuilder::FinishListInto(std::string* out) {
  PutVarint(out, valid_.size());
  AppendBitmap(out);
  out->append(body_);
  Clear();
}

void NestedBuilder::FinishStructInto(std::string* out) {
  AppendBitmap(out);
  out->append(body_);
  Clear();
}

std::string NestedBuilder::FinishList() {
  std::string out;
  FinishListInto(&out);
  return out;
}

std::string NestedBuilder::FinishStruct() {
  std::string out;
  FinishStructInto(&out);
  return out;
}

NestedReader NestedReader::List(std::string_view bytes, const LogicalType& list_type) {
  NestedReader r;
  uint64_t n = 0;
  if (!GetVarint(&bytes, &n) || n > bytes.size() * 8) ThrowMalformed();
  r.count_ = n;
  size_t bitmap = (n + 7) / 8;
  if (bitmap > bytes.size()) ThrowMalformed();
  r.bitmap_ = reinterpret_cast<const uint8_t*>(bytes.data());
  r.rest_ = bytes.substr(bitmap);
  r.list_child_ = ListChildType(list_type);
  return r;
}

NestedReader NestedReader::Struct(std::string_view bytes, const LogicalType& struct_type) {
  NestedReader r;
  r.count_ = StructFields(struct_type).size();
  size_t bitmap = (r.count_ + 7) / 8;
  if (bitmap > bytes.size()) ThrowMalformed();
  r.bitmap_ = reinterpret_cast<const uint8_t*>(bytes.data());
  r.rest_ = bytes.substr(bitmap);
  r.is_struct_ = true;
  r.list_child_ = struct_type;  // the struct itself: ItemType looks its fields up
  return r;
}

const LogicalType& NestedReader::ItemType(idx_t i) const {
  if (is_struct_) return StructFields(list_child_)[i].type;
  return list_child_;
}

bool NestedReader::Next(bool* valid, std::string_view* payload) {
  if (next_ == count_) return false;
  idx_t i = next_++;
  *valid = (bitmap_[i / 8] >> (i % 8)) & 1;
  if (!*valid) {
    *payload = {};
    return true;
  }
  size_t width = FixedWidth(ItemType(i));
  if (width == 0) {
    uint64_t len = 0;
    if (!GetVarint(&rest_, &len) || len > rest_.size()) ThrowMalformed();
    width = static_cast<size_t>(len);
  } else if (width > rest_.size()) {
    ThrowMalformed();
  }
  *payload = rest_.substr(0, width);
  rest_.remove_prefix(width);
  return true;
}

namespace {

template <typename T>
T Load(std::string_view payload) {
  T v;
  if (payload.size() != sizeof(T)) ThrowMalformed();
  std::memcpy(&v, payload.data(), sizeof(T));
  return v;
}

Interval LoadInterval(std::string_view payload) {
  if (payload.size() != 16) ThrowMalformed();
  Interval iv;
  std::memcpy(&iv.months, payload.data(), 4);
  std::memcpy(&iv.days, payload.data() + 4, 4);
  std::memcpy(&iv.micros, payload.data() + 8, 8);
  return iv;
}

}  // namespace

Value ElementToValue(const LogicalType& type, std::string_view payload) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return Value::Boolean(Load<uint8_t>(payload) != 0);
    case TypeId::kSmallint:
      return Value::Smallint(Load<int16_t>(payload));
    case TypeId::kInteger:
      return Value::Integer(Load<int32_t>(payload));
    case TypeId::kBigint:
      return Value::Bigint(Load<int64_t>(payload));
    case TypeId::kReal:
      return Value::Real(Load<float>(payload));
    case TypeId::kDouble:
      return Value::Double(Load<double>(payload));
    case TypeId::kDecimal:
      if (type.physical() == PhysicalType::kInt64) {
        return Value::Decimal(Load<int64_t>(payload), type.precision(), type.scale());
      }
      return Value::Decimal(Load<int128_t>(payload), type.precision(), type.scale());
    case TypeId::kVarchar:
      return Value::Varchar(std::string(payload));
    case TypeId::kDate:
      return Value::Date(Load<int32_t>(payload));
    case TypeId::kTimestamp:
      return Value::Timestamp(Load<int64_t>(payload));
    case TypeId::kInterval:
      return Value::FromInterval(LoadInterval(payload));
    case TypeId::kList:
    case TypeId::kStruct:
      return Value::Nested(type, std::string(payload));
    case TypeId::kNull:
    case TypeId::kInvalid:
      break;
  }
  return Value::Null(type);
}

void StoreElement(Vector& out, idx_t row, std::string_view payload) {
  switch (out.type().physical()) {
    case PhysicalType::kBool:
      out.Data<bool>()[row] = Load<uint8_t>(payload) != 0;
      return;
    case PhysicalType::kInt16:
      out.Data<int16_t>()[row] = Load<int16_t>(payload);
      return;
    case PhysicalType::kInt32:
      out.Data<int32_t>()[row] = Load<int32_t>(payload);
      return;
    case PhysicalType::kInt64:
      out.Data<int64_t>()[row] = Load<int64_t>(payload);
      return;
    case PhysicalType::kInt128:
      out.Data<int128_t>()[row] = Load<int128_t>(payload);
      return;
    case PhysicalType::kFloat:
      out.Data<float>()[row] = Load<float>(payload);
      return;
    case PhysicalType::kDouble:
      out.Data<double>()[row] = Load<double>(payload);
      return;
    case PhysicalType::kString:
      out.SetString(row, payload);
      return;
    case PhysicalType::kInterval:
      out.Data<Interval>()[row] = LoadInterval(payload);
      return;
  }
}

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// DuckDB quotes an element's text when reading it back would be ambiguous:
// empty, "null" in any case, surrounding white space, or a character that
// delimits nested text.
bool NeedsQuotes(std::string_view s) {
  if (s.empty() || IsSpace(s.front()) || IsSpace(s.back())) return true;
  if (s.size() == 4 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'u' && (s[2] | 0x20) == 'l' &&
      (s[3] | 0x20) == 'l') {
    return true;
  }
  for (char c : s) {
    switch (c) {
      case '"':
      case '\'':
      case '(':
      case ')':
      case ',':
      case ':':
      case '=':
      case '[':
      case ']':
      case '{':
      case '}':
        return true;
      default:
        break;
    }
  }
  return false;
}

void AppendQuoted(std::string* out, std::string_view s) {
  out->push_back('\'');
  for (char c : s) {
    if (c == '\'' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('\'');
}

void AppendText(std::string* out, const LogicalType& type, std::string_view bytes);

void AppendItem(std::string* out, const LogicalType& type, bool valid, std::string_view payload) {
  if (!valid) {
    out->append("NULL");
  } else if (type.IsNested()) {
    AppendText(out, type, payload);
  } else {
    std::string text = ElementToValue(type, payload).ToString();
    if (NeedsQuotes(text)) {
      AppendQuoted(out, text);
    } else {
      out->append(text);
    }
  }
}

void AppendText(std::string* out, const LogicalType& type, std::string_view bytes) {
  bool valid = false;
  std::string_view payload;
  if (type.id() == TypeId::kList) {
    NestedReader r = NestedReader::List(bytes, type);
    out->push_back('[');
    for (idx_t i = 0; r.Next(&valid, &payload); i++) {
      if (i > 0) out->append(", ");
      AppendItem(out, r.ItemType(i), valid, payload);
    }
    out->push_back(']');
    return;
  }
  NestedReader r = NestedReader::Struct(bytes, type);
  const auto& fields = StructFields(type);
  out->push_back('{');
  for (idx_t i = 0; r.Next(&valid, &payload); i++) {
    if (i > 0) out->append(", ");
    // DuckDB always quotes field names.
    AppendQuoted(out, fields[i].name);
    out->append(": ");
    AppendItem(out, fields[i].type, valid, payload);
  }
  out->push_back('}');
}

}  // namespace

std::string NestedValueToString(const LogicalType& type, std::string_view bytes) {
  std::string out;
  AppendText(&out, type, bytes);
  return out;
}

}  // namespace basalt
