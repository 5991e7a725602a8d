#include "storage/segment/zone_map.h"

#include <cmath>
#include <string>
#include <type_traits>

#include "common/date_time.h"
#include "common/exception.h"
#include "storage/segment/segment_format.h"

namespace basalt::segment {

namespace {

enum ZoneFlags : uint8_t {
  kHasMin = 1,
  kHasMax = 2,
  kMinExact = 4,
  kMaxExact = 8,
};

// The engine's ascending order (exec/operators/key_compare.h).
template <typename T>
bool Less(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    const bool a_nan = std::isnan(a);
    const bool b_nan = std::isnan(b);
    if (a_nan || b_nan) return !a_nan && b_nan;
    return a < b;
  } else if constexpr (std::is_same_v<T, Interval>) {
    return IntervalSortKey(a) < IntervalSortKey(b);
  } else {
    return a < b;
  }
}

template <typename T>
Value ToValue(const LogicalType& type, const T& v) {
  switch (type.id()) {
    case TypeId::kBoolean:
      if constexpr (std::is_same_v<T, bool>) return Value::Boolean(v);
      break;
    case TypeId::kSmallint:
      if constexpr (std::is_same_v<T, int16_t>) return Value::Smallint(v);
      break;
    case TypeId::kInteger:
      if constexpr (std::is_same_v<T, int32_t>) return Value::Integer(v);
      break;
    case TypeId::kDate:
      if constexpr (std::is_same_v<T, int32_t>) return Value::Date(v);
      break;
    case TypeId::kBigint:
      if constexpr (std::is_same_v<T, int64_t>) return Value::Bigint(v);
      break;
    case TypeId::kTimestamp:
      if constexpr (std::is_same_v<T, int64_t>) return Value::Timestamp(v);
      break;
    case TypeId::kDecimal:
      if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, int128_t>) {
        return Value::Decimal(static_cast<int128_t>(v), type.precision(), type.scale());
      }
      break;
    case TypeId::kReal:
      if constexpr (std::is_same_v<T, float>) return Value::Real(v);
      break;
    case TypeId::kDouble:
      if constexpr (std::is_same_v<T, double>) return Value::Double(v);
      break;
    case TypeId::kInterval:
      if constexpr (std::is_same_v<T, Interval>) return Value::FromInterval(v);
      break;
    default:
      break;
  }
  ThrowError(sqlstate::kInternalError, "internal error: no zone map value of type {}",
             type.ToString());
}

}  // namespace

// Nested values have no order Basalt uses (their bytes do not sort as the
// values would), so their zone maps only count NULLs.
bool HasZoneBounds(const LogicalType& type) {
  return type.id() != TypeId::kNull && !type.IsNested();
}

template <typename T>
ZoneMap BuildZoneMap(const LogicalType& type, const T* values, const uint64_t* validity,
                     idx_t count, idx_t null_count) {
  ZoneMap z;
  z.null_count = null_count;
  if (null_count >= count || !HasZoneBounds(type)) return z;
  idx_t first = 0;
  if (validity) {
    while (!((validity[first >> 6] >> (first & 63)) & 1)) first++;
  }
  T lo = values[first];
  T hi = values[first];
  for (idx_t i = first + 1; i < count; i++) {
    if (validity && !((validity[i >> 6] >> (i & 63)) & 1)) continue;
    if (Less(values[i], lo)) lo = values[i];
    if (Less(hi, values[i])) hi = values[i];
  }
  z.has_min = z.has_max = true;
  z.min = ToValue(type, lo);
  z.max = ToValue(type, hi);
  return z;
}

template ZoneMap BuildZoneMap(const LogicalType&, const bool*, const uint64_t*, idx_t, idx_t);
template ZoneMap BuildZoneMap(const LogicalType&, const int16_t*, const uint64_t*, idx_t, idx_t);
template ZoneMap BuildZoneMap(const LogicalType&, const int32_t*, const uint64_t*, idx_t, idx_t);
template ZoneMap BuildZoneMap(const LogicalType&, const int64_t*, const uint64_t*, idx_t, idx_t);
template ZoneMap BuildZoneMap(const LogicalType&, const int128_t*, const uint64_t*, idx_t, idx_t);
template ZoneMap BuildZoneMap(const LogicalType&, const float*, const uint64_t*, idx_t, idx_t);
template ZoneMap BuildZoneMap(const LogicalType&, const double*, const uint64_t*, idx_t, idx_t);
template ZoneMap BuildZoneMap(const LogicalType&, const Interval*, const uint64_t*, idx_t, idx_t);

ZoneMap BuildStringZoneMap(bool has_values, std::string_view min, std::string_view max,
                           idx_t null_count) {
  ZoneMap z;
  z.null_count = null_count;
  if (!has_values) return z;
  z.has_min = true;
  if (min.size() > kZoneMapMaxStringBytes) {
    // A prefix sorts before (or equal to) every string it starts.
    min = min.substr(0, kZoneMapMaxStringBytes);
    z.min_exact = false;
  }
  z.min = Value::Varchar(std::string(min));
  if (max.size() <= kZoneMapMaxStringBytes) {
    z.has_max = true;
    z.max = Value::Varchar(std::string(max));
    return z;
  }
  // The shortest bound above every string that starts with the prefix: drop
  // trailing 0xFF bytes and raise the last byte left.
  std::string bound(max.substr(0, kZoneMapMaxStringBytes));
  while (!bound.empty() && static_cast<uint8_t>(bound.back()) == 0xFF) bound.pop_back();
  z.max_exact = false;
  if (bound.empty()) return z;  // no upper bound
  bound.back() = static_cast<char>(static_cast<uint8_t>(bound.back()) + 1);
  z.has_max = true;
  z.max = Value::Varchar(std::move(bound));
  return z;
}

namespace {

void WriteBound(const Value& v, const LogicalType& type, ByteWriter* out) {
  switch (type.id()) {
    case TypeId::kBoolean:
      out->PutU8(v.GetBool() ? 1 : 0);
      return;
    case TypeId::kSmallint:
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kDate:
    case TypeId::kTimestamp:
      out->PutU64(static_cast<uint64_t>(v.GetInt64()));
      return;
    case TypeId::kDecimal: {
      const int128_t raw = v.GetDecimal();
      out->PutBytes(&raw, sizeof(raw));
      return;
    }
    case TypeId::kReal:
    case TypeId::kDouble: {
      const double d = v.GetDouble();
      out->PutBytes(&d, sizeof(d));
      return;
    }
    case TypeId::kVarchar:
      out->PutString(v.GetString());
      return;
    case TypeId::kInterval: {
      const Interval& iv = v.GetInterval();
      out->PutU32(static_cast<uint32_t>(iv.months));
      out->PutU32(static_cast<uint32_t>(iv.days));
      out->PutU64(static_cast<uint64_t>(iv.micros));
      return;
    }
    default:
      ThrowError(sqlstate::kInternalError, "internal error: no zone map bound of type {}",
                 type.ToString());
  }
}

template <typename T>
T GetFixed(ByteReader* in, const char* what) {
  T v;
  std::memcpy(&v, in->GetBytes(sizeof(T), what), sizeof(T));
  return v;
}

Value ReadBound(ByteReader* in, const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kBoolean: {
      const uint8_t b = in->GetU8("boolean bound");
      if (b > 1) ThrowDecodeError("boolean bound {} is neither 0 nor 1", b);
      return Value::Boolean(b == 1);
    }
    case TypeId::kSmallint:
      return Value::Smallint(static_cast<int16_t>(in->GetU64("bound")));
    case TypeId::kInteger:
      return Value::Integer(static_cast<int32_t>(in->GetU64("bound")));
    case TypeId::kDate:
      return Value::Date(static_cast<int32_t>(in->GetU64("bound")));
    case TypeId::kBigint:
      return Value::Bigint(static_cast<int64_t>(in->GetU64("bound")));
    case TypeId::kTimestamp:
      return Value::Timestamp(static_cast<int64_t>(in->GetU64("bound")));
    case TypeId::kDecimal:
      return Value::Decimal(GetFixed<int128_t>(in, "decimal bound"), type.precision(),
                            type.scale());
    case TypeId::kReal:
      return Value::Real(static_cast<float>(GetFixed<double>(in, "real bound")));
    case TypeId::kDouble:
      return Value::Double(GetFixed<double>(in, "double bound"));
    case TypeId::kVarchar:
      return Value::Varchar(std::string(in->GetString("string bound")));
    case TypeId::kInterval: {
      Interval iv;
      iv.months = static_cast<int32_t>(in->GetU32("interval bound"));
      iv.days = static_cast<int32_t>(in->GetU32("interval bound"));
      iv.micros = static_cast<int64_t>(in->GetU64("interval bound"));
      return Value::FromInterval(iv);
    }
    default:
      ThrowDecodeError("a zone map bound for type {}", type.ToString());
  }
}

}  // namespace

void WriteZoneMap(const ZoneMap& zone_map, const LogicalType& type, ByteWriter* out) {
  ZoneMap z = zone_map;
  if (!HasZoneBounds(type)) z.has_min = z.has_max = false;  // a string writer's bounds of nested values
  uint8_t flags = 0;
  if (z.has_min) flags |= kHasMin;
  if (z.has_max) flags |= kHasMax;
  if (z.min_exact) flags |= kMinExact;
  if (z.max_exact) flags |= kMaxExact;
  out->PutU8(flags);
  if (z.has_min) WriteBound(z.min, type, out);
  if (z.has_max) WriteBound(z.max, type, out);
}

ZoneMap ReadZoneMap(ByteReader* in, const LogicalType& type, idx_t null_count) {
  ZoneMap z;
  z.null_count = null_count;
  const uint8_t flags = in->GetU8("zone map flags");
  if (flags & ~(kHasMin | kHasMax | kMinExact | kMaxExact)) {
    ThrowDecodeError("unknown zone map flags 0x{:x}", flags);
  }
  z.has_min = flags & kHasMin;
  z.has_max = flags & kHasMax;
  z.min_exact = flags & kMinExact;
  z.max_exact = flags & kMaxExact;
  if ((z.has_min || z.has_max) && !HasZoneBounds(type)) {
    ThrowDecodeError("zone map bounds for a column of type {}", type.ToString());
  }
  if (z.has_min) z.min = ReadBound(in, type);
  if (z.has_max) z.max = ReadBound(in, type);
  return z;
}

}  // namespace basalt::segment
