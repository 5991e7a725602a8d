// GROUP BY: in place, in two phases around an exchange, or in one phase after
// repartitioning the raw rows (see physical_planner_internal.h).
#include <optional>

#include "common/exception.h"
#include "exec/function.h"
#include "exec/operators/hash_aggregate.h"
#include "exec/operators/projection.h"
#include "optimizer/physical_planner.h"
#include "optimizer/physical_planner_internal.h"

namespace basalt {

namespace {

// How one aggregate is computed in two phases: `partial` run before the
// exchange (each produces one column), `merge[i]` folds partial column i after
// it. avg is the only aggregate with two partial columns (sum, count).
struct TwoPhaseAggregate {
  std::vector<AggregateCall> partial;
  std::vector<BoundAggregateFunction> merge;
  bool average = false;
};

std::optional<BoundAggregateFunction> BindAggregate(const std::string& name,
                                                    std::vector<LogicalType> arg_types) {
  return FunctionRegistry::Get().BindAggregate(name, arg_types);
}

// The function that merges partial results of `name` (whose partial column
// has `type`); nullopt for aggregates that cannot be split.
std::optional<BoundAggregateFunction> MergeFunction(const std::string& name,
                                                    const LogicalType& type) {
  // The *_merge functions sum partial counts and sums in the partial
  // column's own type, so the final result has the original aggregate's type.
  if (name == "count" || name == "count_star") return BindAggregate("count_merge", {type});
  if (name == "sum") return BindAggregate("sum_merge", {type});
  if (name == "min" || name == "max" || name == "bool_and" || name == "bool_or" ||
      name == "every") {
    return BindAggregate(name, {type});
  }
  return std::nullopt;
}

AggregateCall MakeCall(const BoundAggregateFunction& function, const LogicalAggregateCall& call,
                       const std::vector<ColumnBinding>& bindings) {
  AggregateCall out;
  out.function = function;
  for (const auto& arg : call.args) out.args.push_back(ResolveExpression(*arg, bindings));
  out.distinct = call.distinct;
  if (call.filter) out.filter = ResolveExpression(*call.filter, bindings);
  return out;
}

std::optional<TwoPhaseAggregate> SplitAggregate(const LogicalAggregateCall& call,
                                                const std::vector<ColumnBinding>& bindings) {
  if (call.distinct) return std::nullopt;
  TwoPhaseAggregate split;
  const std::string& name = call.function.name;
  if (name == "avg") {
    // avg = sum / count, divided in the projection above the final phase.
    // Only for a floating-point avg: a decimal avg rounds its quotient in its
    // own way, which a cast of a decimal division might not reproduce.
    if (!call.function.return_type.IsFloat() || call.args.size() != 1) return std::nullopt;
    std::vector<LogicalType> arg_types = {call.args[0]->type};
    std::optional<BoundAggregateFunction> sum = BindAggregate("sum", arg_types);
    std::optional<BoundAggregateFunction> count = BindAggregate("count", arg_types);
    if (!sum || !count || sum->arg_types != arg_types) return std::nullopt;
    for (const BoundAggregateFunction& f : {*sum, *count}) {
      std::optional<BoundAggregateFunction> merge = MergeFunction(f.name, f.return_type);
      if (!merge) return std::nullopt;
      split.partial.push_back(MakeCall(f, call, bindings));
      split.merge.push_back(std::move(*merge));
    }
    split.average = true;
    return split;
  }
  std::optional<BoundAggregateFunction> merge = MergeFunction(name, call.function.return_type);
  if (!merge) return std::nullopt;
  split.partial.push_back(MakeCall(call.function, call, bindings));
  split.merge.push_back(std::move(*merge));
  return split;
}

// CASE WHEN sum IS NULL THEN NULL ELSE CAST(sum AS T) / CAST(count AS T) END.
// The sum is NULL exactly when no row was counted, so the division never
// sees a zero count.
ExpressionPtr MakeAverage(ExpressionPtr sum, ExpressionPtr count, const LogicalType& type) {
  std::optional<BoundScalarFunction> divide =
      FunctionRegistry::Get().BindScalar("/", {type, type}, {nullptr, nullptr});
  if (!divide) {
    ThrowError(sqlstate::kInternalError, "internal error: no division for {}", type.ToString());
  }
  std::vector<ExpressionPtr> args;
  args.push_back(CastTo(sum->Copy(), type));
  args.push_back(CastTo(std::move(count), type));
  ExpressionPtr quotient =
      CastTo(Expression::MakeFunction(std::move(*divide), std::move(args)), type);
  std::vector<ExpressionPtr> is_null_args;
  is_null_args.push_back(std::move(sum));
  auto result = std::make_unique<Expression>();
  result->kind = ExprKind::kCase;
  result->type = type;
  result->children.push_back(Expression::MakeBoolean(ExprKind::kIsNull, std::move(is_null_args)));
  result->children.push_back(Expression::MakeConstant(Value::Null(type)));
  result->children.push_back(std::move(quotient));
  return result;
}

}  // namespace

Stream PhysicalPlanner::PlanAggregate(const LogicalAggregate& agg) {
  Stream input = Plan(*agg.children[0]);
  std::vector<ExpressionPtr> groups;
  for (const auto& g : agg.groups) groups.push_back(ResolveExpression(*g, input.bindings));

  // Rows of a group are all in one instance already: aggregate in place.
  std::vector<idx_t> group_hash = MapHashColumns(input.hash_columns, groups);
  if (input.single() || !group_hash.empty()) {
    auto node = MakeNode<HashAggregateNode>(agg.GetTypes(), agg.estimated_rows);
    for (const auto& call : agg.aggregates) {
      node->aggregates.push_back(MakeCall(call.function, call, input.bindings));
    }
    node->groups = std::move(groups);
    node->children.push_back(std::move(input.node));
    input.node = std::move(node);
    input.bindings = agg.GetColumnBindings();
    input.hash_columns = input.single() ? std::vector<idx_t>{} : group_hash;
    return input;
  }
  for (const auto& call : agg.aggregates) {
    if (!SplitAggregate(call, input.bindings)) {
      return PlanOnePhaseAggregate(agg, std::move(input), std::move(groups));
    }
  }
  return PlanTwoPhaseAggregate(agg, std::move(input), std::move(groups));
}

Stream PhysicalPlanner::PlanTwoPhaseAggregate(const LogicalAggregate& agg, Stream input,
                                              std::vector<ExpressionPtr> groups) {
  const size_t num_groups = groups.size();
  std::vector<TwoPhaseAggregate> splits;
  for (const auto& call : agg.aggregates) splits.push_back(*SplitAggregate(call, input.bindings));

  // Partial: groups, then one column per partial aggregate.
  std::vector<LogicalType> partial_types;
  for (const auto& g : groups) partial_types.push_back(g->type);
  auto partial = MakeNode<HashAggregateNode>({}, input.node->estimated_rows);
  for (auto& split : splits) {
    for (auto& call : split.partial) {
      partial_types.push_back(call.function.return_type);
      partial->aggregates.push_back(std::move(call));
    }
  }
  partial->types = partial_types;
  partial->groups = std::move(groups);
  partial->children.push_back(std::move(input.node));
  input.node = std::move(partial);
  input.bindings.clear();
  for (size_t i = 0; i < partial_types.size(); i++) input.bindings.push_back(NewBinding());
  input.hash_columns.clear();

  std::vector<idx_t> group_columns;
  for (idx_t i = 0; i < num_groups; i++) group_columns.push_back(i);
  Stream merged = num_groups == 0 ? Gather(std::move(input))
                                  : Exchange(std::move(input), ExchangeType::kHash, group_columns,
                                             parallelism_);

  // Final: the same groups, each partial column merged.
  std::vector<LogicalType> final_types;
  auto final_node = MakeNode<HashAggregateNode>({}, agg.estimated_rows);
  for (idx_t i = 0; i < num_groups; i++) {
    final_node->groups.push_back(Expression::MakeInputRef(i, partial_types[i]));
    final_types.push_back(partial_types[i]);
  }
  idx_t column = num_groups;
  for (auto& split : splits) {
    for (auto& merge : split.merge) {
      AggregateCall call;
      ExpressionPtr arg = Expression::MakeInputRef(column, partial_types[column]);
      if (merge.arg_types.size() == 1) arg = CastTo(std::move(arg), merge.arg_types[0]);
      call.args.push_back(std::move(arg));
      final_types.push_back(merge.return_type);
      call.function = std::move(merge);
      final_node->aggregates.push_back(std::move(call));
      column++;
    }
  }
  final_node->types = final_types;

  // The aggregates' own types and avg's division, when needed.
  std::vector<ExpressionPtr> outputs;
  bool identity = true;
  for (idx_t i = 0; i < num_groups; i++) {
    outputs.push_back(Expression::MakeInputRef(i, final_types[i]));
  }
  column = num_groups;
  for (size_t k = 0; k < splits.size(); k++) {
    const LogicalType& type = agg.aggregates[k].function.return_type;
    if (splits[k].average) {
      outputs.push_back(MakeAverage(Expression::MakeInputRef(column, final_types[column]),
                                    Expression::MakeInputRef(column + 1, final_types[column + 1]),
                                    type));
      identity = false;
      column += 2;
    } else {
      if (final_types[column] != type) identity = false;
      outputs.push_back(CastTo(Expression::MakeInputRef(column, final_types[column]), type));
      column++;
    }
  }

  final_node->children.push_back(std::move(merged.node));
  merged.node = std::move(final_node);
  if (!identity) {
    auto projection = MakeNode<ProjectionNode>(agg.GetTypes(), agg.estimated_rows);
    projection->expressions = std::move(outputs);
    projection->children.push_back(std::move(merged.node));
    merged.node = std::move(projection);
  }
  merged.bindings = agg.GetColumnBindings();
  merged.hash_columns = merged.single() ? std::vector<idx_t>{} : group_columns;
  return merged;
}

Stream PhysicalPlanner::PlanOnePhaseAggregate(const LogicalAggregate& agg, Stream input,
                                              std::vector<ExpressionPtr> groups) {
  std::vector<idx_t> group_columns;
  if (groups.empty()) {
    input = Gather(std::move(input));
  } else {
    group_columns = KeyColumns(input, groups);
    input = Exchange(std::move(input), ExchangeType::kHash, group_columns, parallelism_);
  }
  auto node = MakeNode<HashAggregateNode>(agg.GetTypes(), agg.estimated_rows);
  for (idx_t c : group_columns) {
    node->groups.push_back(Expression::MakeInputRef(c, input.node->types[c]));
  }
  for (const auto& call : agg.aggregates) {
    node->aggregates.push_back(MakeCall(call.function, call, input.bindings));
  }
  node->children.push_back(std::move(input.node));
  input.node = std::move(node);
  input.bindings = agg.GetColumnBindings();
  input.hash_columns.clear();
  if (!input.single()) {
    for (idx_t i = 0; i < group_columns.size(); i++) input.hash_columns.push_back(i);
  }
  return input;
}

}  // namespace basalt
