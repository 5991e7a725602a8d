// The optimized, fragmented plan returns the same rows as the plan as
// written, run in one instance without optimization.
#include <gtest/gtest.h>

#include <functional>

#include "optimizer/optimizer.h"
#include "optimizer/optimizer_test_util.h"
#include "optimizer/physical_planner.h"

namespace basalt {
namespace {

using namespace optimizer_test;  // NOLINT: test helpers

class PlanResultsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    orders_ = MakeTable("orders", {"o_key", "o_nation"}, 120000, {1 << 30, 50});
    lineitem_ = MakeTable("lineitem", {"l_order", "l_qty"}, 240000, {120000, 7});
    customer_ = MakeTable("customer", {"c_key", "c_nation"}, 2000, {1 << 30, 50});
    nation_ = MakeTable("nation", {"n_key", "n_region"}, 50, {1 << 30, 5});
  }
  static std::shared_ptr<TableEntry> orders_;
  static std::shared_ptr<TableEntry> lineitem_;
  static std::shared_ptr<TableEntry> customer_;
  static std::shared_ptr<TableEntry> nation_;

  // Returns the optimized plan's text for checks on its shape.
  static std::string ExpectSameRows(const std::function<LogicalOperatorPtr()>& make,
                                    int parallelism) {
    LogicalOperatorPtr written = make();
    std::vector<std::string> names(written->GetTypes().size(), "c");
    std::vector<std::string> expected = RunPlan(CreateFragmentedPlan(*written, 1, names));
    LogicalOperatorPtr optimized = Optimize(make());
    FragmentedPlan plan = CreateFragmentedPlan(*optimized, parallelism, names);
    CheckWellFormed(plan);
    std::string text = plan.ToString();
    std::vector<std::string> actual = RunPlan(std::move(plan));
    EXPECT_EQ(actual.size(), expected.size()) << text;
    EXPECT_EQ(actual, expected) << text;
    return text;
  }

  // SELECT <groups>, <aggregates> FROM lineitem JOIN orders ON l_order = o_key
  //   WHERE l_qty <> 3 GROUP BY <groups>
  static LogicalOperatorPtr JoinAggregate(bool group_by_nation,
                                          std::vector<LogicalAggregateCall> calls) {
    LogicalOperatorPtr join = Join(LogicalJoinType::kInner, Get(lineitem_, 1), Get(orders_, 2),
                                   Exprs(Call("=", Col(1, 0), Col(2, 0))));
    auto agg = std::make_unique<LogicalAggregate>();
    agg->group_index = 3;
    agg->aggregate_index = 4;
    if (group_by_nation) agg->groups.push_back(Col(2, 1));
    agg->aggregates = std::move(calls);
    agg->children.push_back(Filter(std::move(join), Call("<>", Col(1, 1), Int(3))));
    return agg;
  }
};

std::shared_ptr<TableEntry> PlanResultsTest::orders_;
std::shared_ptr<TableEntry> PlanResultsTest::lineitem_;
std::shared_ptr<TableEntry> PlanResultsTest::customer_;
std::shared_ptr<TableEntry> PlanResultsTest::nation_;

TEST_F(PlanResultsTest, TwoPhaseAggregates) {
  for (bool grouped : {true, false}) {
    std::string text = ExpectSameRows(
        [grouped] {
          std::vector<LogicalAggregateCall> calls;
          calls.push_back(Aggregate("count", {}));
          calls.push_back(Aggregate("count", Exprs(Col(1, 1))));
          calls.push_back(Aggregate("sum", Exprs(Col(1, 1))));
          calls.push_back(Aggregate("avg", Exprs(Col(1, 0))));
          calls.push_back(Aggregate("min", Exprs(Col(1, 0))));
          calls.push_back(Aggregate("max", Exprs(Col(2, 0))));
          return JoinAggregate(grouped, std::move(calls));
        },
        4);
    // avg's division happens in a projection above the final aggregate.
    EXPECT_NE(text.find("Projection"), std::string::npos) << text;
    EXPECT_NE(text.find("count_merge"), std::string::npos) << text;
  }
}

TEST_F(PlanResultsTest, EmptyInputGlobalAggregate) {
  ExpectSameRows(
      [] {
        auto agg = std::make_unique<LogicalAggregate>();
        agg->group_index = 3;
        agg->aggregate_index = 4;
        agg->aggregates.push_back(Aggregate("count", {}));
        agg->aggregates.push_back(Aggregate("sum", Exprs(Col(1, 1))));
        agg->aggregates.push_back(Aggregate("avg", Exprs(Col(1, 1))));
        agg->children.push_back(Filter(Get(lineitem_, 1), Call(">", Col(1, 1), Int(100))));
        return agg;
      },
      3);
}

TEST_F(PlanResultsTest, DistinctAndVarianceAggregateInOnePhase) {
  for (bool grouped : {true, false}) {
    std::string text = ExpectSameRows(
        [grouped] {
          std::vector<LogicalAggregateCall> calls;
          calls.push_back(Aggregate("count", Exprs(Col(1, 1)), /*distinct=*/true));
          calls.push_back(Aggregate("var_pop", Exprs(Col(1, 1))));
          // Rounded: the variance's last digits depend on the order rows come in.
          ExpressionPtr variance = Call("round", Col(4, 1, TypeId::kDouble), Int(6));
          LogicalOperatorPtr agg = JoinAggregate(grouped, std::move(calls));
          return grouped
                     ? Project(5, std::move(agg),
                               Exprs(Col(3, 0), Col(4, 0, TypeId::kBigint), std::move(variance)))
                     : Project(5, std::move(agg),
                               Exprs(Col(4, 0, TypeId::kBigint), std::move(variance)));
        },
        4);
    // One phase: a single HashAggregate.
    size_t first = text.find("HashAggregate");
    ASSERT_NE(first, std::string::npos);
    EXPECT_EQ(text.find("HashAggregate", first + 1), std::string::npos) << text;
  }
}

TEST_F(PlanResultsTest, GroupByOnJoinKeyAggregatesInPlace) {
  // GROUP BY o_key after a repartitioned join on o_key: rows of a group are
  // in one instance already, so no exchange on the group key is needed.
  std::string text = ExpectSameRows(
      [] {
        LogicalOperatorPtr join = Join(LogicalJoinType::kInner, Get(lineitem_, 1), Get(orders_, 2),
                                       Exprs(Call("=", Col(1, 0), Col(2, 0))));
        auto agg = std::make_unique<LogicalAggregate>();
        agg->group_index = 3;
        agg->aggregate_index = 4;
        agg->groups.push_back(Col(1, 0));
        agg->aggregates.push_back(Aggregate("sum", Exprs(Col(1, 1))));
        agg->children.push_back(std::move(join));
        return agg;
      },
      4);
  if (text.find("broadcast") == std::string::npos) {
    size_t first = text.find("HashAggregate");
    ASSERT_NE(first, std::string::npos);
    EXPECT_EQ(text.find("HashAggregate", first + 1), std::string::npos) << text;
  }
}

TEST_F(PlanResultsTest, CrossProductsWithWhere) {
  // SELECT * FROM nation a, nation b, customer WHERE a.n_key = b.n_region
  //   AND c_nation = a.n_key AND c_key < 500 AND b.n_key + 1 > 3
  ExpectSameRows(
      [] {
        LogicalOperatorPtr tree =
            Join(LogicalJoinType::kCross,
                 Join(LogicalJoinType::kCross, Get(nation_, 1), Get(nation_, 2), {}),
                 Get(customer_, 3), {});
        return Filter(std::move(tree),
                      And(And(Call("=", Col(1, 0), Col(2, 1)), Call("=", Col(3, 1), Col(1, 0))),
                          And(Call("<", Col(3, 0), Int(500)),
                              Call(">", Call("+", Col(2, 0), Int(1)), Int(3)))));
      },
      4);
}

TEST_F(PlanResultsTest, OuterSemiAndAntiJoins) {
  for (LogicalJoinType type :
       {LogicalJoinType::kInner, LogicalJoinType::kLeft, LogicalJoinType::kRight,
        LogicalJoinType::kFull, LogicalJoinType::kSemi, LogicalJoinType::kAnti}) {
    SCOPED_TRACE(static_cast<int>(type));
    // Hash join: orders (o_key < 300) <type> JOIN lineitem (l_order < 400)
    //   ON o_key = l_order AND l_qty > 3
    ExpectSameRows(
        [type] {
          LogicalOperatorPtr orders = Filter(Get(orders_, 1), Call("<", Col(1, 0), Int(300)));
          LogicalOperatorPtr lines = Filter(Get(lineitem_, 2), Call("<", Col(2, 0), Int(400)));
          return Join(type, std::move(orders), std::move(lines),
                      Exprs(Call("=", Col(1, 0), Col(2, 0)), Call(">", Col(2, 1), Int(3))));
        },
        4);
    // The same with a large build side (repartitioned on the keys).
    ExpectSameRows(
        [type] {
          LogicalOperatorPtr orders = Filter(Get(orders_, 1), Call("<", Col(1, 1), Int(2)));
          return Join(type, std::move(orders), Get(lineitem_, 2),
                      Exprs(Call("=", Col(1, 0), Col(2, 0)), Call(">", Col(2, 1), Int(3))));
        },
        3);
    // Nested loop join: ON c_nation < n_key.
    ExpectSameRows(
        [type] {
          LogicalOperatorPtr customers = Filter(Get(customer_, 1), Call("<", Col(1, 0), Int(30)));
          return Join(type, std::move(customers), Get(nation_, 2),
                      Exprs(Call("<", Col(1, 1), Col(2, 0))));
        },
        3);
  }
}

TEST_F(PlanResultsTest, Unions) {
  for (bool all : {true, false}) {
    ExpectSameRows(
        [all] {
          auto set = std::make_unique<LogicalSetOperation>();
          set->table_index = 9;
          set->all = all;
          set->types = {TypeId::kInteger};
          set->children.push_back(Project(
              3, Filter(Get(orders_, 1), Call("<", Col(1, 0), Int(500))), Exprs(Col(1, 1))));
          set->children.push_back(Project(4, Get(nation_, 2), Exprs(Col(2, 1))));
          return Filter(std::move(set), Call(">", Col(9, 0), Int(2)));
        },
        4);
  }
}

TEST_F(PlanResultsTest, PushedFiltersKeepTheirOrder) {
  // SELECT q FROM (SELECT 1000 / n_key AS q FROM nation WHERE n_key <> 0) WHERE q > 30:
  // the guard must still run before the division once both sit in the scan.
  LogicalOperatorPtr inner = Project(3, Filter(Get(nation_, 1), Call("<>", Col(1, 0), Int(0))),
                                     Exprs(Call("/", Int(1000), Col(1, 0))));
  LogicalOperatorPtr plan = Optimize(Filter(std::move(inner), Call(">", Col(3, 0), Int(30))));
  auto gets = FindAll<LogicalGet>(*plan, LogicalOperatorType::kGet);
  ASSERT_EQ(gets.size(), 1u);
  ASSERT_EQ(gets[0]->filters.size(), 2u);
  EXPECT_EQ(gets[0]->filters[0]->ToString(), "(#1.0 <> 0)");
  std::vector<std::string> rows;
  ASSERT_NO_THROW(rows = RunPlan(CreateFragmentedPlan(*plan, 2, {"q"})));
  EXPECT_EQ(rows.size(), 32u);  // n_key 1 .. 32
}

TEST_F(PlanResultsTest, ValuesJoinTable) {
  ExpectSameRows(
      [] {
        auto values = std::make_unique<LogicalValues>();
        values->table_index = 1;
        values->types = {TypeId::kInteger};
        for (int v : {1, 2, 3, 7}) {
          std::vector<ExpressionPtr> row;
          row.push_back(Call("+", Int(v), Int(0)));
          values->rows.push_back(std::move(row));
        }
        return Join(LogicalJoinType::kInner, Get(nation_, 2), std::move(values),
                    Exprs(Call("=", Col(2, 1), Col(1, 0))));
      },
      4);
}

}  // namespace
}  // namespace basalt
