// Expression parsing: precedence, literals, operators, special forms and
// nesting limits.
#include <gtest/gtest.h>
#include <pthread.h>

#include <functional>
#include <string>

#include "sql/parser.h"
#include "sql/parser_test_util.h"

namespace basalt::sql {
namespace {

using sql_test::Canonical;
using sql_test::ParseError;

TEST(ParserTest, ArithmeticPrecedence) {
  auto e = ParseSqlExpression("1+2*3");
  ASSERT_TRUE(e->Is<BinaryExpression>());
  const auto& add = e->As<BinaryExpression>();
  EXPECT_EQ(add.op, BinaryOperator::kAdd);
  EXPECT_EQ(add.left->As<ConstantExpression>().text, "1");
  const auto& mul = add.right->As<BinaryExpression>();
  EXPECT_EQ(mul.op, BinaryOperator::kMultiply);
  EXPECT_EQ(mul.position, 2);
  EXPECT_EQ(e->ToString(), "1 + 2 * 3");
  EXPECT_EQ(Canonical("(1+2)*3"), "(1 + 2) * 3");
  EXPECT_EQ(Canonical("a - b - c"), "a - b - c");
  EXPECT_EQ(Canonical("a - (b - c)"), "a - (b - c)");
  EXPECT_EQ(Canonical("a / b % c * d"), "a / b % c * d");
  EXPECT_EQ(Canonical("a || b || 'c'"), "a || b || 'c'");
  EXPECT_EQ(Canonical("a + b || c"), "a + b || c");
  EXPECT_EQ(Canonical("a || (b + c)"), "a || b + c");
}

TEST(ParserTest, BinaryPositionIsItsFirstToken) {
  auto e = ParseSqlExpression("(a + b) * c");
  EXPECT_EQ(e->position, 0);
  EXPECT_EQ(e->As<BinaryExpression>().left->position, 1);
}

TEST(ParserTest, LeftAssociativeChain) {
  auto e = ParseSqlExpression("a - b - c");
  const auto& outer = e->As<BinaryExpression>();
  ASSERT_TRUE(outer.left->Is<BinaryExpression>());
  EXPECT_EQ(outer.right->As<ColumnRefExpression>().column_name(), "c");
}

TEST(ParserTest, NotBindsLooserThanComparison) {
  auto e = ParseSqlExpression("NOT a = b");
  const auto& unary = e->As<UnaryExpression>();
  EXPECT_EQ(unary.op, UnaryOperator::kNot);
  EXPECT_TRUE(unary.child->Is<ComparisonExpression>());
  EXPECT_EQ(e->ToString(), "NOT a = b");
  EXPECT_EQ(Canonical("NOT a AND b"), "NOT a AND b");
  EXPECT_EQ(Canonical("NOT (a AND b)"), "NOT (a AND b)");
}

TEST(ParserTest, AndBindsTighterThanOr) {
  auto e = ParseSqlExpression("a OR b AND c");
  const auto& disjunction = e->As<ConjunctionExpression>();
  EXPECT_EQ(disjunction.op, ConjunctionOperator::kOr);
  ASSERT_EQ(disjunction.children.size(), 2u);
  const auto& conjunction = disjunction.children[1]->As<ConjunctionExpression>();
  EXPECT_EQ(conjunction.op, ConjunctionOperator::kAnd);
  EXPECT_EQ(conjunction.children.size(), 2u);
  EXPECT_EQ(Canonical("(a OR b) AND c"), "(a OR b) AND c");
  EXPECT_EQ(Canonical("a AND b OR c AND d OR e"), "a AND b OR c AND d OR e");
}

TEST(ParserTest, ConjunctionsAreFlattened) {
  auto e = ParseSqlExpression("a AND (b AND c) AND d");
  EXPECT_EQ(e->As<ConjunctionExpression>().children.size(), 4u);
  auto f = ParseSqlExpression("x = 1 OR y = 2 OR z = 3");
  EXPECT_EQ(f->As<ConjunctionExpression>().children.size(), 3u);
}

TEST(ParserTest, UnaryMinusAndCast) {
  auto e = ParseSqlExpression("-x::int");
  const auto& minus = e->As<UnaryExpression>();
  EXPECT_EQ(minus.op, UnaryOperator::kMinus);
  const auto& cast = minus.child->As<CastExpression>();
  EXPECT_EQ(cast.target.type.id(), TypeId::kInteger);
  EXPECT_EQ(e->ToString(), "-CAST(x AS INTEGER)");
  EXPECT_EQ(Canonical("-a * b"), "-a * b");
  EXPECT_EQ(Canonical("-(a * b)"), "-(a * b)");
  EXPECT_EQ(Canonical("+a"), "+a");
}

TEST(ParserTest, NegativeLiteralsAreFolded) {
  auto e = ParseSqlExpression("-5");
  ASSERT_TRUE(e->Is<ConstantExpression>());
  EXPECT_EQ(e->As<ConstantExpression>().text, "-5");
  EXPECT_EQ(e->position, 0);
  EXPECT_EQ(ParseSqlExpression("-9223372036854775808")->As<ConstantExpression>().text,
            "-9223372036854775808");
  EXPECT_EQ(ParseSqlExpression("- 1.5")->As<ConstantExpression>().text, "-1.5");
  EXPECT_EQ(ParseSqlExpression("+7")->As<ConstantExpression>().text, "7");
  // -2 * 3 is (-2) * 3; - -1 keeps one unary minus.
  EXPECT_EQ(Canonical("-2 * 3"), "-2 * 3");
  auto double_minus = ParseSqlExpression("- -1");
  EXPECT_TRUE(double_minus->Is<UnaryExpression>());
  EXPECT_EQ(double_minus->ToString(), "-(-1)");
  EXPECT_EQ(Canonical("2 - -1"), "2 - -1");
}

TEST(ParserTest, Constants) {
  auto big = ParseSqlExpression("123456789012345678901234567890");
  EXPECT_EQ(big->As<ConstantExpression>().constant_kind, ConstantKind::kInteger);
  EXPECT_EQ(big->As<ConstantExpression>().text, "123456789012345678901234567890");
  EXPECT_EQ(ParseSqlExpression("1.50")->As<ConstantExpression>().constant_kind,
            ConstantKind::kDecimal);
  EXPECT_EQ(ParseSqlExpression("1.50")->As<ConstantExpression>().text, "1.50");
  EXPECT_EQ(ParseSqlExpression("1e10")->As<ConstantExpression>().constant_kind,
            ConstantKind::kFloat);
  auto s = ParseSqlExpression("'it''s'");
  EXPECT_EQ(s->As<ConstantExpression>().constant_kind, ConstantKind::kString);
  EXPECT_EQ(s->As<ConstantExpression>().text, "it's");
  EXPECT_EQ(s->ToString(), "'it''s'");
  auto t = ParseSqlExpression("TRUE");
  EXPECT_EQ(t->As<ConstantExpression>().constant_kind, ConstantKind::kBoolean);
  EXPECT_TRUE(t->As<ConstantExpression>().bool_value);
  EXPECT_FALSE(ParseSqlExpression("false")->As<ConstantExpression>().bool_value);
  EXPECT_EQ(ParseSqlExpression("null")->As<ConstantExpression>().constant_kind,
            ConstantKind::kNull);
  EXPECT_EQ(Canonical("NULL"), "NULL");
}

TEST(ParserTest, ColumnReferences) {
  auto a = ParseSqlExpression("A");
  EXPECT_EQ(a->As<ColumnRefExpression>().names, std::vector<std::string>({"a"}));
  auto qualified = ParseSqlExpression("S.T.a");
  EXPECT_EQ(qualified->As<ColumnRefExpression>().names, std::vector<std::string>({"s", "t", "a"}));
  auto quoted = ParseSqlExpression("\"MyTable\".\"Col\"");
  EXPECT_EQ(quoted->As<ColumnRefExpression>().names, std::vector<std::string>({"MyTable", "Col"}));
  EXPECT_EQ(quoted->ToString(), "\"MyTable\".\"Col\"");
  // Non-reserved keywords remain usable as names.
  EXPECT_EQ(Canonical("year + date + value"), "year + date + value");
  // After '.', any word is a name.
  EXPECT_EQ(ParseSqlExpression("t.from")->As<ColumnRefExpression>().column_name(), "from");
  EXPECT_EQ(Canonical("\"select\""), "\"select\"");
}

TEST(ParserTest, Parameters) {
  auto e = ParseSqlExpression("$1 + $12");
  const auto& add = e->As<BinaryExpression>();
  EXPECT_EQ(add.left->As<ParameterExpression>().index, 1);
  EXPECT_EQ(add.right->As<ParameterExpression>().index, 12);
  EXPECT_EQ(e->ToString(), "$1 + $12");
  auto error = ParseError("SELECT $0");
  EXPECT_EQ(error.code, "42P02");
  EXPECT_EQ(error.position, 7);
}

TEST(ParserTest, Comparisons) {
  auto e = ParseSqlExpression("a != b");
  EXPECT_EQ(e->As<ComparisonExpression>().op, ComparisonOperator::kNotEqual);
  EXPECT_EQ(e->ToString(), "a <> b");
  EXPECT_EQ(Canonical("a<=b"), "a <= b");
  EXPECT_EQ(Canonical("a >= b + 1"), "a >= b + 1");
  EXPECT_EQ(Canonical("(a = b) = c"), "(a = b) = c");
  auto error = ParseError("SELECT a = b = c");
  EXPECT_EQ(error.code, sqlstate::kSyntaxError);
  EXPECT_EQ(error.position, 13);
}

TEST(ParserTest, IsPredicates) {
  auto e = ParseSqlExpression("x IS NOT NULL");
  EXPECT_TRUE(e->As<IsNullExpression>().negated);
  EXPECT_FALSE(ParseSqlExpression("x IS NULL")->As<IsNullExpression>().negated);
  EXPECT_FALSE(ParseSqlExpression("x ISNULL")->As<IsNullExpression>().negated);
  EXPECT_TRUE(ParseSqlExpression("x NOTNULL")->As<IsNullExpression>().negated);
  auto b = ParseSqlExpression("x IS NOT FALSE");
  EXPECT_FALSE(b->As<IsBoolExpression>().value);
  EXPECT_TRUE(b->As<IsBoolExpression>().negated);
  EXPECT_EQ(b->ToString(), "x IS NOT FALSE");
  auto d = ParseSqlExpression("x IS NOT DISTINCT FROM y + 1");
  EXPECT_TRUE(d->As<IsDistinctExpression>().negated);
  EXPECT_TRUE(d->As<IsDistinctExpression>().right->Is<BinaryExpression>());
  EXPECT_EQ(Canonical("x IS DISTINCT FROM y"), "x IS DISTINCT FROM y");
  // IS binds looser than comparison.
  auto c = ParseSqlExpression("a = b IS NULL");
  EXPECT_TRUE(c->As<IsNullExpression>().child->Is<ComparisonExpression>());
  EXPECT_EQ(c->ToString(), "a = b IS NULL");
}

TEST(ParserTest, Between) {
  auto e = ParseSqlExpression("a BETWEEN 1 AND 2 AND b");
  const auto& conjunction = e->As<ConjunctionExpression>();
  ASSERT_EQ(conjunction.children.size(), 2u);
  const auto& between = conjunction.children[0]->As<BetweenExpression>();
  EXPECT_EQ(between.lower->As<ConstantExpression>().text, "1");
  EXPECT_EQ(between.upper->As<ConstantExpression>().text, "2");
  EXPECT_FALSE(between.negated);
  EXPECT_EQ(e->ToString(), "a BETWEEN 1 AND 2 AND b");
  auto n = ParseSqlExpression("a NOT BETWEEN b + 1 AND c * 2");
  EXPECT_TRUE(n->As<BetweenExpression>().negated);
  EXPECT_EQ(n->ToString(), "a NOT BETWEEN b + 1 AND c * 2");
}

TEST(ParserTest, Like) {
  auto e = ParseSqlExpression("name LIKE 'a!%%' ESCAPE '!'");
  const auto& like = e->As<LikeExpression>();
  EXPECT_FALSE(like.case_insensitive);
  EXPECT_FALSE(like.negated);
  EXPECT_EQ(like.escape->As<ConstantExpression>().text, "!");
  EXPECT_EQ(e->ToString(), "name LIKE 'a!%%' ESCAPE '!'");
  auto i = ParseSqlExpression("name NOT ILIKE '%x'");
  EXPECT_TRUE(i->As<LikeExpression>().case_insensitive);
  EXPECT_TRUE(i->As<LikeExpression>().negated);
  EXPECT_EQ(i->ToString(), "name NOT ILIKE '%x'");
  EXPECT_EQ(ParseError("SELECT a SIMILAR TO 'x'").code, sqlstate::kFeatureNotSupported);
}

TEST(ParserTest, InList) {
  auto e = ParseSqlExpression("a IN (1, 2, 3)");
  EXPECT_EQ(e->As<InListExpression>().list.size(), 3u);
  EXPECT_EQ(e->ToString(), "a IN (1, 2, 3)");
  auto n = ParseSqlExpression("a NOT IN ('x')");
  EXPECT_TRUE(n->As<InListExpression>().negated);
  EXPECT_EQ(n->ToString(), "a NOT IN ('x')");
  EXPECT_EQ(ParseError("SELECT a IN ()").position, 13);
}

TEST(ParserTest, Subqueries) {
  auto in = ParseSqlExpression("a NOT IN (SELECT x FROM t)");
  const auto& in_sub = in->As<SubqueryExpression>();
  EXPECT_EQ(in_sub.subquery_kind, SubqueryKind::kIn);
  EXPECT_TRUE(in_sub.negated);
  EXPECT_EQ(in_sub.left->As<ColumnRefExpression>().column_name(), "a");
  EXPECT_TRUE(in_sub.subquery->Is<SelectNode>());
  EXPECT_EQ(in->ToString(), "a NOT IN (SELECT x FROM t)");

  auto exists = ParseSqlExpression("EXISTS (SELECT 1)");
  EXPECT_EQ(exists->As<SubqueryExpression>().subquery_kind, SubqueryKind::kExists);
  EXPECT_FALSE(exists->As<SubqueryExpression>().negated);
  auto not_exists = ParseSqlExpression("NOT EXISTS (SELECT 1) AND b");
  const auto& first = not_exists->As<ConjunctionExpression>().children[0];
  EXPECT_EQ(first->As<SubqueryExpression>().subquery_kind, SubqueryKind::kExists);
  EXPECT_TRUE(first->As<SubqueryExpression>().negated);
  EXPECT_EQ(first->position, 0);
  EXPECT_EQ(not_exists->ToString(), "NOT EXISTS (SELECT 1) AND b");

  auto scalar = ParseSqlExpression("(SELECT max(x) FROM t) + 1");
  const auto& sub = scalar->As<BinaryExpression>().left->As<SubqueryExpression>();
  EXPECT_EQ(sub.subquery_kind, SubqueryKind::kScalar);
  EXPECT_EQ(scalar->ToString(), "(SELECT max(x) FROM t) + 1");

  auto any = ParseSqlExpression("x > ANY (SELECT y FROM t)");
  EXPECT_EQ(any->As<SubqueryExpression>().subquery_kind, SubqueryKind::kAny);
  EXPECT_EQ(any->As<SubqueryExpression>().comparison, ComparisonOperator::kGreater);
  EXPECT_EQ(any->ToString(), "x > ANY (SELECT y FROM t)");
  auto all = ParseSqlExpression("x <> ALL (SELECT y FROM t)");
  EXPECT_EQ(all->As<SubqueryExpression>().subquery_kind, SubqueryKind::kAll);
  EXPECT_EQ(ParseSqlExpression("x = SOME (SELECT 1)")->As<SubqueryExpression>().subquery_kind,
            SubqueryKind::kAny);
}

TEST(ParserTest, ParenthesizedSubqueryForms) {
  // A query in extra parentheses, and a set operation of parenthesised operands.
  auto nested = ParseSqlExpression("((SELECT 1))");
  EXPECT_EQ(nested->As<SubqueryExpression>().subquery_kind, SubqueryKind::kScalar);
  auto set = ParseSqlExpression("((SELECT 1) UNION (SELECT 2))");
  EXPECT_TRUE(set->As<SubqueryExpression>().subquery->Is<SetOperationNode>());
  auto in = ParseSqlExpression("x IN ((SELECT 1) UNION ALL (SELECT 2))");
  EXPECT_EQ(in->As<SubqueryExpression>().subquery_kind, SubqueryKind::kIn);
  EXPECT_TRUE(in->As<SubqueryExpression>().subquery->Is<SetOperationNode>());
  auto arithmetic = ParseSqlExpression("((SELECT 1) + 1)");
  EXPECT_TRUE(arithmetic->Is<BinaryExpression>());
  EXPECT_EQ(ParseError("SELECT (1, 2)").code, sqlstate::kFeatureNotSupported);
}

TEST(ParserTest, Case) {
  auto e = ParseSqlExpression("CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END");
  const auto& c = e->As<CaseExpression>();
  EXPECT_EQ(c.operand, nullptr);
  ASSERT_EQ(c.checks.size(), 2u);
  EXPECT_TRUE(c.checks[0].when->Is<ComparisonExpression>());
  EXPECT_EQ(c.else_result->As<ConstantExpression>().text, "zero");
  EXPECT_EQ(e->ToString(), "CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END");
  auto simple = ParseSqlExpression("case x when 1 then 'one' end");
  EXPECT_EQ(simple->As<CaseExpression>().operand->As<ColumnRefExpression>().column_name(), "x");
  EXPECT_EQ(simple->As<CaseExpression>().else_result, nullptr);
  EXPECT_EQ(ParseError("SELECT CASE END").position, 12);
}

TEST(ParserTest, CastAndTypeNames) {
  auto e = ParseSqlExpression("CAST(x AS DECIMAL(15,2))");
  const auto& cast = e->As<CastExpression>();
  EXPECT_EQ(cast.target.type, LogicalType::Decimal(15, 2));
  EXPECT_EQ(e->ToString(), "CAST(x AS DECIMAL(15,2))");
  auto type_of = [](const std::string& sql) {
    return ParseSqlExpression(sql)->As<CastExpression>().target;
  };
  EXPECT_EQ(type_of("x::numeric").type, LogicalType::Decimal(18, 3));
  EXPECT_EQ(type_of("x::decimal(10)").type, LogicalType::Decimal(10, 0));
  EXPECT_EQ(type_of("x::varchar(25)").type.id(), TypeId::kVarchar);
  EXPECT_EQ(type_of("x::varchar(25)").length, 25);
  EXPECT_EQ(type_of("x::varchar(25)").ToString(), "VARCHAR(25)");
  EXPECT_EQ(type_of("x::varchar").length, std::nullopt);
  EXPECT_EQ(type_of("x::char(1)").length, 1);
  EXPECT_EQ(type_of("x::character varying(5)").length, 5);
  EXPECT_EQ(type_of("CAST(x AS DOUBLE PRECISION)").type.id(), TypeId::kDouble);
  EXPECT_EQ(type_of("CAST(x AS timestamp without time zone)").type.id(), TypeId::kTimestamp);
  EXPECT_EQ(type_of("x::INT").type.id(), TypeId::kInteger);
  EXPECT_EQ(type_of("x::bigint").type.id(), TypeId::kBigint);
  EXPECT_EQ(type_of("x::text").type.id(), TypeId::kVarchar);
  EXPECT_EQ(type_of("x::date").type.id(), TypeId::kDate);
  EXPECT_EQ(type_of("x::boolean").type.id(), TypeId::kBoolean);
  EXPECT_EQ(type_of("x::int::bigint").type.id(), TypeId::kBigint);

  auto unknown = ParseError("SELECT CAST(1 AS foo)");
  EXPECT_EQ(unknown.code, "42704");
  EXPECT_EQ(unknown.message, "type \"foo\" does not exist");
  EXPECT_EQ(unknown.position, 17);
  auto precision = ParseError("SELECT 1::decimal(39,2)");
  EXPECT_EQ(precision.code, sqlstate::kInvalidParameterValue);
  EXPECT_EQ(precision.position, 18);
  EXPECT_EQ(ParseError("SELECT 1::decimal(5,6)").code, sqlstate::kInvalidParameterValue);
  EXPECT_EQ(ParseError("SELECT 1::varchar(0)").code, sqlstate::kInvalidParameterValue);
  EXPECT_EQ(ParseError("SELECT 1::int(4)").code, sqlstate::kSyntaxError);
  EXPECT_EQ(ParseError("SELECT 1::timestamp with time zone").code, sqlstate::kFeatureNotSupported);
}

TEST(ParserTest, TypedLiterals) {
  auto e = ParseSqlExpression("DATE '1998-12-01'");
  const auto& cast = e->As<CastExpression>();
  EXPECT_EQ(cast.target.type.id(), TypeId::kDate);
  EXPECT_EQ(cast.child->As<ConstantExpression>().constant_kind, ConstantKind::kString);
  EXPECT_EQ(cast.child->As<ConstantExpression>().text, "1998-12-01");
  EXPECT_EQ(cast.child->position, 5);
  EXPECT_EQ(e->ToString(), "CAST('1998-12-01' AS DATE)");
  auto ts = ParseSqlExpression("timestamp '2020-01-01 10:00:00'");
  EXPECT_EQ(ts->As<CastExpression>().target.type.id(), TypeId::kTimestamp);
  // A column named date is still a column.
  EXPECT_TRUE(ParseSqlExpression("date + 1")->Is<BinaryExpression>());
}

TEST(ParserTest, IntervalLiterals) {
  auto unit_of = [](const std::string& sql) {
    return ParseSqlExpression(sql)->As<IntervalExpression>().unit;
  };
  auto day = ParseSqlExpression("INTERVAL '90' DAY");
  EXPECT_EQ(day->As<IntervalExpression>().value, "90");
  EXPECT_EQ(day->As<IntervalExpression>().unit, IntervalUnit::kDay);
  EXPECT_EQ(day->ToString(), "INTERVAL '90' DAY");
  EXPECT_EQ(unit_of("interval '90' day (3)"), IntervalUnit::kDay);
  EXPECT_EQ(unit_of("interval '3' month"), IntervalUnit::kMonth);
  EXPECT_EQ(unit_of("interval '1' year"), IntervalUnit::kYear);
  EXPECT_EQ(unit_of("interval '2' hours"), IntervalUnit::kHour);
  EXPECT_EQ(unit_of("interval '2' minute"), IntervalUnit::kMinute);
  EXPECT_EQ(unit_of("interval '2' second"), IntervalUnit::kSecond);
  EXPECT_EQ(unit_of("INTERVAL 3 DAYS"), IntervalUnit::kDay);
  auto free_form = ParseSqlExpression("INTERVAL '1 day 2 hours'");
  EXPECT_EQ(free_form->As<IntervalExpression>().unit, std::nullopt);
  EXPECT_EQ(free_form->As<IntervalExpression>().value, "1 day 2 hours");
  auto range = ParseError("SELECT INTERVAL '1-2' YEAR TO MONTH");
  EXPECT_EQ(range.code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(range.position, 27);
}

TEST(ParserTest, TpchDateArithmetic) {
  auto e = ParseSqlExpression("date '1998-12-01' - interval '90' day (3)");
  const auto& sub = e->As<BinaryExpression>();
  EXPECT_EQ(sub.op, BinaryOperator::kSubtract);
  EXPECT_TRUE(sub.left->Is<CastExpression>());
  EXPECT_EQ(sub.right->As<IntervalExpression>().value, "90");
  EXPECT_EQ(e->ToString(), "CAST('1998-12-01' AS DATE) - INTERVAL '90' DAY");

  auto range = ParseSqlExpression(
      "l_shipdate >= date '1994-01-01' and l_shipdate < date '1994-01-01' + interval '1' year");
  const auto& conjunction = range->As<ConjunctionExpression>();
  ASSERT_EQ(conjunction.children.size(), 2u);
  const auto& upper = conjunction.children[1]->As<ComparisonExpression>();
  EXPECT_EQ(upper.op, ComparisonOperator::kLess);
  EXPECT_EQ(upper.right->As<BinaryExpression>().op, BinaryOperator::kAdd);
}

TEST(ParserTest, FunctionCalls) {
  auto count = ParseSqlExpression("COUNT(*)");
  EXPECT_EQ(count->As<FunctionCallExpression>().name, "count");
  EXPECT_TRUE(count->As<FunctionCallExpression>().is_star);
  EXPECT_TRUE(count->As<FunctionCallExpression>().args.empty());
  EXPECT_EQ(count->ToString(), "count(*)");
  EXPECT_EQ(Canonical("sum(l_quantity)"), "sum(l_quantity)");
  auto distinct = ParseSqlExpression("count(DISTINCT x)");
  EXPECT_TRUE(distinct->As<FunctionCallExpression>().distinct);
  EXPECT_EQ(distinct->ToString(), "count(DISTINCT x)");
  EXPECT_EQ(Canonical("coalesce(a, b, 0)"), "coalesce(a, b, 0)");
  EXPECT_EQ(Canonical("now()"), "now()");
  auto qualified = ParseSqlExpression("Main.My_Func(1)");
  EXPECT_EQ(qualified->As<FunctionCallExpression>().schema, "main");
  EXPECT_EQ(qualified->As<FunctionCallExpression>().name, "my_func");
  EXPECT_EQ(Canonical("left(s, 2) || right(s, 1)"), "left(s, 2) || right(s, 1)");
  auto filtered = ParseSqlExpression("sum(x) FILTER (WHERE x > 0)");
  EXPECT_TRUE(filtered->As<FunctionCallExpression>().filter->Is<ComparisonExpression>());
  EXPECT_EQ(filtered->ToString(), "sum(x) FILTER (WHERE x > 0)");
  auto ordered = ParseSqlExpression("string_agg(x, ',' ORDER BY y DESC)");
  ASSERT_EQ(ordered->As<FunctionCallExpression>().order_by.size(), 1u);
  EXPECT_EQ(ordered->ToString(), "string_agg(x, ',' ORDER BY y DESC)");
  auto named = ParseSqlExpression("f(1, sep => '|', header => true)");
  const auto& call = named->As<FunctionCallExpression>();
  ASSERT_EQ(call.named_args.size(), 2u);
  EXPECT_EQ(call.named_args[0].name, "sep");
  EXPECT_EQ(call.named_args[1].value->ToString(), "TRUE");
  EXPECT_EQ(named->ToString(), "f(1, sep => '|', header => TRUE)");
  EXPECT_EQ(ParseError("SELECT f(a => 1, 2)").message,
            "positional argument cannot follow named argument");
}

TEST(ParserTest, WindowFunctions) {
  auto e = ParseSqlExpression(
      "sum(x) OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST "
      "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)");
  const auto& window = *e->As<FunctionCallExpression>().window;
  EXPECT_EQ(window.partition_by.size(), 2u);
  ASSERT_EQ(window.order_by.size(), 1u);
  EXPECT_EQ(window.order_by[0].order, OrderType::kDescending);
  EXPECT_EQ(window.order_by[0].nulls, NullsOrder::kLast);
  ASSERT_TRUE(window.frame.has_value());
  EXPECT_EQ(window.frame->unit, FrameUnit::kRows);
  EXPECT_EQ(window.frame->start.kind, FrameBoundKind::kUnboundedPreceding);
  EXPECT_EQ(window.frame->end.kind, FrameBoundKind::kCurrentRow);
  EXPECT_EQ(e->ToString(),
            "sum(x) OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)");

  auto rows =
      ParseSqlExpression("avg(x) over (order by d rows between 2 preceding and 1 following)");
  const auto& frame = *rows->As<FunctionCallExpression>().window->frame;
  EXPECT_EQ(frame.start.kind, FrameBoundKind::kPreceding);
  EXPECT_EQ(frame.start.offset->ToString(), "2");
  EXPECT_EQ(frame.end.kind, FrameBoundKind::kFollowing);
  auto short_form = ParseSqlExpression("sum(x) OVER (ORDER BY d RANGE 3 PRECEDING)");
  const auto& short_frame = *short_form->As<FunctionCallExpression>().window->frame;
  EXPECT_EQ(short_frame.unit, FrameUnit::kRange);
  EXPECT_EQ(short_frame.end.kind, FrameBoundKind::kCurrentRow);
  auto plain = ParseSqlExpression("row_number() OVER ()");
  EXPECT_NE(plain->As<FunctionCallExpression>().window, nullptr);
  EXPECT_FALSE(plain->As<FunctionCallExpression>().window->frame.has_value());
  EXPECT_EQ(plain->ToString(), "row_number() OVER ()");
  auto rank = ParseSqlExpression("rank() OVER (PARTITION BY a ORDER BY b)");
  EXPECT_FALSE(rank->As<FunctionCallExpression>().window->frame.has_value());
  EXPECT_EQ(
      ParseError("SELECT sum(x) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW)").code,
      "42P20");
  EXPECT_EQ(ParseError("SELECT sum(x) OVER w").code, sqlstate::kFeatureNotSupported);
}

TEST(ParserTest, SpecialFunctionSyntax) {
  auto extract = ParseSqlExpression("extract(YEAR from o_orderdate)");
  const auto& e = extract->As<FunctionCallExpression>();
  EXPECT_EQ(e.name, "extract");
  ASSERT_EQ(e.args.size(), 2u);
  EXPECT_EQ(e.args[0]->As<ConstantExpression>().text, "year");
  EXPECT_EQ(e.args[1]->As<ColumnRefExpression>().column_name(), "o_orderdate");
  EXPECT_EQ(extract->ToString(), "extract('year', o_orderdate)");
  // The printed form reads back to the same call.
  EXPECT_EQ(Canonical(extract->ToString()), extract->ToString());

  auto substring = ParseSqlExpression("substring(c_phone from 1 for 2)");
  EXPECT_EQ(substring->As<FunctionCallExpression>().args.size(), 3u);
  EXPECT_EQ(substring->ToString(), "substring(c_phone, 1, 2)");
  EXPECT_EQ(Canonical("substring(s from 3)"), "substring(s, 3)");
  EXPECT_EQ(Canonical("substring(s for 3)"), "substring(s, 1, 3)");
  EXPECT_EQ(Canonical("substring(s, 1, 2)"), "substring(s, 1, 2)");

  EXPECT_EQ(Canonical("position('x' in s)"), "position('x', s)");
  EXPECT_EQ(Canonical("position('x', s)"), "position('x', s)");

  EXPECT_EQ(Canonical("trim(s)"), "trim(s)");
  EXPECT_EQ(Canonical("trim(both 'x' from s)"), "trim(s, 'x')");
  EXPECT_EQ(Canonical("trim(leading from s)"), "ltrim(s)");
  EXPECT_EQ(Canonical("trim(trailing ' ' from s)"), "rtrim(s, ' ')");
  EXPECT_EQ(Canonical("trim(s, 'x')"), "trim(s, 'x')");

  auto today = ParseSqlExpression("CURRENT_DATE");
  EXPECT_EQ(today->As<FunctionCallExpression>().name, "current_date");
  EXPECT_TRUE(today->As<FunctionCallExpression>().args.empty());
  EXPECT_EQ(today->ToString(), "current_date");
  EXPECT_EQ(Canonical("current_timestamp"), "current_timestamp");
  EXPECT_EQ(Canonical("nullif(a, 0) + greatest(a, b) - least(a, b)"),
            "nullif(a, 0) + greatest(a, b) - least(a, b)");
}

TEST(ParserTest, ExpressionRoundTrip) {
  const char* cases[] = {
      "a + b * c - d / (e - f)",
      "NOT (a OR b) AND c IS NOT NULL",
      "x BETWEEN 1 AND 10 OR y NOT LIKE 'a%'",
      "CASE WHEN a THEN 1 ELSE 2 END * 3",
      "CAST(a AS DECIMAL(12,2)) + 1",
      "count(DISTINCT a) FILTER (WHERE b) OVER (PARTITION BY c ORDER BY d)",
      "a IN (SELECT b FROM t WHERE c = a) AND EXISTS (SELECT 1 FROM u)",
      "\"Mixed Case\" || 'it''s'",
      "-(-1)",
      "- - a",
      "(a = b) IS TRUE",
      "a NOT IN (1, 2) AND b IS DISTINCT FROM c",
  };
  for (const char* sql : cases) {
    std::string once = Canonical(sql);
    EXPECT_EQ(Canonical(once), once) << sql;
  }
}

TEST(ParserTest, ExpressionCopyIsDeep) {
  auto original = ParseSqlExpression(
      "CASE WHEN a IN (1, 2) THEN sum(b) OVER (ORDER BY c ROWS 2 PRECEDING) "
      "ELSE (SELECT max(x) FROM t) END");
  auto copy = original->Copy();
  EXPECT_EQ(copy->ToString(), original->ToString());
  EXPECT_EQ(copy->position, original->position);
  EXPECT_NE(copy.get(), original.get());
  const auto& a = original->As<CaseExpression>();
  const auto& b = copy->As<CaseExpression>();
  EXPECT_NE(a.checks[0].when.get(), b.checks[0].when.get());
  EXPECT_NE(a.else_result->As<SubqueryExpression>().subquery.get(),
            b.else_result->As<SubqueryExpression>().subquery.get());
}

// --- Nesting limits --------------------------------------------------------------------

std::string Repeat(std::string_view text, int n) {
  std::string out;
  out.reserve(text.size() * n);
  for (int i = 0; i < n; ++i) out += text;
  return out;
}

TEST(ParserTest, DeepParenthesesFailCleanly) {
  std::string sql = "SELECT " + Repeat("(", 100000) + "1" + Repeat(")", 100000);
  auto error = ParseError(sql);
  EXPECT_EQ(error.code, sqlstate::kProgramLimitExceeded);
  EXPECT_EQ(error.message, "statement is too deeply nested");
  EXPECT_GT(error.position, 7);
  // Unbalanced input fails on depth before it could fail on the missing ')'.
  EXPECT_EQ(ParseError("SELECT " + Repeat("(", 100000)).code, sqlstate::kProgramLimitExceeded);
  EXPECT_EQ(ParseError(Repeat("(", 100000)).code, sqlstate::kProgramLimitExceeded);
  EXPECT_EQ(ParseError("SELECT * FROM " + Repeat("(", 100000)).code,
            sqlstate::kProgramLimitExceeded);
}

TEST(ParserTest, DeepPrefixOperatorsFailCleanly) {
  EXPECT_EQ(ParseError("SELECT " + Repeat("NOT ", 100000) + "TRUE").code,
            sqlstate::kProgramLimitExceeded);
  EXPECT_EQ(ParseError("SELECT " + Repeat("- ", 100000) + "1").code,
            sqlstate::kProgramLimitExceeded);
}

TEST(ParserTest, DeepSubqueriesFailCleanly) {
  std::string sql = Repeat("SELECT (", 5000) + "1" + Repeat(")", 5000);
  EXPECT_EQ(ParseError(sql).code, sqlstate::kProgramLimitExceeded);
  std::string from = Repeat("SELECT * FROM (", 5000) + "SELECT 1" + Repeat(") t", 5000);
  EXPECT_EQ(ParseError(from).code, sqlstate::kProgramLimitExceeded);
}

TEST(ParserTest, DeepPostfixChainsFailCleanly) {
  EXPECT_EQ(ParseError("SELECT 1" + Repeat("::int", 100000)).code, sqlstate::kProgramLimitExceeded);
  EXPECT_EQ(ParseError("SELECT 1" + Repeat(" IS NULL", 100000)).code,
            sqlstate::kProgramLimitExceeded);
  EXPECT_EQ(ParseError("SELECT 1" + Repeat(" IS NULL + 1", 100000)).code,
            sqlstate::kProgramLimitExceeded);
  EXPECT_TRUE(ParseSqlExpression("1" + Repeat("::int", 500))->Is<CastExpression>());
}

// Runs `body` on a new thread whose stack is `stack_bytes` long.
void RunOnThreadWithStack(size_t stack_bytes, std::function<void()> body) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, stack_bytes), 0);
  pthread_t thread;
  auto trampoline = [](void* arg) -> void* {
    (*static_cast<std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, trampoline, &body), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

TEST(ParserTest, DeepNestingOnSmallStackFailsCleanly) {
  // 490 nested scalar subqueries stay under the depth limit but need more
  // stack than a 384 KB thread has: the stack check must stop the parse.
  std::string sql = Repeat("SELECT (", 490) + "1" + Repeat(")", 490);
  sql_test::ErrorInfo error;
  RunOnThreadWithStack(384 * 1024, [&] { error = ParseError(sql); });
  EXPECT_EQ(error.code, sqlstate::kProgramLimitExceeded);
  EXPECT_EQ(error.message, "statement is too deeply nested");
}

TEST(ParserTest, ModeratelyNestedExpressionParses) {
  // 200 levels of 1+(1+(...)) is well within the limit.
  std::string sql = Repeat("1+(", 200) + "1" + Repeat(")", 200);
  auto e = ParseSqlExpression(sql);
  ASSERT_TRUE(e->Is<BinaryExpression>());
  std::string parens = Repeat("(", 900) + "x" + Repeat(")", 900);
  EXPECT_EQ(ParseSqlExpression(parens)->ToString(), "x");
}

TEST(ParserTest, LongChainsDoNotRecurse) {
  std::string sum = "1";
  for (int i = 0; i < 9999; ++i) sum += "+1";
  auto e = ParseSqlExpression(sum);
  // Left associative: the right operand of the top node is the last term.
  const auto& top = e->As<BinaryExpression>();
  EXPECT_TRUE(top.right->Is<ConstantExpression>());
  EXPECT_TRUE(top.left->Is<BinaryExpression>());

  // Printing and copying walk the chain without recursion.
  std::string text = e->ToString();
  EXPECT_EQ(text.size(), 1 + 9999 * 4u);
  EXPECT_EQ(text.substr(0, 9), "1 + 1 + 1");
  EXPECT_EQ(e->Copy()->ToString(), text);
  std::string mixed = "a";
  for (int i = 0; i < 10000; ++i) mixed += i % 2 ? " - b * c" : " + d";
  EXPECT_EQ(ParseSqlExpression(mixed)->ToString(), mixed);

  std::string conjunction = "a = 1";
  for (int i = 0; i < 9999; ++i) conjunction += " AND a = 1";
  auto c = ParseSqlExpression(conjunction);
  EXPECT_EQ(c->As<ConjunctionExpression>().children.size(), 10000u);

  std::string list = "x IN (0";
  for (int i = 1; i < 10000; ++i) list += "," + std::to_string(i);
  EXPECT_EQ(ParseSqlExpression(list + ")")->As<InListExpression>().list.size(), 10000u);
}

}  // namespace
}  // namespace basalt::sql
