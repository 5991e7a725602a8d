#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "exec/functions/function_errors.h"
#include "exec/functions/function_test_util.h"

namespace basalt {
namespace {

using namespace testing_util;

Value Dec(const std::string& text, int precision, int scale) {
  return CastValue(Value::Varchar(text), LogicalType::Decimal(precision, scale));
}

Vector Ints(const std::vector<Value>& values) { return MakeFlat(TypeId::kInteger, values); }

TEST(AggregateTest, CountAndCountStar) {
  Vector v = Ints({Value::Integer(1), Value::Null(), Value::Integer(3)});
  EXPECT_EQ(RunAggregate("count", {v}, 3), Value::Bigint(2));
  EXPECT_EQ(RunAggregate("count_star", {}, 3), Value::Bigint(3));
  EXPECT_EQ(RunAggregate("count", {v}, 0), Value::Bigint(0));
  EXPECT_EQ(RunAggregate("count", {MakeConstant(Value::Varchar("x"))}, 5), Value::Bigint(5));
  EXPECT_EQ(RunAggregate("count", {MakeConstant(Value::Null(TypeId::kVarchar))}, 5),
            Value::Bigint(0));
  Vector partials = MakeFlat(TypeId::kBigint, {Value::Bigint(4), Value::Bigint(6), Value::Null()});
  EXPECT_EQ(RunAggregate("count_merge", {partials}, 3), Value::Bigint(10));
  EXPECT_EQ(RunAggregate("count_merge", {partials}, 0), Value::Bigint(0));
}

TEST(AggregateTest, SumTypesAndEmptyInput) {
  LogicalType type;
  Vector v = Ints({Value::Integer(1), Value::Null(), Value::Integer(3)});
  EXPECT_EQ(RunAggregate("sum", {v}, 3, &type), Value::Bigint(4));
  EXPECT_EQ(type, LogicalType(TypeId::kBigint));
  EXPECT_TRUE(RunAggregate("sum", {v}, 0).IsNull());
  EXPECT_TRUE(RunAggregate("sum", {Ints({Value::Null(), Value::Null()})}, 2).IsNull());
  Vector big = MakeFlat(TypeId::kBigint, {Value::Bigint(INT64_MAX), Value::Bigint(INT64_MAX)});
  Value s = RunAggregate("sum", {big}, 2, &type);
  EXPECT_EQ(type, LogicalType::Decimal(38, 0));
  EXPECT_EQ(s.ToString(), "18446744073709551614");
  // sum_merge keeps BIGINT partials BIGINT, and checks overflow.
  EXPECT_EQ(
      RunAggregate("sum_merge", {MakeFlat(TypeId::kBigint, {Value::Bigint(5), Value::Bigint(6)})},
                   2, &type),
      Value::Bigint(11));
  EXPECT_EQ(type, LogicalType(TypeId::kBigint));
  ExpectError([&] { RunAggregate("sum_merge", {big}, 2); }, sqlstate::kNumericOutOfRange,
              "bigint out of range");
  Vector d = MakeFlat(TypeId::kDouble, {Value::Double(0.5), Value::Double(0.25)});
  EXPECT_EQ(RunAggregate("sum", {d}, 2, &type), Value::Double(0.75));
  EXPECT_EQ(type, LogicalType(TypeId::kDouble));
}

TEST(AggregateTest, DecimalSumIsExact) {
  LogicalType type;
  std::vector<Value> values;
  for (int i = 0; i < 1000; i++) values.push_back(Dec("0.10", 15, 2));
  Vector v = MakeFlat(LogicalType::Decimal(15, 2), values);
  Value s = RunAggregate("sum", {v}, 1000, &type);
  EXPECT_EQ(type, LogicalType::Decimal(38, 2));
  EXPECT_EQ(s.ToString(), "100.00");
  Value merged = RunAggregate("sum_merge", {MakeFlat(type, {s, s})}, 2, &type);
  EXPECT_EQ(type, LogicalType::Decimal(38, 2));
  EXPECT_EQ(merged.ToString(), "200.00");
  Value max = Dec("99999999999999999999999999999999999999", 38, 0);
  ExpectError(
      [&] {
        RunAggregate("sum", {MakeFlat(LogicalType::Decimal(38, 0), {max, max})}, 2);
      },
      sqlstate::kNumericOutOfRange, "numeric field overflow");
}

TEST(AggregateTest, Avg) {
  LogicalType type;
  Vector v = Ints({Value::Integer(1), Value::Integer(2), Value::Null()});
  EXPECT_EQ(RunAggregate("avg", {v}, 3, &type), Value::Double(1.5));
  EXPECT_EQ(type, LogicalType(TypeId::kDouble));
  EXPECT_TRUE(RunAggregate("avg", {v}, 0).IsNull());
  Vector d = MakeFlat(LogicalType::Decimal(15, 2),
                      {Dec("1.00", 15, 2), Dec("1.00", 15, 2), Dec("2.00", 15, 2)});
  Value a = RunAggregate("avg", {d}, 3, &type);
  EXPECT_EQ(type, LogicalType::Decimal(38, 6));
  EXPECT_EQ(a.ToString(), "1.333333");
  Vector neg = MakeFlat(LogicalType::Decimal(15, 2),
                        {Dec("-1.00", 15, 2), Dec("-1.00", 15, 2), Dec("-2.00", 15, 2),
                         Dec("-1.00", 15, 2), Dec("-1.00", 15, 2), Dec("-2.00", 15, 2)});
  EXPECT_EQ(RunAggregate("avg", {neg}, 6).ToString(), "-1.333333");
  Vector wide =
      MakeFlat(LogicalType::Decimal(20, 8), {Dec("0.12345678", 20, 8), Dec("0.12345679", 20, 8)});
  EXPECT_EQ(RunAggregate("avg", {wide}, 2, &type).ToString(),
            "0.12345679");  // .123456785 rounds up
  EXPECT_EQ(type, LogicalType::Decimal(38, 8));
}

TEST(AggregateTest, MinMax) {
  Vector v = Ints({Value::Integer(5), Value::Null(), Value::Integer(-2), Value::Integer(9)});
  EXPECT_EQ(RunAggregate("min", {v}, 4), Value::Integer(-2));
  EXPECT_EQ(RunAggregate("max", {v}, 4), Value::Integer(9));
  EXPECT_TRUE(RunAggregate("max", {v}, 0).IsNull());
  Vector d = MakeFlat(TypeId::kDouble, {Value::Double(1), Value::Double(NAN), Value::Double(3)});
  EXPECT_TRUE(std::isnan(RunAggregate("max", {d}, 3).GetDouble()));
  EXPECT_EQ(RunAggregate("min", {d}, 3), Value::Double(1));
  Value big = Dec("12345678901234567890.5", 38, 1);
  Vector wide = MakeFlat(LogicalType::Decimal(38, 1), {big, Dec("1.0", 38, 1)});
  EXPECT_EQ(RunAggregate("max", {wide}, 2), big);
  Vector dates = MakeFlat(TypeId::kDate, {CastValue(Value::Varchar("2024-01-02"), TypeId::kDate),
                                          CastValue(Value::Varchar("2023-05-06"), TypeId::kDate)});
  EXPECT_EQ(RunAggregate("min", {dates}, 2).ToString(), "2023-05-06");
}

TEST(AggregateTest, StringMinMaxOwnTheirBytes) {
  std::vector<Value> values = {
      Value::Varchar("pear"), Value::Varchar("a rather long string that is not inlined"),
      Value::Null(TypeId::kVarchar),
      Value::Varchar("zebra crossing, also longer than twelve bytes"), Value::Varchar("apple")};
  // RunAggregate folds the two halves into separate states and combines them,
  // so long values are copied from one state's buffer into another's.
  Vector v = MakeFlat(TypeId::kVarchar, values);
  Value min = RunAggregate("min", {v}, values.size());
  Value max = RunAggregate("max", {v}, values.size());
  EXPECT_EQ(min, Value::Varchar("a rather long string that is not inlined"));
  EXPECT_EQ(max, Value::Varchar("zebra crossing, also longer than twelve bytes"));
}

TEST(AggregateTest, StringStateSurvivesItsInput) {
  auto bound = FunctionRegistry::Get().BindAggregate("max", {TypeId::kVarchar});
  ASSERT_TRUE(bound.has_value());
  std::vector<uint64_t> memory((bound->state_size + 7) / 8);
  uint8_t* state = reinterpret_cast<uint8_t*>(memory.data());
  bound->initialize(state);
  for (int batch = 0; batch < 3; batch++) {
    std::string text = "batch number " + std::to_string(batch) + " with a long value";
    Vector v = MakeFlat(TypeId::kVarchar, {Value::Varchar(text)});
    uint8_t* states[] = {state};
    bound->update({v}, 1, states, nullptr);
  }  // each input vector is gone here
  Vector result(TypeId::kVarchar);
  uint8_t* states[] = {state};
  bound->finalize(states, 1, result, nullptr);
  bound->destroy(states, 1);
  EXPECT_EQ(result.GetValue(0), Value::Varchar("batch number 2 with a long value"));
}

TEST(AggregateTest, GroupsShareStatesAcrossRows) {
  auto bound = FunctionRegistry::Get().BindAggregate("sum", {TypeId::kInteger});
  std::vector<uint64_t> memory(2 * ((bound->state_size + 7) / 8));
  uint8_t* g0 = reinterpret_cast<uint8_t*>(memory.data());
  uint8_t* g1 = g0 + (bound->state_size + 7) / 8 * 8;
  bound->initialize(g0);
  bound->initialize(g1);
  Vector v = Ints({Value::Integer(1), Value::Integer(2), Value::Integer(3), Value::Integer(4)});
  uint8_t* states[] = {g0, g1, g0, g1};
  bound->update({v}, 4, states, nullptr);
  Vector result(TypeId::kBigint);
  uint8_t* finals[] = {g0, g1};
  bound->finalize(finals, 2, result, nullptr);
  EXPECT_EQ(result.GetValue(0), Value::Bigint(4));
  EXPECT_EQ(result.GetValue(1), Value::Bigint(6));
}

TEST(AggregateTest, DictionaryInput) {
  Vector v = MakeDictionary(TypeId::kInteger, {Value::Integer(10), Value::Null()}, {0, 1, 0, 0});
  EXPECT_EQ(RunAggregate("sum", {v}, 4), Value::Bigint(30));
  EXPECT_EQ(RunAggregate("count", {v}, 4), Value::Bigint(3));
}

TEST(AggregateTest, BoolAndOr) {
  Vector v = MakeFlat(TypeId::kBoolean,
                      {Value::Boolean(true), Value::Null(TypeId::kBoolean), Value::Boolean(false)});
  EXPECT_EQ(RunAggregate("bool_and", {v}, 3), Value::Boolean(false));
  EXPECT_EQ(RunAggregate("bool_or", {v}, 3), Value::Boolean(true));
  EXPECT_EQ(RunAggregate("every", {v}, 1), Value::Boolean(true));
  EXPECT_TRUE(RunAggregate("bool_or", {v}, 0).IsNull());
}

TEST(AggregateTest, Variance) {
  Vector v = MakeFlat(TypeId::kInteger,
                      {Value::Integer(2), Value::Integer(4), Value::Integer(4), Value::Integer(4),
                       Value::Integer(5), Value::Integer(5), Value::Integer(7), Value::Integer(9)});
  EXPECT_NEAR(RunAggregate("var_pop", {v}, 8).GetDouble(), 4.0, 1e-12);
  EXPECT_NEAR(RunAggregate("stddev_pop", {v}, 8).GetDouble(), 2.0, 1e-12);
  EXPECT_NEAR(RunAggregate("var_samp", {v}, 8).GetDouble(), 32.0 / 7, 1e-12);
  EXPECT_NEAR(RunAggregate("stddev", {v}, 8).GetDouble(), std::sqrt(32.0 / 7), 1e-12);
  EXPECT_TRUE(RunAggregate("var_samp", {v}, 1).IsNull());
  EXPECT_EQ(RunAggregate("var_pop", {v}, 1), Value::Double(0));
}

TEST(AggregateTest, RejectsUnsupportedTypes) {
  const auto& registry = FunctionRegistry::Get();
  EXPECT_FALSE(registry.BindAggregate("sum", {TypeId::kVarchar}).has_value());
  EXPECT_FALSE(registry.BindAggregate("avg", {TypeId::kDate}).has_value());
  EXPECT_FALSE(registry.BindAggregate("bool_and", {TypeId::kInteger}).has_value());
  EXPECT_FALSE(registry.BindAggregate("count_star", {TypeId::kInteger}).has_value());
}

}  // namespace
}  // namespace basalt
