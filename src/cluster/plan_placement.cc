#include "cluster/plan_placement.h"

#include "catalog/catalog.h"
#include "catalog/system_table.h"
#include "exec/operators/table_scan.h"

namespace basalt::cluster {

namespace {

bool NodeCanRunOnExecutors(const PhysicalNode& node, bool* scans) {
  if (const auto* scan = dynamic_cast<const TableScanNode*>(&node)) {
    // oid 0: a table made for this query, which the plan carries with its rows.
    if (!scan->table || scan->table->oid != 0 || SystemTables::IsSystemSchema(scan->table->schema)) {
      return false;
    }
    *scans = true;
  }
  // File scans split their ranges between nodes (Parquet row groups, CSV and
  // JSON files; ScanShare) and the executors open the files by path (one
  // shared file system). Statistics are stored by the coordinator.
  const std::string name = node.Name();
  if (name == "ParquetScan" || name == "FileScan" || name == "JsonScan") *scans = true;
  if (name == "ColumnStatistics") return false;
  for (const auto& child : node.children) {
    if (!NodeCanRunOnExecutors(*child, scans)) return false;
  }
  return true;
}

}  // namespace

bool CanRunOnExecutors(const FragmentedPlan& plan) {
  bool scans = false;
  for (const PlanFragment& fragment : plan.fragments) {
    bool fragment_scans = false;
    if (!NodeCanRunOnExecutors(*fragment.root, &fragment_scans)) return false;
    // The root fragment runs on the coordinator, which takes no share of the
    // scans: a scan there would read nothing.
    if (fragment_scans && fragment.output_exchange == kClientExchange) return false;
    scans |= fragment_scans;
  }
  // A plan that scans nothing (SELECT 1, a VALUES list) is not worth a trip.
  return scans;
}

int ClusterParallelism(const std::vector<NodeInfo>& executors, int max_slices) {
  int instances = 0;
  for (const NodeInfo& node : executors) instances += int(std::max(1u, node.threads()));
  if (max_slices > 0) instances = std::min(instances, max_slices);
  // With one instance the planner makes a single fragment, the root, which
  // runs on the coordinator: two keep the scans in fragments of their own.
  return std::max(2, instances);
}

}  // namespace basalt::cluster
