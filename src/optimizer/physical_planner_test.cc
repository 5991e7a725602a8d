#include "optimizer/physical_planner.h"

#include <gtest/gtest.h>

#include <set>

#include "common/exception.h"
#include "exec/operators/hash_aggregate.h"
#include "exec/operators/hash_join.h"
#include "optimizer/optimizer.h"
#include "optimizer/optimizer_test_util.h"

namespace basalt {
namespace {

using namespace optimizer_test;  // NOLINT: test helpers

class PhysicalPlannerTest : public ::testing::Test {
 protected:
  // 200k orders (too many to broadcast) and a 400k-row lineitem with 2 lines
  // per order; a 50-row nation table.
  static void SetUpTestSuite() {
    orders_ = MakeTable("orders", {"o_key", "o_nation"}, 200000, {1 << 30, 50});
    lineitem_ = MakeTable("lineitem", {"l_order", "l_qty"}, 400000, {200000, 7});
    nation_ = MakeTable("nation", {"n_key", "n_region"}, 50, {1 << 30, 5});
  }
  static std::shared_ptr<TableEntry> orders_;
  static std::shared_ptr<TableEntry> lineitem_;
  static std::shared_ptr<TableEntry> nation_;

  // SELECT o_nation FROM lineitem JOIN orders ON l_order = o_key
  //   WHERE l_qty > 2 GROUP BY o_nation
  static LogicalOperatorPtr JoinGroupBy() {
    LogicalOperatorPtr join = Join(LogicalJoinType::kInner, Get(lineitem_, 1), Get(orders_, 2),
                                   Exprs(Call("=", Col(1, 0), Col(2, 0))));
    auto agg = std::make_unique<LogicalAggregate>();
    agg->group_index = 3;
    agg->aggregate_index = 4;
    agg->groups.push_back(Col(2, 1));
    agg->children.push_back(Filter(std::move(join), Call(">", Col(1, 1), Int(2))));
    return Project(5, std::move(agg), Exprs(Col(3, 0)));
  }

  // SELECT n_region, l_qty FROM lineitem JOIN nation ON l_qty = n_key
  static LogicalOperatorPtr SmallDimensionJoin() {
    LogicalOperatorPtr join = Join(LogicalJoinType::kInner, Get(lineitem_, 1), Get(nation_, 2),
                                   Exprs(Call("=", Col(1, 1), Col(2, 0))));
    return Project(5, std::move(join), Exprs(Col(2, 1), Col(1, 1)));
  }

  static FragmentedPlan Plan(LogicalOperatorPtr plan, int parallelism) {
    plan = Optimize(std::move(plan));
    std::vector<std::string> names(plan->GetTypes().size(), "c");
    return CreateFragmentedPlan(*plan, parallelism, names);
  }
};

std::shared_ptr<TableEntry> PhysicalPlannerTest::orders_;
std::shared_ptr<TableEntry> PhysicalPlannerTest::lineitem_;
std::shared_ptr<TableEntry> PhysicalPlannerTest::nation_;

TEST_F(PhysicalPlannerTest, LargeJoinAndGroupByRepartition) {
  FragmentedPlan plan = Plan(JoinGroupBy(), 4);
  SCOPED_TRACE(plan.ToString());
  CheckWellFormed(plan);
  // Two scans hashed on the join key, the join with the partial aggregate,
  // the final aggregate after a hash exchange on the group, the root.
  EXPECT_GE(plan.fragments.size(), 4u);
  EXPECT_GE(plan.num_exchanges, 3);
  std::string text = plan.ToString();
  EXPECT_NE(text.find("hash exchange"), std::string::npos);
  EXPECT_NE(text.find("HashJoin"), std::string::npos);
  EXPECT_EQ(CountNodes(plan, "HashAggregate"), 2);
  EXPECT_EQ(CountNodes(plan, "TableScan"), 2);
  for (const auto& f : plan.fragments) {
    VisitNodes(*f.root, [&](const PhysicalNode& node) {
      if (node.Name() == "TableScan") {
        EXPECT_EQ(f.parallelism, 4);
      }
      if (auto* join = dynamic_cast<const HashJoinNode*>(&node)) {
        EXPECT_EQ(f.parallelism, 4);
        EXPECT_EQ(join->children[0]->Name(), "ExchangeReceiver");
        EXPECT_EQ(join->children[1]->Name(), "ExchangeReceiver");
      }
    });
  }
}

TEST_F(PhysicalPlannerTest, SmallBuildSideIsBroadcast) {
  FragmentedPlan plan = Plan(SmallDimensionJoin(), 4);
  SCOPED_TRACE(plan.ToString());
  CheckWellFormed(plan);
  std::string text = plan.ToString();
  EXPECT_NE(text.find("broadcast exchange"), std::string::npos);
  EXPECT_EQ(text.find("hash exchange"), std::string::npos);
  // The join runs in the fragment scanning lineitem, the probe side.
  bool found = false;
  for (const auto& f : plan.fragments) {
    VisitNodes(*f.root, [&](const PhysicalNode& node) {
      if (node.Name() != "HashJoin") return;
      found = true;
      EXPECT_EQ(f.parallelism, 4);
      EXPECT_EQ(node.children[0]->Name(), "TableScan");
      EXPECT_EQ(node.children[1]->Name(), "ExchangeReceiver");
    });
  }
  EXPECT_TRUE(found);
}

TEST_F(PhysicalPlannerTest, ParallelismOneNeedsNoExchange) {
  FragmentedPlan plan = Plan(JoinGroupBy(), 1);
  CheckWellFormed(plan);
  EXPECT_EQ(plan.fragments.size(), 1u) << plan.ToString();
  EXPECT_EQ(plan.num_exchanges, 0);
}

TEST_F(PhysicalPlannerTest, OrderByLimitIsTopNPerInstanceThenFinal) {
  auto order = std::make_unique<LogicalOrder>();
  order->keys.push_back(LogicalOrderKey{Col(1, 1), true, true});
  order->keys.push_back(LogicalOrderKey{Col(1, 0), false, false});
  order->children.push_back(Get(lineitem_, 1));
  auto limit = std::make_unique<LogicalLimit>();
  limit->limit = 5;
  limit->offset = 2;
  limit->children.push_back(std::move(order));
  FragmentedPlan plan = Plan(std::move(limit), 3);
  SCOPED_TRACE(plan.ToString());
  CheckWellFormed(plan);
  EXPECT_EQ(plan.fragments.size(), 2u);
  EXPECT_EQ(CountNodes(plan, "TopN"), 2);
  EXPECT_EQ(plan.fragments[0].root->Name(), "TopN");
  EXPECT_EQ(plan.fragments[1].parallelism, 3);
  EXPECT_EQ(plan.fragments[1].output_type, ExchangeType::kGather);

  std::vector<std::string> rows = RunPlan(std::move(plan), /*keep_order=*/true);
  // l_qty = (2 * row) % 7 is 6 for l_order 3, 10, 17, ... (rows below 200000)
  // and 0, 7, 14, ... (the rows above, l_order = row - 200000): skip 0 and 3.
  EXPECT_EQ(rows, (std::vector<std::string>{"7|6", "10|6", "14|6", "17|6", "21|6"}));
}

TEST_F(PhysicalPlannerTest, IntersectIsNotSupportedYet) {
  auto set = std::make_unique<LogicalSetOperation>();
  set->table_index = 3;
  set->kind = SetOperationKind::kIntersect;
  set->types = {TypeId::kInteger, TypeId::kInteger};
  set->children.push_back(Get(nation_, 1));
  set->children.push_back(Get(nation_, 2));
  try {
    Plan(std::move(set), 2);
    FAIL() << "expected an error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kFeatureNotSupported);
  }
}

TEST_F(PhysicalPlannerTest, LimitResultsAreCounted) {
  auto limit = std::make_unique<LogicalLimit>();
  limit->limit = 100;
  limit->offset = 20;
  limit->children.push_back(Get(lineitem_, 1));
  FragmentedPlan plan = Plan(std::move(limit), 4);
  CheckWellFormed(plan);
  EXPECT_EQ(CountNodes(plan, "Limit"), 2);
  EXPECT_EQ(RunPlan(std::move(plan)).size(), 100u);
}

}  // namespace
}  // namespace basalt
