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

TEST(PgTypesTest, NumericTypmodEncodesAndDecodes) {
  EXPECT_EQ(EncodePgNumericTypmod({15, 2}), ((15 << 16) | 2) + 4);
  const auto decoded = DecodePgNumericTypmod(EncodePgNumericTypmod({38, 10}));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->precision, 38);
  EXPECT_EQ(decoded->scale, 10);
  EXPECT_FALSE(DecodePgNumericTypmod(-1).has_value());
  EXPECT_FALSE(DecodePgNumericTypmod(3).has_value());
  EXPECT_EQ(DecodePgNumericTypmod(4)->precision, 0);
}

TEST(PgTypesTest, LogicalTypeOfPgInvertsPgTypeOf) {
  const LogicalType text = TypeId::kVarchar;
  for (LogicalType type :
       {LogicalType(TypeId::kBoolean), LogicalType(TypeId::kSmallint),
        LogicalType(TypeId::kInteger), LogicalType(TypeId::kBigint), LogicalType(TypeId::kReal),
        LogicalType(TypeId::kDouble), LogicalType::Decimal(15, 2), LogicalType::Decimal(38, 0),
        LogicalType(TypeId::kVarchar), LogicalType(TypeId::kDate), LogicalType(TypeId::kTimestamp),
        LogicalType(TypeId::kInterval)}) {
    const PgTypeInfo info = PgTypeOf(type);
    EXPECT_EQ(LogicalTypeOfPg(info.oid, info.modifier, text), type) << type.ToString();
  }
  for (int32_t oid : {pg_oid::kText, pg_oid::kVarchar, pg_oid::kBpchar, pg_oid::kName}) {
    EXPECT_EQ(LogicalTypeOfPg(oid, -1, text), text) << oid;
  }
  EXPECT_FALSE(LogicalTypeOfPg(0, -1, text).has_value());
  EXPECT_FALSE(LogicalTypeOfPg(pg_oid::kUnknown, -1, text).has_value());
  EXPECT_FALSE(LogicalTypeOfPg(114 /* json */, -1, text).has_value());
}

TEST(PgTypesTest, NumericWithoutAUsableTypmodFollowsTheCallersRule) {
  const LogicalType wide = LogicalType::Decimal(38, 0);
  EXPECT_EQ(LogicalTypeOfPg(pg_oid::kNumeric, -1, wide), wide);
  EXPECT_EQ(LogicalTypeOfPg(pg_oid::kNumeric, -1, TypeId::kVarchar), LogicalType(TypeId::kVarchar));
  // Precision 40 (PostgreSQL allows 1000), scale above precision, precision 0.
  EXPECT_EQ(LogicalTypeOfPg(pg_oid::kNumeric, EncodePgNumericTypmod({40, 2}), wide), wide);
  EXPECT_EQ(LogicalTypeOfPg(pg_oid::kNumeric, EncodePgNumericTypmod({5, 6}), wide), wide);
  EXPECT_EQ(LogicalTypeOfPg(pg_oid::kNumeric, EncodePgNumericTypmod({0, 0}), wide), wide);
  EXPECT_EQ(LogicalTypeOfPg(pg_oid::kNumeric, EncodePgNumericTypmod({10, 2}), wide),
            LogicalType::Decimal(10, 2));
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
