#include <gtest/gtest.h>

#include <cmath>

#include "exec/functions/function_errors.h"
#include "exec/functions/function_test_util.h"

namespace basalt {
namespace {

using namespace testing_util;

Value Dec(const std::string& text, int precision, int scale) {
  return CastValue(Value::Varchar(text), LogicalType::Decimal(precision, scale));
}

std::string Text(const std::string& name, const std::vector<Value>& args) {
  return Eval(name, args).ToString();
}

// Expected values below were checked against PostgreSQL 15.
TEST(MathFunctionsTest, RoundDecimalHalfAwayFromZero) {
  EXPECT_EQ(Text("round", {Dec("2.5", 2, 1)}), "3");
  EXPECT_EQ(Text("round", {Dec("-2.5", 2, 1)}), "-3");
  EXPECT_EQ(Text("round", {Dec("9.5", 2, 1)}), "10");
  EXPECT_EQ(Text("round", {Dec("1234.567", 7, 3), Value::Integer(2)}), "1234.57");
  EXPECT_EQ(Text("round", {Dec("1234.567", 7, 3), Value::Integer(-2)}), "1200");
  EXPECT_EQ(Text("round", {Dec("1.5", 2, 1), Value::Integer(5)}), "1.5");
  EXPECT_EQ(Text("round", {Value::Integer(1250), Value::Integer(-2)}), "1300");
  // Digits that vary by row keep the input's scale.
  Vector x = MakeFlat(LogicalType::Decimal(7, 3), {Dec("1234.567", 7, 3), Dec("-1.235", 7, 3)});
  Vector n = MakeFlat(TypeId::kInteger, {Value::Integer(1), Value::Integer(2)});
  Vector r = RunScalar("round", {x, n}, 2);
  EXPECT_EQ(r.GetValue(0).ToString(), "1234.600");
  EXPECT_EQ(r.GetValue(1).ToString(), "-1.240");
}

TEST(MathFunctionsTest, RoundDoubleHalfToEven) {
  EXPECT_EQ(Eval("round", {Value::Double(2.5)}), Value::Double(2));
  EXPECT_EQ(Eval("round", {Value::Double(3.5)}), Value::Double(4));
  EXPECT_EQ(Eval("round", {Value::Double(1.2345), Value::Integer(2)}), Value::Double(1.23));
  EXPECT_EQ(Eval("round", {Value::Integer(7)}), Value::Integer(7));
}

TEST(MathFunctionsTest, CeilFloorTrunc) {
  EXPECT_EQ(Text("ceil", {Dec("1.2", 2, 1)}), "2");
  EXPECT_EQ(Text("ceiling", {Dec("-1.2", 2, 1)}), "-1");
  EXPECT_EQ(Text("floor", {Dec("-1.2", 2, 1)}), "-2");
  EXPECT_EQ(Text("trunc", {Dec("-1.27", 3, 2), Value::Integer(1)}), "-1.2");
  EXPECT_EQ(Text("trunc", {Dec("1.99", 3, 2)}), "1");
  EXPECT_EQ(Eval("floor", {Value::Double(-0.5)}), Value::Double(-1));
  EXPECT_EQ(Eval("ceil", {Value::Double(0.5)}), Value::Double(1));
  EXPECT_EQ(Eval("trunc", {Value::Double(-0.5)}), Value::Double(-0.0));
}

TEST(MathFunctionsTest, AbsSign) {
  EXPECT_EQ(Text("abs", {Dec("-3.5", 2, 1)}), "3.5");
  EXPECT_EQ(Eval("abs", {Value::Integer(-3)}), Value::Integer(3));
  EXPECT_EQ(Eval("abs", {Value::Double(-3)}), Value::Double(3));
  ExpectError([] { Eval("abs", {Value::Bigint(INT64_MIN)}); }, sqlstate::kNumericOutOfRange,
              "bigint out of range");
  EXPECT_EQ(Text("sign", {Dec("-2.5", 2, 1)}), "-1");
  EXPECT_EQ(Eval("sign", {Value::Double(0)}), Value::Double(0));
  EXPECT_EQ(Eval("sign", {Value::Integer(9)}), Value::Integer(1));
}

TEST(MathFunctionsTest, TranscendentalFunctions) {
  EXPECT_EQ(Eval("power", {Value::Integer(2), Value::Integer(10)}), Value::Double(1024));
  EXPECT_EQ(Eval("pow", {Value::Double(-2), Value::Double(3)}), Value::Double(-8));
  EXPECT_EQ(Eval("log", {Value::Integer(100)}), Value::Double(2));
  EXPECT_EQ(Eval("log10", {Value::Integer(1000)}), Value::Double(3));
  EXPECT_NEAR(Eval("log", {Value::Integer(2), Value::Integer(8)}).GetDouble(), 3, 1e-12);
  EXPECT_EQ(Eval("log2", {Value::Integer(8)}), Value::Double(3));
  EXPECT_EQ(Eval("ln", {Value::Double(1)}), Value::Double(0));
  EXPECT_EQ(Eval("sqrt", {Dec("16.00", 4, 2)}), Value::Double(4));
  EXPECT_NEAR(Eval("cbrt", {Value::Integer(27)}).GetDouble(), 3, 1e-12);
  EXPECT_NEAR(Eval("exp", {Value::Integer(1)}).GetDouble(), M_E, 1e-15);
  EXPECT_EQ(Eval("pi", {}), Value::Double(M_PI));
  EXPECT_NEAR(Eval("degrees", {Value::Double(M_PI)}).GetDouble(), 180, 1e-12);
  EXPECT_NEAR(Eval("atan2", {Value::Double(1), Value::Double(1)}).GetDouble(), M_PI / 4, 1e-15);
}

TEST(MathFunctionsTest, DomainErrors) {
  ExpectError([] { Eval("sqrt", {Value::Integer(-1)}); }, sqlstate::kInvalidArgumentForPower,
              "cannot take square root of a negative number");
  ExpectError([] { Eval("ln", {Value::Integer(0)}); }, sqlstate::kInvalidArgumentForLogarithm,
              "cannot take logarithm of zero");
  ExpectError([] { Eval("log10", {Value::Integer(-1)}); }, sqlstate::kInvalidArgumentForLogarithm,
              "cannot take logarithm of a negative number");
  ExpectError(
      [] {
        Eval("power", {Value::Integer(0), Value::Integer(-1)});
      },
      sqlstate::kInvalidArgumentForPower, "zero raised to a negative power is undefined");
  ExpectError(
      [] {
        Eval("power", {Value::Integer(-8), Value::Double(0.5)});
      },
      sqlstate::kInvalidArgumentForPower,
      "a negative number raised to a non-integer power yields a complex result");
  ExpectError([] { Eval("exp", {Value::Integer(1000)}); }, sqlstate::kNumericOutOfRange,
              "value out of range: overflow");
  ExpectError([] { Eval("exp", {Value::Integer(-1000)}); }, sqlstate::kNumericOutOfRange,
              "value out of range: underflow");
  ExpectError(
      [] {
        Eval("log", {Value::Integer(1), Value::Integer(10)});
      },
      sqlstate::kDivisionByZero, "division by zero");
}

TEST(MathFunctionsTest, GreatestLeastIgnoreNulls) {
  LogicalType type;
  Vector r = RunScalar("greatest",
                       {MakeConstant(Value::Integer(1)), MakeConstant(Dec("2.5", 2, 1)),
                        MakeConstant(Value::Null(TypeId::kInteger))},
                       1, nullptr, &type);
  EXPECT_EQ(type, LogicalType::Decimal(11, 1));
  EXPECT_EQ(r.GetValue(0).ToString(), "2.5");
  EXPECT_EQ(Text("least", {Value::Varchar("b"), Value::Varchar("a")}), "a");
  EXPECT_TRUE(Eval("greatest", {Value::Null(TypeId::kInteger), Value()}).IsNull());
  Vector a = MakeFlat(TypeId::kInteger, {Value::Integer(5), Value::Null(), Value::Integer(1)});
  Vector b = MakeFlat(TypeId::kBigint, {Value::Bigint(3), Value::Bigint(4), Value::Null()});
  Vector l = RunScalar("least", {a, b}, 3);
  EXPECT_EQ(l.GetValue(0), Value::Bigint(3));
  EXPECT_EQ(l.GetValue(1), Value::Bigint(4));
  EXPECT_EQ(l.GetValue(2), Value::Bigint(1));
  EXPECT_FALSE(FunctionRegistry::Get()
                   .BindScalar("greatest", {TypeId::kInteger, TypeId::kVarchar}, {})
                   .has_value());
}

TEST(MathFunctionsTest, RandomIsNonDeterministicAndInRange) {
  auto bound = FunctionRegistry::Get().BindScalar("random", {}, {});
  ASSERT_TRUE(bound.has_value());
  EXPECT_FALSE(bound->deterministic);
  Vector r = RunScalar("random", {}, 100);
  bool differ = false;
  for (idx_t i = 0; i < 100; i++) {
    double v = r.GetValue(i).GetDouble();
    EXPECT_GE(v, 0);
    EXPECT_LT(v, 1);
    if (v != r.GetValue(0).GetDouble()) differ = true;
  }
  EXPECT_TRUE(differ);
  EXPECT_TRUE(FunctionRegistry::Get().BindScalar("pi", {}, {})->deterministic);
}

}  // namespace
}  // namespace basalt
