#include "exec/cast.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/exception.h"
#include "exec/functions/function_test_util.h"

namespace basalt {
namespace {

using namespace testing_util;

std::string AsText(const Value& v) { return CastValue(v, TypeId::kVarchar).GetString(); }

Value FromText(const std::string& s, const LogicalType& to) {
  return CastValue(Value::Varchar(s), to);
}

TEST(CastTest, IntegerNarrowingChecksRange) {
  EXPECT_EQ(CastValue(Value::Bigint(40), TypeId::kSmallint), Value::Smallint(40));
  ExpectError([] { CastValue(Value::Integer(40000), TypeId::kSmallint); },
              sqlstate::kNumericOutOfRange, "smallint out of range");
  ExpectError([] { CastValue(Value::Bigint(int64_t{1} << 40), TypeId::kInteger); },
              sqlstate::kNumericOutOfRange, "integer out of range");
  EXPECT_EQ(CastValue(Value::Integer(-5), TypeId::kBigint), Value::Bigint(-5));
}

TEST(CastTest, FloatToIntegerRoundsHalfToEven) {
  EXPECT_EQ(CastValue(Value::Double(2.5), TypeId::kInteger), Value::Integer(2));
  EXPECT_EQ(CastValue(Value::Double(3.5), TypeId::kInteger), Value::Integer(4));
  EXPECT_EQ(CastValue(Value::Double(-2.5), TypeId::kInteger), Value::Integer(-2));
  ExpectError([] { CastValue(Value::Double(3e9), TypeId::kInteger); }, sqlstate::kNumericOutOfRange,
              "integer out of range");
  ExpectError([] { CastValue(Value::Double(NAN), TypeId::kBigint); }, sqlstate::kNumericOutOfRange,
              "bigint out of range");
  ExpectError([] { CastValue(Value::Double(1e300), TypeId::kReal); }, sqlstate::kNumericOutOfRange,
              "value out of range: overflow");
}

TEST(CastTest, Decimals) {
  LogicalType d52 = LogicalType::Decimal(5, 2);
  EXPECT_EQ(AsText(CastValue(FromText("12.345", LogicalType::Decimal(6, 3)), d52)), "12.35");
  EXPECT_EQ(AsText(CastValue(FromText("-12.345", LogicalType::Decimal(6, 3)), d52)), "-12.35");
  ExpectError([&] { CastValue(FromText("12345.6", LogicalType::Decimal(6, 1)), d52); },
              sqlstate::kNumericOutOfRange, "numeric field overflow");
  // numeric -> integer rounds half away from zero.
  EXPECT_EQ(CastValue(FromText("2.5", LogicalType::Decimal(2, 1)), TypeId::kInteger),
            Value::Integer(3));
  EXPECT_EQ(CastValue(FromText("-2.5", LogicalType::Decimal(2, 1)), TypeId::kInteger),
            Value::Integer(-3));
  EXPECT_EQ(AsText(CastValue(Value::Double(0.1), LogicalType::Decimal(10, 4))), "0.1000");
  EXPECT_EQ(AsText(CastValue(Value::Double(1e20), LogicalType::Decimal(38, 0))),
            "100000000000000000000");
  EXPECT_EQ(CastValue(FromText("123.456", LogicalType::Decimal(6, 3)), TypeId::kDouble),
            Value::Double(123.456));
  EXPECT_EQ(
      CastValue(FromText("12345678901234567890.123", LogicalType::Decimal(38, 3)), TypeId::kDouble),
      Value::Double(12345678901234567890.123));
  EXPECT_EQ(AsText(CastValue(Value::Integer(7), LogicalType::Decimal(4, 2))), "7.00");
  ExpectError([] { CastValue(Value::Integer(700), LogicalType::Decimal(4, 2)); },
              sqlstate::kNumericOutOfRange, "numeric field overflow");
  EXPECT_EQ(AsText(CastValue(FromText("1.5e3", LogicalType::Decimal(10, 2)),
                             LogicalType::Decimal(20, 2))),
            "1500.00");
}

TEST(CastTest, TextToNumbersAndErrors) {
  EXPECT_EQ(FromText(" 12 ", TypeId::kInteger), Value::Integer(12));
  ExpectError([] { FromText("abc", TypeId::kInteger); }, sqlstate::kInvalidTextRepresentation,
              "invalid input syntax for type integer: \"abc\"");
  ExpectError([] { FromText("99999999999", TypeId::kInteger); }, sqlstate::kNumericOutOfRange,
              "value \"99999999999\" is out of range for type integer");
  ExpectError([] { FromText("1.5", TypeId::kBigint); }, sqlstate::kInvalidTextRepresentation,
              "invalid input syntax for type bigint: \"1.5\"");
  ExpectError([] { FromText("x", TypeId::kDouble); }, sqlstate::kInvalidTextRepresentation,
              "invalid input syntax for type double precision: \"x\"");
  ExpectError([] { FromText("1e400", TypeId::kDouble); }, sqlstate::kNumericOutOfRange,
              "\"1e400\" is out of range for type double precision");
  ExpectError([] { FromText("abc", LogicalType::Decimal(10, 2)); },
              sqlstate::kInvalidTextRepresentation,
              "invalid input syntax for type numeric: \"abc\"");
  ExpectError([] { FromText("12345.6", LogicalType::Decimal(5, 2)); }, sqlstate::kNumericOutOfRange,
              "numeric field overflow");
  ExpectError([] { FromText("maybe", TypeId::kBoolean); }, sqlstate::kInvalidTextRepresentation,
              "invalid input syntax for type boolean: \"maybe\"");
  EXPECT_EQ(FromText("yes", TypeId::kBoolean), Value::Boolean(true));
  EXPECT_EQ(FromText("-1.25e2", TypeId::kReal), Value::Real(-125));
}

TEST(CastTest, TextToDateTime) {
  EXPECT_EQ(AsText(FromText("2024-02-29", TypeId::kDate)), "2024-02-29");
  EXPECT_EQ(AsText(FromText("2024-02-29 13:45:00", TypeId::kDate)), "2024-02-29");
  EXPECT_EQ(AsText(FromText("2024-02-29 13:45:00.5", TypeId::kTimestamp)), "2024-02-29 13:45:00.5");
  ExpectError([] { FromText("2020-13-45", TypeId::kDate); }, sqlstate::kDatetimeFieldOverflow,
              "date/time field value out of range: \"2020-13-45\"");
  ExpectError([] { FromText("x", TypeId::kDate); }, sqlstate::kInvalidDatetimeFormat,
              "invalid input syntax for type date: \"x\"");
  ExpectError([] { FromText("2020-01-01 99:00", TypeId::kTimestamp); },
              sqlstate::kDatetimeFieldOverflow,
              "date/time field value out of range: \"2020-01-01 99:00\"");
  ExpectError([] { FromText("yesterday-ish", TypeId::kTimestamp); },
              sqlstate::kInvalidDatetimeFormat,
              "invalid input syntax for type timestamp: \"yesterday-ish\"");
  ExpectError([] { FromText("abc", TypeId::kInterval); }, sqlstate::kInvalidDatetimeFormat,
              "invalid input syntax for type interval: \"abc\"");
  EXPECT_EQ(AsText(FromText("1 day 02:00:00", TypeId::kInterval)), "1 day 02:00:00");
}

TEST(CastTest, DateAndTimestamp) {
  Value ts = FromText("1969-12-31 12:00:00", TypeId::kTimestamp);
  EXPECT_EQ(AsText(CastValue(ts, TypeId::kDate)), "1969-12-31");
  Value d = FromText("2024-03-01", TypeId::kDate);
  EXPECT_EQ(AsText(CastValue(d, TypeId::kTimestamp)), "2024-03-01 00:00:00");
}

TEST(CastTest, ToTextMatchesValueToString) {
  std::vector<Value> values = {
      Value::Boolean(true),
      Value::Smallint(-7),
      Value::Integer(123456),
      Value::Bigint(INT64_MIN),
      Value::Real(0.1f),
      Value::Double(0.1),
      Value::Double(1e300),
      Value::Double(-0.0),
      Value::Double(NAN),
      Value::Double(INFINITY),
      Value::Decimal(5, 4, 2),
      Value::Decimal(-5, 4, 2),
      Value::Decimal(0, 4, 2),
      Value::Decimal(-123456789, 18, 0),
      Value::Decimal((int128_t{1} << 100) + 7, 38, 10),
      Value::Decimal(-((int128_t{1} << 100) + 7), 38, 10),
      FromText("2024-02-29", TypeId::kDate),
      FromText("2024-02-29 01:02:03.25", TypeId::kTimestamp),
      FromText("1 year 2 mons 3 days 04:05:06", TypeId::kInterval),
  };
  for (const Value& v : values) EXPECT_EQ(AsText(v), v.ToString()) << v.type().ToString();
}

TEST(CastTest, NullAndIdentity) {
  EXPECT_TRUE(CastValue(Value(), TypeId::kDate).IsNull());
  EXPECT_EQ(CastValue(Value(), TypeId::kDate).type(), LogicalType(TypeId::kDate));
  auto cast = BindCast(TypeId::kNull, TypeId::kInteger);
  ASSERT_TRUE(cast.has_value());
  Vector in(Value{});
  Vector out(TypeId::kInteger);
  cast->kernel({in}, nullptr, 3, cast->data.get(), out);
  EXPECT_TRUE(out.IsNull(0));
  EXPECT_TRUE(out.IsNull(2));
  EXPECT_TRUE(BindCast(TypeId::kVarchar, TypeId::kVarchar).has_value());
  EXPECT_FALSE(BindCast(TypeId::kDate, TypeId::kInteger).has_value());
  EXPECT_FALSE(BindCast(TypeId::kInterval, TypeId::kDate).has_value());
  EXPECT_FALSE(BindCast(TypeId::kDouble, TypeId::kBoolean).has_value());
  ExpectError([] { CastValue(Value::Boolean(true), TypeId::kDate); }, "42846",
              "cannot cast type boolean to date");
}

TEST(CastTest, CastKernelWithSelectionAndNulls) {
  Vector in = MakeFlat(TypeId::kVarchar, {Value::Varchar("1"), Value::Varchar("bad"),
                                          Value::Null(TypeId::kVarchar), Value::Varchar("4")});
  auto cast = BindCast(TypeId::kVarchar, TypeId::kInteger);
  Vector out(TypeId::kInteger);
  SelectionVector sel = MakeSelection({0, 2, 3});  // row 1 is not computed, so no error
  cast->kernel({in}, &sel, 3, cast->data.get(), out);
  EXPECT_EQ(out.GetValue(0), Value::Integer(1));
  EXPECT_TRUE(out.IsNull(2));
  EXPECT_EQ(out.GetValue(3), Value::Integer(4));
}

TEST(ImplicitCastTest, Rules) {
  EXPECT_TRUE(CanImplicitCast(TypeId::kSmallint, TypeId::kBigint));
  EXPECT_FALSE(CanImplicitCast(TypeId::kBigint, TypeId::kInteger));
  EXPECT_TRUE(CanImplicitCast(TypeId::kInteger, LogicalType::Decimal(15, 2)));
  EXPECT_TRUE(CanImplicitCast(LogicalType::Decimal(15, 2), TypeId::kDouble));
  EXPECT_FALSE(CanImplicitCast(TypeId::kDouble, LogicalType::Decimal(15, 2)));
  EXPECT_TRUE(CanImplicitCast(TypeId::kDate, TypeId::kTimestamp));
  EXPECT_FALSE(CanImplicitCast(TypeId::kTimestamp, TypeId::kDate));
  EXPECT_FALSE(CanImplicitCast(TypeId::kVarchar, TypeId::kInteger));
  EXPECT_TRUE(CanImplicitCast(TypeId::kNull, TypeId::kVarchar));
  EXPECT_FALSE(CanImplicitCast(TypeId::kBoolean, TypeId::kInteger));
}

TEST(ImplicitCastTest, CommonSupertype) {
  EXPECT_EQ(CommonSupertype(TypeId::kInteger, LogicalType::Decimal(15, 2)),
            LogicalType::Decimal(15, 2));
  EXPECT_EQ(CommonSupertype(TypeId::kInteger, LogicalType::Decimal(5, 2)),
            LogicalType::Decimal(12, 2));
  EXPECT_EQ(CommonSupertype(LogicalType::Decimal(10, 2), LogicalType::Decimal(5, 4)),
            LogicalType::Decimal(12, 4));
  EXPECT_EQ(CommonSupertype(TypeId::kBigint, LogicalType::Decimal(38, 30)),
            LogicalType::Decimal(38, 30));
  EXPECT_EQ(CommonSupertype(TypeId::kBigint, TypeId::kDouble), LogicalType(TypeId::kDouble));
  EXPECT_EQ(CommonSupertype(TypeId::kReal, TypeId::kReal), LogicalType(TypeId::kReal));
  EXPECT_EQ(CommonSupertype(TypeId::kInteger, TypeId::kReal), LogicalType(TypeId::kDouble));
  EXPECT_EQ(CommonSupertype(TypeId::kSmallint, TypeId::kInteger), LogicalType(TypeId::kInteger));
  EXPECT_EQ(CommonSupertype(TypeId::kVarchar, TypeId::kVarchar), LogicalType(TypeId::kVarchar));
  EXPECT_EQ(CommonSupertype(TypeId::kDate, TypeId::kTimestamp), LogicalType(TypeId::kTimestamp));
  EXPECT_EQ(CommonSupertype(TypeId::kNull, TypeId::kDate), LogicalType(TypeId::kDate));
  EXPECT_EQ(CommonSupertype(TypeId::kBoolean, TypeId::kInteger), LogicalType(TypeId::kInvalid));
  EXPECT_EQ(CommonSupertype(TypeId::kVarchar, TypeId::kInteger), LogicalType(TypeId::kInvalid));
  EXPECT_EQ(CommonSupertype(TypeId::kInterval, TypeId::kDate), LogicalType(TypeId::kInvalid));
}

}  // namespace
}  // namespace basalt
