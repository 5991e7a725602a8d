#include "cluster/plan_placement.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "exec/operators/table_scan.h"
#include "exec/operators/values.h"
#include "storage/data_table.h"
#include "storage/managed/segment_handle.h"

namespace basalt::cluster {
namespace {

NodeInfo Executor(uint32_t threads) {
  NodeInfo node;
  node.set_threads(threads);
  return node;
}

TEST(PlanPlacementTest, OneInstancePerExecutorThreadCappedByMaxSlices) {
  EXPECT_EQ(ClusterParallelism({Executor(4), Executor(4)}), 8);
  EXPECT_EQ(ClusterParallelism({Executor(4), Executor(4)}, 3), 3);
  // At least two, so that scans leave the root fragment.
  EXPECT_EQ(ClusterParallelism({Executor(1)}), 2);
  EXPECT_EQ(ClusterParallelism({}), 2);
  EXPECT_EQ(ClusterParallelism({Executor(4)}, 1), 2);
  // A node that did not say counts as one thread.
  EXPECT_EQ(ClusterParallelism({Executor(0), Executor(2)}), 3);
}

// A table of one BIGINT column; `oid` 0 is a table made for the query.
std::shared_ptr<TableEntry> Table(uint32_t oid, const std::string& schema = "main") {
  auto table = std::make_shared<TableEntry>();
  table->schema = schema;
  table->name = "t";
  table->oid = oid;
  table->columns = {{"a", LogicalType(TypeId::kBigint), false}};
  table->storage = std::make_shared<DataTable>(table->Types());
  return table;
}

// A root fragment that scans nothing over a fragment scanning `table`.
FragmentedPlan ScanPlan(std::shared_ptr<TableEntry> table) {
  FragmentedPlan plan;
  PlanFragment root;
  root.id = 0;
  root.root = std::make_unique<ValuesNode>();
  root.output_exchange = kClientExchange;
  PlanFragment scan;
  scan.id = 1;
  auto node = std::make_unique<TableScanNode>();
  node->table = std::move(table);
  node->column_ids = {0};
  scan.root = std::move(node);
  scan.parallelism = 2;
  scan.output_exchange = 0;
  plan.fragments.push_back(std::move(root));
  plan.fragments.push_back(std::move(scan));
  plan.num_exchanges = 1;
  plan.exchange_consumer = {0};
  return plan;
}

std::shared_ptr<SegmentHandle> Segment(const std::string& id) {
  SegmentRecord record;
  record.segment_id = id;
  record.num_rows = 10;
  return std::make_shared<SegmentHandle>(record, "/warehouse/main/t/" + id, nullptr);
}

TEST(PlanPlacementTest, ManagedTablesRunOnExecutorsTablesInMemoryDoNot) {
  // A table the plan carries with its rows.
  EXPECT_TRUE(CanRunOnExecutors(ScanPlan(Table(0))));

  // A managed table with segments: the plan carries them.
  auto managed = Table(16384);
  auto data = std::make_shared<TableData>();
  data->segments = {Segment("t_-infinity_infinity_1_0"), Segment("t_-infinity_infinity_1_1")};
  data->row_count = 20;
  managed->storage->Install(data, {});
  EXPECT_TRUE(CanRunOnExecutors(ScanPlan(managed)));

  // An empty managed table (CREATE TABLE without rows yet).
  auto empty = Table(16385);
  empty->storage->MarkManaged();
  EXPECT_TRUE(CanRunOnExecutors(ScanPlan(empty)));

  // A catalog table held in memory (batches): only the coordinator has it.
  auto in_memory = Table(16386);
  DataChunk chunk({LogicalType(TypeId::kBigint)});
  chunk.column(0).SetValue(0, Value::Bigint(1));
  chunk.SetSize(1);
  in_memory->storage->Append(chunk);
  EXPECT_FALSE(CanRunOnExecutors(ScanPlan(in_memory)));
  // ... even when it is empty.
  EXPECT_FALSE(CanRunOnExecutors(ScanPlan(Table(16387))));

  // System tables are the coordinator's.
  EXPECT_FALSE(CanRunOnExecutors(ScanPlan(Table(16388, "sys"))));

  // A segment id an executor would refuse (a table named with a '/').
  auto odd = Table(16389);
  auto odd_data = std::make_shared<TableData>();
  odd_data->segments = {Segment("a/b_-infinity_infinity_1_0")};
  odd->storage->Install(odd_data, {});
  EXPECT_FALSE(CanRunOnExecutors(ScanPlan(odd)));
}

}  // namespace
}  // namespace basalt::cluster
