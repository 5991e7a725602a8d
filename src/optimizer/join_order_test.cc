#include "optimizer/join_order.h"

#include <gtest/gtest.h>

#include "optimizer/cardinality_estimator.h"
#include "optimizer/optimizer.h"
#include "optimizer/optimizer_test_util.h"

namespace basalt {
namespace {

using namespace optimizer_test;  // NOLINT: test helpers

const LogicalGet& AsGet(const LogicalOperator& op) {
  EXPECT_EQ(op.type, LogicalOperatorType::kGet) << op.ToString();
  return static_cast<const LogicalGet&>(op);
}

TEST(JoinOrderTest, SmallTableBecomesBuildSide) {
  auto big = MakeTable("big", {"k"}, 20000);
  auto small = MakeTable("small", {"k"}, 10);
  // small JOIN big: the written order has the big table on the build side.
  LogicalOperatorPtr plan = Join(LogicalJoinType::kInner, Get(small, 1), Get(big, 2),
                                 Exprs(Call("=", Col(1, 0), Col(2, 0))));
  plan = ReorderJoins(std::move(plan));
  // The column order of the root is restored by a projection.
  ASSERT_EQ(plan->type, LogicalOperatorType::kProjection) << plan->ToString();
  EXPECT_EQ(plan->GetColumnBindings(), (std::vector<ColumnBinding>{{3, 0}, {3, 1}}));
  auto& projection = static_cast<LogicalProjection&>(*plan);
  EXPECT_EQ(projection.expressions[0]->ToString(), "#1.0");
  const LogicalOperator& join = *plan->children[0];
  EXPECT_EQ(AsGet(*join.children[0]).table->name, "big");
  EXPECT_EQ(AsGet(*join.children[1]).table->name, "small");
}

TEST(JoinOrderTest, GreedyOrderFollowsConditionsAndSizes) {
  auto fact = MakeTable("fact", {"d1", "d2"}, 50000);
  auto dim1 = MakeTable("dim1", {"k"}, 100);
  auto dim2 = MakeTable("dim2", {"k"}, 5000);
  auto tiny = MakeTable("tiny", {"k"}, 5);
  // ((dim2 x dim1) x fact) JOIN tiny, written as cross products with the
  // conditions in one WHERE: fact.d1 = dim1.k AND fact.d2 = dim2.k AND
  // tiny.k = dim1.k.
  LogicalOperatorPtr tree =
      Join(LogicalJoinType::kCross,
           Join(LogicalJoinType::kCross,
                Join(LogicalJoinType::kCross, Get(dim2, 3), Get(dim1, 2), {}), Get(fact, 1), {}),
           Get(tiny, 4), {});
  LogicalOperatorPtr plan = Filter(
      std::move(tree), And(And(Call("=", Col(1, 0), Col(2, 0)), Call("=", Col(1, 1), Col(3, 0))),
                           Call("=", Col(4, 0), Col(2, 0))));
  plan = Optimize(std::move(plan));
  SCOPED_TRACE(plan->ToString());

  auto joins = FindAll<LogicalJoin>(*plan, LogicalOperatorType::kJoin);
  ASSERT_EQ(joins.size(), 3u);
  for (const LogicalJoin* join : joins) {
    // No cross product remains, every join has its condition, and the build
    // side is never the larger input.
    EXPECT_EQ(join->join_type, LogicalJoinType::kInner);
    EXPECT_EQ(join->conditions.size(), 1u);
    EXPECT_LE(join->children[1]->estimated_rows, join->children[0]->estimated_rows);
  }
  // The first join is the cheapest connected pair: tiny with dim1.
  const LogicalJoin& bottom = *joins.back();
  std::vector<std::string> names = {AsGet(*bottom.children[0]).table->name,
                                    AsGet(*bottom.children[1]).table->name};
  EXPECT_EQ(names, (std::vector<std::string>{"dim1", "tiny"}));
  // The fact table is joined in before dim2 becomes reachable; dim2 comes
  // last (on whichever side is smaller: here the 5-row intermediate builds).
  EXPECT_EQ(AsGet(*joins[1]->children[0]).table->name, "fact");
  const LogicalOperator& top_probe = *joins[0]->children[0];
  ASSERT_EQ(top_probe.type, LogicalOperatorType::kGet);
  EXPECT_EQ(AsGet(top_probe).table->name, "dim2");
  // The result keeps the written column order.
  EXPECT_EQ(plan->GetTypes().size(), 5u);
}

TEST(JoinOrderTest, LeftJoinsAreNotReordered) {
  auto big = MakeTable("big", {"k"}, 20000);
  auto small = MakeTable("small", {"k"}, 10);
  LogicalOperatorPtr plan = Join(LogicalJoinType::kLeft, Get(small, 1), Get(big, 2),
                                 Exprs(Call("=", Col(1, 0), Col(2, 0))));
  plan = ReorderJoins(std::move(plan));
  ASSERT_EQ(plan->type, LogicalOperatorType::kJoin);
  EXPECT_EQ(AsGet(*plan->children[0]).table->name, "small");
}

TEST(CardinalityEstimatorTest, Selectivities) {
  auto t = MakeTable("t", {"a", "b"}, 1000);
  auto get = Get(t, 1);
  get->filters.push_back(Call("=", Col(1, 0), Int(1)));
  EXPECT_DOUBLE_EQ(EstimateCardinality(*get), 100);
  get->filters.push_back(Call("<", Col(1, 1), Int(1)));
  EXPECT_NEAR(EstimateCardinality(*get), 33, 1e-9);

  auto agg = std::make_unique<LogicalAggregate>();
  agg->children.push_back(Get(t, 1));
  EXPECT_DOUBLE_EQ(EstimateCardinality(*agg), 1);
  agg->groups.push_back(Col(1, 0));
  double groups = EstimateCardinality(*agg);
  EXPECT_GT(groups, 1);
  EXPECT_LT(groups, 1000);
}

}  // namespace
}  // namespace basalt
