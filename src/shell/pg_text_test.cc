#include "shell/pg_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/date_time.h"
#include "common/pg_types.h"
#include "shell/remote_session.h"
#include "shell/result_printer.h"

namespace basalt {
namespace {

// One value parsed as the shell parses a column (into a vector), read back
// as a Value.
bool ParsePgText(std::string_view text, const LogicalType& type, Value* out) {
  Vector vector(type, 1);
  if (!basalt::ParsePgText(text, type, &vector, 0)) return false;
  *out = vector.GetValue(0);
  return true;
}

// What the server sends for `value`, read back as the shell does.
Value RoundTrip(const Value& value) {
  PgTypeInfo info = PgTypeOf(value.type());
  LogicalType type = LogicalTypeFromPg(info.oid, info.modifier);
  EXPECT_EQ(type, value.type()) << value.type().ToString();
  Value out;
  EXPECT_TRUE(ParsePgText(PgTextOf(value), type, &out)) << PgTextOf(value);
  return out;
}

TEST(PgTextTest, EveryTypeRoundTrips) {
  Interval interval;
  interval.months = 14;
  interval.days = -3;
  interval.micros = 3723 * kMicrosPerSecond + 5;
  int32_t date = 0;
  ASSERT_TRUE(ParseDate("2024-02-29", &date));
  int64_t timestamp = 0;
  ASSERT_TRUE(ParseTimestamp("1999-12-31 23:59:59.123456", &timestamp));
  std::vector<Value> values = {
      Value::Boolean(true),
      Value::Boolean(false),
      Value::Smallint(-32768),
      Value::Integer(std::numeric_limits<int32_t>::min()),
      Value::Bigint(std::numeric_limits<int64_t>::max()),
      Value::Real(0.1f),
      Value::Real(3.4028235e38f),
      Value::Real(-INFINITY),
      Value::Double(0.1 + 0.2),
      Value::Double(1e-300),
      Value::Double(NAN),
      Value::Double(-0.0),
      Value::Decimal(-1, 15, 2),
      Value::Decimal(12345, 5, 0),
      Value::Decimal(static_cast<int128_t>(1) << 100, 38, 10),
      Value::Date(date),
      Value::Date(-800000),                  // BC
      Value::Date(DaysFromCivil(0, 2, 28)),  // 0001-02-28 BC
      Value::Timestamp(timestamp),
      Value::Timestamp(int64_t{DaysFromCivil(-43, 3, 15)} * kMicrosPerDay + 1),
      Value::Date(DaysFromCivil(-4, 2, 29)),  // 0005-02-29 BC: 5 BC is a leap year
      Value::Timestamp(int64_t{DaysFromCivil(-4, 2, 29)} * kMicrosPerDay +
                       43200 * kMicrosPerSecond),
      Value::FromInterval(interval),
      Value::Varchar("héllo\n\tworld"),
      Value::Varchar(""),
  };
  for (const Value& value : values) {
    Value back = RoundTrip(value);
    EXPECT_EQ(back.ToString(), value.ToString()) << value.type().ToString();
    EXPECT_EQ(back.type(), value.type());
  }
}

TEST(PgTextTest, TypesFromOids) {
  EXPECT_EQ(LogicalTypeFromPg(pg_oid::kNumeric, ((10 << 16) | 2) + 4), LogicalType::Decimal(10, 2));
  // NUMERIC without a modifier has no fixed scale.
  EXPECT_EQ(LogicalTypeFromPg(pg_oid::kNumeric, -1), LogicalType(TypeId::kVarchar));
  EXPECT_EQ(LogicalTypeFromPg(pg_oid::kNumeric, ((40 << 16) | 2) + 4),
            LogicalType(TypeId::kVarchar));
  EXPECT_EQ(LogicalTypeFromPg(pg_oid::kText, -1), LogicalType(TypeId::kVarchar));
  EXPECT_EQ(LogicalTypeFromPg(114 /* json */, -1), LogicalType(TypeId::kVarchar));
  EXPECT_EQ(LogicalTypeFromPg(pg_oid::kInt2, -1), LogicalType(TypeId::kSmallint));
}

TEST(PgTextTest, RejectsWhatWouldPrintDifferently) {
  Value out;
  EXPECT_FALSE(ParsePgText("true", TypeId::kBoolean, &out));  // PostgreSQL sends "t"
  EXPECT_FALSE(ParsePgText("007", TypeId::kInteger, &out));
  EXPECT_FALSE(ParsePgText("70000", TypeId::kSmallint, &out));
  EXPECT_FALSE(ParsePgText("1.5", LogicalType::Decimal(5, 2), &out));  // would print 1.50
  EXPECT_FALSE(ParsePgText("1e3", TypeId::kDouble, &out));
  EXPECT_FALSE(ParsePgText("infinity", TypeId::kDate, &out));
  EXPECT_TRUE(ParsePgText("Infinity", TypeId::kDouble, &out));
  EXPECT_TRUE(ParsePgText("-Infinity", TypeId::kReal, &out));
  EXPECT_TRUE(ParsePgText("NaN", TypeId::kReal, &out));
  // from_chars reads these too; they are not how PostgreSQL spells them.
  EXPECT_FALSE(ParsePgText("nan", TypeId::kReal, &out));
  EXPECT_FALSE(ParsePgText("inf", TypeId::kReal, &out));
  EXPECT_FALSE(ParsePgText("infinity", TypeId::kReal, &out));
  EXPECT_FALSE(ParsePgText("-0", TypeId::kInteger, &out));
  EXPECT_FALSE(ParsePgText("+5", TypeId::kBigint, &out));
  EXPECT_FALSE(ParsePgText(" 5", TypeId::kBigint, &out));
  // Dates before year 1 in PostgreSQL's layout read back; the layout Basalt
  // printed before (the era before the time) reads but does not round-trip.
  EXPECT_TRUE(ParsePgText("0005-02-29 BC", TypeId::kDate, &out));
  EXPECT_EQ(out, Value::Date(DaysFromCivil(-4, 2, 29)));
  EXPECT_TRUE(ParsePgText("0044-03-15 12:00:00 BC", TypeId::kTimestamp, &out));
  EXPECT_FALSE(ParsePgText("0044-03-15 BC 12:00:00", TypeId::kTimestamp, &out));
  EXPECT_FALSE(ParsePgText("0005-02-29", TypeId::kDate, &out));  // 5 AD is no leap year
}

TEST(PgTextTest, ParsesIntoTheRowOfAVectorOfEveryWidth) {
  Vector decimals(LogicalType::Decimal(10, 2), 4);
  ASSERT_TRUE(ParsePgText("-12.50", LogicalType::Decimal(10, 2), &decimals, 3));
  EXPECT_EQ(decimals.GetValue(3), Value::Decimal(-1250, 10, 2));
  Vector wide(LogicalType::Decimal(30, 2), 4);
  ASSERT_TRUE(ParsePgText("123456789012345678901234.56", LogicalType::Decimal(30, 2), &wide, 2));
  EXPECT_EQ(wide.GetValue(2).ToString(), "123456789012345678901234.56");
  Vector text(LogicalType(TypeId::kVarchar), 2);
  ASSERT_TRUE(ParsePgText("héllo", TypeId::kVarchar, &text, 1));
  EXPECT_EQ(text.GetValue(1), Value::Varchar("héllo"));
}

// Rows given as text, NULL as nothing.
QueryResult FromText(const std::vector<RemoteColumn>& columns,
                     const std::vector<std::vector<std::optional<std::string>>>& rows) {
  QueryResult result;
  result.returns_rows = true;
  FillRowsFromText(
      columns, rows.size(),
      [&](idx_t row, idx_t column) -> const char* {
        const auto& value = rows[row][column];
        return value ? value->c_str() : nullptr;
      },
      &result);
  return result;
}

TEST(PgTextTest, FillRowsTypesColumnsAndFallsBackToText) {
  QueryResult result = FromText({{"id", pg_oid::kInt4, -1},
                                 {"price", pg_oid::kNumeric, ((10 << 16) | 2) + 4},
                                 {"flag", pg_oid::kBool, -1},
                                 {"odd", pg_oid::kInt4, -1}},
                                {{"1", "12.50", "t", "5"},
                                 {"20", std::nullopt, "f", "not a number"},
                                 {"300", "-0.01", std::nullopt, std::nullopt}});
  ASSERT_EQ(result.RowCount(), 3u);
  EXPECT_EQ(result.column_types[0], LogicalType(TypeId::kInteger));
  EXPECT_EQ(result.column_types[1], LogicalType::Decimal(10, 2));
  EXPECT_EQ(result.column_types[2], LogicalType(TypeId::kBoolean));
  EXPECT_EQ(result.column_types[3], LogicalType(TypeId::kVarchar));
  EXPECT_EQ(result.GetValue(0, 2), Value::Integer(300));
  EXPECT_TRUE(result.GetValue(1, 1).IsNull());
  EXPECT_EQ(result.GetValue(2, 0), Value::Boolean(true));
  EXPECT_EQ(result.GetValue(3, 1), Value::Varchar("not a number"));
  EXPECT_TRUE(result.GetValue(3, 2).IsNull());

  std::ostringstream out;
  PrintTable(result, out);
  EXPECT_EQ(out.str(),
            " id  | price | flag  |     odd\n"
            "-----+-------+-------+--------------\n"
            "   1 | 12.50 | true  | 5\n"
            "  20 |  NULL | false | not a number\n"
            " 300 | -0.01 | NULL  | NULL\n"
            "(3 rows)\n\n");
}

TEST(PgTextTest, FillRowsFallsBackOnlyInTheColumnThatDoesNotRoundTrip) {
  // The value that fails is in the second chunk: the column's first chunk,
  // already parsed as numbers, is refilled as text; the other column keeps
  // its type and values.
  std::vector<std::vector<std::optional<std::string>>> rows;
  for (int i = 0; i < 3000; ++i) {
    rows.push_back({std::to_string(i), i == 2500 ? std::optional<std::string>("1e3")
                                                 : std::optional<std::string>(std::to_string(i))});
  }
  rows[7][1] = std::nullopt;
  QueryResult result = FromText({{"a", pg_oid::kInt4, -1}, {"b", pg_oid::kFloat8, -1}}, rows);
  ASSERT_EQ(result.RowCount(), 3000u);
  EXPECT_EQ(result.column_types[0], LogicalType(TypeId::kInteger));
  EXPECT_EQ(result.column_types[1], LogicalType(TypeId::kVarchar));
  for (DataChunk& chunk : result.chunks) {
    EXPECT_EQ(chunk.column(1).type(), LogicalType(TypeId::kVarchar));
  }
  EXPECT_EQ(result.GetValue(0, 2999), Value::Integer(2999));
  EXPECT_EQ(result.GetValue(1, 6), Value::Varchar("6"));
  EXPECT_TRUE(result.GetValue(1, 7).IsNull());
  EXPECT_EQ(result.GetValue(1, 2500), Value::Varchar("1e3"));
  EXPECT_EQ(result.GetValue(1, 2999), Value::Varchar("2999"));
}

TEST(PgTextTest, FillRowsSpansChunks) {
  std::vector<std::vector<std::optional<std::string>>> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back({std::to_string(i)});
  QueryResult result = FromText({{"n", pg_oid::kInt8, -1}}, rows);
  ASSERT_EQ(result.RowCount(), 5000u);
  EXPECT_EQ(result.chunks.size(), 3u);
  EXPECT_EQ(result.GetValue(0, 4999), Value::Bigint(4999));
}

}  // namespace
}  // namespace basalt
