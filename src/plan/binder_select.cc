// Binding of query blocks: SELECT (with GROUP BY, HAVING, DISTINCT, ORDER BY
// and LIMIT), set operations and VALUES.
#include <algorithm>

#include <fmt/format.h>

#include "common/exception.h"
#include "common/string_parse.h"
#include "exec/cast.h"
#include "exec/expression_executor.h"
#include "plan/binder.h"
#include "plan/binder_internal.h"

namespace basalt {

Binder::Binder(Catalog& catalog, const StatementParameters* parameters)
    : catalog_(catalog), shared_(std::make_shared<SharedState>()) {
  shared_->parameters = parameters;
}

Binder::Binder(Catalog& catalog, std::shared_ptr<SharedState> shared,
               std::map<std::string, CteBinding> ctes)
    : catalog_(catalog), shared_(std::move(shared)), ctes_(std::move(ctes)) {}

BoundQuery Binder::BindQuery(const sql::QueryNode& node) {
  CheckBinderStack(node.position);
  // CTEs are visible in this query and everything nested in it.
  auto saved = ctes_;
  for (const auto& cte : node.ctes) ctes_[cte.name] = CteBinding{&cte};
  BoundQuery result;
  switch (node.kind) {
    case sql::QueryNodeKind::kSelect:
      result = BindSelect(node.As<sql::SelectNode>());
      break;
    case sql::QueryNodeKind::kSetOperation:
      result = BindSetOperation(node.As<sql::SetOperationNode>());
      BindModifiersOnOutput(node, result);
      break;
    case sql::QueryNodeKind::kValues:
      result = BindValues(node.As<sql::ValuesNode>());
      BindModifiersOnOutput(node, result);
      break;
  }
  ctes_ = std::move(saved);
  return result;
}

namespace {

idx_t BindLimitValue(Binder& binder, const sql::ParsedExpression& expr, const char* what) {
  ExpressionPtr bound = binder.BindConstantExpression(expr);
  // LIMIT '10' and LIMIT $1 with an untyped value count rows, as in PostgreSQL.
  if (bound->untyped_literal) {
    bound = Binder::AddCast(std::move(bound), TypeId::kBigint, expr.position);
  }
  // Unknown while a prepared statement is described: the limit does not
  // change the result's columns.
  std::optional<Value> value = binder.EvaluateConstantOrUnknown(*bound, expr.position);
  if (!value || value->IsNull()) return LogicalLimit::kNoLimit;
  const Value& v = *value;
  if (!v.type().IsInteger()) {
    ThrowErrorAt(sqlstate::kDatatypeMismatch, expr.position, "argument of {} must be an integer",
                 what);
  }
  if (v.GetInt64() < 0) {
    ThrowErrorAt(sqlstate::kInvalidParameterValue /* 2201W in PostgreSQL */, expr.position,
                 "{} must not be negative", what);
  }
  return static_cast<idx_t>(v.GetInt64());
}

LogicalOperatorPtr AddLimit(Binder& binder, const sql::QueryNode& node, LogicalOperatorPtr plan) {
  if (!node.limit && !node.offset) return plan;
  auto limit = std::make_unique<LogicalLimit>();
  if (node.limit) limit->limit = BindLimitValue(binder, *node.limit, "LIMIT");
  if (node.offset) {
    idx_t offset = BindLimitValue(binder, *node.offset, "OFFSET");
    limit->offset = offset == LogicalLimit::kNoLimit ? 0 : offset;
  }
  limit->children.push_back(std::move(plan));
  return limit;
}

// LIST and STRUCT values have no order yet: their encoded bytes do not sort
// as the values would, so sorting by them is refused rather than wrong.
void CheckOrderable(const LogicalType& type, int32_t position) {
  if (type.IsNested()) {
    ThrowErrorAt(sqlstate::kFeatureNotSupported, position,
                 "ORDER BY a {} value is not supported", type.ToString());
  }
}

bool ResolveNullsFirst(const sql::OrderByItem& item) {
  if (item.nulls == sql::NullsOrder::kFirst) return true;
  if (item.nulls == sql::NullsOrder::kLast) return false;
  return item.order == sql::OrderType::kDescending;  // PostgreSQL: NULLs are the largest values
}

// Output column `index` chosen by an ORDER BY ordinal or output name, or -1.
int FindOutputColumn(const sql::ParsedExpression& expr, const std::vector<std::string>& names) {
  if (expr.Is<sql::ConstantExpression>()) {
    const auto& c = expr.As<sql::ConstantExpression>();
    if (c.constant_kind == sql::ConstantKind::kInteger) {
      // A position too large for BIGINT is as far out of the list as any.
      int64_t k = 0;
      if (!ParseInteger(c.text, INT64_MIN, INT64_MAX, &k) || k < 1 ||
          k > static_cast<int64_t>(names.size())) {
        ThrowErrorAt(sqlstate::kInvalidColumnReference, expr.position,
                     "ORDER BY position {} is not in select list", c.text);
      }
      return static_cast<int>(k - 1);
    }
  }
  if (expr.Is<sql::ColumnRefExpression>()) {
    const auto& ref = expr.As<sql::ColumnRefExpression>();
    if (ref.names.size() == 1) {
      int found = -1;
      for (size_t i = 0; i < names.size(); i++) {
        if (names[i] != ref.names[0]) continue;
        if (found >= 0) {
          ThrowErrorAt(sqlstate::kAmbiguousColumn, expr.position,
                       "ORDER BY \"{}\" is ambiguous", ref.names[0]);
        }
        found = static_cast<int>(i);
      }
      return found;
    }
  }
  return -1;
}

}  // namespace

void Binder::BindModifiersOnOutput(const sql::QueryNode& node, BoundQuery& query) {
  if (!node.order_by.empty()) {
    // Only output columns (by name or position) are visible here.
    auto bindings = query.plan->GetColumnBindings();
    auto order = std::make_unique<LogicalOrder>();
    for (const auto& item : node.order_by) {
      int col = FindOutputColumn(*item.expression, query.names);
      if (col < 0) {
        ThrowErrorAt(sqlstate::kFeatureNotSupported, item.expression->position,
                     "ORDER BY on a UNION/INTERSECT/EXCEPT or VALUES result must name an output "
                     "column or its position");
      }
      CheckOrderable(query.types[col], item.expression->position);
      LogicalOrderKey key;
      key.expr = Expression::MakeColumnRef(bindings[col], query.types[col], query.names[col]);
      key.descending = item.order == sql::OrderType::kDescending;
      key.nulls_first = ResolveNullsFirst(item);
      order->keys.push_back(std::move(key));
    }
    order->children.push_back(std::move(query.plan));
    query.plan = std::move(order);
  }
  query.plan = AddLimit(*this, node, std::move(query.plan));
}

namespace {

// Replaces every subtree equal to a GROUP BY expression by a reference to the
// aggregate's group column; then any column reference left must be a group
// or aggregate output, or the query is not valid SQL.
// `replacements[i]` stands for groups[i]: a reference to the aggregate's
// group column, or NULL when the group is not in the current grouping set.
void ReplaceGroupReferences(ExpressionPtr& expr, const std::vector<ExpressionPtr>& groups,
                            const std::vector<ExpressionPtr>& replacements) {
  for (size_t i = 0; i < groups.size(); i++) {
    if (expr->Equals(*groups[i])) {
      std::string alias = expr->alias;
      expr = replacements[i]->Copy();
      expr->alias = alias;
      return;
    }
  }
  for (auto& c : expr->children) ReplaceGroupReferences(c, groups, replacements);
}

void CheckGrouped(const Expression& expr, uint32_t group_index, uint32_t aggregate_index,
                  const std::vector<uint32_t>& allowed_tables, int32_t position) {
  VisitExpression(expr, [&](const Expression& e) {
    if (e.kind == ExprKind::kColumnRef && e.binding.table_index != group_index &&
        e.binding.table_index != aggregate_index &&
        std::find(allowed_tables.begin(), allowed_tables.end(), e.binding.table_index) ==
            allowed_tables.end()) {
      ThrowErrorAt(sqlstate::kGroupingError, position,
                   "column \"{}\" must appear in the GROUP BY clause or be used in an aggregate "
                   "function",
                   e.alias);
    }
  });
}

}  // namespace

BoundQuery Binder::BindGroupingSets(const sql::SelectNode& node) {
  // GROUPING SETS / ROLLUP / CUBE: one aggregation per set, where the
  // columns outside the set read as NULL, and the union of all of them.
  std::vector<BoundQuery> branches;
  for (const auto& set : node.group_by.grouping_sets) branches.push_back(BindSelect(node, &set));
  auto set_op = std::make_unique<LogicalSetOperation>();
  set_op->table_index = NextTableIndex();
  set_op->kind = SetOperationKind::kUnion;
  set_op->all = true;
  set_op->types = branches[0].types;
  for (auto& b : branches) {
    BASALT_CHECK(b.types == set_op->types);
    set_op->children.push_back(std::move(b.plan));
  }
  BoundQuery result;
  result.types = set_op->types;
  result.names = std::move(branches[0].names);
  result.plan = std::move(set_op);
  BindModifiersOnOutput(node, result);
  return result;
}

BoundQuery Binder::BindSelect(const sql::SelectNode& node, const std::vector<size_t>* grouping_set) {
  if (!grouping_set && !node.group_by.plain && !node.group_by.grouping_sets.empty()) {
    return BindGroupingSets(node);
  }
  BindScope scope;
  LogicalOperatorPtr plan;
  if (node.from) {
    plan = BindTableRef(*node.from, scope);
  } else {
    auto values = std::make_unique<LogicalValues>();
    values->table_index = NextTableIndex();
    values->rows.emplace_back();  // one row of no columns
    plan = std::move(values);
  }

  if (node.where) plan = BindWhere(*node.where, scope, std::move(plan));

  // The select list, with * expanded.
  std::vector<LogicalAggregateCall> aggregates;
  const uint32_t group_index = NextTableIndex();
  const uint32_t aggregate_index = NextTableIndex();
  std::vector<PendingJoin> pending_joins;  // scalar subqueries in SELECT, HAVING, ORDER BY
  std::vector<PendingWindow> windows;      // window functions in SELECT and ORDER BY
  SelectContext ctx;
  ctx.scope = &scope;
  ctx.aggregates = &aggregates;
  ctx.aggregate_index = aggregate_index;
  ctx.pending_joins = &pending_joins;
  ctx.windows = &windows;
  ctx.from_is_empty = PlanIsKnownEmpty(*plan);

  struct Item {
    ExpressionPtr expr;
    std::string name;
    int32_t position;
  };
  std::vector<Item> items;
  for (const auto& select_item : node.select_list) {
    const auto& parsed = *select_item.expression;
    if (parsed.Is<sql::StarExpression>()) {
      const auto& star = parsed.As<sql::StarExpression>();
      bool any = false, relation_found = star.relation.empty();
      for (const auto& relation : scope.relations()) {
        if (!star.relation.empty() && relation.alias != star.relation) continue;
        relation_found = true;
        for (const auto& col : relation.columns) {
          if (col.hidden) continue;
          items.push_back(
              {Expression::MakeColumnRef(col.binding, col.type, col.name), col.name, parsed.position});
          any = true;
        }
      }
      if (!relation_found) {
        ThrowErrorAt(sqlstate::kUndefinedTable, parsed.position,
                     "missing FROM-clause entry for table \"{}\"", star.relation);
      }
      if (!any && star.relation.empty()) {
        ThrowErrorAt(sqlstate::kSyntaxError, parsed.position,
                     "SELECT * with no tables specified is not valid");
      }
      continue;
    }
    Item item;
    item.expr = BindExpression(parsed, ctx);
    item.name = select_item.alias.empty() ? DefaultColumnName(parsed) : select_item.alias;
    item.position = parsed.position;
    items.push_back(std::move(item));
  }
  const size_t visible_count = items.size();

  // GROUP BY: expressions, output-column ordinals or output-column names.
  std::vector<ExpressionPtr> groups;
  std::vector<size_t> group_of_expression;  // parsed GROUP BY item -> index in `groups`
  if (!node.group_by.empty()) {
    SelectContext group_ctx;
    group_ctx.scope = &scope;
    group_ctx.aggregate_error_context = "GROUP BY";
    for (const auto& g : node.group_by.expressions) {
      ExpressionPtr bound;
      if (g->Is<sql::ConstantExpression>() &&
          g->As<sql::ConstantExpression>().constant_kind == sql::ConstantKind::kInteger) {
        const std::string& text = g->As<sql::ConstantExpression>().text;
        int64_t k = 0;
        if (!ParseInteger(text, INT64_MIN, INT64_MAX, &k) || k < 1 ||
            k > static_cast<int64_t>(visible_count)) {
          ThrowErrorAt(sqlstate::kInvalidColumnReference, g->position,
                       "GROUP BY position {} is not in select list", text);
        }
        bound = items[k - 1].expr->Copy();
      } else if (g->Is<sql::ColumnRefExpression>() &&
                 g->As<sql::ColumnRefExpression>().names.size() == 1 &&
                 !scope.TryResolve("", g->As<sql::ColumnRefExpression>().names[0], g->position)) {
        // Not an input column: an output column's name (PostgreSQL allows it).
        const auto& name = g->As<sql::ColumnRefExpression>().names[0];
        for (size_t i = 0; i < visible_count && !bound; i++) {
          if (items[i].name == name) bound = items[i].expr->Copy();
        }
        if (!bound) bound = BindExpression(*g, group_ctx);
      } else {
        bound = BindExpression(*g, group_ctx);
      }
      bool has_aggregate = false;
      VisitExpression(*bound, [&](const Expression& e) {
        has_aggregate |= e.kind == ExprKind::kColumnRef && e.binding.table_index == aggregate_index;
      });
      if (has_aggregate) {
        ThrowErrorAt(sqlstate::kGroupingError, g->position,
                     "aggregate functions are not allowed in GROUP BY");
      }
      int found = -1;
      for (size_t i = 0; i < groups.size(); i++) {
        if (groups[i]->Equals(*bound)) found = static_cast<int>(i);
      }
      if (found < 0) {
        found = static_cast<int>(groups.size());
        groups.push_back(std::move(bound));
      }
      group_of_expression.push_back(static_cast<size_t>(found));
    }
  }
  // Which groups this block aggregates by: all of them, or one grouping set's.
  std::vector<bool> active(groups.size(), grouping_set == nullptr);
  if (grouping_set) {
    for (size_t e : *grouping_set) active[group_of_expression[e]] = true;
  }
  std::vector<ExpressionPtr> replacements;
  {
    uint32_t next = 0;
    for (size_t i = 0; i < groups.size(); i++) {
      replacements.push_back(
          active[i] ? Expression::MakeColumnRef(ColumnBinding{group_index, next++}, groups[i]->type)
                    : Expression::MakeConstant(Value::Null(groups[i]->type)));
    }
  }

  ExpressionPtr having;
  if (node.having) {
    SelectContext having_ctx = ctx;
    having_ctx.windows = nullptr;
    having_ctx.aggregate_error_context = "HAVING";
    having = BindBoolean(*node.having, having_ctx, "HAVING");
  }

  // ORDER BY: output columns by position or name, else expressions (which
  // become hidden output columns unless equal to a visible one).
  struct OrderItem {
    size_t column;
    bool descending;
    bool nulls_first;
  };
  std::vector<OrderItem> order_items;
  std::vector<std::string> names;
  for (const auto& item : items) names.push_back(item.name);
  // With grouping sets, ORDER BY and LIMIT apply to the union of the sets.
  static const std::vector<sql::OrderByItem> kNoOrder;
  const auto& order_by = grouping_set ? kNoOrder : node.order_by;
  for (const auto& o : order_by) {
    int col = FindOutputColumn(*o.expression, names);
    if (col < 0) {
      ExpressionPtr bound = BindExpression(*o.expression, ctx);
      for (size_t i = 0; i < items.size(); i++) {
        if (items[i].expr->Equals(*bound)) {
          col = static_cast<int>(i);
          break;
        }
      }
      if (col < 0) {
        if (node.distinct) {
          ThrowErrorAt(sqlstate::kInvalidColumnReference, o.expression->position,
                       "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
        }
        items.push_back({std::move(bound), "", o.expression->position});
        col = static_cast<int>(items.size()) - 1;
      }
    }
    CheckOrderable(items[col].expr->type, o.expression->position);
    order_items.push_back({static_cast<size_t>(col), o.order == sql::OrderType::kDescending,
                           ResolveNullsFirst(o)});
  }

  const bool is_aggregate = !groups.empty() || !aggregates.empty() || having != nullptr;
  // Columns that scalar subqueries bring in are allowed next to aggregates.
  std::vector<uint32_t> subquery_tables;
  for (const auto& join : pending_joins) {
    for (const auto& b : join.right->GetColumnBindings()) subquery_tables.push_back(b.table_index);
  }
  for (const auto& w : windows) subquery_tables.push_back(w.call.table_index);
  if (is_aggregate) {
    for (auto& item : items) {
      ReplaceGroupReferences(item.expr, groups, replacements);
      CheckGrouped(*item.expr, group_index, aggregate_index, subquery_tables, item.position);
    }
    if (having) {
      ReplaceGroupReferences(having, groups, replacements);
      CheckGrouped(*having, group_index, aggregate_index, subquery_tables, node.having->position);
    }
    // Window functions run after the aggregation, over its output.
    for (auto& w : windows) {
      auto fix = [&](ExpressionPtr& e) {
        ReplaceGroupReferences(e, groups, replacements);
        CheckGrouped(*e, group_index, aggregate_index, subquery_tables, node.position);
      };
      for (auto& e : w.partition_by) fix(e);
      for (auto& k : w.order_by) fix(k.expr);
      for (auto& e : w.call.args) fix(e);
    }
    auto aggregate = std::make_unique<LogicalAggregate>();
    aggregate->group_index = group_index;
    aggregate->aggregate_index = aggregate_index;
    for (size_t i = 0; i < groups.size(); i++) {
      if (active[i]) aggregate->groups.push_back(std::move(groups[i]));
    }
    aggregate->aggregates = std::move(aggregates);
    aggregate->children.push_back(std::move(plan));
    plan = std::move(aggregate);
    for (auto& join : pending_joins) {
      plan = MakeJoin(join.type, std::move(plan), std::move(join.right), std::move(join.conditions));
    }
    if (having) {
      auto filter = std::make_unique<LogicalFilter>();
      SplitConjunctions(std::move(having), filter->conditions);
      filter->children.push_back(std::move(plan));
      plan = std::move(filter);
    }
  }

  if (!is_aggregate) {
    for (auto& join : pending_joins) {
      plan = MakeJoin(join.type, std::move(plan), std::move(join.right), std::move(join.conditions));
    }
  }
  if (!windows.empty()) plan = PlanWindows(std::move(windows), std::move(plan));
  auto projection = std::make_unique<LogicalProjection>();
  projection->table_index = NextTableIndex();
  BoundQuery result;
  for (size_t i = 0; i < items.size(); i++) {
    if (i < visible_count) {
      result.names.push_back(items[i].name);
      result.types.push_back(items[i].expr->type);
    }
    projection->expressions.push_back(std::move(items[i].expr));
  }
  std::vector<LogicalType> all_types = projection->GetTypes();
  uint32_t output_index = projection->table_index;
  projection->children.push_back(std::move(plan));
  plan = std::move(projection);

  if (node.distinct) {
    auto distinct = std::make_unique<LogicalAggregate>();
    distinct->group_index = NextTableIndex();
    distinct->aggregate_index = NextTableIndex();
    for (size_t i = 0; i < visible_count; i++) {
      distinct->groups.push_back(Expression::MakeColumnRef(
          ColumnBinding{output_index, static_cast<uint32_t>(i)}, all_types[i], result.names[i]));
    }
    output_index = distinct->group_index;
    distinct->children.push_back(std::move(plan));
    plan = std::move(distinct);
  }

  if (!order_items.empty()) {
    auto order = std::make_unique<LogicalOrder>();
    for (const auto& o : order_items) {
      LogicalOrderKey key;
      key.expr = Expression::MakeColumnRef(ColumnBinding{output_index, static_cast<uint32_t>(o.column)},
                                           all_types[o.column]);
      key.descending = o.descending;
      key.nulls_first = o.nulls_first;
      order->keys.push_back(std::move(key));
    }
    order->children.push_back(std::move(plan));
    plan = std::move(order);
  }
  if (!grouping_set) plan = AddLimit(*this, node, std::move(plan));

  if (items.size() > visible_count) {
    // Drop the hidden ORDER BY columns.
    auto trim = std::make_unique<LogicalProjection>();
    trim->table_index = NextTableIndex();
    for (size_t i = 0; i < visible_count; i++) {
      trim->expressions.push_back(Expression::MakeColumnRef(
          ColumnBinding{output_index, static_cast<uint32_t>(i)}, all_types[i], result.names[i]));
    }
    trim->children.push_back(std::move(plan));
    plan = std::move(trim);
  }
  result.plan = std::move(plan);
  return result;
}

namespace {

// Wraps `query` in a projection casting its columns to `types`.
void CastOutput(BoundQuery& query, const std::vector<LogicalType>& types, uint32_t table_index) {
  if (query.types == types) return;
  auto bindings = query.plan->GetColumnBindings();
  auto projection = std::make_unique<LogicalProjection>();
  projection->table_index = table_index;
  for (size_t i = 0; i < types.size(); i++) {
    projection->expressions.push_back(Binder::AddCast(
        Expression::MakeColumnRef(bindings[i], query.types[i], query.names[i]), types[i]));
  }
  projection->children.push_back(std::move(query.plan));
  query.plan = std::move(projection);
  query.types = types;
}

}  // namespace

BoundQuery Binder::BindSetOperation(const sql::SetOperationNode& node) {
  BoundQuery left = BindQuery(*node.left);
  BoundQuery right = BindQuery(*node.right);
  const char* op_name = node.op == sql::SetOperationType::kUnion       ? "UNION"
                        : node.op == sql::SetOperationType::kIntersect ? "INTERSECT"
                                                                       : "EXCEPT";
  if (left.types.size() != right.types.size()) {
    ThrowErrorAt(sqlstate::kSyntaxError, node.position,
                 "each {} query must have the same number of columns", op_name);
  }
  std::vector<LogicalType> types;
  for (size_t i = 0; i < left.types.size(); i++) {
    LogicalType t = CommonSupertype(left.types[i], right.types[i]);
    if (t.id() == TypeId::kInvalid) {
      ThrowErrorAt(sqlstate::kDatatypeMismatch, node.position, "{} types {} and {} cannot be matched",
                   op_name, left.types[i].ToString(), right.types[i].ToString());
    }
    if (t.id() == TypeId::kNull) t = TypeId::kVarchar;
    types.push_back(t);
  }
  CastOutput(left, types, NextTableIndex());
  CastOutput(right, types, NextTableIndex());
  if (node.op != sql::SetOperationType::kUnion) {
    return BindIntersectExcept(node, std::move(left), std::move(right), types);
  }
  auto set_op = std::make_unique<LogicalSetOperation>();
  set_op->table_index = NextTableIndex();
  set_op->kind = node.op == sql::SetOperationType::kUnion       ? SetOperationKind::kUnion
                 : node.op == sql::SetOperationType::kIntersect ? SetOperationKind::kIntersect
                                                                : SetOperationKind::kExcept;
  set_op->all = node.all;
  set_op->types = types;
  set_op->children.push_back(std::move(left.plan));
  set_op->children.push_back(std::move(right.plan));
  BoundQuery result;
  result.plan = std::move(set_op);
  result.names = std::move(left.names);
  result.types = std::move(types);
  return result;
}

BoundQuery Binder::BindIntersectExcept(const sql::SetOperationNode& node, BoundQuery left,
                                       BoundQuery right, const std::vector<LogicalType>& types) {
  // Both sides tagged with where they come from, unioned, and grouped on all
  // columns (so NULLs match NULLs, as set operations require):
  //   INTERSECT: groups seen on both sides;  EXCEPT: groups seen only on the left.
  // The ALL forms number the copies of each row on each side (row_number()
  // over a partition of equal rows) and treat (row, copy number) as the
  // row: the k-th copy survives INTERSECT ALL when both sides have k copies,
  // and EXCEPT ALL when only the left one does.
  std::vector<LogicalType> keyed_types = types;
  if (node.all) keyed_types.push_back(TypeId::kBigint);
  auto number_copies = [&](BoundQuery& side) {
    auto bindings = side.plan->GetColumnBindings();
    auto window = std::make_unique<LogicalWindow>();
    for (size_t i = 0; i < bindings.size(); i++) {
      window->partition_by.push_back(Expression::MakeColumnRef(bindings[i], types[i]));
    }
    LogicalWindowCall call;
    call.table_index = NextTableIndex();
    call.kind = WindowFunctionKind::kRowNumber;
    call.return_type = TypeId::kBigint;
    call.name = "row_number()";
    window->calls.push_back(std::move(call));
    window->children.push_back(std::move(side.plan));
    side.plan = std::move(window);
  };
  if (node.all) {
    number_copies(left);
    number_copies(right);
  }
  auto tag = [&](BoundQuery& side, bool is_left) {
    auto bindings = side.plan->GetColumnBindings();
    auto projection = std::make_unique<LogicalProjection>();
    projection->table_index = NextTableIndex();
    for (size_t i = 0; i < bindings.size(); i++) {
      projection->expressions.push_back(Expression::MakeColumnRef(bindings[i], keyed_types[i]));
    }
    projection->expressions.push_back(Expression::MakeConstant(Value::Boolean(is_left)));
    projection->children.push_back(std::move(side.plan));
    return projection;
  };
  std::vector<LogicalType> tagged_types = keyed_types;
  tagged_types.push_back(TypeId::kBoolean);
  auto both = std::make_unique<LogicalSetOperation>();
  both->table_index = NextTableIndex();
  both->kind = SetOperationKind::kUnion;
  both->all = true;
  both->types = tagged_types;
  both->children.push_back(tag(left, true));
  both->children.push_back(tag(right, false));

  auto aggregate = std::make_unique<LogicalAggregate>();
  aggregate->group_index = NextTableIndex();
  aggregate->aggregate_index = NextTableIndex();
  auto tag_ref = [&] {
    return Expression::MakeColumnRef(
        ColumnBinding{both->table_index, static_cast<uint32_t>(keyed_types.size())},
        TypeId::kBoolean);
  };
  for (size_t i = 0; i < keyed_types.size(); i++) {
    aggregate->groups.push_back(Expression::MakeColumnRef(
        ColumnBinding{both->table_index, static_cast<uint32_t>(i)}, keyed_types[i]));
  }
  // bool_or(from_left) and bool_or(NOT from_left).
  for (bool want_left : {true, false}) {
    LogicalAggregateCall call;
    auto fn = FunctionRegistry::Get().BindAggregate("bool_or", {LogicalType(TypeId::kBoolean)});
    BASALT_CHECK(fn.has_value());
    call.function = std::move(*fn);
    if (want_left) {
      call.args.push_back(tag_ref());
    } else {
      std::vector<ExpressionPtr> args;
      args.push_back(tag_ref());
      call.args.push_back(Expression::MakeBoolean(ExprKind::kNot, std::move(args)));
    }
    aggregate->aggregates.push_back(std::move(call));
  }
  aggregate->children.push_back(std::move(both));
  auto filter = std::make_unique<LogicalFilter>();
  auto seen = [&](uint32_t i) {
    return Expression::MakeColumnRef(ColumnBinding{aggregate->aggregate_index, i}, TypeId::kBoolean);
  };
  filter->conditions.push_back(seen(0));
  if (node.op == sql::SetOperationType::kIntersect) {
    filter->conditions.push_back(seen(1));
  } else {
    std::vector<ExpressionPtr> args;
    args.push_back(seen(1));
    filter->conditions.push_back(Expression::MakeBoolean(ExprKind::kNot, std::move(args)));
  }
  uint32_t group_index = aggregate->group_index;
  filter->children.push_back(std::move(aggregate));
  auto projection = std::make_unique<LogicalProjection>();
  projection->table_index = NextTableIndex();
  for (size_t i = 0; i < types.size(); i++) {
    projection->expressions.push_back(
        Expression::MakeColumnRef(ColumnBinding{group_index, static_cast<uint32_t>(i)}, types[i]));
  }
  projection->children.push_back(std::move(filter));
  BoundQuery result;
  result.plan = std::move(projection);
  result.names = std::move(left.names);
  result.types = types;
  return result;
}

BoundQuery Binder::BindValues(const sql::ValuesNode& node) {
  SelectContext ctx;  // no columns in scope
  BindScope empty_scope;
  ctx.scope = &empty_scope;
  ctx.aggregate_error_context = "VALUES";
  std::vector<std::vector<ExpressionPtr>> rows;
  size_t width = node.rows.empty() ? 0 : node.rows[0].size();
  for (const auto& row : node.rows) {
    if (row.size() != width) {
      ThrowErrorAt(sqlstate::kSyntaxError, row.empty() ? node.position : row[0]->position,
                   "VALUES lists must all be the same length");
    }
    std::vector<ExpressionPtr> bound;
    for (const auto& e : row) bound.push_back(BindExpression(*e, ctx));
    rows.push_back(std::move(bound));
  }
  std::vector<LogicalType> types(width, LogicalType(TypeId::kNull));
  for (size_t c = 0; c < width; c++) {
    // Typed values decide first; string literals adapt to them.
    for (const auto& row : rows) {
      if (row[c]->untyped_literal) continue;
      LogicalType t = CommonSupertype(types[c], row[c]->type);
      if (t.id() == TypeId::kInvalid) {
        ThrowErrorAt(sqlstate::kDatatypeMismatch, node.position,
                     "VALUES types {} and {} cannot be matched", types[c].ToString(),
                     row[c]->type.ToString());
      }
      types[c] = t;
    }
    if (types[c].id() == TypeId::kNull) {
      // Only literals: strings make it VARCHAR; all-NULL columns stay NULL-typed
      // so that INSERT can cast them to any column type.
      bool any_literal = false;
      for (const auto& row : rows) any_literal |= row[c]->untyped_literal;
      if (any_literal) types[c] = TypeId::kVarchar;
    }
    for (auto& row : rows) row[c] = AddCast(std::move(row[c]), types[c]);
  }
  auto values = std::make_unique<LogicalValues>();
  values->table_index = NextTableIndex();
  values->types = types;
  values->rows = std::move(rows);
  BoundQuery result;
  for (size_t c = 0; c < width; c++) result.names.push_back(fmt::format("column{}", c + 1));
  result.types = types;
  result.plan = std::move(values);
  return result;
}

}  // namespace basalt
