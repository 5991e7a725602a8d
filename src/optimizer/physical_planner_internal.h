// The physical planner's state, shared by its files (physical_planner.cc for
// scans, filters, projections, sorts, limits and set operations;
// physical_planner_join.cc; physical_planner_aggregate.cc).
//
// Planning is bottom-up. Each subtree yields a Stream: the top node of a
// fragment still being built, plus where its rows are (its distribution):
// - partitioned: spread over `instances` instances in no useful way (scans
//   run with `parallelism` instances, each taking ranges from a shared queue);
// - hashed: partitioned so that rows with equal `hash_columns` values are in
//   one instance (the output of a hash exchange, and what a join or an
//   aggregate over it keeps);
// - single: one instance holds every row (instances == 1).
// An operator that needs another distribution than its input has cuts the
// fragment there: the input's fragment is closed and sends its rows through
// a new exchange (gather, hash or broadcast), and the operator starts the
// consumer fragment with an ExchangeReceiverNode as its input.
//
// The rules:
// - Filter and projection stay in their child's fragment.
// - GROUP BY: a partial HashAggregate in the child's fragment, a hash
//   exchange on the group columns, a final HashAggregate with `parallelism`
//   instances (count merges with count_merge, sum with sum_merge, min / max /
//   bool_and / bool_or with themselves; a floating-point avg becomes sum and
//   count, divided in a projection above the final phase). Without groups
//   the partials are gathered into one final instance. DISTINCT aggregates
//   and aggregates with no merge function (variance, decimal avg, whose
//   rounding a division would not reproduce) skip the partial phase: the raw
//   rows are hash-exchanged on the group columns (or gathered) and
//   aggregated once. Input that is already single, or already hashed on
//   columns that are all group columns, is aggregated in place.
// - Joins: equi-joins become hash joins (keys cast to their common type),
//   others nested loop joins. For inner, left, semi and anti joins a small
//   build side (kBroadcastRowLimit) is broadcast into the probe side's
//   fragment; otherwise both sides are hash-exchanged on the keys into a new
//   fragment, or only one when the other is already hashed on its keys.
//   Right and full joins always repartition (hash) or run in one instance
//   (nested loop): each instance emits its own unmatched build rows, so every
//   build row must be in exactly one instance. Two single inputs join in place.
// - ORDER BY gathers and sorts in one instance; ORDER BY + LIMIT runs a TopN
//   of limit + offset rows per instance, gathers, and a final TopN; LIMIT
//   likewise with Limit.
// - UNION ALL gathers its children into one instance (simple; the parallel
//   alternative, hashing every row, costs more than it gives for the small
//   unions queries usually have); UNION hash-exchanges each child on all
//   columns and removes duplicates with a HashAggregate in place.
// - The root fragment (id 0) has one instance and sends to the client.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/fragment.h"
#include "exec/operators/hash_aggregate.h"
#include "exec/operators/join_type.h"
#include "plan/logical_operator.h"

namespace basalt {

// The table index of columns the planner adds (join and group keys computed
// for a hash exchange); no logical operator refers to it.
inline constexpr uint32_t kPlannerTableIndex = ~uint32_t{0};

struct Stream {
  std::unique_ptr<PhysicalNode> node;
  // The logical binding of each output column of `node`.
  std::vector<ColumnBinding> bindings;
  int instances = 1;
  // Output columns rows are hash-partitioned on; empty when not hashed.
  std::vector<idx_t> hash_columns;
  // Exchanges whose receivers are in this (unfinished) fragment.
  std::vector<int> received_exchanges;

  bool single() const { return instances == 1; }
};

class PhysicalPlanner {
 public:
  explicit PhysicalPlanner(int parallelism) : parallelism_(parallelism < 1 ? 1 : parallelism) {}

  FragmentedPlan Build(const LogicalOperator& plan, std::vector<std::string> column_names);

 private:
  Stream Plan(const LogicalOperator& op);
  Stream PlanGet(const LogicalGet& get);
  Stream PlanFileScan(const LogicalFileScan& scan);
  Stream PlanValues(const LogicalValues& values);
  Stream PlanFilter(const LogicalFilter& filter);
  Stream PlanProjection(const LogicalProjection& projection);
  Stream PlanOrder(const LogicalOrder& order);
  Stream PlanLimit(const LogicalLimit& limit);
  Stream PlanTopN(const LogicalLimit& limit, const LogicalOrder& order);
  Stream PlanSetOperation(const LogicalSetOperation& set);
  Stream PlanWindow(const LogicalWindow& window);
  // physical_planner_join.cc
  Stream PlanJoin(const LogicalJoin& join);
  Stream PlanHashJoin(const LogicalJoin& join, JoinType type, Stream probe, Stream build,
                      std::vector<ExpressionPtr> probe_keys, std::vector<ExpressionPtr> build_keys,
                      std::vector<const Expression*> residual);
  Stream PlanNestedLoopJoin(const LogicalJoin& join, JoinType type, Stream probe, Stream build);
  // physical_planner_aggregate.cc
  Stream PlanAggregate(const LogicalAggregate& agg);
  Stream PlanTwoPhaseAggregate(const LogicalAggregate& agg, Stream input,
                               std::vector<ExpressionPtr> groups);
  Stream PlanOnePhaseAggregate(const LogicalAggregate& agg, Stream input,
                               std::vector<ExpressionPtr> groups);

  // Closes `input`'s fragment, sending its rows through a new exchange of
  // `type` to a consumer with `consumer_instances` instances, and returns the
  // consumer's receiving stream.
  Stream Exchange(Stream input, ExchangeType type, std::vector<idx_t> hash_columns,
                  int consumer_instances);
  // `input` with exactly `op`'s output columns, in order (a projection drops
  // columns the planner added and restores the order), for consumers that
  // read columns by position: the client and set operations.
  Stream Conform(Stream input, const LogicalOperator& op);
  // The rows of `input` in a single instance (no exchange when already so).
  Stream Gather(Stream input);
  // Makes every key a column of `stream` (adding a projection for keys that
  // are not column references) and returns the key columns.
  std::vector<idx_t> KeyColumns(Stream& stream, const std::vector<ExpressionPtr>& keys);
  // Moves the fragment rooted at `stream.node` into the plan; returns its id.
  int AddFragment(Stream stream, int output_exchange, ExchangeType type,
                  std::vector<idx_t> hash_columns);

  // Assigns the node a unique id, its output types and the estimate.
  template <typename Node>
  std::unique_ptr<Node> MakeNode(std::vector<LogicalType> types, double estimated_rows) {
    auto node = std::make_unique<Node>();
    node->id = next_node_id_++;
    node->types = std::move(types);
    node->estimated_rows = estimated_rows > 0 ? estimated_rows : 0;
    return node;
  }
  // A fresh binding for a column the planner adds.
  ColumnBinding NewBinding() { return ColumnBinding{kPlannerTableIndex, next_planner_column_++}; }

  const int parallelism_;
  int next_node_id_ = 0;
  uint32_t next_planner_column_ = 0;
  FragmentedPlan plan_;
};

// Rewrites a logical expression over `bindings` into a physical one whose
// column references are kInputRef positions in `bindings`.
ExpressionPtr ResolveExpression(const Expression& expr, const std::vector<ColumnBinding>& bindings);
// The AND of the resolved conjuncts; nullptr when there are none.
ExpressionPtr ResolveConjunction(const std::vector<const Expression*>& conjuncts,
                                 const std::vector<ColumnBinding>& bindings);
// `expr` cast to `type` (unchanged when it already has that type).
ExpressionPtr CastTo(ExpressionPtr expr, const LogicalType& type);
std::vector<LogicalType> TypesOf(const Stream& stream);
// Where the hash columns of an input end up in the output of a node that
// computes `outputs` from it; empty when one of them is not passed through as
// a plain column (the hashed distribution is lost).
std::vector<idx_t> MapHashColumns(const std::vector<idx_t>& hash_columns,
                                  const std::vector<ExpressionPtr>& outputs);

}  // namespace basalt
