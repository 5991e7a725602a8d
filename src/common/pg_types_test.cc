#include "common/pg_types.h"

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

TEST(PgTypesTest, FormatType) {
  EXPECT_EQ(PgFormatType(pg_oid::kInt4, std::nullopt), "integer");
  EXPECT_EQ(PgFormatType(pg_oid::kNumeric, PgTypeOf(LogicalType::Decimal(15, 2)).modifier),
            "numeric(15,2)");
  EXPECT_EQ(PgFormatType(pg_oid::kNumeric, -1), "numeric");
  EXPECT_EQ(PgFormatType(pg_oid::kVarchar, 24), "character varying(20)");
  EXPECT_EQ(PgFormatType(pg_oid::kTimestamp, std::nullopt), "timestamp without time zone");
  EXPECT_EQ(PgFormatType(pg_oid::kChar, std::nullopt), "\"char\"");
  EXPECT_EQ(PgFormatType(123456, std::nullopt), "???");
}

TEST(PgTypesTest, EveryRowDescriptionTypeHasAPgTypeRow) {
  for (TypeId id :
       {TypeId::kBoolean, TypeId::kSmallint, TypeId::kInteger, TypeId::kBigint, TypeId::kReal,
        TypeId::kDouble, TypeId::kVarchar, TypeId::kDate, TypeId::kTimestamp, TypeId::kInterval}) {
    const PgBuiltinType* type = FindPgType(PgTypeOf(id).oid);
    ASSERT_NE(type, nullptr) << static_cast<int>(id);
    EXPECT_EQ(type->length, PgTypeOf(id).length) << type->name;
  }
  EXPECT_EQ(FindPgTypeByName("int4")->oid, pg_oid::kInt4);
  EXPECT_EQ(FindPgTypeByName("character varying")->oid, pg_oid::kVarchar);
  EXPECT_EQ(FindPgTypeByName("nosuch"), nullptr);
}

}  // namespace
}  // namespace basalt
