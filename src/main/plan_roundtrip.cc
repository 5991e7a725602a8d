#include "main/plan_roundtrip.h"

#include <cstdlib>
#include <string>
#include <typeinfo>
#include <vector>

#include "catalog/system_table.h"
#include "common/exception.h"
#include "exec/operators/file_scan.h"
#include "exec/operators/filter.h"
#include "exec/operators/hash_aggregate.h"
#include "exec/operators/hash_join.h"
#include "exec/operators/json_scan.h"
#include "exec/operators/nested_loop_join.h"
#include "exec/operators/parquet_scan.h"
#include "exec/operators/projection.h"
#include "exec/operators/sort.h"
#include "exec/operators/table_scan.h"
#include "exec/operators/top_n.h"
#include "exec/operators/values.h"
#include "exec/operators/window.h"
#include "exec/serde/plan_serde.h"
#include "main/database_instance.h"
#include "main/session_settings.h"

namespace basalt {

namespace {

// The expressions and aggregate functions a node holds, in a fixed order, so
// that an original node and its copy can be compared piece by piece.
struct NodeFunctions {
  std::vector<const Expression*> expressions;
  std::vector<const BoundAggregateFunction*> aggregates;

  void Add(const ExpressionPtr& e) {
    if (e) expressions.push_back(e.get());
  }
  void Add(const std::vector<ExpressionPtr>& es) {
    for (const auto& e : es) Add(e);
  }
  void Add(const std::vector<SortKey>& keys) {
    for (const auto& k : keys) Add(k.expr);
  }
};

NodeFunctions FunctionsOf(const PhysicalNode& node) {
  NodeFunctions f;
  if (const auto* n = dynamic_cast<const TableScanNode*>(&node)) f.Add(n->filter);
  if (const auto* n = dynamic_cast<const FileScanNode*>(&node)) f.Add(n->filter);
  if (const auto* n = dynamic_cast<const JsonScanNode*>(&node)) f.Add(n->filter);
  if (const auto* n = dynamic_cast<const ParquetScanNode*>(&node)) f.Add(n->filter);
  if (const auto* n = dynamic_cast<const FilterNode*>(&node)) f.Add(n->predicate);
  if (const auto* n = dynamic_cast<const ProjectionNode*>(&node)) f.Add(n->expressions);
  if (const auto* n = dynamic_cast<const HashAggregateNode*>(&node)) {
    f.Add(n->groups);
    for (const auto& call : n->aggregates) {
      f.aggregates.push_back(&call.function);
      f.Add(call.args);
      f.Add(call.filter);
    }
  }
  if (const auto* n = dynamic_cast<const HashJoinNode*>(&node)) {
    f.Add(n->probe_keys);
    f.Add(n->build_keys);
    f.Add(n->residual);
  }
  if (const auto* n = dynamic_cast<const NestedLoopJoinNode*>(&node)) f.Add(n->condition);
  if (const auto* n = dynamic_cast<const SortNode*>(&node)) f.Add(n->keys);
  if (const auto* n = dynamic_cast<const TopNNode*>(&node)) f.Add(n->keys);
  if (const auto* n = dynamic_cast<const WindowNode*>(&node)) {
    f.Add(n->partition_by);
    f.Add(n->order_by);
    for (const auto& fn : n->functions) {
      if (fn.kind == WindowFunctionKind::kAggregate) f.aggregates.push_back(&fn.aggregate);
      f.Add(fn.args);
    }
  }
  return f;
}

// Why `copy` is not the same expression as `original` (different kernels
// where the EXPLAIN text cannot tell), or empty.
std::string ExpressionDifference(const Expression& original, const Expression& copy) {
  if (original.kind != copy.kind || original.type != copy.type ||
      original.children.size() != copy.children.size()) {
    return "expression " + original.ToString() + " came back as " + copy.ToString();
  }
  if (original.kind == ExprKind::kFunction &&
      (original.function.kernel != copy.function.kernel ||
       original.function.return_type != copy.function.return_type ||
       original.function.arg_types != copy.function.arg_types)) {
    return "function " + original.function.name + " in " + original.ToString() +
           " bound to another kernel";
  }
  if (original.kind == ExprKind::kConstant && !(original.constant == copy.constant)) {
    return "constant " + original.ToString() + " came back as " + copy.ToString();
  }
  for (size_t i = 0; i < original.children.size(); i++) {
    std::string d = ExpressionDifference(*original.children[i], *copy.children[i]);
    if (!d.empty()) return d;
  }
  return "";
}

std::string AggregateDifference(const BoundAggregateFunction& a, const BoundAggregateFunction& b) {
  if (a.name != b.name || a.arg_types != b.arg_types || a.return_type != b.return_type ||
      a.state_size != b.state_size || a.initialize != b.initialize || a.update != b.update ||
      a.combine != b.combine || a.finalize != b.finalize || a.destroy != b.destroy) {
    return "aggregate " + a.name + " bound to another function (" + b.name + ")";
  }
  return "";
}

std::string NodeDifference(const PhysicalNode& a, const PhysicalNode& b) {
  if (typeid(a) != typeid(b) || a.children.size() != b.children.size() || a.types != b.types ||
      a.id != b.id) {
    return "node " + a.Name() + " came back as " + b.Name();
  }
  NodeFunctions fa = FunctionsOf(a);
  NodeFunctions fb = FunctionsOf(b);
  if (fa.expressions.size() != fb.expressions.size() ||
      fa.aggregates.size() != fb.aggregates.size()) {
    return "node " + a.Name() + " came back with other expressions";
  }
  for (size_t i = 0; i < fa.expressions.size(); i++) {
    std::string d = ExpressionDifference(*fa.expressions[i], *fb.expressions[i]);
    if (!d.empty()) return a.Name() + ": " + d;
  }
  for (size_t i = 0; i < fa.aggregates.size(); i++) {
    std::string d = AggregateDifference(*fa.aggregates[i], *fb.aggregates[i]);
    if (!d.empty()) return a.Name() + ": " + d;
  }
  if (const auto* va = dynamic_cast<const ValuesNode*>(&a)) {
    if (va->rows != dynamic_cast<const ValuesNode&>(b).rows) return "Values rows came back changed";
  }
  for (size_t i = 0; i < a.children.size(); i++) {
    std::string d = NodeDifference(*a.children[i], *b.children[i]);
    if (!d.empty()) return d;
  }
  return "";
}

enum class Mode { kOff, kBinary, kJson };

Mode RoundTripMode(const StatementContext& ctx) {
  std::string value;
  // SET plan_roundtrip = 'json' in a session overrides the environment.
  if (!ctx.settings.Get("plan_roundtrip", &value)) {
    const char* env = std::getenv("BASALT_PLAN_ROUNDTRIP");
    value = env ? env : "";
  }
  if (value.empty() || value == "off") return Mode::kOff;
  if (value == "binary") return Mode::kBinary;
  if (value == "json") return Mode::kJson;
  ThrowError(sqlstate::kInvalidParameterValue,
             "plan_roundtrip (BASALT_PLAN_ROUNDTRIP) must be binary, json or off, not \"{}\"",
             value);
}

}  // namespace

void MaybeRoundTripPlan(FragmentedPlan& plan, StatementContext& ctx) {
  const Mode mode = RoundTripMode(ctx);
  if (mode == Mode::kOff) return;
  DeserializeContext context;
  context.catalog = &ctx.db.catalog();
  auto session = std::make_shared<SessionInfo>();
  session->settings = ctx.settings.All();
  context.session = std::move(session);
  FragmentedPlan copy = mode == Mode::kJson ? PlanFromJson(PlanToJson(plan), context)
                                            : PlanFromBinary(PlanToBinary(plan), context);
  const std::string before = plan.ToString();
  const std::string after = copy.ToString();
  if (before != after) {
    ThrowError(sqlstate::kInternalError, "plan roundtrip changed the plan.\nBefore:\n{}After:\n{}",
               before, after);
  }
  if (plan.fragments.size() != copy.fragments.size()) {
    ThrowError(sqlstate::kInternalError, "plan roundtrip changed the number of fragments");
  }
  for (size_t i = 0; i < plan.fragments.size(); i++) {
    std::string d = NodeDifference(*plan.fragments[i].root, *copy.fragments[i].root);
    if (!d.empty()) {
      ThrowError(sqlstate::kInternalError, "plan roundtrip changed the plan: {}\n{}", d, before);
    }
  }
  if (copy.column_names != plan.column_names || copy.column_types != plan.column_types ||
      copy.exchange_consumer != plan.exchange_consumer ||
      copy.num_exchanges != plan.num_exchanges) {
    ThrowError(sqlstate::kInternalError, "plan roundtrip changed the plan's outputs or exchanges");
  }
  plan = std::move(copy);
}

}  // namespace basalt
