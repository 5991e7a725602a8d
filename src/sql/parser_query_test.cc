// Query parsing: SELECT clauses, FROM, GROUP BY, set operations, VALUES,
// WITH, ORDER BY / LIMIT, printing and copying of queries.
#include <gtest/gtest.h>

#include <string>

#include "sql/parser.h"
#include "sql/parser_test_util.h"

namespace basalt::sql {
namespace {

using sql_test::ParseError;
using sql_test::ParseQueryText;
using sql_test::ParseSelectText;

TEST(ParserTest, SelectListAndAliases) {
  auto select = ParseSelectText("SELECT a, b AS \"B\", c d, 1 + 2 AS three, t.*, * FROM t");
  ASSERT_EQ(select->select_list.size(), 6u);
  EXPECT_EQ(select->select_list[0].alias, "");
  EXPECT_EQ(select->select_list[1].alias, "B");
  EXPECT_EQ(select->select_list[2].alias, "d");
  EXPECT_EQ(select->select_list[3].alias, "three");
  EXPECT_EQ(select->select_list[4].expression->As<StarExpression>().relation, "t");
  EXPECT_EQ(select->select_list[5].expression->As<StarExpression>().relation, "");
  EXPECT_EQ(select->select_list[5].expression->position, 46);
  EXPECT_FALSE(select->distinct);
  // Any keyword may follow AS.
  EXPECT_EQ(ParseSelectText("SELECT 1 AS from")->select_list[0].alias, "from");
}

TEST(ParserTest, SelectDistinctWithoutFrom) {
  auto select = ParseSelectText("SELECT DISTINCT a");
  EXPECT_TRUE(select->distinct);
  EXPECT_EQ(select->from, nullptr);
  EXPECT_FALSE(ParseSelectText("SELECT ALL a")->distinct);
}

TEST(ParserTest, FromBaseTables) {
  auto select = ParseSelectText("SELECT * FROM s.t AS x(a, b)");
  const auto& table = select->from->As<BaseTableRef>();
  EXPECT_EQ(table.schema, "s");
  EXPECT_EQ(table.name, "t");
  EXPECT_EQ(table.alias, "x");
  EXPECT_EQ(table.column_aliases, std::vector<std::string>({"a", "b"}));
  EXPECT_EQ(table.position, 14);
  auto implicit = ParseSelectText("SELECT * FROM lineitem l WHERE l.a = 1");
  EXPECT_EQ(implicit->from->alias, "l");
  EXPECT_NE(implicit->where, nullptr);
}

TEST(ParserTest, CommaListIsCrossJoins) {
  auto select = ParseSelectText("SELECT * FROM a, b, c");
  const auto& outer = select->from->As<JoinRef>();
  EXPECT_EQ(outer.join_type, JoinType::kCross);
  EXPECT_EQ(outer.right->As<BaseTableRef>().name, "c");
  const auto& inner = outer.left->As<JoinRef>();
  EXPECT_EQ(inner.left->As<BaseTableRef>().name, "a");
  EXPECT_EQ(inner.right->As<BaseTableRef>().name, "b");
}

TEST(ParserTest, Joins) {
  auto select = ParseSelectText(
      "SELECT * FROM a JOIN b ON a.x = b.x LEFT OUTER JOIN c USING (y, z) "
      "RIGHT JOIN d ON true FULL JOIN e ON false CROSS JOIN f NATURAL JOIN g "
      "INNER JOIN h ON 1 = 1 NATURAL LEFT JOIN i");
  std::vector<const JoinRef*> joins;
  const TableRef* ref = select->from.get();
  while (ref->Is<JoinRef>()) {
    joins.insert(joins.begin(), &ref->As<JoinRef>());
    ref = ref->As<JoinRef>().left.get();
  }
  ASSERT_EQ(joins.size(), 8u);
  EXPECT_EQ(joins[0]->join_type, JoinType::kInner);
  EXPECT_TRUE(joins[0]->condition->Is<ComparisonExpression>());
  EXPECT_EQ(joins[1]->join_type, JoinType::kLeft);
  EXPECT_EQ(joins[1]->using_columns, std::vector<std::string>({"y", "z"}));
  EXPECT_EQ(joins[1]->condition, nullptr);
  EXPECT_EQ(joins[2]->join_type, JoinType::kRight);
  EXPECT_EQ(joins[3]->join_type, JoinType::kFull);
  EXPECT_EQ(joins[4]->join_type, JoinType::kCross);
  EXPECT_EQ(joins[4]->condition, nullptr);
  EXPECT_EQ(joins[5]->join_type, JoinType::kInner);
  EXPECT_TRUE(joins[5]->natural);
  EXPECT_EQ(joins[5]->condition, nullptr);
  EXPECT_EQ(joins[6]->join_type, JoinType::kInner);
  EXPECT_EQ(joins[7]->join_type, JoinType::kLeft);
  EXPECT_TRUE(joins[7]->natural);
  // A join needs its condition.
  EXPECT_EQ(ParseError("SELECT * FROM a JOIN b WHERE x").position, 23);
}

TEST(ParserTest, ParenthesizedJoin) {
  auto select = ParseSelectText("SELECT * FROM a LEFT JOIN (b JOIN c ON b.x = c.x) ON a.y = b.y");
  const auto& join = select->from->As<JoinRef>();
  EXPECT_EQ(join.join_type, JoinType::kLeft);
  EXPECT_TRUE(join.right->Is<JoinRef>());
  EXPECT_EQ(select->from->ToString(), "a LEFT JOIN (b JOIN c ON b.x = c.x) ON a.y = b.y");
  auto aliased = ParseSelectText("SELECT * FROM (a CROSS JOIN b) AS j");
  EXPECT_EQ(aliased->from->alias, "j");
}

TEST(ParserTest, SubqueryAndValuesInFrom) {
  auto select = ParseSelectText(
      "SELECT * FROM (SELECT 1 AS x) AS sub(y), (VALUES (1, 'a'), (2, 'b')) v(n, s)");
  const auto& cross = select->from->As<JoinRef>();
  const auto& sub = cross.left->As<SubqueryRef>();
  EXPECT_EQ(sub.alias, "sub");
  EXPECT_EQ(sub.column_aliases, std::vector<std::string>({"y"}));
  EXPECT_TRUE(sub.query->Is<SelectNode>());
  const auto& values = cross.right->As<SubqueryRef>();
  EXPECT_EQ(values.alias, "v");
  EXPECT_EQ(values.column_aliases, std::vector<std::string>({"n", "s"}));
  EXPECT_EQ(values.query->As<ValuesNode>().rows.size(), 2u);
  // Alias is optional; nested parentheses around a set operation are a query.
  auto bare = ParseSelectText("SELECT * FROM (SELECT 1)");
  EXPECT_EQ(bare->from->alias, "");
  auto set = ParseSelectText("SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u");
  EXPECT_TRUE(set->from->As<SubqueryRef>().query->Is<SetOperationNode>());
}

TEST(ParserTest, TableFunctionsAndPaths) {
  auto select =
      ParseSelectText("SELECT * FROM read_csv('data/*.csv', delim => '|', header => true) AS r");
  const auto& ref = select->from->As<TableFunctionRef>();
  EXPECT_FALSE(ref.is_path);
  EXPECT_EQ(ref.function->name, "read_csv");
  ASSERT_EQ(ref.function->args.size(), 1u);
  EXPECT_EQ(ref.function->args[0]->As<ConstantExpression>().text, "data/*.csv");
  ASSERT_EQ(ref.function->named_args.size(), 2u);
  EXPECT_EQ(ref.function->named_args[0].name, "delim");
  EXPECT_EQ(ref.function->named_args[1].value->As<ConstantExpression>().constant_kind,
            ConstantKind::kBoolean);
  EXPECT_EQ(ref.alias, "r");
  auto path = ParseSelectText("SELECT * FROM 'data/x.csv' x WHERE a > 1");
  const auto& path_ref = path->from->As<TableFunctionRef>();
  EXPECT_TRUE(path_ref.is_path);
  EXPECT_EQ(path_ref.path, "data/x.csv");
  EXPECT_EQ(path_ref.function, nullptr);
  EXPECT_EQ(path_ref.alias, "x");
  EXPECT_EQ(path->ToString(), "SELECT * FROM 'data/x.csv' AS x WHERE a > 1");
  EXPECT_EQ(ParseError("SELECT * FROM LATERAL (SELECT 1) t").code, sqlstate::kFeatureNotSupported);
}

TEST(ParserTest, GroupByAndHaving) {
  auto select = ParseSelectText("SELECT a, sum(b) FROM t GROUP BY a, t.c HAVING sum(b) > 1");
  const auto& group_by = select->group_by;
  EXPECT_TRUE(group_by.plain);
  ASSERT_EQ(group_by.expressions.size(), 2u);
  EXPECT_EQ(group_by.grouping_sets, (std::vector<std::vector<size_t>>{{0, 1}}));
  EXPECT_TRUE(select->having->Is<ComparisonExpression>());
  EXPECT_TRUE(ParseSelectText("SELECT 1 FROM t")->group_by.empty());
  // Duplicates collapse.
  auto duplicate = ParseSelectText("SELECT 1 FROM t GROUP BY a, A, 1");
  EXPECT_EQ(duplicate->group_by.expressions.size(), 2u);
}

TEST(ParserTest, GroupingSets) {
  using Sets = std::vector<std::vector<size_t>>;
  auto rollup = ParseSelectText("SELECT 1 FROM t GROUP BY ROLLUP (a, b)");
  EXPECT_FALSE(rollup->group_by.plain);
  EXPECT_EQ(rollup->group_by.expressions.size(), 2u);
  EXPECT_EQ(rollup->group_by.grouping_sets, (Sets{{0, 1}, {0}, {}}));

  auto cube = ParseSelectText("SELECT 1 FROM t GROUP BY CUBE (a, b)");
  EXPECT_EQ(cube->group_by.grouping_sets, (Sets{{0, 1}, {0}, {1}, {}}));

  auto sets = ParseSelectText("SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b), (a), ())");
  EXPECT_EQ(sets->group_by.grouping_sets, (Sets{{0, 1}, {0}, {}}));
  EXPECT_EQ(sets->group_by.ToString(), "GROUPING SETS ((a, b), (a), ())");

  auto product = ParseSelectText("SELECT 1 FROM t GROUP BY a, ROLLUP (b, c)");
  EXPECT_EQ(product->group_by.grouping_sets, (Sets{{0, 1, 2}, {0, 1}, {0}}));

  auto empty = ParseSelectText("SELECT count(*) FROM t GROUP BY ()");
  EXPECT_EQ(empty->group_by.grouping_sets, (Sets{{}}));
  EXPECT_FALSE(empty->group_by.empty());

  auto expression = ParseSelectText("SELECT 1 FROM t GROUP BY GROUPING SETS ((a + b) * 2, (c))");
  EXPECT_EQ(expression->group_by.expressions[0]->ToString(), "(a + b) * 2");
  EXPECT_EQ(expression->group_by.grouping_sets, (Sets{{0}, {1}}));

  std::string big_cube =
      "SELECT 1 FROM t GROUP BY CUBE (a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11,a12,a13)";
  EXPECT_EQ(ParseError(big_cube).code, sqlstate::kProgramLimitExceeded);
  std::string many =
      "SELECT 1 FROM t GROUP BY CUBE (a1,a2,a3,a4,a5,a6,a7), CUBE (b1,b2,b3,b4,b5,b6)";
  EXPECT_EQ(ParseError(many).code, sqlstate::kProgramLimitExceeded);
}

TEST(ParserTest, OrderByLimitOffset) {
  auto query = ParseQueryText(
      "SELECT a FROM t ORDER BY a DESC NULLS FIRST, b ASC, c NULLS LAST, d LIMIT 10 OFFSET 5");
  ASSERT_EQ(query->order_by.size(), 4u);
  EXPECT_EQ(query->order_by[0].order, OrderType::kDescending);
  EXPECT_EQ(query->order_by[0].nulls, NullsOrder::kFirst);
  EXPECT_EQ(query->order_by[1].order, OrderType::kAscending);
  EXPECT_EQ(query->order_by[1].nulls, NullsOrder::kUnspecified);
  EXPECT_EQ(query->order_by[2].nulls, NullsOrder::kLast);
  EXPECT_EQ(query->limit->ToString(), "10");
  EXPECT_EQ(query->offset->ToString(), "5");

  auto reversed = ParseQueryText("SELECT a FROM t OFFSET 2 ROWS LIMIT ALL");
  EXPECT_EQ(reversed->limit, nullptr);
  EXPECT_EQ(reversed->offset->ToString(), "2");
  auto fetch = ParseQueryText("SELECT a FROM t FETCH FIRST 3 ROWS ONLY");
  EXPECT_EQ(fetch->limit->ToString(), "3");
  auto fetch_one = ParseQueryText("SELECT a FROM t FETCH NEXT ROW ONLY");
  EXPECT_EQ(fetch_one->limit->ToString(), "1");
  EXPECT_EQ(ParseError("SELECT 1 LIMIT 1 LIMIT 2").message, "multiple LIMIT clauses not allowed");
  EXPECT_EQ(ParseError("(SELECT 1 ORDER BY 1) ORDER BY 1").message,
            "multiple ORDER BY clauses not allowed");
}

TEST(ParserTest, SetOperations) {
  auto query = ParseQueryText("SELECT 1 UNION ALL SELECT 2 UNION SELECT 3");
  const auto& outer = query->As<SetOperationNode>();
  EXPECT_EQ(outer.op, SetOperationType::kUnion);
  EXPECT_FALSE(outer.all);
  const auto& inner = outer.left->As<SetOperationNode>();
  EXPECT_TRUE(inner.all);

  // INTERSECT binds tighter than UNION and EXCEPT.
  auto mixed = ParseQueryText("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4");
  const auto& except = mixed->As<SetOperationNode>();
  EXPECT_EQ(except.op, SetOperationType::kExcept);
  const auto& union_node = except.left->As<SetOperationNode>();
  EXPECT_EQ(union_node.op, SetOperationType::kUnion);
  EXPECT_EQ(union_node.right->As<SetOperationNode>().op, SetOperationType::kIntersect);
  EXPECT_EQ(mixed->ToString(), "SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4");

  // ORDER BY / LIMIT after a set operation apply to all of it.
  auto ordered = ParseQueryText("SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 LIMIT 3");
  EXPECT_TRUE(ordered->Is<SetOperationNode>());
  EXPECT_EQ(ordered->order_by.size(), 1u);
  EXPECT_NE(ordered->limit, nullptr);
  EXPECT_TRUE(ordered->As<SetOperationNode>().right->order_by.empty());

  // Parenthesised operands keep their own modifiers.
  auto parenthesized = ParseQueryText("(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT 2)");
  const auto& left = parenthesized->As<SetOperationNode>().left;
  EXPECT_EQ(left->order_by.size(), 1u);
  EXPECT_NE(left->limit, nullptr);
  EXPECT_EQ(parenthesized->ToString(), "(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL SELECT 2");
  auto grouped = ParseQueryText("SELECT 1 EXCEPT (SELECT 2 UNION SELECT 3)");
  EXPECT_EQ(grouped->ToString(), "SELECT 1 EXCEPT (SELECT 2 UNION SELECT 3)");
  EXPECT_EQ(ParseQueryText("SELECT 1 UNION DISTINCT SELECT 2")->As<SetOperationNode>().all, false);
  // ORDER BY inside an operand needs parentheses.
  EXPECT_EQ(ParseError("SELECT 1 ORDER BY 1 UNION SELECT 2").position, 20);
}

TEST(ParserTest, Values) {
  auto query = ParseQueryText("VALUES (1, 'a'), (2, 'b')");
  const auto& values = query->As<ValuesNode>();
  ASSERT_EQ(values.rows.size(), 2u);
  EXPECT_EQ(values.rows[1][1]->As<ConstantExpression>().text, "b");
  EXPECT_EQ(query->ToString(), "VALUES (1, 'a'), (2, 'b')");
  auto error = ParseError("VALUES (1, 2), (3)");
  EXPECT_EQ(error.message, "VALUES lists must all be the same length");
  EXPECT_EQ(error.position, 15);
  auto ordered = ParseQueryText("VALUES (2), (1) ORDER BY 1");
  EXPECT_EQ(ordered->order_by.size(), 1u);
}

TEST(ParserTest, CommonTableExpressions) {
  auto query = ParseQueryText(
      "WITH a(x, y) AS (SELECT 1, 2), b AS MATERIALIZED (SELECT * FROM a) SELECT * FROM b");
  ASSERT_EQ(query->ctes.size(), 2u);
  EXPECT_EQ(query->ctes[0].name, "a");
  EXPECT_EQ(query->ctes[0].column_names, std::vector<std::string>({"x", "y"}));
  EXPECT_EQ(query->ctes[1].name, "b");
  EXPECT_TRUE(query->ctes[1].query->Is<SelectNode>());
  EXPECT_EQ(query->position, 0);
  EXPECT_EQ(query->ToString(),
            "WITH a(x, y) AS (SELECT 1, 2), b AS (SELECT * FROM a) SELECT * FROM b");

  // WITH on a set operation belongs to the set operation.
  auto set = ParseQueryText("WITH c AS (SELECT 1) SELECT * FROM c UNION SELECT * FROM c");
  EXPECT_TRUE(set->Is<SetOperationNode>());
  EXPECT_EQ(set->ctes.size(), 1u);
  // And a parenthesised query can carry its own WITH.
  auto inner = ParseQueryText("SELECT * FROM (WITH d AS (SELECT 1) SELECT * FROM d) t");
  EXPECT_EQ(inner->As<SelectNode>().from->As<SubqueryRef>().query->ctes.size(), 1u);

  auto recursive = ParseError("WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r");
  EXPECT_EQ(recursive.code, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(recursive.position, 5);
  EXPECT_EQ(ParseError("WITH a AS (SELECT 1), a AS (SELECT 2) SELECT 1").code, "42712");
}

TEST(ParserTest, TpchQ1) {
  auto query = ParseQueryText(R"(
    select
      l_returnflag, l_linestatus,
      sum(l_quantity) as sum_qty,
      sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) as sum_charge,
      avg(l_discount) as avg_disc,
      count(*) as count_order
    from lineitem
    where l_shipdate <= date '1998-12-01' - interval '90' day (3)
    group by l_returnflag, l_linestatus
    order by l_returnflag, l_linestatus;)");
  const auto& select = query->As<SelectNode>();
  EXPECT_EQ(select.select_list.size(), 6u);
  EXPECT_EQ(select.select_list[3].expression->ToString(),
            "sum(l_extendedprice * (1 - l_discount) * (1 + l_tax))");
  EXPECT_EQ(select.select_list[5].expression->ToString(), "count(*)");
  EXPECT_EQ(select.group_by.expressions.size(), 2u);
  EXPECT_EQ(query->order_by.size(), 2u);
}

TEST(ParserTest, TpchCorrelatedExistsAndNotIn) {
  auto query = ParseQueryText(R"(
    select o_orderpriority, count(*) as order_count
    from orders
    where o_orderdate >= date '1993-07-01'
      and o_orderdate < date '1993-07-01' + interval '3' month
      and exists (select * from lineitem
                  where l_orderkey = o_orderkey and l_commitdate < l_receiptdate)
      and p_size not in (select s_size from sizes)
    group by o_orderpriority
    order by o_orderpriority)");
  const auto& where = query->As<SelectNode>().where->As<ConjunctionExpression>();
  ASSERT_EQ(where.children.size(), 4u);
  const auto& exists = where.children[2]->As<SubqueryExpression>();
  EXPECT_EQ(exists.subquery_kind, SubqueryKind::kExists);
  const auto& inner_where = exists.subquery->As<SelectNode>().where;
  EXPECT_EQ(inner_where->As<ConjunctionExpression>().children.size(), 2u);
  const auto& not_in = where.children[3]->As<SubqueryExpression>();
  EXPECT_EQ(not_in.subquery_kind, SubqueryKind::kIn);
  EXPECT_TRUE(not_in.negated);
}

TEST(ParserTest, TpchQ13AndQ22Forms) {
  auto q13 = ParseQueryText(R"(
    select c_count, count(*) as custdist
    from (select c_custkey, count(o_orderkey)
          from customer left outer join orders on c_custkey = o_custkey
               and o_comment not like '%special%requests%'
          group by c_custkey) as c_orders (c_custkey, c_count)
    group by c_count order by custdist desc, c_count desc)");
  const auto& from = q13->As<SelectNode>().from->As<SubqueryRef>();
  EXPECT_EQ(from.column_aliases, std::vector<std::string>({"c_custkey", "c_count"}));
  auto q22 = ParseQueryText(R"(
    select cntrycode, count(*) as numcust, sum(c_acctbal) as totacctbal
    from (select substring(c_phone from 1 for 2) as cntrycode, c_acctbal
          from customer
          where substring(c_phone from 1 for 2) in ('13', '31', '23')
            and c_acctbal > (select avg(c_acctbal) from customer where c_acctbal > 0.00)
            and not exists (select * from orders where o_custkey = c_custkey)) as custsale
    group by cntrycode order by cntrycode)");
  EXPECT_TRUE(q22->As<SelectNode>().from->Is<SubqueryRef>());
}

TEST(ParserTest, WindowFunctionsInSelect) {
  auto select = ParseSelectText(
      "SELECT a, sum(b) OVER (PARTITION BY a ORDER BY c ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) "
      "AS running, rank() OVER (ORDER BY b DESC) r FROM t");
  ASSERT_EQ(select->select_list.size(), 3u);
  EXPECT_EQ(select->select_list[1].alias, "running");
  EXPECT_NE(select->select_list[1].expression->As<FunctionCallExpression>().window, nullptr);
  EXPECT_EQ(select->select_list[2].alias, "r");
}

TEST(ParserTest, QueryToStringRoundTrips) {
  const char* cases[] = {
      "SELECT DISTINCT a, b AS c FROM s.t AS x WHERE a > 1 GROUP BY a, b HAVING count(*) > 2 "
      "ORDER BY a DESC LIMIT 10 OFFSET 2",
      "SELECT * FROM a LEFT JOIN b USING (k) CROSS JOIN c NATURAL JOIN d",
      "SELECT * FROM (SELECT 1 AS x) AS s(y) JOIN read_csv('f.csv', header => TRUE) AS r ON TRUE",
      "WITH q AS (SELECT 1) SELECT * FROM q UNION ALL SELECT 2 ORDER BY 1",
      "SELECT a FROM t GROUP BY GROUPING SETS ((a), ())",
      "VALUES (1, 2), (3, 4)",
      "SELECT x FROM t WHERE x IN (SELECT y FROM u WHERE u.z = t.z)",
  };
  for (const char* sql : cases) {
    std::string once = ParseQueryText(sql)->ToString();
    EXPECT_EQ(ParseQueryText(once)->ToString(), once) << sql;
  }
}

TEST(ParserTest, QueryCopyIsDeep) {
  auto query = ParseQueryText(
      "WITH c AS (SELECT 1 AS one) SELECT a, sum(b) FROM t JOIN c ON t.a = c.one "
      "WHERE a IN (SELECT 1) GROUP BY ROLLUP (a) ORDER BY 1 LIMIT 5");
  auto copy = query->Copy();
  EXPECT_EQ(copy->ToString(), query->ToString());
  const auto& original_select = query->As<SelectNode>();
  const auto& copied_select = copy->As<SelectNode>();
  EXPECT_NE(original_select.from.get(), copied_select.from.get());
  EXPECT_EQ(copied_select.group_by.grouping_sets, original_select.group_by.grouping_sets);
  EXPECT_FALSE(copied_select.group_by.plain);
  EXPECT_EQ(copied_select.ctes.size(), 1u);
  EXPECT_NE(copied_select.ctes[0].query.get(), original_select.ctes[0].query.get());
}

}  // namespace
}  // namespace basalt::sql
