// JsonScan: reads read_json's files (storage/json) in parallel, one whole
// file per instance at a time. Instances take the next file from a cursor
// shared by all of them, so a fast instance reads more files. Only the
// output columns are converted; the other keys of each record are skipped.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/expression.h"
#include "exec/physical_node.h"

namespace basalt {

class JsonScanNode : public PhysicalNode {
 public:
  std::vector<std::string> files;
  // The JSON keys of every column of the files, in schema order (the SQL
  // names may differ when the query aliases the columns).
  std::vector<std::string> keys;
  std::vector<LogicalType> file_types;
  // File columns to output, in output order.
  std::vector<idx_t> column_ids;
  // Nullable; over the scan's output columns (kInputRef i is column_ids[i]).
  ExpressionPtr filter;

  std::string Name() const override { return "JsonScan"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
  std::shared_ptr<void> CreateSharedState(QueryContext& query) const override;
};

}  // namespace basalt
