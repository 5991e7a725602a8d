// Statement parsing: scripts, DDL, DML, utility statements and errors.
#include <gtest/gtest.h>

#include <string>

#include "sql/parser.h"
#include "sql/parser_test_util.h"
#include "sql/source_position.h"

namespace basalt::sql {
namespace {

using sql_test::ParseError;
using sql_test::ParseOne;

TEST(ParserTest, ScriptSplitsStatements) {
  std::string sql = ";; SELECT 1 ;\n\nselect a from t;;  ";
  auto statements = ParseSql(sql);
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0]->position, 3);
  EXPECT_EQ(statements[0]->text, "SELECT 1");
  EXPECT_EQ(statements[1]->position, 15);
  EXPECT_EQ(statements[1]->text, "select a from t");
  // Positions inside later statements are offsets into the whole script.
  const auto& select = statements[1]->As<SelectStatement>().query->As<SelectNode>();
  EXPECT_EQ(select.select_list[0].expression->position, 22);
  EXPECT_TRUE(ParseSql("").empty());
  EXPECT_TRUE(ParseSql(" ; -- only a comment\n ;").empty());
}

TEST(ParserTest, Explain) {
  auto statement = ParseOne("EXPLAIN SELECT 1");
  const auto& explain = statement->As<ExplainStatement>();
  EXPECT_FALSE(explain.analyze);
  EXPECT_TRUE(explain.statement->Is<SelectStatement>());
  EXPECT_EQ(explain.statement->position, 8);
  EXPECT_EQ(explain.statement->text, "SELECT 1");
  EXPECT_EQ(statement->text, "EXPLAIN SELECT 1");
  auto analyze = ParseOne("explain analyze insert into t values (1)");
  EXPECT_TRUE(analyze->As<ExplainStatement>().analyze);
  EXPECT_TRUE(analyze->As<ExplainStatement>().statement->Is<InsertStatement>());
}

TEST(ParserTest, CreateAndDropSchema) {
  auto create = ParseOne("CREATE SCHEMA IF NOT EXISTS Sales");
  EXPECT_EQ(create->kind, StatementKind::kCreateSchema);
  EXPECT_EQ(create->As<CreateSchemaStatement>().name, "sales");
  EXPECT_TRUE(create->As<CreateSchemaStatement>().if_not_exists);
  EXPECT_FALSE(ParseOne("create schema s")->As<CreateSchemaStatement>().if_not_exists);

  auto drop = ParseOne("DROP SCHEMA IF EXISTS s CASCADE");
  const auto& d = drop->As<DropStatement>();
  EXPECT_EQ(d.object_type, ObjectType::kSchema);
  ASSERT_EQ(d.names.size(), 1u);
  EXPECT_EQ(d.names[0].name, "s");
  EXPECT_TRUE(d.if_exists);
  EXPECT_TRUE(d.cascade);
  EXPECT_FALSE(ParseOne("DROP SCHEMA s RESTRICT")->As<DropStatement>().cascade);
}

TEST(ParserTest, CreateTable) {
  auto statement = ParseOne(
      "CREATE TABLE IF NOT EXISTS s.lineitem (l_orderkey BIGINT NOT NULL, "
      "l_quantity DECIMAL(15,2), l_comment VARCHAR(44) NULL, l_shipdate DATE, "
      "\"Mixed\" int, PRIMARY KEY (l_orderkey, l_quantity))");
  const auto& create = statement->As<CreateTableStatement>();
  EXPECT_TRUE(create.if_not_exists);
  EXPECT_FALSE(create.or_replace);
  EXPECT_FALSE(create.temporary);
  EXPECT_EQ(create.table.schema, "s");
  EXPECT_EQ(create.table.name, "lineitem");
  EXPECT_EQ(create.table.ToString(), "s.lineitem");
  ASSERT_EQ(create.columns.size(), 5u);
  EXPECT_EQ(create.columns[0].name, "l_orderkey");
  EXPECT_EQ(create.columns[0].type.type.id(), TypeId::kBigint);
  EXPECT_TRUE(create.columns[0].not_null);
  EXPECT_EQ(create.columns[1].type.type, LogicalType::Decimal(15, 2));
  EXPECT_FALSE(create.columns[1].not_null);
  EXPECT_EQ(create.columns[2].type.length, 44);
  EXPECT_EQ(create.columns[4].name, "Mixed");
  EXPECT_EQ(create.primary_key, std::vector<std::string>({"l_orderkey", "l_quantity"}));
  EXPECT_EQ(create.query, nullptr);

  auto column_key = ParseOne("CREATE OR REPLACE TEMP TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  const auto& c = column_key->As<CreateTableStatement>();
  EXPECT_TRUE(c.or_replace);
  EXPECT_TRUE(c.temporary);
  EXPECT_EQ(c.primary_key, std::vector<std::string>({"id"}));
  EXPECT_TRUE(ParseOne("CREATE TEMPORARY TABLE t (a int)")->As<CreateTableStatement>().temporary);
}

TEST(ParserTest, CreateTableErrors) {
  auto two_keys = ParseError("CREATE TABLE t (a int PRIMARY KEY, b int, PRIMARY KEY (b))");
  EXPECT_EQ(two_keys.code, "42P16");
  EXPECT_EQ(two_keys.position, 42);
  auto unknown = ParseError("CREATE TABLE t (a foo)");
  EXPECT_EQ(unknown.code, "42704");
  EXPECT_EQ(unknown.message, "type \"foo\" does not exist");
  EXPECT_EQ(unknown.position, 18);
  auto default_value = ParseError("CREATE TABLE t (a int DEFAULT 1)");
  EXPECT_EQ(default_value.code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(default_value.position, 22);
  EXPECT_EQ(ParseError("CREATE TABLE t (a int NOT NULL NULL)").code, sqlstate::kSyntaxError);
  EXPECT_EQ(ParseError("CREATE TABLE t ()").position, 16);
  EXPECT_EQ(ParseError("CREATE TABLE t (select int)").position, 16);
  EXPECT_EQ(ParseError("CREATE INDEX i ON t (a)").code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(ParseError("CREATE OR REPLACE TABLE IF NOT EXISTS t (a int)").code,
            sqlstate::kSyntaxError);
  EXPECT_EQ(ParseError("CREATE TABLE a.b.c (x int)").message,
            "improper qualified name (too many dotted names): a.b.c");
}

TEST(ParserTest, CreateTableAs) {
  auto statement = ParseOne("CREATE TABLE t2 AS SELECT a, b FROM t WHERE a > 1");
  const auto& create = statement->As<CreateTableStatement>();
  EXPECT_TRUE(create.columns.empty());
  ASSERT_NE(create.query, nullptr);
  EXPECT_TRUE(create.query->Is<SelectNode>());
  auto parenthesized = ParseOne("CREATE TABLE t3 AS (SELECT 1 UNION SELECT 2)");
  EXPECT_TRUE(parenthesized->As<CreateTableStatement>().query->Is<SetOperationNode>());
}

TEST(ParserTest, DropTableAndView) {
  auto drop = ParseOne("DROP TABLE IF EXISTS a, s.b");
  const auto& d = drop->As<DropStatement>();
  EXPECT_EQ(d.object_type, ObjectType::kTable);
  ASSERT_EQ(d.names.size(), 2u);
  EXPECT_EQ(d.names[0].name, "a");
  EXPECT_EQ(d.names[1].schema, "s");
  EXPECT_EQ(d.names[1].name, "b");
  EXPECT_EQ(d.names[1].position, 24);
  auto view = ParseOne("DROP VIEW v");
  EXPECT_EQ(view->As<DropStatement>().object_type, ObjectType::kView);
  EXPECT_FALSE(view->As<DropStatement>().if_exists);
  EXPECT_EQ(ParseError("DROP INDEX i").code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(ParseError("DROP t").position, 5);
}

TEST(ParserTest, CreateView) {
  std::string sql = "CREATE OR REPLACE VIEW v (x, y) AS SELECT a, b FROM t ORDER BY a";
  auto statement = ParseOne(sql);
  const auto& view = statement->As<CreateViewStatement>();
  EXPECT_TRUE(view.or_replace);
  EXPECT_EQ(view.view.name, "v");
  EXPECT_EQ(view.column_names, std::vector<std::string>({"x", "y"}));
  EXPECT_EQ(view.query_text, "SELECT a, b FROM t ORDER BY a");
  EXPECT_EQ(view.query->order_by.size(), 1u);
  auto script = ParseSql("CREATE VIEW s.v AS WITH c AS (SELECT 1) SELECT * FROM c; SELECT 2");
  ASSERT_EQ(script.size(), 2u);
  const auto& plain = script[0]->As<CreateViewStatement>();
  EXPECT_EQ(plain.view.schema, "s");
  EXPECT_EQ(plain.query_text, "WITH c AS (SELECT 1) SELECT * FROM c");
  EXPECT_EQ(plain.query->ctes.size(), 1u);
}

TEST(ParserTest, Insert) {
  auto values = ParseOne("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  const auto& insert = values->As<InsertStatement>();
  EXPECT_EQ(insert.table.name, "t");
  EXPECT_TRUE(insert.columns.empty());
  EXPECT_FALSE(insert.overwrite);
  EXPECT_EQ(insert.query->As<ValuesNode>().rows.size(), 2u);

  auto columns = ParseOne("insert into s.t (b, a) select 1, 2");
  EXPECT_EQ(columns->As<InsertStatement>().columns, std::vector<std::string>({"b", "a"}));
  EXPECT_EQ(columns->As<InsertStatement>().table.schema, "s");
  EXPECT_TRUE(columns->As<InsertStatement>().query->Is<SelectNode>());

  auto parenthesized = ParseOne("INSERT INTO t (SELECT * FROM u)");
  EXPECT_TRUE(parenthesized->As<InsertStatement>().columns.empty());
  EXPECT_TRUE(parenthesized->As<InsertStatement>().query->Is<SelectNode>());

  auto overwrite = ParseOne("INSERT OVERWRITE TABLE t SELECT * FROM u");
  EXPECT_TRUE(overwrite->As<InsertStatement>().overwrite);
  EXPECT_TRUE(ParseOne("INSERT OVERWRITE t VALUES (1)")->As<InsertStatement>().overwrite);
  EXPECT_EQ(ParseError("INSERT INTO t DEFAULT VALUES").code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(ParseError("INSERT INTO t VALUES (1) RETURNING *").code,
            sqlstate::kFeatureNotSupported);
}

TEST(ParserTest, CopyFrom) {
  auto statement = ParseOne(
      "COPY lineitem FROM 'data/lineitem.tbl' (FORMAT csv, HEADER false, DELIMITER '|', "
      "NULL 'x', QUOTE '\"', SKIP 1)");
  const auto& copy = statement->As<CopyStatement>();
  EXPECT_TRUE(copy.is_from);
  EXPECT_EQ(copy.table.name, "lineitem");
  EXPECT_EQ(copy.path, "data/lineitem.tbl");
  ASSERT_EQ(copy.options.size(), 6u);
  EXPECT_EQ(copy.options[0].name, "format");
  EXPECT_EQ(copy.options[0].value->constant_kind, ConstantKind::kString);
  EXPECT_EQ(copy.options[0].value->text, "csv");
  EXPECT_EQ(copy.options[1].name, "header");
  EXPECT_EQ(copy.options[1].value->constant_kind, ConstantKind::kBoolean);
  EXPECT_FALSE(copy.options[1].value->bool_value);
  EXPECT_EQ(copy.options[2].value->text, "|");
  EXPECT_EQ(copy.options[3].name, "null");
  EXPECT_EQ(copy.options[3].value->text, "x");
  EXPECT_EQ(copy.options[4].value->text, "\"");
  EXPECT_EQ(copy.options[5].value->constant_kind, ConstantKind::kInteger);

  auto with = ParseOne("COPY t (a, b) FROM 'f.csv' WITH (HEADER, DELIMITER ',')");
  const auto& w = with->As<CopyStatement>();
  EXPECT_EQ(w.columns, std::vector<std::string>({"a", "b"}));
  ASSERT_EQ(w.options.size(), 2u);
  EXPECT_EQ(w.options[0].name, "header");
  EXPECT_EQ(w.options[0].value, nullptr);

  auto legacy = ParseOne("COPY t FROM 'f.tbl' DELIMITER '|' CSV HEADER");
  const auto& l = legacy->As<CopyStatement>();
  ASSERT_EQ(l.options.size(), 3u);
  EXPECT_EQ(l.options[0].name, "delimiter");
  EXPECT_EQ(l.options[0].value->text, "|");
  EXPECT_EQ(l.options[1].name, "format");
  EXPECT_EQ(l.options[1].value->text, "csv");
  EXPECT_EQ(l.options[2].name, "header");
  EXPECT_EQ(l.options[2].value, nullptr);
  auto legacy_with = ParseOne("COPY t FROM 'f' WITH NULL AS '' CSV");
  EXPECT_EQ(legacy_with->As<CopyStatement>().options.size(), 2u);
  EXPECT_TRUE(ParseOne("COPY t FROM 'f'")->As<CopyStatement>().options.empty());
  EXPECT_EQ(ParseError("COPY t FROM STDIN").code, sqlstate::kFeatureNotSupported);
}

TEST(ParserTest, CopyTo) {
  auto table = ParseOne("COPY t TO 'out.csv' (HEADER)");
  EXPECT_FALSE(table->As<CopyStatement>().is_from);
  EXPECT_EQ(table->As<CopyStatement>().query, nullptr);
  auto query = ParseOne("COPY (SELECT * FROM t WHERE a > 1) TO 'out.parquet' (FORMAT parquet)");
  const auto& copy = query->As<CopyStatement>();
  EXPECT_FALSE(copy.is_from);
  EXPECT_TRUE(copy.table.empty());
  ASSERT_NE(copy.query, nullptr);
  EXPECT_EQ(copy.path, "out.parquet");
  EXPECT_EQ(copy.options[0].value->text, "parquet");
  EXPECT_EQ(ParseError("COPY (SELECT 1) FROM 'x'").position, 16);
}

TEST(ParserTest, ShowAndSet) {
  auto tables = ParseOne("SHOW TABLES");
  EXPECT_EQ(tables->As<ShowStatement>().show_kind, ShowKind::kTables);
  EXPECT_EQ(tables->As<ShowStatement>().schema, "");
  EXPECT_EQ(ParseOne("SHOW TABLES FROM Sales")->As<ShowStatement>().schema, "sales");
  EXPECT_EQ(ParseOne("SHOW SCHEMAS")->As<ShowStatement>().show_kind, ShowKind::kSchemas);
  auto setting = ParseOne("SHOW search_path");
  EXPECT_EQ(setting->As<ShowStatement>().show_kind, ShowKind::kSetting);
  EXPECT_EQ(setting->As<ShowStatement>().name, "search_path");
  EXPECT_EQ(ParseOne("SHOW ALL")->As<ShowStatement>().name, "all");
  auto stats = ParseOne("SHOW STATS s.T");
  EXPECT_EQ(stats->As<ShowStatement>().show_kind, ShowKind::kStats);
  EXPECT_EQ(stats->As<ShowStatement>().table.schema, "s");
  EXPECT_EQ(stats->As<ShowStatement>().table.name, "t");
  EXPECT_EQ(stats->As<ShowStatement>().table.position, 11);
  EXPECT_EQ(ParseOne("SHOW COLUMN STATS t")->As<ShowStatement>().table.name, "t");
  EXPECT_EQ(ParseOne("SHOW stats")->As<ShowStatement>().show_kind, ShowKind::kSetting);

  auto set = ParseOne("SET threads = 4");
  EXPECT_EQ(set->As<SetStatement>().name, "threads");
  EXPECT_EQ(set->As<SetStatement>().value->constant_kind, ConstantKind::kInteger);
  EXPECT_EQ(set->As<SetStatement>().value->text, "4");
  auto to = ParseOne("SET memory_limit TO '1GB'");
  EXPECT_EQ(to->As<SetStatement>().value->text, "1GB");
  auto word = ParseOne("SET search_path = Main");
  EXPECT_EQ(word->As<SetStatement>().value->constant_kind, ConstantKind::kString);
  EXPECT_EQ(word->As<SetStatement>().value->text, "main");
  EXPECT_EQ(ParseOne("SET search_path = a, b")->As<SetStatement>().value->text, "a, b");
  EXPECT_EQ(ParseOne("SET x = -1")->As<SetStatement>().value->text, "-1");
  EXPECT_TRUE(ParseOne("SET enable_x = true")->As<SetStatement>().value->bool_value);
  auto zone = ParseOne("SET TIME ZONE 'UTC'");
  EXPECT_EQ(zone->As<SetStatement>().name, "timezone");
  EXPECT_EQ(zone->As<SetStatement>().value->text, "UTC");
  EXPECT_EQ(ParseOne("SET x TO DEFAULT")->As<SetStatement>().value, nullptr);
  auto reset = ParseOne("RESET threads");
  EXPECT_EQ(reset->As<SetStatement>().name, "threads");
  EXPECT_EQ(reset->As<SetStatement>().value, nullptr);
  EXPECT_EQ(ParseOne("SET SESSION a.b = 1")->As<SetStatement>().name, "a.b");
}

TEST(ParserTest, DescribeAndAnalyze) {
  auto describe = ParseOne("DESCRIBE s.t");
  EXPECT_EQ(describe->As<DescribeStatement>().table.ToString(), "s.t");
  EXPECT_EQ(describe->As<DescribeStatement>().query, nullptr);
  EXPECT_EQ(ParseOne("DESC t")->As<DescribeStatement>().table.name, "t");
  EXPECT_EQ(ParseOne("DESCRIBE TABLE t")->As<DescribeStatement>().table.name, "t");
  auto query = ParseOne("DESCRIBE SELECT 1 AS x");
  EXPECT_TRUE(query->As<DescribeStatement>().table.empty());
  EXPECT_NE(query->As<DescribeStatement>().query, nullptr);

  auto analyze = ParseOne("ANALYZE lineitem");
  EXPECT_EQ(analyze->kind, StatementKind::kAnalyze);
  EXPECT_EQ(analyze->As<AnalyzeStatement>().table.name, "lineitem");
  EXPECT_TRUE(ParseOne("ANALYZE")->As<AnalyzeStatement>().table.empty());
  EXPECT_EQ(ParseOne("COMPUTE STATS s.t")->As<AnalyzeStatement>().table.schema, "s");
}

TransactionKind KindOf(std::string_view sql) {
  auto statement = ParseOne(sql);
  EXPECT_EQ(statement->kind, StatementKind::kTransaction) << sql;
  return statement->As<TransactionStatement>().transaction_kind;
}

TEST(ParserTest, TransactionStatements) {
  for (const char* sql : {"BEGIN", "begin transaction", "BEGIN WORK", "START TRANSACTION",
                          "BEGIN ISOLATION LEVEL READ COMMITTED",
                          "begin transaction isolation level repeatable read, read only",
                          "START TRANSACTION ISOLATION LEVEL SERIALIZABLE READ WRITE NOT DEFERRABLE",
                          "BEGIN READ ONLY, DEFERRABLE",
                          "BEGIN ISOLATION LEVEL READ UNCOMMITTED"}) {
    EXPECT_EQ(KindOf(sql), TransactionKind::kBegin) << sql;
  }
  for (const char* sql : {"COMMIT", "commit work", "COMMIT TRANSACTION", "END", "end transaction",
                          "COMMIT AND NO CHAIN"}) {
    EXPECT_EQ(KindOf(sql), TransactionKind::kCommit) << sql;
  }
  for (const char* sql : {"ROLLBACK", "rollback work", "ROLLBACK TRANSACTION", "ABORT",
                          "abort work", "ROLLBACK AND NO CHAIN"}) {
    EXPECT_EQ(KindOf(sql), TransactionKind::kRollback) << sql;
  }
  auto script = ParseSql("BEGIN; INSERT INTO t VALUES (1); COMMIT;");
  ASSERT_EQ(script.size(), 3u);
  EXPECT_EQ(script[0]->text, "BEGIN");
  EXPECT_EQ(script[2]->position, 33);

  EXPECT_EQ(ParseError("BEGIN ISOLATION LEVEL").code, sqlstate::kSyntaxError);
  EXPECT_EQ(ParseError("BEGIN ISOLATION LEVEL READ").position, 26);
  EXPECT_EQ(ParseError("BEGIN READ ONLY,").code, sqlstate::kSyntaxError);
  EXPECT_EQ(ParseError("START").code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(ParseError("COMMIT 1").position, 7);
  auto savepoint = ParseError("ROLLBACK TO SAVEPOINT s");
  EXPECT_EQ(savepoint.code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(savepoint.position, 9);
  EXPECT_EQ(ParseError("COMMIT AND CHAIN").code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(ParseError("SAVEPOINT s").code, sqlstate::kFeatureNotSupported);
}

TEST(ParserTest, UnsupportedStatements) {
  auto update = ParseError("SELECT 1; UPDATE t SET a = 1");
  EXPECT_EQ(update.code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(update.message, "UPDATE is not supported");
  EXPECT_EQ(update.position, 10);
  EXPECT_EQ(ParseError("DELETE FROM t").message, "DELETE is not supported");
  EXPECT_EQ(ParseError("alter table t add column b int").code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(ParseError("SELECT DISTINCT ON (a) a FROM t").code, sqlstate::kFeatureNotSupported);
}

TEST(ParserTest, SyntaxErrorPositions) {
  auto selec = ParseError("SELEC 1");
  EXPECT_EQ(selec.code, sqlstate::kSyntaxError);
  EXPECT_EQ(selec.message, "syntax error at or near \"SELEC\"");
  EXPECT_EQ(selec.position, 0);

  auto trailing = ParseError("SELECT 1 +");
  EXPECT_EQ(trailing.message, "syntax error at end of input");
  EXPECT_EQ(trailing.position, 10);

  auto where = ParseError("SELECT * FROM t WHERE");
  EXPECT_EQ(where.message, "syntax error at end of input");
  EXPECT_EQ(where.position, 21);

  auto paren = ParseError("SELECT (1");
  EXPECT_EQ(paren.message, "syntax error at end of input");
  EXPECT_EQ(paren.position, 9);

  auto string = ParseError("SELECT 'abc");
  EXPECT_EQ(string.code, sqlstate::kSyntaxError);
  EXPECT_EQ(string.message, "unterminated quoted string");
  EXPECT_EQ(string.position, 7);

  auto second = ParseError("SELECT 1;\nSELEC 2");
  EXPECT_EQ(second.position, 10);
  LineColumn at = OffsetToLineColumn("SELECT 1;\nSELEC 2", second.position);
  EXPECT_EQ(at.line, 2);
  EXPECT_EQ(at.column, 1);

  EXPECT_EQ(ParseError("SELECT 1 2").message, "syntax error at or near \"2\"");
  EXPECT_EQ(ParseError("SELECT FROM t").position, 7);
  EXPECT_EQ(ParseError("SELECT a, FROM t").position, 10);
  EXPECT_EQ(ParseError("SELECT * FROM t WHERE a = = 1").position, 26);
  EXPECT_EQ(ParseError("SELECT * FROM WHERE").message, "syntax error at or near \"WHERE\"");
  EXPECT_EQ(ParseError("SELECT 'it''s' 'x'").message, "syntax error at or near \"'x'\"");
  EXPECT_EQ(ParseError("SELECT * FROM t ORDER a").position, 16);
  EXPECT_EQ(ParseError("42").position, 0);
}

}  // namespace
}  // namespace basalt::sql
