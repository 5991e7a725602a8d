#include "server/pg_binary_format.h"

#include <algorithm>
#include <bit>

#include "common/decimal.h"
#include "common/exception.h"

namespace basalt {

namespace {

// Numeric's sign word (PostgreSQL numeric.c).
constexpr uint16_t kNumericPositive = 0x0000;
constexpr uint16_t kNumericNegative = 0x4000;
constexpr int kNumericDigitsPerWord = 4;  // base 10000

// PostgreSQL's date and timestamp ranges (IS_VALID_DATE, IS_VALID_TIMESTAMP
// in datatype/timestamp.h), counted from 2000-01-01: 4713-11-24 BC up to
// 5874898-01-01 and 294277-01-01 (exclusive).
constexpr int32_t kPgMinDate = -2451545;
constexpr int32_t kPgEndDate = 2147483494 - 2451545;
constexpr int64_t kPgMinTimestamp = -211813488000000000;
constexpr int64_t kPgEndTimestamp = 9223371331200000000;

template <typename T>
T ReadBigEndian(const char* data) {
  using U = std::make_unsigned_t<T>;
  U bits = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    bits = static_cast<U>((bits << 8) | static_cast<unsigned char>(data[i]));
  }
  return static_cast<T>(bits);
}

// Divides *v by `divisor` and returns the remainder, in 64-bit arithmetic
// once the value fits (128-bit division is a library call).
uint32_t DivMod(uint128_t* v, uint32_t divisor) {
  if (*v <= UINT64_MAX) {
    uint64_t x = static_cast<uint64_t>(*v);
    *v = x / divisor;
    return static_cast<uint32_t>(x % divisor);
  }
  uint32_t remainder = static_cast<uint32_t>(*v % divisor);
  *v /= divisor;
  return remainder;
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
  // value * 10^dscale is the sum of each word times 10^exponent, where the
  // exponent of word i is 4 * (weight - i) + dscale. Digits past dscale are
  // truncated away, as PostgreSQL's numeric_recv does (trunc_var).
  int128_t limit = MaxDecimalValue(kMaxDecimalPrecision);
  int128_t value = 0;
  for (int i = 0; i < ndigits; ++i) {
    int16_t word = ReadBigEndian<int16_t>(data.data() + 8 + 2 * i);
    if (word < 0 || word >= 10000) ThrowBadBinary(parameter_number, "invalid numeric digit");
    int exponent = kNumericDigitsPerWord * (weight - i) + dscale;
    if (word == 0 || exponent <= -kNumericDigitsPerWord) continue;
    int128_t part = 0;
    if (exponent < 0) {
      part = word / Pow10(-exponent);
    } else if (exponent > kMaxDecimalPrecision || word > limit / Pow10(exponent)) {
      ThrowError(sqlstate::kNumericOutOfRange, "bind parameter {}: numeric value out of range",
                 parameter_number);
    } else {
      part = word * Pow10(exponent);
    }
    if (part > limit - value) {
      ThrowError(sqlstate::kNumericOutOfRange, "bind parameter {}: numeric value out of range",
                 parameter_number);
    }
    value += part;
  }
  if (sign == kNumericNegative) value = -value;
  int precision = std::max<int>(
      dscale + 1, static_cast<int>(Int128ToString(value < 0 ? -value : value).size()));
  return Value::Decimal(value, static_cast<uint8_t>(std::min(precision, kMaxDecimalPrecision)),
                        static_cast<uint8_t>(dscale));
}

}  // namespace

char* PutPgNumericBinary(char* out, int128_t raw, int scale) {
  bool negative = raw < 0;
  uint128_t rest = negative ? -static_cast<uint128_t>(raw) : static_cast<uint128_t>(raw);
  // Base-10000 words, least significant first, aligned so that the decimal
  // point falls between two words: the last fraction word is padded with
  // zeros on the right when the scale is not a multiple of four.
  uint16_t words[80];  // up to 64 fraction words (scale <= 255) and 10 integer words
  int count = 0;
  int fraction_words = (scale + kNumericDigitsPerWord - 1) / kNumericDigitsPerWord;
  int partial = scale % kNumericDigitsPerWord;
  for (int i = 0; i < fraction_words; ++i) {
    if (i == 0 && partial != 0) {
      static constexpr uint32_t kPow10[] = {1, 10, 100, 1000, 10000};
      words[count++] = static_cast<uint16_t>(DivMod(&rest, kPow10[partial]) *
                                             kPow10[kNumericDigitsPerWord - partial]);
    } else {
      words[count++] = static_cast<uint16_t>(DivMod(&rest, 10000));
    }
  }
  int integer_words = 0;
  while (rest != 0) {
    words[count++] = static_cast<uint16_t>(DivMod(&rest, 10000));
    ++integer_words;
  }
  // Zero words at either end carry no information; each one dropped at the
  // top lowers the weight.
  int weight = integer_words - 1;
  int top = count;  // one past the most significant word kept
  while (top > 0 && words[top - 1] == 0) {
    --top;
    --weight;
  }
  int bottom = 0;
  while (bottom < top && words[bottom] == 0) ++bottom;
  if (bottom == top) {  // zero
    weight = 0;
    negative = false;
  }
  out = PutBigEndian<int16_t>(out, static_cast<int16_t>(top - bottom));
  out = PutBigEndian<int16_t>(out, static_cast<int16_t>(weight));
  out = PutBigEndian<uint16_t>(out, negative ? kNumericNegative : kNumericPositive);
  out = PutBigEndian<int16_t>(out, static_cast<int16_t>(scale));
  for (int i = top - 1; i >= bottom; --i) out = PutBigEndian<uint16_t>(out, words[i]);
  return out;
}

std::string PgBinaryOf(const Value& value) {
  char buffer[std::max<size_t>(kMaxPgNumericBinarySize, sizeof(Interval) + 8)];
  char* end = buffer;
  switch (value.type().id()) {
    case TypeId::kBoolean:
      end = PutBigEndian<uint8_t>(buffer, value.GetBool() ? 1 : 0);
      break;
    case TypeId::kSmallint:
      end = PutBigEndian<int16_t>(buffer, static_cast<int16_t>(value.GetInt64()));
      break;
    case TypeId::kInteger:
      end = PutBigEndian<int32_t>(buffer, static_cast<int32_t>(value.GetInt64()));
      break;
    case TypeId::kBigint:
      end = PutBigEndian<int64_t>(buffer, value.GetInt64());
      break;
    case TypeId::kReal:
      end = PutBigEndian<uint32_t>(buffer,
                                   std::bit_cast<uint32_t>(static_cast<float>(value.GetDouble())));
      break;
    case TypeId::kDouble:
      end = PutBigEndian<uint64_t>(buffer, std::bit_cast<uint64_t>(value.GetDouble()));
      break;
    case TypeId::kDecimal:
      end = PutPgNumericBinary(buffer, value.GetDecimal(), value.type().scale());
      break;
    case TypeId::kDate:
      end = PutBigEndian<int32_t>(buffer, PgDateOf(static_cast<int32_t>(value.GetInt64())));
      break;
    case TypeId::kTimestamp:
      end = PutBigEndian<int64_t>(buffer, PgTimestampOf(value.GetInt64()));
      break;
    case TypeId::kInterval: {
      const Interval& interval = value.GetInterval();
      end = PutBigEndian<int64_t>(end, interval.micros);
      end = PutBigEndian<int32_t>(end, interval.days);
      end = PutBigEndian<int32_t>(end, interval.months);
      break;
    }
    case TypeId::kList:  // sent as text (OID 25) in both formats
    case TypeId::kStruct:
      return value.ToString();
    case TypeId::kVarchar:
    case TypeId::kNull:
    case TypeId::kInvalid:
      return value.GetString();
  }
  return std::string(buffer, end);
}

Value PgValueFromBinary(std::string_view data, const LogicalType& type, int parameter_number) {
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
    case TypeId::kDate: {
      expect_size(4);
      int32_t days = ReadBigEndian<int32_t>(data.data());
      // PostgreSQL's infinite dates (INT32_MIN / INT32_MAX) are out of range here too.
      if (days < kPgMinDate || days >= kPgEndDate) {
        ThrowError(sqlstate::kDatetimeFieldOverflow, "bind parameter {}: date out of range",
                   parameter_number);
      }
      return Value::Date(days + kPgEpochDays);
    }
    case TypeId::kTimestamp: {
      expect_size(8);
      int64_t micros = ReadBigEndian<int64_t>(data.data());
      int64_t basalt_micros = 0;
      // PostgreSQL's last years (from 294247) do not fit Basalt's count from 1970.
      if (micros < kPgMinTimestamp || micros >= kPgEndTimestamp ||
          __builtin_add_overflow(micros, kPgEpochMicros, &basalt_micros)) {
        ThrowError(sqlstate::kDatetimeFieldOverflow, "bind parameter {}: timestamp out of range",
                   parameter_number);
      }
      return Value::Timestamp(basalt_micros);
    }
    case TypeId::kInterval: {
      expect_size(16);
      Interval interval;
      interval.micros = ReadBigEndian<int64_t>(data.data());
      interval.days = ReadBigEndian<int32_t>(data.data() + 8);
      interval.months = ReadBigEndian<int32_t>(data.data() + 12);
      return Value::FromInterval(interval);
    }
    case TypeId::kList:
    case TypeId::kStruct:
      ThrowError(sqlstate::kFeatureNotSupported,
                 "bind parameter {}: parameters of type {} are not supported", parameter_number,
                 type.ToString());
    case TypeId::kNull:
    case TypeId::kInvalid:
      break;
  }
  ThrowError(sqlstate::kIndeterminateDatatype,
             "could not determine data type of parameter ${} sent in binary format",
             parameter_number);
}

}  // namespace basalt
