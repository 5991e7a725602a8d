#include "optimizer/join_order.h"

#include <algorithm>
#include <limits>
#include <set>

#include "optimizer/cardinality_estimator.h"
#include "optimizer/expression_rewriting.h"

namespace basalt {

namespace {

bool IsReorderable(const LogicalOperator& op) {
  if (op.type != LogicalOperatorType::kJoin) return false;
  auto type = static_cast<const LogicalJoin&>(op).join_type;
  return type == LogicalJoinType::kInner || type == LogicalJoinType::kCross;
}

struct Relation {
  LogicalOperatorPtr op;
  BindingSet bindings;
  double rows = 0;
};

struct Condition {
  ExpressionPtr expr;
  // Indexes of the relations it reads; every relation when it cannot be
  // placed earlier (non-deterministic, or reading a column of no relation).
  std::set<size_t> relations;
  bool applied = false;
};

// A joined set of relations being built.
struct JoinTree {
  LogicalOperatorPtr op;
  BindingSet bindings;
  std::set<size_t> relations;
  double rows = 0;
};

class JoinOrderer {
 public:
  explicit JoinOrderer(uint32_t next_table_index) : next_table_index_(next_table_index) {}

  LogicalOperatorPtr Reorder(LogicalOperatorPtr op) {
    if (IsReorderable(*op)) return ReorderJoinTree(std::move(op));
    const bool positional = op->type == LogicalOperatorType::kSetOperation;
    for (auto& child : op->children) {
      child = positional ? KeepColumnOrder(std::move(child)) : Reorder(std::move(child));
    }
    return op;
  }

  // Reorders `op`'s subtree and restores its original column order when
  // reordering changed it.
  LogicalOperatorPtr KeepColumnOrder(LogicalOperatorPtr op) {
    std::vector<ColumnBinding> before = op->GetColumnBindings();
    std::vector<LogicalType> types = op->GetTypes();
    op = Reorder(std::move(op));
    if (op->GetColumnBindings() == before) return op;
    auto projection = std::make_unique<LogicalProjection>();
    projection->table_index = next_table_index_++;
    for (size_t i = 0; i < before.size(); i++) {
      projection->expressions.push_back(Expression::MakeColumnRef(before[i], types[i]));
    }
    projection->children.push_back(std::move(op));
    return projection;
  }

 private:
  void Flatten(LogicalOperatorPtr op, std::vector<Relation>& relations,
               std::vector<ExpressionPtr>& conditions) {
    if (!IsReorderable(*op)) {
      Relation r;
      r.op = Reorder(std::move(op));
      relations.push_back(std::move(r));
      return;
    }
    auto& join = static_cast<LogicalJoin&>(*op);
    for (auto& c : join.conditions) SplitConjunction(std::move(c), conditions);
    Flatten(std::move(join.children[0]), relations, conditions);
    Flatten(std::move(join.children[1]), relations, conditions);
  }

  LogicalOperatorPtr ReorderJoinTree(LogicalOperatorPtr root) {
    std::vector<Relation> relations;
    std::vector<ExpressionPtr> exprs;
    Flatten(std::move(root), relations, exprs);

    std::set<size_t> everything;
    for (size_t i = 0; i < relations.size(); i++) {
      relations[i].bindings = ToSet(relations[i].op->GetColumnBindings());
      everything.insert(i);
    }
    std::vector<Condition> conditions;
    for (auto& e : exprs) {
      Condition c;
      bool placeable = IsDeterministic(*e);
      for (const ColumnBinding& b : ReferencedBindings(*e)) {
        bool found = false;
        for (size_t i = 0; i < relations.size() && !found; i++) {
          if (relations[i].bindings.count(b)) {
            c.relations.insert(i);
            found = true;
          }
        }
        if (!found) placeable = false;
      }
      if (!placeable) c.relations = everything;
      c.expr = std::move(e);
      conditions.push_back(std::move(c));
    }
    // A condition on one relation is a filter on it (filter push-down leaves
    // none, but this rule does not depend on it running first).
    for (size_t i = 0; i < relations.size(); i++) {
      std::vector<ExpressionPtr> filters;
      for (auto& c : conditions) {
        if (c.relations.size() == 1 && *c.relations.begin() == i && relations.size() > 1) {
          filters.push_back(std::move(c.expr));
          c.applied = true;
        }
      }
      if (!filters.empty()) {
        auto filter = std::make_unique<LogicalFilter>();
        filter->conditions = std::move(filters);
        filter->children.push_back(std::move(relations[i].op));
        relations[i].op = std::move(filter);
      }
      relations[i].rows = EstimateCardinality(*relations[i].op);
    }
    return Build(relations, conditions);
  }

  // The conditions that become applicable when `tree` and `relation` join.
  std::vector<Condition*> NewConditions(const JoinTree& tree, size_t relation,
                                        std::vector<Condition>& conditions) {
    std::vector<Condition*> out;
    for (auto& c : conditions) {
      if (c.applied) continue;
      bool covered = true;
      for (size_t r : c.relations) {
        if (r != relation && !tree.relations.count(r)) covered = false;
      }
      if (covered) out.push_back(&c);
    }
    return out;
  }

  // Whether some condition links `relation` with the joined set.
  static bool Connected(const std::vector<Condition*>& applicable, size_t relation) {
    for (const Condition* c : applicable) {
      if (c->relations.count(relation) && c->relations.size() > 1) return true;
    }
    return false;
  }

  double JoinRows(const JoinTree& tree, const Relation& relation,
                  const std::vector<Condition*>& applicable) {
    std::vector<const Expression*> exprs;
    for (const Condition* c : applicable) exprs.push_back(c->expr.get());
    return EstimateJoinRows(tree.rows, relation.rows, exprs, tree.bindings, relation.bindings);
  }

  JoinTree Leaf(std::vector<Relation>& relations, size_t i) {
    JoinTree tree;
    tree.op = std::move(relations[i].op);
    tree.bindings = relations[i].bindings;
    tree.relations = {i};
    tree.rows = relations[i].rows;
    return tree;
  }

  // Joins `relation` into `tree`, the smaller input on the build (right) side.
  void Join(JoinTree& tree, std::vector<Relation>& relations, size_t relation,
            std::vector<Condition>& conditions) {
    std::vector<Condition*> applicable = NewConditions(tree, relation, conditions);
    double rows = JoinRows(tree, relations[relation], applicable);
    auto join = std::make_unique<LogicalJoin>();
    for (Condition* c : applicable) {
      join->conditions.push_back(std::move(c->expr));
      c->applied = true;
    }
    join->join_type = join->conditions.empty() ? LogicalJoinType::kCross : LogicalJoinType::kInner;
    join->estimated_rows = rows;
    Relation& r = relations[relation];
    if (r.rows > tree.rows) {
      join->children.push_back(std::move(r.op));
      join->children.push_back(std::move(tree.op));
    } else {
      join->children.push_back(std::move(tree.op));
      join->children.push_back(std::move(r.op));
    }
    tree.op = std::move(join);
    tree.bindings.insert(r.bindings.begin(), r.bindings.end());
    tree.relations.insert(relation);
    tree.rows = rows;
  }

  LogicalOperatorPtr Build(std::vector<Relation>& relations, std::vector<Condition>& conditions) {
    const size_t n = relations.size();
    // The starting pair: the connected pair with the smallest result, else
    // the two smallest relations.
    size_t first = 0;
    size_t second = 1;
    double best = std::numeric_limits<double>::infinity();
    bool connected = false;
    for (size_t i = 0; i < n; i++) {
      JoinTree probe;
      probe.bindings = relations[i].bindings;
      probe.relations = {i};
      probe.rows = relations[i].rows;
      for (size_t j = i + 1; j < n; j++) {
        std::vector<Condition*> applicable = NewConditions(probe, j, conditions);
        if (!Connected(applicable, j)) continue;
        double rows = JoinRows(probe, relations[j], applicable);
        if (rows < best) {
          best = rows;
          first = i;
          second = j;
          connected = true;
        }
      }
    }
    if (!connected) {
      std::vector<size_t> order(n);
      for (size_t i = 0; i < n; i++) order[i] = i;
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t a, size_t b) { return relations[a].rows < relations[b].rows; });
      first = std::min(order[0], order[1]);
      second = std::max(order[0], order[1]);
    }
    JoinTree tree = Leaf(relations, first);
    Join(tree, relations, second, conditions);

    while (tree.relations.size() < n) {
      size_t next = n;
      double next_rows = std::numeric_limits<double>::infinity();
      bool next_connected = false;
      for (size_t k = 0; k < n; k++) {
        if (tree.relations.count(k)) continue;
        std::vector<Condition*> applicable = NewConditions(tree, k, conditions);
        bool linked = Connected(applicable, k);
        // A connected relation always beats a cross product.
        if (next_connected && !linked) continue;
        double rows = linked ? JoinRows(tree, relations[k], applicable) : relations[k].rows;
        if ((linked && !next_connected) || rows < next_rows) {
          next = k;
          next_rows = rows;
          next_connected = linked;
        }
      }
      Join(tree, relations, next, conditions);
    }
    // Whatever is left (nothing in a well-formed plan) goes on the top join.
    auto& top = static_cast<LogicalJoin&>(*tree.op);
    for (auto& c : conditions) {
      if (!c.applied) top.conditions.push_back(std::move(c.expr));
    }
    if (!top.conditions.empty()) top.join_type = LogicalJoinType::kInner;
    return std::move(tree.op);
  }

  uint32_t next_table_index_;
};

}  // namespace

LogicalOperatorPtr ReorderJoins(LogicalOperatorPtr plan) {
  JoinOrderer orderer(MaxTableIndex(*plan) + 1);
  return orderer.KeepColumnOrder(std::move(plan));
}

}  // namespace basalt
