#include <gtest/gtest.h>

#include <cmath>

#include "common/date_time.h"
#include "common/exception.h"
#include "exec/functions/function_test_util.h"

namespace basalt {
namespace {

using namespace testing_util;

Value Dec(const std::string& text, int precision, int scale) {
  return CastValue(Value::Varchar(text), LogicalType::Decimal(precision, scale));
}

Value DateV(const std::string& text) { return CastValue(Value::Varchar(text), TypeId::kDate); }
Value TsV(const std::string& text) { return CastValue(Value::Varchar(text), TypeId::kTimestamp); }
Value IvV(const std::string& text) { return CastValue(Value::Varchar(text), TypeId::kInterval); }

TEST(ArithmeticTest, IntegerResultTypeIsTheWiderOperand) {
  LogicalType type;
  Vector r = RunScalar("+",
                       {MakeFlat(TypeId::kSmallint, {Value::Smallint(1)}),
                        MakeFlat(TypeId::kBigint, {Value::Bigint(2)})},
                       1, nullptr, &type);
  EXPECT_EQ(type, LogicalType(TypeId::kBigint));
  EXPECT_EQ(r.GetValue(0), Value::Bigint(3));
  EXPECT_EQ(Eval("*", {Value::Integer(6), Value::Integer(7)}), Value::Integer(42));
  EXPECT_EQ(Eval("-", {Value::Integer(6), Value::Integer(7)}), Value::Integer(-1));
}

TEST(ArithmeticTest, IntegerDivisionTruncatesTowardZero) {
  EXPECT_EQ(Eval("/", {Value::Integer(7), Value::Integer(2)}), Value::Integer(3));
  EXPECT_EQ(Eval("/", {Value::Integer(-7), Value::Integer(2)}), Value::Integer(-3));
  EXPECT_EQ(Eval("%", {Value::Integer(-7), Value::Integer(2)}), Value::Integer(-1));
  EXPECT_EQ(Eval("%", {Value::Integer(7), Value::Integer(-2)}), Value::Integer(1));
  EXPECT_EQ(Eval("mod", {Value::Bigint(INT64_MIN), Value::Bigint(-1)}), Value::Bigint(0));
}

TEST(ArithmeticTest, IntegerOverflowIsAnError) {
  ExpectError(
      [] {
        Eval("+", {Value::Integer(INT32_MAX), Value::Integer(1)});
      },
      sqlstate::kNumericOutOfRange, "integer out of range");
  ExpectError(
      [] {
        Eval("*", {Value::Bigint(INT64_MAX), Value::Bigint(2)});
      },
      sqlstate::kNumericOutOfRange, "bigint out of range");
  ExpectError(
      [] {
        Eval("-", {Value::Smallint(-32768), Value::Smallint(1)});
      },
      sqlstate::kNumericOutOfRange, "smallint out of range");
  ExpectError(
      [] {
        Eval("/", {Value::Integer(INT32_MIN), Value::Integer(-1)});
      },
      sqlstate::kNumericOutOfRange, "integer out of range");
  ExpectError([] { Eval("negate", {Value::Integer(INT32_MIN)}); }, sqlstate::kNumericOutOfRange,
              "integer out of range");
}

TEST(ArithmeticTest, DivisionByZero) {
  ExpectError(
      [] {
        Eval("/", {Value::Integer(1), Value::Integer(0)});
      },
      sqlstate::kDivisionByZero, "division by zero");
  ExpectError(
      [] {
        Eval("%", {Value::Bigint(1), Value::Bigint(0)});
      },
      sqlstate::kDivisionByZero, "division by zero");
  ExpectError(
      [] {
        Eval("/", {Value::Double(1), Value::Double(0)});
      },
      sqlstate::kDivisionByZero, "division by zero");
  ExpectError(
      [] {
        Eval("/", {Dec("1.5", 2, 1), Dec("0", 2, 1)});
      },
      sqlstate::kDivisionByZero, "division by zero");
}

TEST(ArithmeticTest, NullPropagatesAndDivisionByZeroBehindNullIsIgnored) {
  Vector a = MakeFlat(TypeId::kInteger, {Value::Integer(10), Value::Null(), Value::Integer(30)});
  Vector b = MakeFlat(TypeId::kInteger, {Value::Integer(2), Value::Integer(0), Value::Null()});
  Vector r = RunScalar("/", {a, b}, 3);
  EXPECT_EQ(r.GetValue(0), Value::Integer(5));
  EXPECT_TRUE(r.IsNull(1));
  EXPECT_TRUE(r.IsNull(2));
  // An untyped NULL operand.
  Vector n = RunScalar("+", {MakeFlat(TypeId::kInteger, {Value::Integer(1)}), Vector(Value())}, 1);
  EXPECT_TRUE(n.IsNull(0));
  EXPECT_EQ(n.type(), LogicalType(TypeId::kInteger));
}

TEST(ArithmeticTest, SelectionConstantAndDictionaryInputs) {
  Vector a = MakeFlat(TypeId::kInteger,
                      {Value::Integer(1), Value::Integer(2), Value::Integer(3), Value::Integer(4)});
  Vector c = MakeConstant(Value::Integer(10));
  SelectionVector sel = MakeSelection({1, 3});
  Vector r = RunScalar("*", {a, c}, 2, &sel);
  EXPECT_EQ(r.GetValue(1), Value::Integer(20));
  EXPECT_EQ(r.GetValue(3), Value::Integer(40));
  Vector r2 = RunScalar("-", {c, a}, 4);
  EXPECT_EQ(r2.GetValue(0), Value::Integer(9));
  EXPECT_EQ(r2.GetValue(3), Value::Integer(6));
  Vector d = MakeDictionary(TypeId::kInteger, {Value::Integer(100), Value::Null()}, {1, 0, 0, 1});
  Vector r3 = RunScalar("+", {a, d}, 4);
  EXPECT_TRUE(r3.IsNull(0));
  EXPECT_EQ(r3.GetValue(1), Value::Integer(102));
  EXPECT_EQ(r3.GetValue(2), Value::Integer(103));
  EXPECT_TRUE(r3.IsNull(3));
  Vector r4 = RunScalar("+", {d, d}, 2, &sel);
  EXPECT_TRUE(r4.IsNull(3));
  EXPECT_EQ(r4.GetValue(1), Value::Integer(200));
}

TEST(ArithmeticTest, FloatArithmetic) {
  LogicalType type;
  Vector r = RunScalar("+", {MakeConstant(Value::Integer(1)), MakeConstant(Value::Double(0.5))}, 1,
                       nullptr, &type);
  EXPECT_EQ(type, LogicalType(TypeId::kDouble));
  EXPECT_EQ(r.GetValue(0), Value::Double(1.5));
  EXPECT_EQ(Eval("*", {Value::Real(2), Value::Real(3)}), Value::Real(6));
  ExpectError(
      [] {
        Eval("*", {Value::Double(1e300), Value::Double(1e300)});
      },
      sqlstate::kNumericOutOfRange, "value out of range: overflow");
  EXPECT_FALSE(
      FunctionRegistry::Get().BindScalar("%", {TypeId::kDouble, TypeId::kDouble}, {}).has_value());
}

TEST(DecimalArithmeticTest, AddIsExact) {
  LogicalType type;
  Vector r = RunScalar("+", {MakeConstant(Dec("0.1", 2, 1)), MakeConstant(Dec("0.2", 2, 1))}, 1,
                       nullptr, &type);
  EXPECT_EQ(type, LogicalType::Decimal(3, 1));
  EXPECT_EQ(r.GetValue(0).ToString(), "0.3");
  EXPECT_EQ(r.GetValue(0), Dec("0.3", 3, 1));
  // Different scales: DECIMAL(15,2) + DECIMAL(5,4) -> DECIMAL(18,4).
  Vector r2 = RunScalar("-",
                        {MakeFlat(LogicalType::Decimal(15, 2), {Dec("100.25", 15, 2)}),
                         MakeFlat(LogicalType::Decimal(5, 4), {Dec("0.0001", 5, 4)})},
                        1, nullptr, &type);
  EXPECT_EQ(type, LogicalType::Decimal(18, 4));
  EXPECT_EQ(r2.GetValue(0).ToString(), "100.2499");
  // Integer joins as DECIMAL(10,0).
  Vector r3 = RunScalar("-",
                        {MakeConstant(Value::Integer(1)),
                         MakeFlat(LogicalType::Decimal(15, 2), {Dec("0.06", 15, 2)})},
                        1, nullptr, &type);
  EXPECT_EQ(type, LogicalType::Decimal(16, 2));
  EXPECT_EQ(r3.GetValue(0).ToString(), "0.94");
}

TEST(DecimalArithmeticTest, MultiplyAndDivide) {
  LogicalType type;
  Vector r = RunScalar("*",
                       {MakeFlat(LogicalType::Decimal(15, 2), {Dec("12345.67", 15, 2)}),
                        MakeFlat(LogicalType::Decimal(16, 2), {Dec("0.94", 16, 2)})},
                       1, nullptr, &type);
  EXPECT_EQ(type, LogicalType::Decimal(31, 4));
  EXPECT_EQ(r.GetValue(0).ToString(), "11604.9298");
  Vector q = RunScalar("/", {MakeConstant(Dec("1.0", 2, 1)), MakeConstant(Value::Integer(3))}, 1,
                       nullptr, &type);
  EXPECT_EQ(type.scale(), 6);
  EXPECT_EQ(q.GetValue(0).ToString(), "0.333333");
  EXPECT_EQ(EvalText("/", {Dec("2.0", 2, 1), Value::Integer(3)}), "0.666667");
  EXPECT_EQ(EvalText("/", {Dec("-2.0", 2, 1), Value::Integer(3)}), "-0.666667");
  EXPECT_EQ(EvalText("/", {Dec("1.00", 3, 2), Dec("0.003", 4, 3)}), "333.333333");
  EXPECT_EQ(EvalText("%", {Dec("10.5", 3, 1), Dec("3", 1, 0)}), "1.5");
  EXPECT_EQ(EvalText("negate", {Dec("10.5", 3, 1)}), "-10.5");
}

TEST(DecimalArithmeticTest, WideDivisionStaysExact) {
  // The dividend scaled by 10^6 passes 128 bits; the 256-bit path keeps it exact.
  Value big = Dec("12345678901234567890123456789012.34", 38, 2);
  EXPECT_EQ(EvalText("/", {big, Dec("2.00", 38, 2)}), "6172839450617283945061728394506.170000");
  EXPECT_EQ(EvalText("/", {big, Dec("3", 38, 0)}), "4115226300411522630041152263004.113333");
}

TEST(DecimalArithmeticTest, OverflowOfDecimal38) {
  Value max = Dec("99999999999999999999999999999999999999", 38, 0);
  ExpectError(
      [&] {
        Eval("+", {max, Dec("1", 38, 0)});
      },
      sqlstate::kNumericOutOfRange, "numeric field overflow");
  ExpectError(
      [&] {
        Eval("*", {max, Dec("2", 38, 0)});
      },
      sqlstate::kNumericOutOfRange, "numeric field overflow");
  EXPECT_EQ(EvalText("-", {max, Dec("1", 38, 0)}), "99999999999999999999999999999999999998");
}

TEST(DecimalArithmeticTest, DecimalWithDoubleIsDouble) {
  LogicalType type;
  Vector r = RunScalar("*", {MakeConstant(Dec("1.5", 2, 1)), MakeConstant(Value::Double(2))}, 1,
                       nullptr, &type);
  EXPECT_EQ(type, LogicalType(TypeId::kDouble));
  EXPECT_EQ(r.GetValue(0), Value::Double(3));
}

TEST(TemporalArithmeticTest, DatePlusMinusIntegers) {
  EXPECT_EQ(Eval("+", {DateV("2024-02-28"), Value::Integer(2)}), DateV("2024-03-01"));
  EXPECT_EQ(Eval("+", {Value::Integer(1), DateV("2024-12-31")}), DateV("2025-01-01"));
  EXPECT_EQ(Eval("-", {DateV("2024-03-01"), Value::Integer(1)}), DateV("2024-02-29"));
  EXPECT_EQ(Eval("-", {DateV("2024-03-01"), DateV("2024-01-01")}), Value::Integer(60));
}

TEST(TemporalArithmeticTest, IntervalsClampToMonthEnd) {
  LogicalType type;
  Vector r = RunScalar("+", {MakeConstant(DateV("2024-01-31")), MakeConstant(IvV("1 month"))}, 1,
                       nullptr, &type);
  EXPECT_EQ(type, LogicalType(TypeId::kTimestamp));
  EXPECT_EQ(r.GetValue(0), TsV("2024-02-29"));
  EXPECT_EQ(Eval("-", {DateV("1998-12-01"), IvV("90 days")}), TsV("1998-09-02"));
  EXPECT_EQ(Eval("+", {TsV("2024-01-31 10:00:00"), IvV("1 month 1 day 01:00:00")}),
            TsV("2024-03-01 11:00:00"));
  EXPECT_EQ(Eval("-", {TsV("2024-03-31"), IvV("1 month")}), TsV("2024-02-29"));
  EXPECT_EQ(Eval("+", {IvV("1 day"), TsV("2024-01-01")}), TsV("2024-01-02"));
}

TEST(TemporalArithmeticTest, TimestampDifferenceAndIntervalMath) {
  EXPECT_EQ(EvalText("-", {TsV("2024-01-02 03:00:00"), TsV("2024-01-01 00:00:00")}),
            "1 day 03:00:00");
  // Compared as values: FormatInterval prints "-1 day" where PostgreSQL says "-1 days".
  EXPECT_EQ(Eval("-", {TsV("2024-01-01"), TsV("2024-01-02 03:00:00")}),
            Value::FromInterval(Interval{0, -1, -3 * kMicrosPerHour}));
  EXPECT_EQ(EvalText("+", {IvV("1 day"), IvV("2 hours")}), "1 day 02:00:00");
  EXPECT_EQ(Eval("-", {IvV("1 month"), IvV("1 day")}), Value::FromInterval(Interval{1, -1, 0}));
  EXPECT_EQ(EvalText("*", {IvV("1 day 01:00:00"), Value::Integer(3)}), "3 days 03:00:00");
  EXPECT_EQ(EvalText("*", {Value::Double(0.5), IvV("1 month")}), "15 days");
  EXPECT_EQ(EvalText("/", {IvV("1 day"), Value::Integer(2)}), "12:00:00");
  EXPECT_EQ(Eval("negate", {IvV("1 day")}), Value::FromInterval(Interval{0, -1, 0}));
  ExpectError(
      [] {
        Eval("/", {IvV("1 day"), Value::Integer(0)});
      },
      sqlstate::kDivisionByZero, "division by zero");
}

TEST(TemporalArithmeticTest, NonsensePairsDoNotBind) {
  const auto& registry = FunctionRegistry::Get();
  EXPECT_FALSE(registry.BindScalar("+", {TypeId::kDate, TypeId::kDate}, {}).has_value());
  EXPECT_FALSE(registry.BindScalar("*", {TypeId::kDate, TypeId::kInteger}, {}).has_value());
  EXPECT_FALSE(registry.BindScalar("+", {TypeId::kVarchar, TypeId::kInteger}, {}).has_value());
  EXPECT_FALSE(registry.BindScalar("+", {TypeId::kBoolean, TypeId::kBoolean}, {}).has_value());
}

}  // namespace
}  // namespace basalt
