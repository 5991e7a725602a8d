#include "server/pg_binary.h"

#include <gtest/gtest.h>

#include "common/decimal.h"
#include "common/exception.h"

namespace basalt {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

TEST(PgBinaryTest, EncodesFixedWidthTypes) {
  EXPECT_EQ(PgBinaryOf(Value::Boolean(true)), Bytes({1}));
  EXPECT_EQ(PgBinaryOf(Value::Integer(-2)), Bytes({0xFF, 0xFF, 0xFF, 0xFE}));
  EXPECT_EQ(PgBinaryOf(Value::Bigint(258)), Bytes({0, 0, 0, 0, 0, 0, 1, 2}));
  EXPECT_EQ(PgBinaryOf(Value::Double(1.0)), Bytes({0x3F, 0xF0, 0, 0, 0, 0, 0, 0}));
  // PostgreSQL's epoch is 2000-01-01, 10957 days after Basalt's.
  EXPECT_EQ(PgBinaryOf(Value::Date(10957)), Bytes({0, 0, 0, 0}));
  EXPECT_EQ(PgBinaryOf(Value::Date(10958)), Bytes({0, 0, 0, 1}));
  EXPECT_EQ(PgBinaryOf(Value::Timestamp(int64_t{10957} * 86400 * 1000000 + 1)),
            Bytes({0, 0, 0, 0, 0, 0, 0, 1}));
}

TEST(PgBinaryTest, EncodesNumericAsBase10000Digits) {
  // 12345.678: digits 1, 2345, 6780; weight 1; dscale 3.
  EXPECT_EQ(PgBinaryOf(Value::Decimal(12345678, 10, 3)),
            Bytes({0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1A, 0x7C}));
  // -0.05: one digit 500 at weight -1, negative, dscale 2.
  EXPECT_EQ(PgBinaryOf(Value::Decimal(-5, 5, 2)),
            Bytes({0, 1, 0xFF, 0xFF, 0x40, 0, 0, 2, 0x01, 0xF4}));
  // Zero has no digits.
  EXPECT_EQ(PgBinaryOf(Value::Decimal(0, 5, 2)), Bytes({0, 0, 0, 0, 0, 0, 0, 2}));
  // 10000: one digit 1 at weight 1.
  EXPECT_EQ(PgBinaryOf(Value::Decimal(10000, 5, 0)), Bytes({0, 1, 0, 1, 0, 0, 0, 0, 0, 1}));
}

TEST(PgBinaryTest, NumericRoundTrips) {
  for (int128_t raw : {int128_t{12345678}, int128_t{-5}, int128_t{0}, int128_t{10000},
                       int128_t{999999999999999999}, -int128_t{123456789012345678}}) {
    Value v = Value::Decimal(raw, 20, 4);
    Value back = PgParameterValue(PgBinaryOf(v), PgFormat::kBinary, LogicalType::Decimal(38, 0), 1);
    EXPECT_EQ(back.GetDecimal(), raw);
    EXPECT_EQ(back.type().scale(), 4);
  }
}

TEST(PgBinaryTest, DecodesParametersOfEveryType) {
  EXPECT_EQ(PgParameterValue(Bytes({0, 0, 0, 7}), PgFormat::kBinary, TypeId::kInteger, 1),
            Value::Integer(7));
  EXPECT_EQ(PgParameterValue(Bytes({0, 0, 0, 1}), PgFormat::kBinary, TypeId::kDate, 1),
            Value::Date(10958));
  EXPECT_EQ(PgParameterValue(std::string("42"), PgFormat::kText, TypeId::kBigint, 1),
            Value::Bigint(42));
  EXPECT_EQ(PgParameterValue(std::string("1.50"), PgFormat::kText, LogicalType::Decimal(38, 0), 1)
                .type()
                .scale(),
            2);
  // Unknown type in text stays a string for the binder to type.
  EXPECT_EQ(PgParameterValue(std::string("x"), PgFormat::kText, TypeId::kInvalid, 1),
            Value::Varchar("x"));
  EXPECT_TRUE(PgParameterValue(std::nullopt, PgFormat::kText, TypeId::kInteger, 1).IsNull());
  Interval interval;
  interval.months = 1;
  interval.days = 2;
  interval.micros = 3;
  EXPECT_EQ(PgParameterValue(PgBinaryOf(Value::FromInterval(interval)), PgFormat::kBinary,
                             TypeId::kInterval, 1),
            Value::FromInterval(interval));
}

TEST(PgBinaryTest, RejectsBadParameters) {
  auto code_of = [](auto&& f) {
    try {
      f();
    } catch (const BasaltError& e) {
      return std::string(e.code());
    }
    return std::string("no error");
  };
  EXPECT_EQ(code_of([] {
              PgParameterValue(Bytes({0, 7}), PgFormat::kBinary, TypeId::kInteger, 1);
            }),
            "22P03");
  EXPECT_EQ(
      code_of([] { PgParameterValue(std::string("abc"), PgFormat::kText, TypeId::kInteger, 1); }),
      "22P02");
  EXPECT_EQ(code_of([] { PgParameterValue(Bytes({1}), PgFormat::kBinary, TypeId::kInvalid, 1); }),
            "42P18");
  // Numeric with a digit count that does not match, NaN, and a digit >= 10000.
  EXPECT_EQ(code_of([] {
              PgParameterValue(Bytes({0, 2, 0, 0, 0, 0, 0, 0, 0, 1}), PgFormat::kBinary,
                               LogicalType::Decimal(38, 0), 1);
            }),
            "22P03");
  EXPECT_EQ(code_of([] {
              PgParameterValue(Bytes({0, 0, 0, 0, 0xC0, 0, 0, 0}), PgFormat::kBinary,
                               LogicalType::Decimal(38, 0), 1);
            }),
            "22P03");
  EXPECT_EQ(code_of([] {
              PgParameterValue(Bytes({0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10}), PgFormat::kBinary,
                               LogicalType::Decimal(38, 0), 1);
            }),
            "22P03");
  // 10000^20 does not fit DECIMAL(38).
  EXPECT_EQ(code_of([] {
              PgParameterValue(Bytes({0, 1, 0, 20, 0, 0, 0, 0, 0, 1}), PgFormat::kBinary,
                               LogicalType::Decimal(38, 0), 1);
            }),
            "22003");
}

TEST(PgBinaryTest, NumericParametersTruncateDigitsPastTheirScale) {
  // 1.2399 sent with dscale 2 is 1.23, as PostgreSQL's numeric_recv truncates.
  Value v = PgValueFromBinary(Bytes({0, 2, 0, 0, 0, 0, 0, 2, 0, 1, 0x09, 0x2F}),
                              LogicalType::Decimal(38, 0), 1);
  EXPECT_EQ(v.GetDecimal(), 123);
  EXPECT_EQ(v.type().scale(), 2);
  // 38 digits at a scale that is not a multiple of four: the last word's
  // padding zeros do not count against DECIMAL(38).
  int128_t largest = MaxDecimalValue(38);
  Value back = PgValueFromBinary(PgBinaryOf(Value::Decimal(largest, 38, 1)),
                                 LogicalType::Decimal(38, 0), 1);
  EXPECT_EQ(back.GetDecimal(), largest);
  EXPECT_EQ(back.type().scale(), 1);
}

TEST(PgBinaryTest, DatesAndTimestampsOutOfRangeAre22008) {
  auto code_of = [](const std::string& data, TypeId type) {
    try {
      PgValueFromBinary(data, type, 1);
    } catch (const BasaltError& e) {
      return std::string(e.code());
    }
    return std::string("no error");
  };
  // PostgreSQL's infinities, and values past Basalt's ranges.
  EXPECT_EQ(code_of(Bytes({0x7F, 0xFF, 0xFF, 0xFF}), TypeId::kDate), "22008");
  EXPECT_EQ(code_of(Bytes({0x80, 0, 0, 0}), TypeId::kDate), "22008");
  EXPECT_EQ(code_of(Bytes({0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}), TypeId::kTimestamp),
            "22008");
  EXPECT_EQ(code_of(Bytes({0x80, 0, 0, 0, 0, 0, 0, 0}), TypeId::kTimestamp), "22008");
  // 294270 AD is past 1970 + 2^63 microseconds (294247 AD), though PostgreSQL holds it.
  EXPECT_EQ(code_of(Bytes({0x7F, 0xFE, 0xAD, 0xA2, 0x6B, 0x6D, 0x80, 0}), TypeId::kTimestamp),
            "22008");
  // The first day PostgreSQL holds, 4713-11-24 BC, is fine.
  EXPECT_EQ(PgValueFromBinary(Bytes({0xFF, 0xDA, 0x97, 0xA7}), TypeId::kDate, 1),
            Value::Date(-2451545 + 10957));
}

}  // namespace
}  // namespace basalt
