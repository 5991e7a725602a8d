// Estimates with and without ANALYZE's statistics, and a join whose build
// side the statistics change.
#include "optimizer/cardinality_estimator.h"

#include <gtest/gtest.h>

#include "common/date_time.h"
#include "exec/operators/hash_join.h"
#include "exec/operators/table_scan.h"
#include "optimizer/optimizer.h"
#include "optimizer/optimizer_test_util.h"
#include "optimizer/physical_planner.h"

namespace basalt {
namespace {

using namespace optimizer_test;  // NOLINT: test helpers

ColumnStatisticsRecord ColumnStats(uint32_t column, double distinct, uint64_t nulls,
                                   std::string min, std::string max) {
  ColumnStatisticsRecord c;
  c.column = column;
  c.distinct_count = distinct;
  c.null_count = nulls;
  c.has_bounds = !min.empty();
  c.min = std::move(min);
  c.max = std::move(max);
  return c;
}

// Gives `table` statistics as ANALYZE would store them.
void SetStatistics(TableEntry& table, uint64_t rows, std::vector<ColumnStatisticsRecord> columns) {
  TableStatisticsRecord record;
  record.table_oid = table.oid;
  record.row_count = rows;
  record.columns = std::move(columns);
  table.statistics = MakeTableStatistics(std::move(record), table.Types());
}

double ScanEstimate(const std::shared_ptr<TableEntry>& table, std::vector<ExpressionPtr> filters) {
  auto get = Get(table, 1);
  get->filters = std::move(filters);
  return EstimateCardinality(*get);
}

TEST(CardinalityEstimatorTest, RangesInterpolateBetweenMinAndMax) {
  // a = 0 .. 999.
  auto t = MakeTable("t", {"a"}, 1000);
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call("<", Col(1, 0), Int(100)))), 330, 1e-9);
  SetStatistics(*t, 1000, {ColumnStats(0, 1000, 0, "0", "999")});
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call("<", Col(1, 0), Int(100)))), 100, 1);
  // The constant first: 100 > a.
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call(">", Int(100), Col(1, 0)))), 100, 1);
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call(">=", Col(1, 0), Int(900)))), 100, 1);
  // Both ends on one column (BETWEEN) make one range, not a product.
  EXPECT_NEAR(
      ScanEstimate(t, Exprs(Call(">=", Col(1, 0), Int(200)), Call("<=", Col(1, 0), Int(300)))), 100,
      1);
  // Outside the bounds: at least one row, stale statistics may have missed it.
  EXPECT_DOUBLE_EQ(ScanEstimate(t, Exprs(Call(">", Col(1, 0), Int(5000)))), 1);
  EXPECT_DOUBLE_EQ(ScanEstimate(t, Exprs(Call("<", Col(1, 0), Int(5000)))), 1000);
  // A decimal constant against the integer column (the column is cast; the
  // constant is of the common type already, as after constant folding).
  auto decimal = Expression::MakeConstant(Value::Decimal(5005, 11, 1));  // 500.5
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call("<", Col(1, 0), std::move(decimal)))), 500, 2);
}

TEST(CardinalityEstimatorTest, EqualityAndNullsFromStatistics) {
  auto t = MakeTable("t", {"a", "b"}, 1000);
  SetStatistics(*t, 1000, {ColumnStats(0, 1000, 0, "0", "999"), ColumnStats(1, 4, 200, "0", "3")});
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call("=", Col(1, 0), Int(7)))), 1, 1e-9);
  // 800 non-NULL rows over 4 values.
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call("=", Col(1, 1), Int(2)))), 200, 1e-9);
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call("=", Col(1, 1), Int(9)))), 1, 1e-9);
  std::vector<ExpressionPtr> args;
  args.push_back(Col(1, 1));
  EXPECT_NEAR(ScanEstimate(t, Exprs(Expression::MakeBoolean(ExprKind::kIsNull, std::move(args)))),
              200, 1e-9);
  args.clear();
  args.push_back(Col(1, 1));
  EXPECT_NEAR(
      ScanEstimate(t, Exprs(Expression::MakeBoolean(ExprKind::kIsNotNull, std::move(args)))), 800,
      1e-9);
  // Ranges count only non-NULL rows: half of b's range, of 800.
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call("<", Col(1, 1),
                                         Expression::MakeConstant(Value::Decimal(15, 11, 1))))),
              400, 1e-9);
}

TEST(CardinalityEstimatorTest, StaleStatisticsScaleTheLiveRowCount) {
  // 2000 rows now, 1000 when analyzed: fractions apply to the live count.
  auto t = MakeTable("t", {"a"}, 2000);
  SetStatistics(*t, 1000, {ColumnStats(0, 1000, 0, "0", "999")});
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call("<", Col(1, 0), Int(500)))), 1000, 3);
  EXPECT_LE(ScanEstimate(t, Exprs(Call("<", Col(1, 0), Int(50000)))), 2000);
  // Statistics of a table analyzed while empty are not used.
  SetStatistics(*t, 0, {ColumnStats(0, 0, 0, "", "")});
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call("<", Col(1, 0), Int(500)))), 660, 1e-9);
}

TEST(CardinalityEstimatorTest, DateRanges) {
  auto t = std::make_shared<TableEntry>();
  t->schema = kDefaultSchema;
  t->name = "d";
  t->columns.push_back(TableColumn{"day", TypeId::kDate});
  t->storage = std::make_shared<DataTable>(t->Types());
  DataChunk chunk(t->Types());
  int32_t first = 0;
  ASSERT_TRUE(ParseDate("2024-01-01", &first));
  for (idx_t r = 0; r < 1000; r++)
    chunk.column(0).Data<int32_t>()[r] = first + static_cast<int32_t>(r);
  chunk.SetSize(1000);
  t->storage->Append(chunk);
  SetStatistics(*t, 1000, {ColumnStats(0, 1000, 0, "2024-01-01", "2026-09-26")});
  auto date = [&](int32_t offset) { return Expression::MakeConstant(Value::Date(first + offset)); };
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call("<", Col(1, 0, TypeId::kDate), date(100)))), 100, 1);
  // A timestamp constant lies on the same line as the dates.
  auto noon = Expression::MakeConstant(
      Value::Timestamp((static_cast<int64_t>(first) + 250) * kMicrosPerDay + kMicrosPerDay / 2));
  EXPECT_NEAR(ScanEstimate(t, Exprs(Call(">=", Col(1, 0, TypeId::kDate), std::move(noon)))), 750,
              1);
}

TEST(CardinalityEstimatorTest, AnalyzedDistinctCountsWinOverSketches) {
  auto t = MakeTable("t", {"k"}, 1000);
  auto get = Get(t, 1);
  EXPECT_NEAR((CollectDistinctCounts(*get)[ColumnBinding{1, 0}]), 1000, 50);
  SetStatistics(*t, 1000, {ColumnStats(0, 10, 0, "0", "9")});
  EXPECT_DOUBLE_EQ((CollectDistinctCounts(*get)[ColumnBinding{1, 0}]), 10);
  // Never more than the live rows.
  SetStatistics(*t, 1000, {ColumnStats(0, 1e6, 0, "0", "9")});
  EXPECT_DOUBLE_EQ((CollectDistinctCounts(*get)[ColumnBinding{1, 0}]), 1000);
}

// The table whose rows the hash join builds from in `plan` (one instance,
// no exchanges).
std::string BuildSideTable(const FragmentedPlan& plan) {
  std::string name;
  VisitNodes(*plan.fragments[0].root, [&](const PhysicalNode& node) {
    if (!dynamic_cast<const HashJoinNode*>(&node)) return;
    VisitNodes(*node.children[1], [&](const PhysicalNode& below) {
      if (auto* scan = dynamic_cast<const TableScanNode*>(&below)) name = scan->table->name;
    });
  });
  return name;
}

// facts (10000 rows, v = 2 * row) JOIN dims (5000 rows) ON k WHERE
// facts.v < 18000. Without statistics the filter is guessed to keep a third of
// facts (3300 rows), which then builds the hash table; ANALYZE's min and max
// say it keeps 9000, more than dims, which builds instead.
TEST(CardinalityEstimatorTest, StatisticsFlipTheBuildSide) {
  auto facts = MakeTable("facts", {"k", "v"}, 10000, {5000, 1 << 30});
  auto dims = MakeTable("dims", {"k"}, 5000);
  auto plan_query = [&] {
    LogicalOperatorPtr join = Join(LogicalJoinType::kInner, Get(dims, 2), Get(facts, 1),
                                   Exprs(Call("=", Col(2, 0), Col(1, 0))));
    LogicalOperatorPtr plan = Optimize(Filter(std::move(join), Call("<", Col(1, 1), Int(18000))));
    return CreateFragmentedPlan(*plan, 1, {"k", "k2", "v"});
  };
  EXPECT_EQ(BuildSideTable(plan_query()), "facts");
  // v = row * 2: 0 .. 19998.
  SetStatistics(*facts, 10000,
                {ColumnStats(0, 5000, 0, "0", "4999"), ColumnStats(1, 10000, 0, "0", "19998")});
  EXPECT_EQ(BuildSideTable(plan_query()), "dims");
  // The estimate the planner used for the filtered scan.
  auto get = Get(facts, 1);
  get->filters.push_back(Call("<", Col(1, 1), Int(18000)));
  EXPECT_NEAR(EstimateCardinality(*get), 9000, 1);
}

}  // namespace
}  // namespace basalt
