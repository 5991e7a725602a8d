// The PostgreSQL syntax of catalog queries: regular expression matches,
// OPERATOR(pg_catalog.op), COLLATE, E'' strings, OID alias type names and
// the array forms (a[i], x = ANY (a), ARRAY(subquery), type[]).
#include <gtest/gtest.h>

#include "sql/lexer.h"
#include "sql/parser.h"
#include "sql/parser_test_util.h"

namespace basalt::sql {
namespace {

using sql_test::Canonical;
using sql_test::ParseError;

TEST(CatalogSyntaxTest, RegexOperatorsLexAsOneToken) {
  auto tokens = Tokenize("a !~* b ~ c !~ d ~* e");
  ASSERT_EQ(tokens.size(), 10u);
  EXPECT_EQ(tokens[1].text, "!~*");
  EXPECT_EQ(tokens[3].text, "~");
  EXPECT_EQ(tokens[5].text, "!~");
  EXPECT_EQ(tokens[7].text, "~*");
}

TEST(CatalogSyntaxTest, EscapeStrings) {
  auto tokens = Tokenize(R"(E'a\nb\t\\\'' e'\x41\101z')");
  ASSERT_EQ(tokens[0].type, TokenType::kString);
  EXPECT_EQ(tokens[0].text, "a\nb\t\\'");
  EXPECT_EQ(tokens[1].text, "AAz");
  // An identifier that merely starts with e is still an identifier.
  EXPECT_EQ(Tokenize("e1 'x'")[0].type, TokenType::kWord);
  EXPECT_EQ(ParseError("SELECT E'abc").position, 7);
}

TEST(CatalogSyntaxTest, RegexMatchPrecedenceAndPrinting) {
  auto e = ParseSqlExpression("n !~* '^pg_'");
  ASSERT_TRUE(e->Is<LikeExpression>());
  const auto& m = e->As<LikeExpression>();
  EXPECT_TRUE(m.regex);
  EXPECT_TRUE(m.negated);
  EXPECT_TRUE(m.case_insensitive);
  EXPECT_EQ(e->ToString(), "n !~* '^pg_'");
  // Binds like ||: looser than +, tighter than = and AND.
  EXPECT_EQ(Canonical("a ~ b = c ~ d AND e !~ f"), "a ~ b = c ~ d AND e !~ f");
  EXPECT_EQ(Canonical("(a ~ b) ~ c"), "a ~ b ~ c");
  EXPECT_EQ(Canonical("a ~ (b ~ c)"), "a ~ (b ~ c)");
  EXPECT_EQ(Canonical("a || b ~ c"), "a || b ~ c");
  EXPECT_EQ(ParseSqlExpression("a + b ~ c")->As<LikeExpression>().input->ToString(), "a + b");
}

TEST(CatalogSyntaxTest, OperatorCallAndCollate) {
  auto e =
      ParseSqlExpression("c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default");
  ASSERT_TRUE(e->Is<LikeExpression>());
  EXPECT_EQ(e->ToString(), "c.relname ~ '^(t)$'");
  EXPECT_EQ(Canonical("a OPERATOR(pg_catalog.=) b"), "a = b");
  EXPECT_EQ(Canonical("1 OPERATOR(+) 2"), "1 + 2");
  EXPECT_EQ(Canonical("x COLLATE \"C\" < y"), "x < y");
  EXPECT_EQ(ParseError("SELECT 1 OPERATOR(other.+) 2").code, "42883");
  auto bad = ParseError("SELECT 'a' COLLATE \"fr_FR\"");
  EXPECT_EQ(bad.code, "42704");
  EXPECT_EQ(bad.position, 19);
}

TEST(CatalogSyntaxTest, OidAliasTypeNames) {
  auto e = ParseSqlExpression("'t'::pg_catalog.regclass");
  ASSERT_TRUE(e->Is<CastExpression>());
  EXPECT_EQ(e->As<CastExpression>().target.oid_alias, "regclass");
  EXPECT_EQ(ParseSqlExpression("x::regprocedure")->As<CastExpression>().target.oid_alias,
            "regproc");
  EXPECT_EQ(ParseSqlExpression("x::oid")->As<CastExpression>().target.type.id(), TypeId::kBigint);
  EXPECT_EQ(ParseSqlExpression("x::name")->As<CastExpression>().target.type.id(), TypeId::kVarchar);
  EXPECT_EQ(ParseSqlExpression("x::\"char\"")->As<CastExpression>().target.type.id(),
            TypeId::kVarchar);
  EXPECT_EQ(ParseSqlExpression("x::pg_catalog.int4")->As<CastExpression>().target.type.id(),
            TypeId::kInteger);
  EXPECT_EQ(Canonical("x::regclass::text"), "CAST(CAST(x AS regclass) AS VARCHAR)");
  EXPECT_EQ(ParseError("SELECT x::pg_catalog.nosuch").code, "42704");
}

TEST(CatalogSyntaxTest, ArrayForms) {
  EXPECT_EQ(Canonical("a[1]"), "array_subscript(a, 1)");
  EXPECT_EQ(Canonical("(current_schemas(true))[1]"), "array_subscript(current_schemas(TRUE), 1)");
  EXPECT_EQ(Canonical("oid = any (pol.polroles)"), "array_any_eq(oid, pol.polroles)");
  EXPECT_EQ(Canonical("x <> ALL (a)"), "array_all_ne(x, a)");
  EXPECT_EQ(Canonical("ARRAY(SELECT 1)"), "ARRAY(SELECT 1)");
  auto cast = ParseSqlExpression("p::pg_catalog.int2[]");
  EXPECT_EQ(cast->As<CastExpression>().target.type.id(), TypeId::kVarchar);
  EXPECT_EQ(ParseError("SELECT x < ANY (a)").code, "0A000");
  // A catalog function's composite result has no fields in Basalt ...
  EXPECT_EQ(ParseError("SELECT (information_schema._pg_expandarray(x)).n").code, "0A000");
  // ... while (s).f, l[i].f and a cast to a list type read Basalt's STRUCT and LIST values.
  EXPECT_EQ(Canonical("(f(x)).n"), "struct_extract(f(x), 'n')");
  EXPECT_EQ(Canonical("l[1].f"), "struct_extract(array_subscript(l, 1), 'f')");
  EXPECT_EQ(cast->As<CastExpression>().target.list_type.ToString(), "SMALLINT[]");
}

TEST(CatalogSyntaxTest, LongChainsAreBoundedNotRecursed) {
  std::string regex = "SELECT a";
  std::string subscript = "SELECT a";
  for (int i = 0; i < 100000; i++) {
    regex += " ~ 'x'";
    subscript += "[1]";
  }
  EXPECT_EQ(ParseError(regex).code, "54000");
  EXPECT_EQ(ParseError(subscript).code, "54000");
}

TEST(CatalogSyntaxTest, NiladicFunctions) {
  for (const char* name : {"current_user", "session_user", "current_schema", "current_catalog"}) {
    auto e = ParseSqlExpression(name);
    ASSERT_TRUE(e->Is<FunctionCallExpression>()) << name;
    EXPECT_TRUE(e->As<FunctionCallExpression>().args.empty());
  }
  EXPECT_EQ(Canonical("current_schema()"), "current_schema()");
}

}  // namespace
}  // namespace basalt::sql
