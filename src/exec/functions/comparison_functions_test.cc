#include <gtest/gtest.h>

#include <cmath>

#include "exec/functions/function_test_util.h"

namespace basalt {
namespace {

using namespace testing_util;

Value B(bool b) { return Value::Boolean(b); }

Value Dec(const std::string& text, int precision, int scale) {
  return CastValue(Value::Varchar(text), LogicalType::Decimal(precision, scale));
}

TEST(ComparisonTest, IntegersOfDifferentWidths) {
  EXPECT_EQ(Eval("=", {Value::Smallint(3), Value::Bigint(3)}), B(true));
  EXPECT_EQ(Eval("<", {Value::Integer(2), Value::Bigint(3)}), B(true));
  EXPECT_EQ(Eval(">=", {Value::Integer(2), Value::Integer(3)}), B(false));
  EXPECT_EQ(Eval("<>", {Value::Integer(2), Value::Integer(3)}), B(true));
  EXPECT_EQ(Eval("!=", {Value::Integer(3), Value::Integer(3)}), B(false));
}

TEST(ComparisonTest, DecimalsOfDifferentScalesAndIntegers) {
  EXPECT_EQ(Eval("=", {Dec("1.50", 15, 2), Dec("1.5", 5, 1)}), B(true));
  EXPECT_EQ(Eval("<", {Dec("0.05", 15, 2), Dec("0.051", 5, 3)}), B(true));
  EXPECT_EQ(Eval("=", {Value::Integer(24), Dec("24.00", 15, 2)}), B(true));
  EXPECT_EQ(Eval(">", {Value::Bigint(INT64_MAX), Dec("1.5", 5, 1)}), B(true));
  EXPECT_EQ(Eval("<", {Dec("1.5", 5, 1), Value::Double(1.6)}), B(true));
}

TEST(ComparisonTest, NaNIsEqualToItselfAndGreatest) {
  double nan = std::nan("");
  EXPECT_EQ(Eval("=", {Value::Double(nan), Value::Double(nan)}), B(true));
  EXPECT_EQ(Eval(">", {Value::Double(nan), Value::Double(INFINITY)}), B(true));
  EXPECT_EQ(Eval("<", {Value::Double(1), Value::Double(nan)}), B(true));
  EXPECT_EQ(Eval("<", {Value::Double(nan), Value::Double(1)}), B(false));
  EXPECT_EQ(Eval("=", {Value::Double(0.0), Value::Double(-0.0)}), B(true));
}

TEST(ComparisonTest, StringsCompareBytewise) {
  EXPECT_EQ(Eval("<", {Value::Varchar("abc"), Value::Varchar("abd")}), B(true));
  EXPECT_EQ(Eval("<", {Value::Varchar("ab"), Value::Varchar("abc")}), B(true));
  EXPECT_EQ(Eval("<", {Value::Varchar("Z"), Value::Varchar("a")}), B(true));
  EXPECT_EQ(Eval("=", {Value::Varchar("a long string beyond the inline part"),
                       Value::Varchar("a long string beyond the inline part")}),
            B(true));
  EXPECT_EQ(Eval("=", {Value::Varchar("a long string beyond the inline part"),
                       Value::Varchar("a long string beyond the inline parT")}),
            B(false));
}

TEST(ComparisonTest, DatesAndTimestamps) {
  Value d = CastValue(Value::Varchar("1998-09-02"), TypeId::kDate);
  Value ts = CastValue(Value::Varchar("1998-09-02 00:00:00"), TypeId::kTimestamp);
  Value ts_noon = CastValue(Value::Varchar("1998-09-02 12:00:00"), TypeId::kTimestamp);
  EXPECT_EQ(Eval("<=", {d, ts}), B(true));
  EXPECT_EQ(Eval("=", {d, ts}), B(true));
  EXPECT_EQ(Eval("<", {d, ts_noon}), B(true));
  EXPECT_EQ(EvalFlat("<", {d, ts_noon}), B(true));
  // A midnight timestamp constant compares as a date: no per-row conversion.
  auto bound =
      FunctionRegistry::Get().BindScalar("<=", {TypeId::kDate, TypeId::kTimestamp}, {nullptr, &ts});
  ASSERT_TRUE(bound.has_value());
  EXPECT_EQ(bound->arg_types[1], LogicalType(TypeId::kDate));
  auto noon = FunctionRegistry::Get().BindScalar("<=", {TypeId::kDate, TypeId::kTimestamp},
                                                 {nullptr, &ts_noon});
  EXPECT_EQ(noon->arg_types[0], LogicalType(TypeId::kTimestamp));
}

TEST(ComparisonTest, TypesWithoutCommonSupertypeDoNotBind) {
  const auto& registry = FunctionRegistry::Get();
  Value literal = Value::Varchar("42");
  // Untyped literals are resolved by the binder; a VARCHAR stays a VARCHAR.
  EXPECT_FALSE(registry.BindScalar("=", {TypeId::kVarchar, TypeId::kInteger}, {&literal, nullptr})
                   .has_value());
  EXPECT_FALSE(registry.BindScalar("=", {TypeId::kBoolean, TypeId::kInteger}, {}).has_value());
  EXPECT_FALSE(registry.BindScalar("<", {TypeId::kInterval, TypeId::kDate}, {}).has_value());
}

TEST(ComparisonTest, IntervalsCompareByLength) {
  Value month = CastValue(Value::Varchar("1 month"), TypeId::kInterval);
  Value days30 = CastValue(Value::Varchar("30 days"), TypeId::kInterval);
  Value hours = CastValue(Value::Varchar("25 hours"), TypeId::kInterval);
  Value day = CastValue(Value::Varchar("1 day"), TypeId::kInterval);
  EXPECT_EQ(Eval("=", {month, days30}), B(true));
  EXPECT_EQ(Eval(">", {hours, day}), B(true));
}

TEST(ComparisonTest, NullsAndDistinctness) {
  Vector a = MakeFlat(TypeId::kInteger,
                      {Value::Integer(1), Value::Null(), Value::Null(), Value::Integer(2)});
  Vector b = MakeFlat(TypeId::kInteger,
                      {Value::Integer(1), Value::Integer(1), Value::Null(), Value::Integer(3)});
  Vector eq = RunScalar("=", {a, b}, 4);
  EXPECT_EQ(eq.GetValue(0), B(true));
  EXPECT_TRUE(eq.IsNull(1));
  EXPECT_TRUE(eq.IsNull(2));
  EXPECT_EQ(eq.GetValue(3), B(false));
  Vector d = RunScalar("is_distinct_from", {a, b}, 4);
  EXPECT_EQ(d.GetValue(0), B(false));
  EXPECT_EQ(d.GetValue(1), B(true));
  EXPECT_EQ(d.GetValue(2), B(false));
  EXPECT_EQ(d.GetValue(3), B(true));
  Vector nd = RunScalar("is_not_distinct_from", {a, b}, 4);
  EXPECT_EQ(nd.GetValue(2), B(true));
  EXPECT_EQ(nd.GetValue(3), B(false));
  EXPECT_TRUE(Eval("=", {Value(), Value()}).IsNull());
}

TEST(ComparisonTest, SelectionAndDictionary) {
  Vector a =
      MakeDictionary(TypeId::kVarchar, {Value::Varchar("x"), Value::Varchar("y")}, {0, 1, 1, 0});
  Vector c = MakeConstant(Value::Varchar("y"));
  SelectionVector sel = MakeSelection({1, 3});
  Vector r = RunScalar("=", {a, c}, 2, &sel);
  EXPECT_EQ(r.GetValue(1), B(true));
  EXPECT_EQ(r.GetValue(3), B(false));
}

}  // namespace
}  // namespace basalt
