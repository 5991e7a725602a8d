#include "common/nested_value.h"

#include <gtest/gtest.h>

#include <optional>

#include "common/exception.h"
#include "common/nested_type.h"

namespace basalt {
namespace {

std::string IntList(std::initializer_list<std::optional<int32_t>> items) {
  NestedBuilder b;
  for (const auto& item : items) {
    if (item) {
      AppendElementValue(b.AppendValid(), TypeId::kInteger, Value::Integer(*item));
    } else {
      b.AppendNull();
    }
  }
  return b.FinishList();
}

TEST(NestedValueTest, ListRoundTrip) {
  LogicalType type = ListType(TypeId::kInteger);
  std::string bytes = IntList({1, std::nullopt, -3});
  NestedReader r = NestedReader::List(bytes, type);
  EXPECT_EQ(r.count(), 3u);
  bool valid;
  std::string_view payload;
  ASSERT_TRUE(r.Next(&valid, &payload));
  EXPECT_TRUE(valid);
  EXPECT_EQ(ElementToValue(TypeId::kInteger, payload), Value::Integer(1));
  ASSERT_TRUE(r.Next(&valid, &payload));
  EXPECT_FALSE(valid);
  ASSERT_TRUE(r.Next(&valid, &payload));
  EXPECT_EQ(ElementToValue(TypeId::kInteger, payload), Value::Integer(-3));
  EXPECT_FALSE(r.Next(&valid, &payload));
  EXPECT_EQ(NestedValueToString(type, bytes), "[1, NULL, -3]");
}

TEST(NestedValueTest, EmptyListAndAllNull) {
  LogicalType type = ListType(TypeId::kVarchar);
  NestedBuilder b;
  std::string empty = b.FinishList();
  EXPECT_EQ(NestedValueToString(type, empty), "[]");
  b.AppendNull();
  std::string one_null = b.FinishList();
  EXPECT_NE(empty, one_null);
  EXPECT_EQ(NestedValueToString(type, one_null), "[NULL]");
}

TEST(NestedValueTest, EncodingIsCanonical) {
  EXPECT_EQ(IntList({1, 2}), IntList({1, 2}));
  EXPECT_NE(IntList({1, 2}), IntList({2, 1}));
  EXPECT_NE(IntList({1, std::nullopt}), IntList({1}));
}

TEST(NestedValueTest, StringsAreQuotedAsDuckDBDoes) {
  LogicalType type = ListType(TypeId::kVarchar);
  NestedBuilder b;
  for (const char* s : {"a", "b c", "", "it's", "x,y", "NULL", " lead", "a\\b"}) {
    AppendElementValue(b.AppendValid(), TypeId::kVarchar, Value::Varchar(s));
  }
  b.AppendNull();
  EXPECT_EQ(NestedValueToString(type, b.FinishList()),
            "[a, b c, '', 'it\\'s', 'x,y', 'NULL', ' lead', a\\b, NULL]");
}

TEST(NestedValueTest, StructWithListAndListOfStruct) {
  LogicalType inner = ListType(TypeId::kBigint);
  LogicalType s = StructType({{"a", TypeId::kInteger}, {"b", TypeId::kVarchar}, {"l", inner}});
  NestedBuilder lb;
  AppendElementValue(lb.AppendValid(), TypeId::kBigint, Value::Bigint(7));
  lb.AppendNull();
  std::string list = lb.FinishList();

  NestedBuilder sb;
  AppendElementValue(sb.AppendValid(), TypeId::kInteger, Value::Integer(1));
  sb.AppendNull();
  AppendElementValue(sb.AppendValid(), inner, Value::Nested(inner, list));
  std::string st = sb.FinishStruct();
  EXPECT_EQ(NestedValueToString(s, st), "{'a': 1, 'b': NULL, 'l': [7, NULL]}");

  LogicalType ls = ListType(s);
  NestedBuilder outer;
  AppendElementValue(outer.AppendValid(), s, Value::Nested(s, st));
  outer.AppendNull();
  std::string all = outer.FinishList();
  EXPECT_EQ(Value::Nested(ls, all).ToString(),
            "[{'a': 1, 'b': NULL, 'l': [7, NULL]}, NULL]");
}

TEST(NestedValueTest, MalformedInputIsAnErrorNotACrash) {
  LogicalType type = ListType(TypeId::kVarchar);
  std::string bytes = IntList({1, 2});
  for (size_t cut = 0; cut < bytes.size(); cut++) {
    std::string truncated = bytes.substr(0, cut);
    EXPECT_THROW(NestedValueToString(ListType(TypeId::kInteger), truncated), BasaltError) << cut;
  }
  EXPECT_THROW(NestedValueToString(type, std::string("\x05\xff\x7f", 3)), BasaltError);
}

}  // namespace
}  // namespace basalt
