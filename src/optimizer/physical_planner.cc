#include "optimizer/physical_planner.h"

#include <algorithm>
#include <map>

#include "common/exception.h"
#include "exec/cast.h"
#include "exec/expression_executor.h"
#include "exec/operators/file_scan.h"
#include "exec/operators/filter.h"
#include "exec/operators/json_scan.h"
#include "exec/operators/limit.h"
#include "exec/operators/parquet_scan.h"
#include "exec/operators/projection.h"
#include "exec/operators/sort.h"
#include "exec/operators/window.h"
#include "exec/operators/table_scan.h"
#include "exec/operators/top_n.h"
#include "exec/operators/union_all.h"
#include "exec/operators/values.h"
#include "optimizer/physical_planner_internal.h"
#include "storage/csv_options.h"

namespace basalt {

// --- Expression helpers ------------------------------------------------------

ExpressionPtr ResolveExpression(const Expression& expr,
                                const std::vector<ColumnBinding>& bindings) {
  ExpressionPtr out = expr.Copy();
  VisitExpressionMutable(*out, [&](Expression& e) {
    if (e.kind != ExprKind::kColumnRef) return;
    auto it = std::find(bindings.begin(), bindings.end(), e.binding);
    if (it == bindings.end()) {
      ThrowError(sqlstate::kInternalError,
                 "internal error: column #{}.{} of {} is not in the operator's input",
                 e.binding.table_index, e.binding.column_index, expr.ToString());
    }
    e.kind = ExprKind::kInputRef;
    e.input_index = static_cast<idx_t>(it - bindings.begin());
  });
  return out;
}

ExpressionPtr ResolveConjunction(const std::vector<const Expression*>& conjuncts,
                                 const std::vector<ColumnBinding>& bindings) {
  if (conjuncts.empty()) return nullptr;
  std::vector<ExpressionPtr> resolved;
  for (const Expression* c : conjuncts) resolved.push_back(ResolveExpression(*c, bindings));
  if (resolved.size() == 1) return std::move(resolved[0]);
  return Expression::MakeBoolean(ExprKind::kAnd, std::move(resolved));
}

ExpressionPtr CastTo(ExpressionPtr expr, const LogicalType& type) {
  if (expr->type == type) return expr;
  std::optional<BoundScalarFunction> cast = BindCast(expr->type, type);
  if (!cast) {
    ThrowError(sqlstate::kInternalError, "internal error: no cast from {} to {}",
               expr->type.ToString(), type.ToString());
  }
  std::vector<ExpressionPtr> args;
  args.push_back(std::move(expr));
  ExpressionPtr out = Expression::MakeFunction(std::move(*cast), std::move(args));
  out->type = type;
  return out;
}

std::vector<LogicalType> TypesOf(const Stream& stream) { return stream.node->types; }

std::vector<idx_t> MapHashColumns(const std::vector<idx_t>& hash_columns,
                                  const std::vector<ExpressionPtr>& outputs) {
  std::vector<idx_t> mapped;
  for (idx_t h : hash_columns) {
    bool found = false;
    for (size_t i = 0; i < outputs.size() && !found; i++) {
      if (outputs[i]->kind == ExprKind::kInputRef && outputs[i]->input_index == h) {
        mapped.push_back(i);
        found = true;
      }
    }
    if (!found) return {};
  }
  return mapped;
}

namespace {

std::vector<const Expression*> Pointers(const std::vector<ExpressionPtr>& exprs) {
  std::vector<const Expression*> out;
  for (const auto& e : exprs) out.push_back(e.get());
  return out;
}

std::vector<SortKey> ResolveSortKeys(const std::vector<LogicalOrderKey>& keys,
                                     const std::vector<ColumnBinding>& bindings) {
  std::vector<SortKey> out;
  for (const LogicalOrderKey& key : keys) {
    SortKey k;
    k.expr = ResolveExpression(*key.expr, bindings);
    k.descending = key.descending;
    k.nulls_first = key.nulls_first;
    out.push_back(std::move(k));
  }
  return out;
}

std::vector<SortKey> CopySortKeys(const std::vector<SortKey>& keys) {
  std::vector<SortKey> out;
  for (const SortKey& key : keys) {
    out.push_back(SortKey{key.expr->Copy(), key.descending, key.nulls_first});
  }
  return out;
}

// limit + offset without wrapping around.
idx_t RowsNeeded(idx_t limit, idx_t offset) {
  return limit > kNoLimit - offset ? kNoLimit : limit + offset;
}

}  // namespace

// --- Fragments and exchanges ---------------------------------------------------

int PhysicalPlanner::AddFragment(Stream stream, int output_exchange, ExchangeType type,
                                 std::vector<idx_t> hash_columns) {
  PlanFragment fragment;
  fragment.id = static_cast<int>(plan_.fragments.size());
  fragment.root = std::move(stream.node);
  fragment.parallelism = stream.instances;
  fragment.output_exchange = output_exchange;
  fragment.output_type = type;
  fragment.hash_columns = std::move(hash_columns);
  for (int exchange : stream.received_exchanges) plan_.exchange_consumer[exchange] = fragment.id;
  plan_.fragments.push_back(std::move(fragment));
  return plan_.fragments.back().id;
}

Stream PhysicalPlanner::Exchange(Stream input, ExchangeType type, std::vector<idx_t> hash_columns,
                                 int consumer_instances) {
  const int exchange = plan_.num_exchanges++;
  plan_.exchange_consumer.push_back(-1);  // set when the consumer's fragment is added
  std::vector<LogicalType> types = input.node->types;
  double rows = input.node->estimated_rows;
  std::vector<ColumnBinding> bindings = std::move(input.bindings);
  int source = AddFragment(std::move(input), exchange, type, hash_columns);

  auto receiver = MakeNode<ExchangeReceiverNode>(std::move(types), rows);
  receiver->exchange_id = exchange;
  receiver->exchange_type = type;
  receiver->source_fragment = source;
  Stream out;
  out.node = std::move(receiver);
  out.bindings = std::move(bindings);
  out.instances = consumer_instances;
  if (type == ExchangeType::kHash && consumer_instances > 1) out.hash_columns = hash_columns;
  out.received_exchanges = {exchange};
  return out;
}

Stream PhysicalPlanner::Conform(Stream input, const LogicalOperator& op) {
  std::vector<ColumnBinding> bindings = op.GetColumnBindings();
  if (input.bindings == bindings) return input;
  std::vector<LogicalType> types = op.GetTypes();
  std::vector<ExpressionPtr> exprs;
  for (size_t i = 0; i < bindings.size(); i++) {
    exprs.push_back(
        ResolveExpression(*Expression::MakeColumnRef(bindings[i], types[i]), input.bindings));
  }
  auto projection = MakeNode<ProjectionNode>(std::move(types), input.node->estimated_rows);
  input.hash_columns = MapHashColumns(input.hash_columns, exprs);
  projection->expressions = std::move(exprs);
  projection->children.push_back(std::move(input.node));
  input.node = std::move(projection);
  input.bindings = std::move(bindings);
  return input;
}

Stream PhysicalPlanner::Gather(Stream input) {
  if (input.single()) return input;
  return Exchange(std::move(input), ExchangeType::kGather, {}, 1);
}

std::vector<idx_t> PhysicalPlanner::KeyColumns(Stream& stream,
                                               const std::vector<ExpressionPtr>& keys) {
  std::vector<idx_t> columns;
  std::vector<const Expression*> computed;
  const idx_t width = stream.bindings.size();
  for (const auto& key : keys) {
    if (key->kind == ExprKind::kInputRef) {
      columns.push_back(key->input_index);
    } else {
      columns.push_back(width + computed.size());
      computed.push_back(key.get());
    }
  }
  if (computed.empty()) return columns;
  // Pass every column through and append the computed keys.
  std::vector<LogicalType> types = stream.node->types;
  std::vector<ExpressionPtr> exprs;
  for (idx_t i = 0; i < width; i++) exprs.push_back(Expression::MakeInputRef(i, types[i]));
  for (const Expression* key : computed) {
    exprs.push_back(key->Copy());
    types.push_back(key->type);
    stream.bindings.push_back(NewBinding());
  }
  auto projection = MakeNode<ProjectionNode>(std::move(types), stream.node->estimated_rows);
  projection->expressions = std::move(exprs);
  projection->children.push_back(std::move(stream.node));
  stream.node = std::move(projection);
  return columns;
}

// --- Operators -----------------------------------------------------------------

Stream PhysicalPlanner::Plan(const LogicalOperator& op) {
  switch (op.type) {
    case LogicalOperatorType::kGet:
      return PlanGet(static_cast<const LogicalGet&>(op));
    case LogicalOperatorType::kFileScan:
      return PlanFileScan(static_cast<const LogicalFileScan&>(op));
    case LogicalOperatorType::kValues:
      return PlanValues(static_cast<const LogicalValues&>(op));
    case LogicalOperatorType::kFilter:
      return PlanFilter(static_cast<const LogicalFilter&>(op));
    case LogicalOperatorType::kProjection:
      return PlanProjection(static_cast<const LogicalProjection&>(op));
    case LogicalOperatorType::kAggregate:
      return PlanAggregate(static_cast<const LogicalAggregate&>(op));
    case LogicalOperatorType::kJoin:
      return PlanJoin(static_cast<const LogicalJoin&>(op));
    case LogicalOperatorType::kOrder:
      return PlanOrder(static_cast<const LogicalOrder&>(op));
    case LogicalOperatorType::kLimit:
      return PlanLimit(static_cast<const LogicalLimit&>(op));
    case LogicalOperatorType::kSetOperation:
      return PlanSetOperation(static_cast<const LogicalSetOperation&>(op));
    case LogicalOperatorType::kWindow:
      return PlanWindow(static_cast<const LogicalWindow&>(op));
  }
  ThrowError(sqlstate::kInternalError, "internal error: unknown logical operator {}", op.Name());
}

Stream PhysicalPlanner::PlanGet(const LogicalGet& get) {
  Stream out;
  out.bindings = get.GetColumnBindings();
  auto scan = MakeNode<TableScanNode>(get.GetTypes(), get.estimated_rows);
  scan->table = get.table;
  scan->column_ids = get.column_ids;
  scan->filter = ResolveConjunction(Pointers(get.filters), out.bindings);
  out.node = std::move(scan);
  out.instances = parallelism_;
  return out;
}

Stream PhysicalPlanner::PlanFileScan(const LogicalFileScan& scan) {
  Stream out;
  out.bindings = scan.GetColumnBindings();
  // The nodes' names and types describe the files' own columns; virtual
  // columns travel separately.
  const size_t file_columns = scan.FileColumnCount();
  std::vector<std::string> names(scan.names.begin(), scan.names.begin() + file_columns);
  std::vector<LogicalType> types(scan.types.begin(), scan.types.begin() + file_columns);
  if (scan.format == FileFormat::kParquet) {
    auto node = MakeNode<ParquetScanNode>(scan.GetTypes(), scan.estimated_rows);
    node->files = std::static_pointer_cast<const ParquetFileList>(scan.options);
    node->names = std::move(names);
    node->file_types = std::move(types);
    node->column_ids = scan.column_ids;
    node->virtual_columns = scan.virtual_columns;
    out.node = std::move(node);
    out.instances = parallelism_;
    return out;
  }
  if (scan.format == FileFormat::kJson) {
    auto node = MakeNode<JsonScanNode>(scan.GetTypes(), scan.estimated_rows);
    node->files = scan.files;
    node->keys = *std::static_pointer_cast<const std::vector<std::string>>(scan.options);
    node->split_size = scan.split_size;
    node->file_types = std::move(types);
    node->column_ids = scan.column_ids;
    node->virtual_columns = scan.virtual_columns;
    out.node = std::move(node);
    out.instances = parallelism_;
    return out;
  }
  auto node = MakeNode<FileScanNode>(scan.GetTypes(), scan.estimated_rows);
  node->files = scan.files;
  node->options = std::static_pointer_cast<const CsvOptions>(scan.options);
  node->split_size = scan.split_size;
  node->names = std::move(names);
  node->file_types = std::move(types);
  node->column_ids = scan.column_ids;
  node->virtual_columns = scan.virtual_columns;
  out.node = std::move(node);
  out.instances = parallelism_;
  return out;
}

Stream PhysicalPlanner::PlanValues(const LogicalValues& values) {
  auto node = MakeNode<ValuesNode>(values.types, values.estimated_rows);
  for (const auto& row : values.rows) {
    std::vector<Value> folded;
    for (size_t i = 0; i < row.size(); i++) {
      Value v = ExpressionExecutor::EvaluateConstant(*row[i]);
      if (v.IsNull()) {
        v = Value::Null(values.types[i]);
      } else if (v.type() != values.types[i]) {
        v = CastValue(v, values.types[i]);
      }
      folded.push_back(std::move(v));
    }
    node->rows.push_back(std::move(folded));
  }
  Stream out;
  out.node = std::move(node);
  out.bindings = values.GetColumnBindings();
  out.instances = 1;
  return out;
}

Stream PhysicalPlanner::PlanFilter(const LogicalFilter& filter) {
  Stream input = Plan(*filter.children[0]);
  ExpressionPtr predicate = ResolveConjunction(Pointers(filter.conditions), input.bindings);
  if (!predicate) return input;
  // A filter right above a scan runs inside it, before rows are batched up
  // for the operators above.
  if (auto* file_scan = dynamic_cast<FileScanNode*>(input.node.get());
      file_scan && !file_scan->filter) {
    file_scan->filter = std::move(predicate);
    file_scan->estimated_rows = std::max(0.0, filter.estimated_rows);
    return input;
  }
  if (auto* parquet_scan = dynamic_cast<ParquetScanNode*>(input.node.get());
      parquet_scan && !parquet_scan->filter) {
    parquet_scan->filter = std::move(predicate);
    parquet_scan->estimated_rows = std::max(0.0, filter.estimated_rows);
    return input;
  }
  if (auto* json_scan = dynamic_cast<JsonScanNode*>(input.node.get());
      json_scan && !json_scan->filter) {
    json_scan->filter = std::move(predicate);
    json_scan->estimated_rows = std::max(0.0, filter.estimated_rows);
    return input;
  }
  if (auto* table_scan = dynamic_cast<TableScanNode*>(input.node.get())) {
    if (table_scan->filter) {
      std::vector<ExpressionPtr> both;
      both.push_back(std::move(table_scan->filter));
      both.push_back(std::move(predicate));
      predicate = Expression::MakeBoolean(ExprKind::kAnd, std::move(both));
    }
    table_scan->filter = std::move(predicate);
    table_scan->estimated_rows = std::max(0.0, filter.estimated_rows);
    return input;
  }
  auto node = MakeNode<FilterNode>(input.node->types, filter.estimated_rows);
  node->predicate = std::move(predicate);
  node->children.push_back(std::move(input.node));
  input.node = std::move(node);
  return input;
}

Stream PhysicalPlanner::PlanProjection(const LogicalProjection& projection) {
  Stream input = Plan(*projection.children[0]);
  std::vector<ExpressionPtr> exprs;
  for (const auto& e : projection.expressions) {
    exprs.push_back(ResolveExpression(*e, input.bindings));
  }
  // A projection that passes its input through unchanged (the binder's
  // SELECT list over an aggregate, say) needs no node: only names change.
  bool identity = exprs.size() == input.node->types.size();
  for (size_t i = 0; i < exprs.size() && identity; i++) {
    identity = exprs[i]->kind == ExprKind::kInputRef && exprs[i]->input_index == i;
  }
  if (identity) {
    input.bindings = projection.GetColumnBindings();
    return input;
  }
  auto node = MakeNode<ProjectionNode>(projection.GetTypes(), projection.estimated_rows);
  input.hash_columns = MapHashColumns(input.hash_columns, exprs);
  node->expressions = std::move(exprs);
  node->children.push_back(std::move(input.node));
  input.node = std::move(node);
  input.bindings = projection.GetColumnBindings();
  return input;
}

Stream PhysicalPlanner::PlanOrder(const LogicalOrder& order) {
  Stream input = Gather(Plan(*order.children[0]));
  auto sort = MakeNode<SortNode>(input.node->types, order.estimated_rows);
  sort->keys = ResolveSortKeys(order.keys, input.bindings);
  sort->children.push_back(std::move(input.node));
  input.node = std::move(sort);
  input.hash_columns.clear();
  return input;
}

Stream PhysicalPlanner::PlanWindow(const LogicalWindow& window) {
  // Every row of a partition must be in one instance: hash on the partition
  // keys, or gather everything when there are none.
  Stream input = Plan(*window.children[0]);
  std::vector<ExpressionPtr> partition;
  for (const auto& e : window.partition_by) partition.push_back(ResolveExpression(*e, input.bindings));
  if (partition.empty()) {
    input = Gather(std::move(input));
  } else if (!input.single()) {
    std::vector<idx_t> keys = KeyColumns(input, partition);
    bool hashed_already = input.hash_columns == keys;
    if (!hashed_already) input = Exchange(std::move(input), ExchangeType::kHash, keys, parallelism_);
    // Keys are now plain columns of the input.
    partition.clear();
    for (idx_t k : keys) partition.push_back(Expression::MakeInputRef(k, input.node->types[k]));
  }
  std::vector<LogicalType> types = input.node->types;
  for (const auto& call : window.calls) types.push_back(call.return_type);
  auto node = MakeNode<WindowNode>(types, window.estimated_rows);
  node->partition_by = std::move(partition);
  node->order_by = ResolveSortKeys(window.order_by, input.bindings);
  for (const auto& call : window.calls) {
    WindowFunction f;
    f.kind = call.kind;
    f.aggregate = call.aggregate;
    for (const auto& a : call.args) f.args.push_back(ResolveExpression(*a, input.bindings));
    f.return_type = call.return_type;
    f.frame = call.frame;
    node->functions.push_back(std::move(f));
    input.bindings.push_back(ColumnBinding{call.table_index, 0});
  }
  node->children.push_back(std::move(input.node));
  input.node = std::move(node);
  return input;
}

Stream PhysicalPlanner::PlanTopN(const LogicalLimit& limit, const LogicalOrder& order) {
  Stream input = Plan(*order.children[0]);
  std::vector<SortKey> keys = ResolveSortKeys(order.keys, input.bindings);
  if (!input.single()) {
    // Each instance keeps its best limit + offset rows; the final TopN picks
    // from those.
    auto local = MakeNode<TopNNode>(input.node->types, limit.estimated_rows);
    local->keys = CopySortKeys(keys);
    local->limit = RowsNeeded(limit.limit, limit.offset);
    local->offset = 0;
    local->children.push_back(std::move(input.node));
    input.node = std::move(local);
    input = Gather(std::move(input));
  }
  // TopN keeps its input's columns, so the keys' positions are unchanged.
  auto top = MakeNode<TopNNode>(input.node->types, limit.estimated_rows);
  top->keys = std::move(keys);
  top->limit = limit.limit;
  top->offset = limit.offset;
  top->children.push_back(std::move(input.node));
  input.node = std::move(top);
  input.hash_columns.clear();
  return input;
}

Stream PhysicalPlanner::PlanLimit(const LogicalLimit& limit) {
  const LogicalOperator& child = *limit.children[0];
  if (child.type == LogicalOperatorType::kOrder && limit.limit != LogicalLimit::kNoLimit) {
    return PlanTopN(limit, static_cast<const LogicalOrder&>(child));
  }
  Stream input = Plan(child);
  if (!input.single() && limit.limit != LogicalLimit::kNoLimit) {
    // No instance needs to send more than limit + offset rows.
    auto local = MakeNode<LimitNode>(input.node->types, limit.estimated_rows);
    local->limit = RowsNeeded(limit.limit, limit.offset);
    local->offset = 0;
    local->children.push_back(std::move(input.node));
    input.node = std::move(local);
  }
  input = Gather(std::move(input));
  auto node = MakeNode<LimitNode>(input.node->types, limit.estimated_rows);
  node->limit = limit.limit == LogicalLimit::kNoLimit ? kNoLimit : limit.limit;
  node->offset = limit.offset;
  node->children.push_back(std::move(input.node));
  input.node = std::move(node);
  input.hash_columns.clear();
  return input;
}

Stream PhysicalPlanner::PlanSetOperation(const LogicalSetOperation& set) {
  if (set.kind != SetOperationKind::kUnion) {
    ThrowError(sqlstate::kFeatureNotSupported, "{} is not supported yet",
               set.kind == SetOperationKind::kIntersect ? "INTERSECT" : "EXCEPT");
  }
  std::vector<Stream> inputs;
  bool all_single = true;
  for (const auto& child : set.children) {
    // Rows are compared and output by position: exactly the child's columns.
    inputs.push_back(Conform(Plan(*child), *child));
    all_single = all_single && inputs.back().single();
  }
  // UNION hashes whole rows so that duplicates meet in one instance.
  const bool repartition = !set.all && !all_single;
  std::vector<idx_t> all_columns;
  for (idx_t i = 0; i < set.types.size(); i++) all_columns.push_back(i);

  auto node = MakeNode<UnionAllNode>(set.types, set.estimated_rows);
  Stream out;
  out.instances = repartition ? parallelism_ : 1;
  for (Stream& input : inputs) {
    if (repartition) {
      input = Exchange(std::move(input), ExchangeType::kHash, all_columns, parallelism_);
    } else {
      input = Gather(std::move(input));
    }
    out.received_exchanges.insert(out.received_exchanges.end(), input.received_exchanges.begin(),
                                  input.received_exchanges.end());
    node->children.push_back(std::move(input.node));
  }
  out.node = std::move(node);
  out.bindings = set.GetColumnBindings();
  if (repartition && out.instances > 1) out.hash_columns = all_columns;
  if (set.all) return out;

  // Duplicates removed by grouping on every column.
  auto distinct = MakeNode<HashAggregateNode>(set.types, set.estimated_rows);
  for (idx_t i = 0; i < set.types.size(); i++) {
    distinct->groups.push_back(Expression::MakeInputRef(i, set.types[i]));
  }
  distinct->children.push_back(std::move(out.node));
  out.node = std::move(distinct);
  return out;
}

// --- The whole plan ------------------------------------------------------------

FragmentedPlan PhysicalPlanner::Build(const LogicalOperator& root,
                                      std::vector<std::string> column_names) {
  plan_.fragments.emplace_back();  // fragments[0] is the root, filled last
  // Keys added for exchanges are not part of the result.
  Stream top = Conform(Plan(root), root);
  top = Gather(std::move(top));

  std::vector<LogicalType> result_types = root.GetTypes();
  PlanFragment& fragment = plan_.fragments[0];
  fragment.id = 0;
  fragment.root = std::move(top.node);
  fragment.parallelism = 1;
  fragment.output_exchange = kClientExchange;
  fragment.output_type = ExchangeType::kGather;
  for (int exchange : top.received_exchanges) plan_.exchange_consumer[exchange] = 0;
  plan_.column_names = std::move(column_names);
  plan_.column_types = std::move(result_types);
  return std::move(plan_);
}

FragmentedPlan CreateFragmentedPlan(const LogicalOperator& plan, int parallelism,
                                    std::vector<std::string> column_names) {
  PhysicalPlanner planner(parallelism);
  return planner.Build(plan, std::move(column_names));
}

}  // namespace basalt
