#include "server/pg_types.h"

#include <gtest/gtest.h>

namespace basalt {
namespace {

TEST(PgTypesTest, OidsMatchPostgres) {
  EXPECT_EQ(PgTypeOf(TypeId::kBoolean).oid, 16);
  EXPECT_EQ(PgTypeOf(TypeId::kSmallint).oid, 21);
  EXPECT_EQ(PgTypeOf(TypeId::kInteger).oid, 23);
  EXPECT_EQ(PgTypeOf(TypeId::kBigint).oid, 20);
  EXPECT_EQ(PgTypeOf(TypeId::kReal).oid, 700);
  EXPECT_EQ(PgTypeOf(TypeId::kDouble).oid, 701);
  EXPECT_EQ(PgTypeOf(TypeId::kVarchar).oid, 25);
  EXPECT_EQ(PgTypeOf(TypeId::kNull).oid, 25);
  EXPECT_EQ(PgTypeOf(TypeId::kDate).oid, 1082);
  EXPECT_EQ(PgTypeOf(TypeId::kTimestamp).oid, 1114);
  EXPECT_EQ(PgTypeOf(TypeId::kInterval).oid, 1186);
  EXPECT_EQ(PgTypeOf(TypeId::kInteger).length, 4);
  EXPECT_EQ(PgTypeOf(TypeId::kInteger).modifier, -1);
}

TEST(PgTypesTest, NumericTypmodPacksPrecisionAndScale) {
  PgTypeInfo info = PgTypeOf(LogicalType::Decimal(15, 2));
  EXPECT_EQ(info.oid, 1700);
  EXPECT_EQ(info.length, -1);
  EXPECT_EQ(info.modifier, ((15 << 16) | 2) + 4);
}

TEST(PgTypesTest, TextFormat) {
  EXPECT_EQ(PgTextOf(Value::Boolean(true)), "t");
  EXPECT_EQ(PgTextOf(Value::Boolean(false)), "f");
  EXPECT_EQ(PgTextOf(Value::Integer(-42)), "-42");
  EXPECT_EQ(PgTextOf(Value::Decimal(12345, 10, 2)), "123.45");
  EXPECT_EQ(PgTextOf(Value::Varchar("héllo")), "héllo");
  EXPECT_EQ(PgTextOf(Value::Date(0)), "1970-01-01");
}

}  // namespace
}  // namespace basalt
