#include "optimizer/filter_pushdown.h"

#include <gtest/gtest.h>

#include "optimizer/optimizer_test_util.h"

namespace basalt {
namespace {

using namespace optimizer_test;  // NOLINT: test helpers

class FilterPushdownTest : public ::testing::Test {
 protected:
  std::shared_ptr<TableEntry> a_ = MakeTable("a", {"x", "y"}, 100);
  std::shared_ptr<TableEntry> b_ = MakeTable("b", {"y", "z"}, 100);
};

TEST_F(FilterPushdownTest, CrossJoinBecomesInnerJoinAndSidesGetTheirFilters) {
  // SELECT * FROM a, b WHERE a.x = 5 AND a.y = b.y AND b.z > 1
  LogicalOperatorPtr plan =
      Filter(Join(LogicalJoinType::kCross, Get(a_, 1), Get(b_, 2), {}),
             And(And(Call("=", Col(1, 0), Int(5)), Call("=", Col(1, 1), Col(2, 0))),
                 Call(">", Col(2, 1), Int(1))));
  plan = PushDownFilters(std::move(plan));
  ASSERT_EQ(plan->type, LogicalOperatorType::kJoin) << plan->ToString();
  auto& join = static_cast<LogicalJoin&>(*plan);
  EXPECT_EQ(join.join_type, LogicalJoinType::kInner);
  ASSERT_EQ(join.conditions.size(), 1u);
  EXPECT_EQ(join.conditions[0]->ToString(), "(#1.1 = #2.0)");
  ASSERT_EQ(join.children[0]->type, LogicalOperatorType::kGet);
  auto& left = static_cast<LogicalGet&>(*join.children[0]);
  ASSERT_EQ(left.filters.size(), 1u);
  EXPECT_EQ(left.filters[0]->ToString(), "(#1.0 = 5)");
  auto& right = static_cast<LogicalGet&>(*join.children[1]);
  ASSERT_EQ(right.filters.size(), 1u);
  EXPECT_EQ(right.filters[0]->ToString(), "(#2.1 > 1)");
}

TEST_F(FilterPushdownTest, ThroughProjectionWithSubstitution) {
  // SELECT * FROM (SELECT x + 1 AS p FROM a) WHERE p > 10
  LogicalOperatorPtr plan = Filter(Project(5, Get(a_, 1), Exprs(Call("+", Col(1, 0), Int(1)))),
                                   Call(">", Col(5, 0), Int(10)));
  plan = PushDownFilters(std::move(plan));
  ASSERT_EQ(plan->type, LogicalOperatorType::kProjection) << plan->ToString();
  auto& get = static_cast<LogicalGet&>(*plan->children[0]);
  ASSERT_EQ(get.filters.size(), 1u);
  EXPECT_EQ(get.filters[0]->ToString(), "((#1.0 + 1) > 10)");
}

TEST_F(FilterPushdownTest, LeftJoinKeepsRightSideFiltersAbove) {
  LogicalOperatorPtr plan =
      Filter(Join(LogicalJoinType::kLeft, Get(a_, 1), Get(b_, 2),
                  Exprs(Call("=", Col(1, 1), Col(2, 0)), Call(">", Col(2, 1), Int(3)),
                        Call(">", Col(1, 0), Int(4)))),
             And(Call("=", Col(1, 0), Int(5)), Call("=", Col(2, 1), Int(7))));
  plan = PushDownFilters(std::move(plan));
  // WHERE b.z = 7 must stay above: it also removes NULL-extended rows.
  ASSERT_EQ(plan->type, LogicalOperatorType::kFilter) << plan->ToString();
  auto& above = static_cast<LogicalFilter&>(*plan);
  ASSERT_EQ(above.conditions.size(), 1u);
  EXPECT_EQ(above.conditions[0]->ToString(), "(#2.1 = 7)");
  auto& join = static_cast<LogicalJoin&>(*plan->children[0]);
  EXPECT_EQ(join.join_type, LogicalJoinType::kLeft);
  // ON a.x > 4 stays in the join (it must not remove left rows); ON b.z > 3
  // moves to the right input.
  ASSERT_EQ(join.conditions.size(), 2u);
  EXPECT_EQ(join.conditions[1]->ToString(), "(#1.0 > 4)");
  auto& left = static_cast<LogicalGet&>(*join.children[0]);
  ASSERT_EQ(left.filters.size(), 1u);
  EXPECT_EQ(left.filters[0]->ToString(), "(#1.0 = 5)");
  auto& right = static_cast<LogicalGet&>(*join.children[1]);
  ASSERT_EQ(right.filters.size(), 1u);
  EXPECT_EQ(right.filters[0]->ToString(), "(#2.1 > 3)");
}

TEST_F(FilterPushdownTest, LimitStopsPushDown) {
  auto limit = std::make_unique<LogicalLimit>();
  limit->limit = 10;
  limit->children.push_back(Get(a_, 1));
  LogicalOperatorPtr plan = Filter(std::move(limit), Call("=", Col(1, 0), Int(5)));
  plan = PushDownFilters(std::move(plan));
  ASSERT_EQ(plan->type, LogicalOperatorType::kFilter);
  EXPECT_EQ(plan->children[0]->type, LogicalOperatorType::kLimit);
  EXPECT_TRUE(static_cast<LogicalGet&>(*plan->children[0]->children[0]).filters.empty());
}

TEST_F(FilterPushdownTest, ThroughAggregateOnGroupColumnsOnly) {
  auto agg = std::make_unique<LogicalAggregate>();
  agg->group_index = 7;
  agg->aggregate_index = 8;
  agg->groups.push_back(Col(1, 0));
  agg->children.push_back(Get(a_, 1));
  // HAVING x > 3 (a group column) goes below; a condition on an aggregate
  // result would not (none here, the aggregate has only the group).
  LogicalOperatorPtr plan = Filter(std::move(agg), Call(">", Col(7, 0), Int(3)));
  plan = PushDownFilters(std::move(plan));
  ASSERT_EQ(plan->type, LogicalOperatorType::kAggregate) << plan->ToString();
  auto& get = static_cast<LogicalGet&>(*plan->children[0]);
  ASSERT_EQ(get.filters.size(), 1u);
  EXPECT_EQ(get.filters[0]->ToString(), "(#1.0 > 3)");

  // Without groups a constant HAVING false stays above the aggregate.
  auto global = std::make_unique<LogicalAggregate>();
  global->group_index = 7;
  global->aggregate_index = 8;
  global->children.push_back(Get(a_, 1));
  plan = PushDownFilters(Filter(std::move(global), Bool(false)));
  EXPECT_EQ(plan->type, LogicalOperatorType::kFilter);
}

TEST_F(FilterPushdownTest, SemiJoinConditionsAndAntiJoinLeftConditions) {
  LogicalOperatorPtr plan = Join(LogicalJoinType::kAnti, Get(a_, 1), Get(b_, 2),
                                 Exprs(Call("=", Col(1, 1), Col(2, 0)),
                                       Call(">", Col(1, 0), Int(1)), Call(">", Col(2, 1), Int(2))));
  plan = PushDownFilters(std::move(plan));
  auto& anti = static_cast<LogicalJoin&>(*plan);
  // The left-only condition stays (an anti join keeps rows that fail it).
  EXPECT_EQ(anti.conditions.size(), 2u);
  EXPECT_TRUE(static_cast<LogicalGet&>(*anti.children[0]).filters.empty());
  EXPECT_EQ(static_cast<LogicalGet&>(*anti.children[1]).filters.size(), 1u);

  plan = Join(LogicalJoinType::kSemi, Get(a_, 1), Get(b_, 2),
              Exprs(Call("=", Col(1, 1), Col(2, 0)), Call(">", Col(1, 0), Int(1))));
  plan = PushDownFilters(std::move(plan));
  auto& semi = static_cast<LogicalJoin&>(*plan);
  EXPECT_EQ(semi.conditions.size(), 1u);
  EXPECT_EQ(static_cast<LogicalGet&>(*semi.children[0]).filters.size(), 1u);
}

}  // namespace
}  // namespace basalt
