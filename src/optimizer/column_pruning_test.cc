#include "optimizer/column_pruning.h"

#include <gtest/gtest.h>

#include "optimizer/optimizer_test_util.h"

namespace basalt {
namespace {

using namespace optimizer_test;  // NOLINT: test helpers

TEST(ColumnPruningTest, ScanReadsOnlyUsedColumns) {
  auto t = MakeTable("t", {"a", "b", "c", "d"}, 10);
  auto get = Get(t, 1);
  get->filters.push_back(Call(">", Col(1, 3), Int(0)));
  LogicalOperatorPtr plan = Project(2, std::move(get), Exprs(Col(1, 1)));
  PruneColumns(*plan);
  auto& scan = static_cast<LogicalGet&>(*plan->children[0]);
  // b for the projection, d for the scan's own filter.
  EXPECT_EQ(scan.column_ids, (std::vector<idx_t>{1, 3}));
}

TEST(ColumnPruningTest, UnusedProjectionColumnsGoAndReferencesAreRenumbered) {
  auto t = MakeTable("t", {"a", "b", "c"}, 10);
  // SELECT q FROM (SELECT a AS p, b + 1 AS q, c AS r FROM t) WHERE q > 2
  LogicalOperatorPtr inner =
      Project(2, Get(t, 1), Exprs(Col(1, 0), Call("+", Col(1, 1), Int(1)), Col(1, 2)));
  LogicalOperatorPtr plan =
      Project(3, Filter(std::move(inner), Call(">", Col(2, 1), Int(2))), Exprs(Col(2, 1)));
  PruneColumns(*plan);
  auto& top = static_cast<LogicalProjection&>(*plan);
  EXPECT_EQ(top.expressions[0]->ToString(), "#2.0");
  auto& filter = static_cast<LogicalFilter&>(*plan->children[0]);
  EXPECT_EQ(filter.conditions[0]->ToString(), "(#2.0 > 2)");
  auto& projection = static_cast<LogicalProjection&>(*filter.children[0]);
  ASSERT_EQ(projection.expressions.size(), 1u);
  EXPECT_EQ(projection.expressions[0]->ToString(), "(#1.1 + 1)");
  EXPECT_EQ(static_cast<LogicalGet&>(*projection.children[0]).column_ids, (std::vector<idx_t>{1}));
}

TEST(ColumnPruningTest, RootColumnsAllStayAndCountStarKeepsOneColumn) {
  auto t = MakeTable("t", {"a", "b"}, 10);
  LogicalOperatorPtr plan = Get(t, 1);
  PruneColumns(*plan);
  EXPECT_EQ(static_cast<LogicalGet&>(*plan).column_ids, (std::vector<idx_t>{0, 1}));

  // SELECT 1 FROM t: no column is read, one is still scanned for the rows.
  plan = Project(2, Get(t, 1), Exprs(Int(1)));
  PruneColumns(*plan);
  EXPECT_EQ(static_cast<LogicalGet&>(*plan->children[0]).column_ids.size(), 1u);
}

TEST(ColumnPruningTest, UnusedAggregatesGo) {
  if (!HasAggregate("min", {TypeId::kInteger}) || !HasAggregate("max", {TypeId::kInteger})) {
    GTEST_SKIP() << "min / max not registered yet";
  }
  auto t = MakeTable("t", {"a", "b", "c"}, 10);
  auto agg = std::make_unique<LogicalAggregate>();
  agg->group_index = 2;
  agg->aggregate_index = 3;
  agg->groups.push_back(Col(1, 0));
  agg->aggregates.push_back(Aggregate("min", Exprs(Col(1, 1))));
  agg->aggregates.push_back(Aggregate("max", Exprs(Col(1, 2))));
  agg->children.push_back(Get(t, 1));
  // SELECT max(c) FROM t GROUP BY a
  LogicalOperatorPtr plan = Project(4, std::move(agg), Exprs(Col(3, 1)));
  PruneColumns(*plan);
  EXPECT_EQ(static_cast<LogicalProjection&>(*plan).expressions[0]->ToString(), "#3.0");
  auto& pruned = static_cast<LogicalAggregate&>(*plan->children[0]);
  ASSERT_EQ(pruned.aggregates.size(), 1u);
  EXPECT_EQ(pruned.aggregates[0].function.name, "max");
  EXPECT_EQ(static_cast<LogicalGet&>(*pruned.children[0]).column_ids, (std::vector<idx_t>{0, 2}));
}

TEST(ColumnPruningTest, SetOperationChildrenKeepAllColumns) {
  auto t = MakeTable("t", {"a", "b"}, 10);
  auto set = std::make_unique<LogicalSetOperation>();
  set->table_index = 3;
  set->all = true;
  set->types = {TypeId::kInteger, TypeId::kInteger};
  set->children.push_back(Get(t, 1));
  set->children.push_back(Get(t, 2));
  LogicalOperatorPtr plan = Project(4, std::move(set), Exprs(Col(3, 0)));
  PruneColumns(*plan);
  EXPECT_EQ(static_cast<LogicalGet&>(*plan->children[0]->children[0]).column_ids.size(), 2u);
}

}  // namespace
}  // namespace basalt
