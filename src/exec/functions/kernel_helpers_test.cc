#include "exec/functions/kernel_helpers.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "exec/functions/function_test_util.h"

namespace basalt {
namespace {

using namespace testing_util;

Vector IntVector(const std::vector<Value>& values) { return MakeFlat(TypeId::kInteger, values); }

// An op that must never see a NULL row's value.
int32_t Checked(int32_t v) {
  if (v == -999) throw std::logic_error("op called on a NULL row");
  return v * 2;
}

Vector WithGarbageBehindNull() {
  Vector v = IntVector({Value::Integer(1), Value::Integer(2), Value::Integer(3)});
  v.Data<int32_t>()[1] = -999;
  v.SetNull(1);
  return v;
}

TEST(UnaryExecuteTest, FlatFastPathAndNulls) {
  Vector in = IntVector({Value::Integer(1), Value::Integer(2), Value::Integer(3)});
  Vector out(TypeId::kInteger);
  UnaryExecute<int32_t, int32_t>(in, nullptr, 3, out, Checked);
  EXPECT_EQ(out.GetValue(2), Value::Integer(6));
  EXPECT_TRUE(out.validity().AllValid());

  Vector with_null = WithGarbageBehindNull();
  Vector out2(TypeId::kInteger);
  UnaryExecute<int32_t, int32_t>(with_null, nullptr, 3, out2, Checked);
  EXPECT_EQ(out2.GetValue(0), Value::Integer(2));
  EXPECT_TRUE(out2.IsNull(1));
  EXPECT_EQ(out2.GetValue(2), Value::Integer(6));
}

TEST(UnaryExecuteTest, SelectionWritesOnlySelectedRows) {
  Vector in = WithGarbageBehindNull();
  Vector out(TypeId::kInteger);
  out.Data<int32_t>()[0] = 77;
  SelectionVector sel = MakeSelection({1, 2});
  UnaryExecute<int32_t, int32_t>(in, &sel, 2, out, Checked);
  EXPECT_EQ(out.Data<int32_t>()[0], 77);  // untouched
  EXPECT_TRUE(out.validity().IsValid(0));
  EXPECT_TRUE(out.IsNull(1));
  EXPECT_EQ(out.GetValue(2), Value::Integer(6));
}

TEST(UnaryExecuteTest, ConstantAndDictionary) {
  Vector c = MakeConstant(Value::Integer(5));
  Vector out(TypeId::kInteger);
  int calls = 0;
  UnaryExecute<int32_t, int32_t>(c, nullptr, 4, out, [&](int32_t v) {
    calls++;
    return v + 1;
  });
  EXPECT_EQ(calls, 1);  // evaluated once for the batch
  EXPECT_EQ(out.GetValue(3), Value::Integer(6));

  Vector null_constant = MakeConstant(Value::Null(TypeId::kInteger));
  Vector out2(TypeId::kInteger);
  UnaryExecute<int32_t, int32_t>(null_constant, nullptr, 2, out2, Checked);
  EXPECT_TRUE(out2.IsNull(0));
  EXPECT_TRUE(out2.IsNull(1));

  Vector dict = MakeDictionary(TypeId::kInteger, {Value::Integer(10), Value::Null()}, {1, 0, 0});
  Vector out3(TypeId::kInteger);
  UnaryExecute<int32_t, int32_t>(dict, nullptr, 3, out3, Checked);
  EXPECT_TRUE(out3.IsNull(0));
  EXPECT_EQ(out3.GetValue(1), Value::Integer(20));
  EXPECT_EQ(out3.GetValue(2), Value::Integer(20));
}

TEST(UnaryExecuteNullableTest, OpCanProduceNull) {
  Vector in = IntVector({Value::Integer(1), Value::Integer(0), Value::Null()});
  Vector out(TypeId::kInteger);
  UnaryExecuteNullable<int32_t, int32_t>(in, nullptr, 3, out, [](int32_t v, int32_t* r) {
    if (v == 0) return false;
    *r = 100 / v;
    return true;
  });
  EXPECT_EQ(out.GetValue(0), Value::Integer(100));
  EXPECT_TRUE(out.IsNull(1));
  EXPECT_TRUE(out.IsNull(2));
}

TEST(BinaryExecuteTest, AllShapes) {
  auto add = [](int32_t a, int32_t b) {
    if (a == -999 || b == -999) throw std::logic_error("op called on a NULL row");
    return a + b;
  };
  Vector a = IntVector({Value::Integer(1), Value::Integer(2), Value::Integer(3)});
  Vector b = WithGarbageBehindNull();
  Vector c = MakeConstant(Value::Integer(100));
  Vector d = MakeDictionary(TypeId::kInteger, {Value::Integer(7), Value::Integer(8)}, {1, 1, 0});

  Vector flat_flat(TypeId::kInteger);
  BinaryExecute<int32_t, int32_t, int32_t>(a, a, nullptr, 3, flat_flat, add);
  EXPECT_EQ(flat_flat.GetValue(2), Value::Integer(6));

  Vector flat_const(TypeId::kInteger);
  BinaryExecute<int32_t, int32_t, int32_t>(a, c, nullptr, 3, flat_const, add);
  EXPECT_EQ(flat_const.GetValue(0), Value::Integer(101));

  Vector const_flat(TypeId::kInteger);
  BinaryExecute<int32_t, int32_t, int32_t>(c, a, nullptr, 3, const_flat, add);
  EXPECT_EQ(const_flat.GetValue(1), Value::Integer(102));

  Vector const_const(TypeId::kInteger);
  BinaryExecute<int32_t, int32_t, int32_t>(c, c, nullptr, 2, const_const, add);
  EXPECT_EQ(const_const.GetValue(1), Value::Integer(200));

  Vector with_nulls(TypeId::kInteger);
  BinaryExecute<int32_t, int32_t, int32_t>(b, d, nullptr, 3, with_nulls, add);
  EXPECT_EQ(with_nulls.GetValue(0), Value::Integer(9));
  EXPECT_TRUE(with_nulls.IsNull(1));
  EXPECT_EQ(with_nulls.GetValue(2), Value::Integer(10));

  SelectionVector sel = MakeSelection({2, 0});
  Vector selected(TypeId::kInteger);
  BinaryExecute<int32_t, int32_t, int32_t>(a, c, &sel, 2, selected, add);
  EXPECT_EQ(selected.GetValue(0), Value::Integer(101));
  EXPECT_EQ(selected.GetValue(2), Value::Integer(103));

  Vector null_side(TypeId::kInteger);
  BinaryExecute<int32_t, int32_t, int32_t>(a, MakeConstant(Value::Null(TypeId::kInteger)), nullptr,
                                           3, null_side, add);
  EXPECT_TRUE(null_side.IsNull(0));
  EXPECT_TRUE(null_side.IsNull(2));
}

TEST(BinaryExecuteNullAwareTest, SeesNulls) {
  Vector a = IntVector({Value::Integer(1), Value::Null(), Value::Null()});
  Vector b = IntVector({Value::Null(), Value::Integer(2), Value::Null()});
  Vector out(TypeId::kInteger);
  BinaryExecuteNullAware<int32_t, int32_t, int32_t>(
      a, b, nullptr, 3, out, [](int32_t l, bool lv, int32_t r, bool rv, int32_t* o) {
        *o = (lv ? l : 0) + (rv ? r : 0);
        return lv || rv;
      });
  EXPECT_EQ(out.GetValue(0), Value::Integer(1));
  EXPECT_EQ(out.GetValue(1), Value::Integer(2));
  EXPECT_TRUE(out.IsNull(2));
}

TEST(TernaryExecuteTest, PropagatesNulls) {
  Vector a = IntVector({Value::Integer(1), Value::Integer(2)});
  Vector b = IntVector({Value::Integer(10), Value::Null()});
  Vector c = MakeConstant(Value::Integer(100));
  Vector out(TypeId::kInteger);
  TernaryExecute<int32_t, int32_t, int32_t, int32_t>(
      a, b, c, nullptr, 2, out, [](int32_t x, int32_t y, int32_t z) { return x + y + z; });
  EXPECT_EQ(out.GetValue(0), Value::Integer(111));
  EXPECT_TRUE(out.IsNull(1));
}

TEST(ArgumentReaderTest, ReadsEveryForm) {
  std::vector<Vector> args = {IntVector({Value::Integer(1), Value::Null()}),
                              MakeConstant(Value::Integer(5)),
                              MakeDictionary(TypeId::kInteger, {Value::Integer(9)}, {0, 0})};
  ArgumentReader reader(args, 2);
  EXPECT_EQ(reader.size(), 3u);
  EXPECT_TRUE(reader.IsValid(0, 0));
  EXPECT_FALSE(reader.IsValid(0, 1));
  EXPECT_EQ(reader.Get<int32_t>(1, 1), 5);
  EXPECT_EQ(reader.Get<int32_t>(2, 1), 9);
}

}  // namespace
}  // namespace basalt
