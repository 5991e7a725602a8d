// Window functions (SQL's OVER clause) with PostgreSQL's semantics, for one
// PARTITION BY / ORDER BY specification; the planner stacks one WindowNode
// per distinct specification.
//
// Output: every input column, then one column per function. Rows come out in
// (partition, order) order: partitions contiguous (in an unspecified order),
// rows inside one by the ORDER BY keys, peers (rows with equal ORDER BY keys)
// in no particular order. NULL partition keys form one partition.
//
// The operator consumes its whole input into a ColumnStore (input columns
// plus every computed key and argument), sorts row ids by (partition keys,
// order keys) with SortRows, marks where partitions and peer groups begin,
// and then computes each function's column a batch at a time while emitting
// (window_rows.h, window_evaluator.h):
//   row_number, rank, dense_rank, ntile  from positions and peer groups;
//   lag, lead                            by row position in the partition;
//   first_value, last_value, aggregates  over each row's frame (window_frame.h).
// Aggregates over frames that start at the partition's first row grow one
// running state; other frames query a segment tree of partial states
// (window_segment_tree.h), so no aggregate costs O(rows x frame size).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/expression.h"
#include "exec/function.h"
#include "exec/operators/sort_key.h"
#include "exec/operators/window_frame.h"
#include "exec/physical_node.h"

namespace basalt {

enum class WindowFunctionKind : uint8_t {
  kRowNumber,
  kRank,
  kDenseRank,
  kNtile,
  kLag,
  kLead,
  kFirstValue,
  kLastValue,
  kAggregate,
};

struct WindowFunction {
  WindowFunctionKind kind = WindowFunctionKind::kRowNumber;
  BoundAggregateFunction aggregate;  // kAggregate: sum/avg/min/max/count/count_star/...
  // Over the node's input columns (kInputRef or computed). lag/lead: value,
  // offset (constant BIGINT, default 1), default value (constant, cast to the
  // value's type; default NULL). ntile: bucket count (constant BIGINT).
  // first_value/last_value: value. kAggregate: the aggregate's arguments.
  std::vector<ExpressionPtr> args;
  LogicalType return_type;
  WindowFrame frame;  // the SQL default already resolved by the binder
};

class WindowNode : public PhysicalNode {
 public:
  std::vector<ExpressionPtr> partition_by;  // over the input
  std::vector<SortKey> order_by;            // over the input
  std::vector<WindowFunction> functions;
  // output: every input column, then one column per function

  std::string Name() const override { return "Window"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

// "row_number", "lag", ...; an aggregate's own name.
std::string WindowFunctionName(const WindowFunction& function);

}  // namespace basalt
