// Joins: hash join for equality conditions between the two sides, nested loop
// join otherwise; broadcast or repartitioned (see physical_planner_internal.h).
#include "common/exception.h"
#include "exec/cast.h"
#include "exec/operators/hash_join.h"
#include "exec/operators/nested_loop_join.h"
#include "optimizer/expression_rewriting.h"
#include "optimizer/physical_planner.h"
#include "optimizer/physical_planner_internal.h"

namespace basalt {

namespace {

JoinType ToJoinType(LogicalJoinType type) {
  switch (type) {
    case LogicalJoinType::kInner:
      return JoinType::kInner;
    case LogicalJoinType::kLeft:
      return JoinType::kLeft;
    case LogicalJoinType::kRight:
      return JoinType::kRight;
    case LogicalJoinType::kFull:
      return JoinType::kFull;
    case LogicalJoinType::kSemi:
      return JoinType::kSemi;
    case LogicalJoinType::kAnti:
      return JoinType::kAnti;
    case LogicalJoinType::kCross:
      return JoinType::kCross;
  }
  return JoinType::kInner;
}

// Join types whose build side may be copied to every probe instance: each
// instance emits only what its own probe rows produce. Right and full joins
// also emit unmatched build rows, which every copy would emit again.
bool AllowsBroadcast(JoinType type) {
  return type == JoinType::kInner || type == JoinType::kLeft || type == JoinType::kSemi ||
         type == JoinType::kAnti || type == JoinType::kCross;
}

std::vector<ColumnBinding> Concat(const std::vector<ColumnBinding>& a,
                                  const std::vector<ColumnBinding>& b) {
  std::vector<ColumnBinding> out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::vector<ExpressionPtr> InputRefs(const std::vector<idx_t>& columns,
                                     const std::vector<LogicalType>& types) {
  std::vector<ExpressionPtr> out;
  for (idx_t c : columns) out.push_back(Expression::MakeInputRef(c, types[c]));
  return out;
}

}  // namespace

Stream PhysicalPlanner::PlanJoin(const LogicalJoin& join) {
  // A cross join that received conditions (when push-down did not run) is
  // an inner join.
  const JoinType type = join.join_type == LogicalJoinType::kCross && !join.conditions.empty()
                            ? JoinType::kInner
                            : ToJoinType(join.join_type);
  Stream probe = Plan(*join.children[0]);
  Stream build = Plan(*join.children[1]);
  const BindingSet probe_side = ToSet(join.children[0]->GetColumnBindings());
  const BindingSet build_side = ToSet(join.children[1]->GetColumnBindings());

  // Equalities with one side over each input become hash keys, cast to a
  // common type so that equal values hash and compare equal.
  std::vector<ExpressionPtr> probe_keys;
  std::vector<ExpressionPtr> build_keys;
  std::vector<const Expression*> residual;
  for (const auto& condition : join.conditions) {
    const Expression& c = *condition;
    if (type != JoinType::kCross && ComparisonName(c) == "=") {
      const Expression* left = c.children[0].get();
      const Expression* right = c.children[1].get();
      BindingSet left_refs = ReferencedBindings(*left);
      BindingSet right_refs = ReferencedBindings(*right);
      if (CoveredBy(left_refs, build_side) && CoveredBy(right_refs, probe_side)) {
        std::swap(left, right);
        std::swap(left_refs, right_refs);
      }
      LogicalType common = CommonSupertype(left->type, right->type);
      if (!left_refs.empty() && !right_refs.empty() && CoveredBy(left_refs, probe_side) &&
          CoveredBy(right_refs, build_side) && common.id() != TypeId::kInvalid &&
          common.id() != TypeId::kNull && BindCast(left->type, common) &&
          BindCast(right->type, common)) {
        probe_keys.push_back(CastTo(ResolveExpression(*left, probe.bindings), common));
        build_keys.push_back(CastTo(ResolveExpression(*right, build.bindings), common));
        continue;
      }
    }
    residual.push_back(condition.get());
  }
  if (probe_keys.empty()) return PlanNestedLoopJoin(join, type, std::move(probe), std::move(build));
  return PlanHashJoin(join, type, std::move(probe), std::move(build), std::move(probe_keys),
                      std::move(build_keys), std::move(residual));
}

Stream PhysicalPlanner::PlanHashJoin(const LogicalJoin& join, JoinType type, Stream probe,
                                     Stream build, std::vector<ExpressionPtr> probe_keys,
                                     std::vector<ExpressionPtr> build_keys,
                                     std::vector<const Expression*> residual) {
  std::vector<idx_t> out_hash;  // the output's hash columns, when partitioned
  if (probe.single() && build.single()) {
    // Both in one instance already: join there, no exchange.
  } else if (AllowsBroadcast(type) &&
             (probe.single() || build.node->estimated_rows <= kBroadcastRowLimit)) {
    build = Exchange(std::move(build),
                     probe.single() ? ExchangeType::kGather : ExchangeType::kBroadcast, {},
                     probe.instances);
    out_hash = probe.hash_columns;
  } else {
    std::vector<idx_t> probe_columns = KeyColumns(probe, probe_keys);
    std::vector<idx_t> build_columns = KeyColumns(build, build_keys);
    // A side already hashed on exactly its key columns (an earlier join or
    // aggregate on the same keys) stays where it is.
    const bool probe_placed = probe.instances == parallelism_ && !probe.hash_columns.empty() &&
                              probe.hash_columns == probe_columns;
    const bool build_placed = !probe_placed && build.instances == parallelism_ &&
                              !build.hash_columns.empty() && build.hash_columns == build_columns;
    if (!probe_placed) {
      probe = Exchange(std::move(probe), ExchangeType::kHash, probe_columns, parallelism_);
    }
    if (!build_placed) {
      build = Exchange(std::move(build), ExchangeType::kHash, build_columns, parallelism_);
    }
    probe_keys = InputRefs(probe_columns, probe.node->types);
    build_keys = InputRefs(build_columns, build.node->types);
    if (type == JoinType::kRight) {
      // Every output row carries a build row, whose keys placed it.
      for (idx_t c : build_columns) out_hash.push_back(probe.bindings.size() + c);
    } else if (type != JoinType::kFull) {
      out_hash = probe_columns;
    }
  }

  const bool with_build = JoinOutputsBuild(type);
  std::vector<LogicalType> types = probe.node->types;
  if (with_build) types.insert(types.end(), build.node->types.begin(), build.node->types.end());
  auto node = MakeNode<HashJoinNode>(std::move(types), join.estimated_rows);
  node->join_type = type;
  node->probe_keys = std::move(probe_keys);
  node->build_keys = std::move(build_keys);
  node->residual = ResolveConjunction(residual, Concat(probe.bindings, build.bindings));

  Stream out;
  out.instances = probe.instances;
  out.bindings = with_build ? Concat(probe.bindings, build.bindings) : probe.bindings;
  out.hash_columns = out.instances > 1 ? out_hash : std::vector<idx_t>{};
  out.received_exchanges = probe.received_exchanges;
  out.received_exchanges.insert(out.received_exchanges.end(), build.received_exchanges.begin(),
                                build.received_exchanges.end());
  node->children.push_back(std::move(probe.node));
  node->children.push_back(std::move(build.node));
  out.node = std::move(node);
  return out;
}

Stream PhysicalPlanner::PlanNestedLoopJoin(const LogicalJoin& join, JoinType type, Stream probe,
                                           Stream build) {
  if (!AllowsBroadcast(type)) {
    // Unmatched build rows must be emitted once: one instance does it all.
    probe = Gather(std::move(probe));
  }
  if (!(probe.single() && build.single())) {
    build = Exchange(std::move(build),
                     probe.single() ? ExchangeType::kGather : ExchangeType::kBroadcast, {},
                     probe.instances);
  }
  std::vector<const Expression*> conditions;
  for (const auto& c : join.conditions) conditions.push_back(c.get());

  const bool with_build = JoinOutputsBuild(type);
  std::vector<LogicalType> types = probe.node->types;
  if (with_build) types.insert(types.end(), build.node->types.begin(), build.node->types.end());
  auto node = MakeNode<NestedLoopJoinNode>(std::move(types), join.estimated_rows);
  node->join_type = conditions.empty() && type == JoinType::kInner ? JoinType::kCross : type;
  node->condition = ResolveConjunction(conditions, Concat(probe.bindings, build.bindings));

  Stream out;
  out.instances = probe.instances;
  out.bindings = with_build ? Concat(probe.bindings, build.bindings) : probe.bindings;
  out.hash_columns = out.instances > 1 ? probe.hash_columns : std::vector<idx_t>{};
  out.received_exchanges = probe.received_exchanges;
  out.received_exchanges.insert(out.received_exchanges.end(), build.received_exchanges.begin(),
                                build.received_exchanges.end());
  node->children.push_back(std::move(probe.node));
  node->children.push_back(std::move(build.node));
  out.node = std::move(node);
  return out;
}

}  // namespace basalt
