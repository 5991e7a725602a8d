#include "cluster/plan_placement.h"

#include "catalog/catalog.h"
#include "catalog/system_table.h"
#include "exec/operators/table_scan.h"
#include "storage/managed/segment_handle.h"

namespace basalt::cluster {

namespace {

// Whether executors can read a table a plan scans.
bool ExecutorsCanRead(const TableEntry& table) {
  if (SystemTables::IsSystemSchema(table.schema)) return false;
  // oid 0: a table made for this query, which the plan carries with its rows.
  if (table.oid == 0) return true;
  // A managed table: the plan carries its segments, which executors read
  // from the shared warehouse. A catalog table held in memory (batches)
  // exists on the coordinator only.
  if (!table.storage || !table.storage->managed()) return false;
  // A segment id names a directory in an executor's cache, so executors
  // refuse ids that could name another one ('/', ".."; a table named so).
  for (const auto& segment : table.storage->Snapshot()->segments) {
    const std::string& id = segment->id();
    if (id.empty() || id.find('/') != std::string::npos || id.find("..") != std::string::npos) {
      return false;
    }
  }
  return true;
}

bool NodeCanRunOnExecutors(const PhysicalNode& node, bool* scans) {
  if (const auto* scan = dynamic_cast<const TableScanNode*>(&node)) {
    if (!scan->table || !ExecutorsCanRead(*scan->table)) return false;
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
