#include "server/pg_binary.h"

#include <bit>
#include <cstring>
#include <vector>

#include "common/decimal.h"
#include "common/exception.h"
#include "exec/cast.h"
#include "server/pg_types.h"

namespace basalt {

namespace {

// PostgreSQL counts dates and timestamps from 2000-01-01, Basalt from 1970-01-01.
constexpr int32_t kPgEpochDays = 10957;
constexpr int64_t kPgEpochMicros = int64_t{kPgEpochDays} * 86400 * 1000000;

// Numeric's sign word (PostgreSQL numeric.c).
constexpr uint16_t kNumericPositive = 0x0000;
constexpr uint16_t kNumericNegative = 0x4000;
constexpr int kNumericDigitsPerWord = 4;  // base 10000

template <typename T>
void AppendBigEndian(std::string& out, T value) {
  using U = std::make_unsigned_t<T>;
  U bits = static_cast<U>(value);
  for (int shift = static_cast<int>(sizeof(T) * 8) - 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((bits >> shift) & 0xFF));
  }
}

template <typename T>
T ReadBigEndian(const char* data) {
  using U = std::make_unsigned_t<T>;
  U bits = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    bits = static_cast<U>((bits << 8) | static_cast<unsigned char>(data[i]));
  }
  return static_cast<T>(bits);
}

// PostgreSQL's numeric send format: ndigits, weight, sign, dscale, then
// ndigits base-10000 digits; the value is sum(digit[i] * 10000^(weight - i)).
std::string NumericBinary(int128_t raw, int scale) {
  bool negative = raw < 0;
  std::string decimal = Int128ToString(negative ? -raw : raw);
  // At least one integer digit, so the split below always has both parts.
  if (decimal.size() < static_cast<size_t>(scale) + 1) {
    decimal.insert(0, scale + 1 - decimal.size(), '0');
  }
  std::string integer_part = decimal.substr(0, decimal.size() - scale);
  std::string fraction_part = decimal.substr(decimal.size() - scale);
  // Pad to whole base-10000 words: integers on the left, fractions on the right.
  integer_part.insert(
      0,
      (kNumericDigitsPerWord - integer_part.size() % kNumericDigitsPerWord) % kNumericDigitsPerWord,
      '0');
  fraction_part.append((kNumericDigitsPerWord - fraction_part.size() % kNumericDigitsPerWord) %
                           kNumericDigitsPerWord,
                       '0');
  std::vector<int16_t> words;
  for (size_t i = 0; i < integer_part.size(); i += kNumericDigitsPerWord) {
    words.push_back(static_cast<int16_t>(std::stoi(integer_part.substr(i, kNumericDigitsPerWord))));
  }
  int weight = static_cast<int>(words.size()) - 1;
  for (size_t i = 0; i < fraction_part.size(); i += kNumericDigitsPerWord) {
    words.push_back(
        static_cast<int16_t>(std::stoi(fraction_part.substr(i, kNumericDigitsPerWord))));
  }
  // Leading and trailing zero words carry no information.
  size_t first = 0;
  while (first < words.size() && words[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = words.size();
  while (last > first && words[last - 1] == 0) --last;
  std::string out;
  if (first == last) {  // zero
    weight = 0;
    negative = false;
  }
  AppendBigEndian<int16_t>(out, static_cast<int16_t>(last - first));
  AppendBigEndian<int16_t>(out, static_cast<int16_t>(weight));
  AppendBigEndian<uint16_t>(out, negative ? kNumericNegative : kNumericPositive);
  AppendBigEndian<int16_t>(out, static_cast<int16_t>(scale));
  for (size_t i = first; i < last; ++i) AppendBigEndian<int16_t>(out, words[i]);
  return out;
}

[[noreturn]] void ThrowBadBinary(int parameter_number, const char* what) {
  ThrowError(sqlstate::kInvalidBinaryRepresentation,
             "incorrect binary data format in bind parameter {}: {}", parameter_number, what);
}

Value NumericFromBinary(std::string_view data, int parameter_number) {
  if (data.size() < 8) ThrowBadBinary(parameter_number, "numeric header too short");
  int16_t ndigits = ReadBigEndian<int16_t>(data.data());
  int16_t weight = ReadBigEndian<int16_t>(data.data() + 2);
  uint16_t sign = ReadBigEndian<uint16_t>(data.data() + 4);
  int16_t dscale = ReadBigEndian<int16_t>(data.data() + 6);
  if (ndigits < 0 || data.size() != 8 + static_cast<size_t>(ndigits) * 2) {
    ThrowBadBinary(parameter_number, "numeric digit count does not match its length");
  }
  if (sign != kNumericPositive && sign != kNumericNegative) {
    ThrowError(sqlstate::kInvalidBinaryRepresentation,
               "bind parameter {}: numeric NaN and infinity are not supported", parameter_number);
  }
  if (dscale < 0 || dscale > kMaxDecimalPrecision) {
    ThrowBadBinary(parameter_number, "numeric scale out of range");
  }
  // value * 10^dscale = digits (as one integer) * 10^exponent.
  int exponent = kNumericDigitsPerWord * (weight - ndigits + 1) + dscale;
  int128_t limit = MaxDecimalValue(kMaxDecimalPrecision);
  int128_t value = 0;
  for (int i = 0; i < ndigits; ++i) {
    int16_t word = ReadBigEndian<int16_t>(data.data() + 8 + 2 * i);
    if (word < 0 || word >= 10000) ThrowBadBinary(parameter_number, "invalid numeric digit");
    if (value > (limit - word) / 10000) {
      ThrowError(sqlstate::kNumericOutOfRange, "bind parameter {}: numeric value out of range",
                 parameter_number);
    }
    value = value * 10000 + word;
  }
  if (exponent > 0) {
    if (exponent > kMaxDecimalPrecision || (value != 0 && value > limit / Pow10(exponent))) {
      ThrowError(sqlstate::kNumericOutOfRange, "bind parameter {}: numeric value out of range",
                 parameter_number);
    }
    value *= Pow10(exponent);
  } else if (exponent < 0) {
    // Digits past dscale: PostgreSQL rounds them away on input, so do we.
    value = exponent < -kMaxDecimalPrecision ? 0 : RescaleDecimal(value, -exponent, 0);
  }
  if (sign == kNumericNegative) value = -value;
  int precision = std::max<int>(
      dscale + 1, static_cast<int>(Int128ToString(value < 0 ? -value : value).size()));
  return Value::Decimal(value, static_cast<uint8_t>(std::min(precision, kMaxDecimalPrecision)),
                        static_cast<uint8_t>(dscale));
}

Value FromBinary(std::string_view data, const LogicalType& type, int parameter_number) {
  auto expect_size = [&](size_t size) {
    if (data.size() != size) ThrowBadBinary(parameter_number, "wrong length for its type");
  };
  switch (type.id()) {
    case TypeId::kBoolean:
      expect_size(1);
      return Value::Boolean(data[0] != 0);
    case TypeId::kSmallint:
      expect_size(2);
      return Value::Smallint(ReadBigEndian<int16_t>(data.data()));
    case TypeId::kInteger:
      expect_size(4);
      return Value::Integer(ReadBigEndian<int32_t>(data.data()));
    case TypeId::kBigint:
      expect_size(8);
      return Value::Bigint(ReadBigEndian<int64_t>(data.data()));
    case TypeId::kReal:
      expect_size(4);
      return Value::Real(std::bit_cast<float>(ReadBigEndian<uint32_t>(data.data())));
    case TypeId::kDouble:
      expect_size(8);
      return Value::Double(std::bit_cast<double>(ReadBigEndian<uint64_t>(data.data())));
    case TypeId::kDecimal:
      return NumericFromBinary(data, parameter_number);
    case TypeId::kVarchar:
      return Value::Varchar(std::string(data));
    case TypeId::kDate:
      expect_size(4);
      return Value::Date(ReadBigEndian<int32_t>(data.data()) + kPgEpochDays);
    case TypeId::kTimestamp:
      expect_size(8);
      return Value::Timestamp(ReadBigEndian<int64_t>(data.data()) + kPgEpochMicros);
    case TypeId::kInterval: {
      expect_size(16);
      Interval interval;
      interval.micros = ReadBigEndian<int64_t>(data.data());
      interval.days = ReadBigEndian<int32_t>(data.data() + 8);
      interval.months = ReadBigEndian<int32_t>(data.data() + 12);
      return Value::FromInterval(interval);
    }
    case TypeId::kNull:
    case TypeId::kInvalid:
      break;
  }
  ThrowError(sqlstate::kIndeterminateDatatype,
             "could not determine data type of parameter ${} sent in binary format",
             parameter_number);
}

Value FromText(const std::string& text, const LogicalType& type, int parameter_number) {
  if (type.id() == TypeId::kInvalid || type.id() == TypeId::kVarchar) {
    return Value::Varchar(text);
  }
  LogicalType target = type;
  if (type.id() == TypeId::kDecimal) {
    // Each numeric value brings its own precision and scale.
    int precision = 0;
    int scale = 0;
    if (DecimalLiteralShape(text, &precision, &scale)) {
      target = LogicalType::Decimal(static_cast<uint8_t>(std::max(precision, scale + 1)),
                                    static_cast<uint8_t>(scale));
    }
  }
  try {
    return CastValue(Value::Varchar(text), target);
  } catch (const BasaltError& e) {
    throw BasaltError(e.code(), fmt::format("bind parameter {}: {}", parameter_number, e.what()));
  }
}

}  // namespace

std::string PgBinaryOf(const Value& value) {
  std::string out;
  switch (value.type().id()) {
    case TypeId::kBoolean:
      out.push_back(value.GetBool() ? 1 : 0);
      break;
    case TypeId::kSmallint:
      AppendBigEndian<int16_t>(out, static_cast<int16_t>(value.GetInt64()));
      break;
    case TypeId::kInteger:
      AppendBigEndian<int32_t>(out, static_cast<int32_t>(value.GetInt64()));
      break;
    case TypeId::kBigint:
      AppendBigEndian<int64_t>(out, value.GetInt64());
      break;
    case TypeId::kReal:
      AppendBigEndian<uint32_t>(out,
                                std::bit_cast<uint32_t>(static_cast<float>(value.GetDouble())));
      break;
    case TypeId::kDouble:
      AppendBigEndian<uint64_t>(out, std::bit_cast<uint64_t>(value.GetDouble()));
      break;
    case TypeId::kDecimal:
      out = NumericBinary(value.GetDecimal(), value.type().scale());
      break;
    case TypeId::kDate:
      AppendBigEndian<int32_t>(out, static_cast<int32_t>(value.GetInt64()) - kPgEpochDays);
      break;
    case TypeId::kTimestamp:
      AppendBigEndian<int64_t>(out, value.GetInt64() - kPgEpochMicros);
      break;
    case TypeId::kInterval: {
      const Interval& interval = value.GetInterval();
      AppendBigEndian<int64_t>(out, interval.micros);
      AppendBigEndian<int32_t>(out, interval.days);
      AppendBigEndian<int32_t>(out, interval.months);
      break;
    }
    case TypeId::kVarchar:
    case TypeId::kNull:
    case TypeId::kInvalid:
      out = value.GetString();
      break;
  }
  return out;
}

bool LogicalTypeOfPgOid(int32_t oid, LogicalType* out) {
  switch (oid) {
    case 0:
    case pg_oid::kUnknown:
      *out = TypeId::kInvalid;
      return true;
    case pg_oid::kBool:
      *out = TypeId::kBoolean;
      return true;
    case pg_oid::kInt2:
      *out = TypeId::kSmallint;
      return true;
    case pg_oid::kInt4:
      *out = TypeId::kInteger;
      return true;
    case pg_oid::kInt8:
      *out = TypeId::kBigint;
      return true;
    case pg_oid::kFloat4:
      *out = TypeId::kReal;
      return true;
    case pg_oid::kFloat8:
      *out = TypeId::kDouble;
      return true;
    case pg_oid::kNumeric:
      *out = LogicalType::Decimal(kMaxDecimalPrecision, 0);
      return true;
    case pg_oid::kText:
    case pg_oid::kVarchar:
    case pg_oid::kBpchar:
    case pg_oid::kName:
      *out = TypeId::kVarchar;
      return true;
    case pg_oid::kDate:
      *out = TypeId::kDate;
      return true;
    case pg_oid::kTimestamp:
      *out = TypeId::kTimestamp;
      return true;
    case pg_oid::kInterval:
      *out = TypeId::kInterval;
      return true;
    default:
      return false;
  }
}

Value PgParameterValue(const std::optional<std::string>& data, PgFormat format,
                       const LogicalType& type, int parameter_number) {
  if (!data) return Value::Null(type.id() == TypeId::kInvalid ? LogicalType(TypeId::kNull) : type);
  if (format == PgFormat::kBinary) return FromBinary(*data, type, parameter_number);
  return FromText(*data, type, parameter_number);
}

}  // namespace basalt
