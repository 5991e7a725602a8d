#include "common/nested_type.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "common/exception.h"

namespace basalt {
namespace {

TEST(NestedTypeTest, InternsEqualTypes) {
  LogicalType a = ListType(TypeId::kInteger);
  LogicalType b = ListType(TypeId::kInteger);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, ListType(TypeId::kBigint));
  EXPECT_NE(a, LogicalType(TypeId::kVarchar));
  EXPECT_EQ(a.physical(), PhysicalType::kString);
  LogicalType s1 = StructType({{"a", TypeId::kInteger}, {"b", TypeId::kVarchar}});
  LogicalType s2 = StructType({{"a", TypeId::kInteger}, {"b", TypeId::kVarchar}});
  EXPECT_EQ(s1, s2);
  EXPECT_NE(s1, StructType({{"a", TypeId::kInteger}, {"c", TypeId::kVarchar}}));
  EXPECT_EQ(ListChildType(a), LogicalType(TypeId::kInteger));
  EXPECT_EQ(StructFields(s1)[1].name, "b");
  EXPECT_EQ(StructFieldIndex(s1, "B"), std::optional<size_t>(1));
  EXPECT_EQ(StructFieldIndex(s1, "z"), std::nullopt);
}

TEST(NestedTypeTest, ToStringAndParseBack) {
  LogicalType s = StructType({{"a", TypeId::kInteger},
                              {"b c", ListType(LogicalType::Decimal(10, 2))},
                              {"q\"x", StructType({{"z", TypeId::kVarchar}})}});
  LogicalType l = ListType(s);
  EXPECT_EQ(ListType(TypeId::kInteger).ToString(), "INTEGER[]");
  EXPECT_EQ(l.ToString(),
            "STRUCT(a INTEGER, \"b c\" DECIMAL(10,2)[], \"q\"\"x\" STRUCT(z VARCHAR))[]");
  EXPECT_EQ(ParseTypeString(l.ToString()), std::optional<LogicalType>(l));
  EXPECT_EQ(ParseTypeString("INTEGER[][]"),
            std::optional<LogicalType>(ListType(ListType(TypeId::kInteger))));
  EXPECT_EQ(ParseTypeString("STRUCT(a"), std::nullopt);
  EXPECT_EQ(ParseTypeString("FOO[]"), std::nullopt);
}

TEST(NestedTypeTest, DepthIsLimited) {
  LogicalType t = TypeId::kInteger;
  for (int i = 0; i < kMaxNestingDepth; i++) t = ListType(t);
  EXPECT_THROW(ListType(t), BasaltError);
}

TEST(NestedTypeTest, ConcurrentInterning) {
  std::vector<std::thread> threads;
  std::vector<LogicalType> results(8);
  for (int i = 0; i < 8; i++) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; k++) {
        results[i] = StructType({{"f" + std::to_string(k), ListType(TypeId::kSmallint)}});
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 1; i < 8; i++) EXPECT_EQ(results[i], results[0]);
}

}  // namespace
}  // namespace basalt
