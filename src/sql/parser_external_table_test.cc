// Parsing of CREATE EXTERNAL TABLE, REFRESH and INVALIDATE METADATA.
#include <gtest/gtest.h>

#include <string>

#include "sql/parser.h"
#include "sql/parser_test_util.h"

namespace basalt::sql {
namespace {

using sql_test::ParseError;
using sql_test::ParseOne;

TEST(ParserExternalTableTest, InferredSchema) {
  auto statement = ParseOne("CREATE EXTERNAL TABLE s.t STORED AS PARQUET LOCATION 'data/t/'");
  ASSERT_EQ(statement->kind, StatementKind::kCreateExternalTable);
  const auto& create = statement->As<CreateExternalTableStatement>();
  EXPECT_EQ(create.table.ToString(), "s.t");
  EXPECT_FALSE(create.if_not_exists);
  EXPECT_TRUE(create.columns.empty());
  EXPECT_EQ(create.format, "parquet");
  EXPECT_EQ(create.format_position, 36);
  EXPECT_EQ(create.location, "data/t/");
  EXPECT_TRUE(create.options.empty());
}

TEST(ParserExternalTableTest, DeclaredColumnsAndOptions) {
  auto statement = ParseOne(
      "create external table if not exists t (a INTEGER, b VARCHAR) stored as csv "
      "location 'x/*.csv' with (header true, delim '|', filename)");
  const auto& create = statement->As<CreateExternalTableStatement>();
  EXPECT_TRUE(create.if_not_exists);
  ASSERT_EQ(create.columns.size(), 2u);
  EXPECT_EQ(create.columns[0].name, "a");
  EXPECT_EQ(create.columns[1].name, "b");
  EXPECT_EQ(create.format, "csv");
  ASSERT_EQ(create.options.size(), 3u);
  EXPECT_EQ(create.options[0].name, "header");
  ASSERT_NE(create.options[0].value, nullptr);
  EXPECT_EQ(create.options[1].name, "delim");
  EXPECT_EQ(create.options[1].value->text, "|");
  EXPECT_EQ(create.options[2].name, "filename");
  EXPECT_EQ(create.options[2].value, nullptr);
  // OPTIONS is the other spelling of the option list.
  auto options = ParseOne("CREATE EXTERNAL TABLE t STORED AS JSON LOCATION 'd' OPTIONS (x 1)");
  EXPECT_EQ(options->As<CreateExternalTableStatement>().options.size(), 1u);
}

TEST(ParserExternalTableTest, Errors) {
  // STORED AS and LOCATION are required, in that order.
  EXPECT_EQ(ParseError("CREATE EXTERNAL TABLE t LOCATION 'd'").code, "42601");
  EXPECT_EQ(ParseError("CREATE EXTERNAL TABLE t STORED AS PARQUET").code, "42601");
  EXPECT_EQ(ParseError("CREATE EXTERNAL TABLE t STORED AS PARQUET LOCATION d").code, "42601");
  EXPECT_EQ(ParseError("CREATE EXTERNAL TABLE t STORED AS 'parquet' LOCATION 'd'").code, "42601");
  EXPECT_EQ(ParseError("CREATE EXTERNAL TABLE t (a INT NOT NULL) STORED AS CSV LOCATION 'd'").code,
            "0A000");
  EXPECT_EQ(
      ParseError("CREATE EXTERNAL TABLE t (a INT PRIMARY KEY) STORED AS CSV LOCATION 'd'").code,
      "0A000");
  EXPECT_EQ(ParseError("CREATE OR REPLACE EXTERNAL TABLE t STORED AS CSV LOCATION 'd'").code,
            "42601");
  // EXTERNAL alone is still an error, not a table called "external".
  EXPECT_EQ(ParseError("CREATE EXTERNAL t").code, "42601");
}

TEST(ParserExternalTableTest, RefreshAndInvalidate) {
  auto refresh = ParseOne("REFRESH s.t");
  ASSERT_EQ(refresh->kind, StatementKind::kRefresh);
  EXPECT_EQ(refresh->As<RefreshStatement>().table.ToString(), "s.t");
  EXPECT_FALSE(refresh->As<RefreshStatement>().invalidate);
  EXPECT_EQ(ParseOne("REFRESH TABLE t")->As<RefreshStatement>().table.name, "t");
  auto invalidate = ParseOne("INVALIDATE METADATA t");
  EXPECT_TRUE(invalidate->As<RefreshStatement>().invalidate);
  EXPECT_EQ(invalidate->As<RefreshStatement>().table.name, "t");
  EXPECT_TRUE(ParseOne("invalidate metadata")->As<RefreshStatement>().table.empty());
  EXPECT_EQ(ParseError("REFRESH").code, "42601");
  EXPECT_EQ(ParseError("REFRESH MATERIALIZED VIEW mv").code, "0A000");
  EXPECT_EQ(ParseError("INVALIDATE t").code, "42601");
}

}  // namespace
}  // namespace basalt::sql
