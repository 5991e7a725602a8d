// Logical plans: what the binder produces and the optimizer rewrites.
//
// Every operator produces columns named by ColumnBindings (see
// exec/expression.h): a Get produces (table_index, table column number), a
// Projection (table_index, i), an Aggregate (group_index, i) for its groups
// and (aggregate_index, j) for its aggregates, and so on. Expressions refer
// to columns only through these bindings, so operators can be moved,
// removed or reordered without renumbering anything.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "exec/expression.h"
#include "exec/function.h"
#include "exec/operators/file_virtual_columns.h"
#include "exec/operators/window.h"

namespace basalt {

enum class LogicalOperatorType : uint8_t {
  kGet,          // scan of a table
  kFileScan,     // read_csv(...) and other files in place
  kValues,       // literal rows (VALUES, SELECT without FROM)
  kFilter,
  kProjection,
  kAggregate,
  kJoin,
  kOrder,
  kLimit,
  kSetOperation, // UNION / INTERSECT / EXCEPT [ALL]
  kWindow,       // window functions over partitions of the input
};

struct LogicalOperator {
  explicit LogicalOperator(LogicalOperatorType type) : type(type) {}
  virtual ~LogicalOperator() = default;

  const LogicalOperatorType type;
  std::vector<std::unique_ptr<LogicalOperator>> children;
  // Estimated output rows, set by the optimizer's cardinality estimation.
  double estimated_rows = -1;

  // The columns this operator outputs, in order, and their types.
  virtual std::vector<ColumnBinding> GetColumnBindings() const = 0;
  virtual std::vector<LogicalType> GetTypes() const = 0;
  virtual std::string Name() const = 0;
  // Indented tree for debugging and EXPLAIN (LOGICAL).
  std::string ToString(int indent = 0) const;
  virtual std::string Details() const { return ""; }
};

using LogicalOperatorPtr = std::unique_ptr<LogicalOperator>;

struct LogicalGet : LogicalOperator {
  LogicalGet() : LogicalOperator(LogicalOperatorType::kGet) {}
  uint32_t table_index = 0;
  std::shared_ptr<TableEntry> table;
  // Table column numbers to read (projection pruning shrinks this list).
  std::vector<idx_t> column_ids;
  // Conjuncts pushed into the scan (bindings of this Get only).
  std::vector<ExpressionPtr> filters;

  std::vector<ColumnBinding> GetColumnBindings() const override;
  std::vector<LogicalType> GetTypes() const override;
  std::string Name() const override { return "Get"; }
  std::string Details() const override;
};

enum class FileFormat : uint8_t { kCsv, kParquet, kJson };

struct LogicalFileScan : LogicalOperator {
  LogicalFileScan() : LogicalOperator(LogicalOperatorType::kFileScan) {}
  uint32_t table_index = 0;
  FileFormat format = FileFormat::kCsv;
  std::vector<std::string> files;
  // Format options: CsvOptions for kCsv; for kParquet the ParquetFileList
  // opened at bind time; for kJson the JSON keys of the columns (a
  // std::vector<std::string>, since `names` may be aliases).
  std::shared_ptr<const void> options;
  std::vector<std::string> names;       // every column of the files, then virtual ones
  std::vector<LogicalType> types;
  std::vector<idx_t> column_ids;        // which of them to produce
  // Nullable: Hive partition columns and filename, after the files' columns.
  std::shared_ptr<const FileVirtualColumns> virtual_columns;
  // CSV and JSON: the session's file_split_size (exec/operators/file_ranges.h).
  int64_t split_size = -1;
  // How many of `names` are the files' own columns.
  size_t FileColumnCount() const {
    return virtual_columns ? virtual_columns->file_column_count : names.size();
  }

  std::vector<ColumnBinding> GetColumnBindings() const override;
  std::vector<LogicalType> GetTypes() const override;
  std::string Name() const override { return "FileScan"; }
  std::string Details() const override;
};

struct LogicalValues : LogicalOperator {
  LogicalValues() : LogicalOperator(LogicalOperatorType::kValues) {}
  uint32_t table_index = 0;
  std::vector<LogicalType> types;
  std::vector<std::vector<ExpressionPtr>> rows;  // constant-foldable expressions

  std::vector<ColumnBinding> GetColumnBindings() const override;
  std::vector<LogicalType> GetTypes() const override { return types; }
  std::string Name() const override { return "Values"; }
};

struct LogicalFilter : LogicalOperator {
  LogicalFilter() : LogicalOperator(LogicalOperatorType::kFilter) {}
  std::vector<ExpressionPtr> conditions;  // conjuncts, all must be TRUE

  std::vector<ColumnBinding> GetColumnBindings() const override {
    return children[0]->GetColumnBindings();
  }
  std::vector<LogicalType> GetTypes() const override { return children[0]->GetTypes(); }
  std::string Name() const override { return "Filter"; }
  std::string Details() const override;
};

struct LogicalProjection : LogicalOperator {
  LogicalProjection() : LogicalOperator(LogicalOperatorType::kProjection) {}
  uint32_t table_index = 0;
  std::vector<ExpressionPtr> expressions;

  std::vector<ColumnBinding> GetColumnBindings() const override;
  std::vector<LogicalType> GetTypes() const override;
  std::string Name() const override { return "Projection"; }
  std::string Details() const override;
};

// One aggregate call: function over argument expressions of the child.
struct LogicalAggregateCall {
  BoundAggregateFunction function;
  std::vector<ExpressionPtr> args;
  bool distinct = false;
  ExpressionPtr filter;  // nullable
  std::string ToString() const;
  LogicalAggregateCall Copy() const;
};

struct LogicalAggregate : LogicalOperator {
  LogicalAggregate() : LogicalOperator(LogicalOperatorType::kAggregate) {}
  uint32_t group_index = 0;
  uint32_t aggregate_index = 0;
  std::vector<ExpressionPtr> groups;
  std::vector<LogicalAggregateCall> aggregates;

  std::vector<ColumnBinding> GetColumnBindings() const override;
  std::vector<LogicalType> GetTypes() const override;
  std::string Name() const override { return "Aggregate"; }
  std::string Details() const override;
};

enum class LogicalJoinType : uint8_t { kInner, kLeft, kRight, kFull, kSemi, kAnti, kCross };

struct LogicalJoin : LogicalOperator {
  LogicalJoin() : LogicalOperator(LogicalOperatorType::kJoin) {}
  LogicalJoinType join_type = LogicalJoinType::kInner;
  // Conjuncts of the ON condition over both children's bindings.
  std::vector<ExpressionPtr> conditions;

  std::vector<ColumnBinding> GetColumnBindings() const override;
  std::vector<LogicalType> GetTypes() const override;
  std::string Name() const override { return "Join"; }
  std::string Details() const override;
};

struct LogicalOrderKey {
  ExpressionPtr expr;
  bool descending = false;
  bool nulls_first = false;  // resolved: SQL default is NULLS LAST for ASC, FIRST for DESC
};

struct LogicalOrder : LogicalOperator {
  LogicalOrder() : LogicalOperator(LogicalOperatorType::kOrder) {}
  std::vector<LogicalOrderKey> keys;

  std::vector<ColumnBinding> GetColumnBindings() const override {
    return children[0]->GetColumnBindings();
  }
  std::vector<LogicalType> GetTypes() const override { return children[0]->GetTypes(); }
  std::string Name() const override { return "Order"; }
  std::string Details() const override;
};

struct LogicalLimit : LogicalOperator {
  LogicalLimit() : LogicalOperator(LogicalOperatorType::kLimit) {}
  // kNoLimit when only OFFSET was given.
  static constexpr idx_t kNoLimit = ~idx_t{0};
  idx_t limit = kNoLimit;
  idx_t offset = 0;

  std::vector<ColumnBinding> GetColumnBindings() const override {
    return children[0]->GetColumnBindings();
  }
  std::vector<LogicalType> GetTypes() const override { return children[0]->GetTypes(); }
  std::string Name() const override { return "Limit"; }
  std::string Details() const override;
};

enum class SetOperationKind : uint8_t { kUnion, kIntersect, kExcept };

// Both children output the same number of columns of the same types (the
// binder adds casting projections).
struct LogicalSetOperation : LogicalOperator {
  LogicalSetOperation() : LogicalOperator(LogicalOperatorType::kSetOperation) {}
  uint32_t table_index = 0;
  SetOperationKind kind = SetOperationKind::kUnion;
  bool all = false;
  std::vector<LogicalType> types;

  std::vector<ColumnBinding> GetColumnBindings() const override;
  std::vector<LogicalType> GetTypes() const override { return types; }
  std::string Name() const override;
};

// One window function call; its value is the column (table_index, 0).
struct LogicalWindowCall {
  uint32_t table_index = 0;
  WindowFunctionKind kind = WindowFunctionKind::kRowNumber;
  BoundAggregateFunction aggregate;  // kAggregate
  std::vector<ExpressionPtr> args;
  LogicalType return_type;
  WindowFrame frame;
  std::string name;  // for EXPLAIN
};

// Window functions sharing one PARTITION BY / ORDER BY. Outputs the child's
// columns followed by one column per call.
struct LogicalWindow : LogicalOperator {
  LogicalWindow() : LogicalOperator(LogicalOperatorType::kWindow) {}
  std::vector<ExpressionPtr> partition_by;
  std::vector<LogicalOrderKey> order_by;
  std::vector<LogicalWindowCall> calls;

  std::vector<ColumnBinding> GetColumnBindings() const override;
  std::vector<LogicalType> GetTypes() const override;
  std::string Name() const override { return "Window"; }
  std::string Details() const override;
};

}  // namespace basalt
