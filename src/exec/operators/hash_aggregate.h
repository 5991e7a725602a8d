// GROUP BY with aggregates, by hashing.
//
// Output: the group values (in the order of `groups`), then one column per
// aggregate (its function's return_type). Without groups the result is
// exactly one row, also for empty input (count gives 0, sum NULL). NULL group
// values form one group.
//
// The operator consumes its whole input, then emits the groups a batch at a
// time. Per input batch it evaluates the group expressions, hashes them
// (HashVector), finds or creates every row's group in a GroupHashTable,
// gathers the rows' state pointers into an array and calls each aggregate's
// update once for the batch. FILTER (WHERE ...) narrows the rows per
// aggregate. A DISTINCT aggregate first passes its (group, arguments) pairs
// through a hash set of its own and updates only with pairs it has not seen,
// so no group carries a set of its own.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/expression.h"
#include "exec/physical_node.h"

namespace basalt {

struct AggregateCall {
  BoundAggregateFunction function;
  std::vector<ExpressionPtr> args;  // over the input columns
  bool distinct = false;
  ExpressionPtr filter;  // nullable; over the input columns
};

class HashAggregateNode : public PhysicalNode {
 public:
  std::vector<ExpressionPtr> groups;  // over the input columns
  std::vector<AggregateCall> aggregates;

  std::string Name() const override { return "HashAggregate"; }
  std::string Details() const override;
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

}  // namespace basalt
