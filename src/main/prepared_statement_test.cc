// Describing prepared statements whose $n the binder needs as a value
// (generate_series / range bounds, LIMIT, window offsets, read_csv's path):
// the description must not need the values, and each execution binds them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/exception.h"
#include "common/temp_dir_test_util.h"
#include "main/database.h"

namespace basalt {
namespace {

class PreparedStatementTest : public ::testing::Test {
 protected:
  PreparedStatementTest() : db_(DatabaseOptions{2, ""}), con_(db_) {}

  // Prepares `sql`, expecting the description to succeed.
  PreparedStatement Prepare(const std::string& sql) {
    PreparedStatement prepared;
    QueryResult r = con_.Prepare(sql, {}, &prepared);
    EXPECT_TRUE(r.ok) << r.error_code << ": " << r.error_message;
    EXPECT_TRUE(prepared.description.ok) << sql << ": " << prepared.description.error_code << ": "
                                         << prepared.description.error_message;
    return prepared;
  }

  // The rows of `prepared` run with `values`, one line per row, values
  // separated by commas.
  std::vector<std::string> Run(const PreparedStatement& prepared,
                               const std::vector<Value>& values) {
    QueryResult r = con_.ExecutePrepared(prepared, values);
    EXPECT_TRUE(r.ok) << r.error_code << ": " << r.error_message;
    std::vector<std::string> rows;
    for (idx_t row = 0; row < r.RowCount(); row++) {
      std::string line;
      for (idx_t col = 0; col < r.column_types.size(); col++) {
        if (col > 0) line += ",";
        line += r.GetValue(col, row).ToString();
      }
      rows.push_back(line);
    }
    return rows;
  }

  Database db_;
  Connection con_;
};

using Rows = std::vector<std::string>;

TEST_F(PreparedStatementTest, SeriesWithParameterBounds) {
  PreparedStatement range = Prepare("SELECT * FROM range($1)");
  ASSERT_EQ(range.description.column_names, std::vector<std::string>{"range"});
  EXPECT_EQ(range.description.column_types[0], LogicalType(TypeId::kBigint));
  // The bound is read as a BIGINT, so the description says so.
  ASSERT_EQ(range.parameter_types.size(), 1u);
  EXPECT_EQ(range.parameter_types[0], LogicalType(TypeId::kBigint));
  EXPECT_EQ(Run(range, {Value::Bigint(3)}), (Rows{"0", "1", "2"}));
  EXPECT_EQ(Run(range, {Value::Bigint(1)}), (Rows{"0"}));

  PreparedStatement series = Prepare("SELECT s * 10 AS v FROM generate_series($1, $2, $3) AS g(s)");
  EXPECT_EQ(series.description.column_names, std::vector<std::string>{"v"});
  EXPECT_EQ(Run(series, {Value::Bigint(5), Value::Bigint(1), Value::Bigint(-2)}),
            (Rows{"50", "30", "10"}));

  // The values' errors come when they are known.
  QueryResult null_bound = con_.ExecutePrepared(range, {Value::Null(TypeId::kBigint)});
  EXPECT_FALSE(null_bound.ok);
  EXPECT_EQ(null_bound.error_code, sqlstate::kNullValueNotAllowed);
  QueryResult zero_step =
      con_.ExecutePrepared(series, {Value::Bigint(1), Value::Bigint(5), Value::Bigint(0)});
  EXPECT_FALSE(zero_step.ok);
  EXPECT_EQ(zero_step.error_code, sqlstate::kInvalidParameterValue);
}

TEST_F(PreparedStatementTest, UntypedValueForSeriesBound) {
  // A value sent as text (a parameter nothing typed) is an untyped literal.
  PreparedStatement prepared;
  ASSERT_TRUE(con_.Prepare("SELECT * FROM range($1)", {TypeId::kInvalid}, &prepared).ok);
  EXPECT_EQ(Run(prepared, {Value::Varchar("2")}), (Rows{"0", "1"}));
}

TEST_F(PreparedStatementTest, LimitAndOffsetParameters) {
  PreparedStatement prepared = Prepare("SELECT * FROM range(10) LIMIT $1 OFFSET $2");
  ASSERT_EQ(prepared.parameter_types.size(), 2u);
  EXPECT_EQ(prepared.parameter_types[0], LogicalType(TypeId::kBigint));
  EXPECT_EQ(prepared.parameter_types[1], LogicalType(TypeId::kBigint));
  EXPECT_EQ(Run(prepared, {Value::Bigint(2), Value::Bigint(7)}), (Rows{"7", "8"}));
  QueryResult negative = con_.ExecutePrepared(prepared, {Value::Bigint(-1), Value::Bigint(0)});
  EXPECT_FALSE(negative.ok);
  EXPECT_EQ(negative.error_code, sqlstate::kInvalidParameterValue);
}

TEST_F(PreparedStatementTest, WindowOffsetParameters) {
  const std::string input = " FROM (VALUES (1), (2), (3), (4)) AS v(x)";
  PreparedStatement lag = Prepare("SELECT x, lag(x, $1) OVER (ORDER BY x) AS l" + input);
  EXPECT_EQ(lag.description.column_names, (std::vector<std::string>{"x", "l"}));
  EXPECT_EQ(lag.description.column_types[1], LogicalType(TypeId::kInteger));
  EXPECT_EQ(lag.parameter_types[0], LogicalType(TypeId::kBigint));
  EXPECT_EQ(Run(lag, {Value::Bigint(2)}), (Rows{"1,NULL", "2,NULL", "3,1", "4,2"}));
  QueryResult negative = con_.ExecutePrepared(lag, {Value::Bigint(-1)});
  EXPECT_FALSE(negative.ok);
  EXPECT_EQ(negative.error_code, sqlstate::kInvalidParameterValue);

  // lag's default as a parameter takes the value's type.
  PreparedStatement fallback =
      Prepare("SELECT lead(x, 1, $1) OVER (ORDER BY x) AS l" + input + " ORDER BY x");
  EXPECT_EQ(fallback.parameter_types[0], LogicalType(TypeId::kInteger));
  EXPECT_EQ(Run(fallback, {Value::Integer(-7)}), (Rows{"2", "3", "4", "-7"}));

  PreparedStatement ntile = Prepare("SELECT x, ntile($1) OVER (ORDER BY x) AS n" + input);
  EXPECT_EQ(ntile.parameter_types[0], LogicalType(TypeId::kBigint));
  EXPECT_EQ(Run(ntile, {Value::Bigint(2)}), (Rows{"1,1", "2,1", "3,2", "4,2"}));

  PreparedStatement rows = Prepare(
      "SELECT x, sum(x) OVER (ORDER BY x ROWS BETWEEN $1 PRECEDING AND CURRENT ROW) AS s" + input);
  EXPECT_EQ(rows.parameter_types[0], LogicalType(TypeId::kBigint));
  EXPECT_EQ(Run(rows, {Value::Bigint(1)}), (Rows{"1,1", "2,3", "3,5", "4,7"}));

  PreparedStatement range = Prepare(
      "SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN $1 PRECEDING AND $1 FOLLOWING) AS c" +
      input);
  EXPECT_EQ(range.parameter_types[0], LogicalType(TypeId::kDouble));
  EXPECT_EQ(Run(range, {Value::Double(1)}), (Rows{"1,2", "2,3", "3,3", "4,2"}));
}

TEST_F(PreparedStatementTest, ReadCsvPathNeedsItsValueToDescribe) {
  testing::TempDir dir;
  std::string path = dir.Write("p.csv", "a,b\n1,x\n2,y\n");
  PreparedStatement prepared;
  // The statement itself is fine; only its description waits for the value,
  // since the file decides the columns.
  ASSERT_TRUE(con_.Prepare("SELECT * FROM read_csv($1)", {}, &prepared).ok);
  EXPECT_FALSE(prepared.description.ok);
  EXPECT_EQ(prepared.description.error_code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(prepared.description.error_position, 23);  // at $1
  QueryResult described = con_.Describe(prepared, {Value::Varchar(path)});
  ASSERT_TRUE(described.ok) << described.error_message;
  EXPECT_EQ(described.column_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Run(prepared, {Value::Varchar(path)}), (Rows{"1,x", "2,y"}));
}

}  // namespace
}  // namespace basalt
