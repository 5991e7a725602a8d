// Subqueries in expressions, planned as joins rather than run once per row:
//   scalar, uncorrelated     -> cross join with single_value(...) over the subquery
//   scalar, correlated by =  -> left join with the subquery grouped by its
//                               correlated columns (a plain SELECT x becomes
//                               SELECT single_value(x) first)
//   [NOT] EXISTS             -> semi / anti join; correlated WHERE conjuncts
//                               become the join condition
//   x IN (subquery)          -> semi join on x = column
//   x NOT IN (subquery)      -> anti join on (x = column OR x IS NULL OR
//                               column IS NULL) [AND correlated conditions],
//                               SQL's NULL rules for NOT IN
// Correlation is supported in the subquery's WHERE (conjuncts joined by AND),
// one level deep; other forms fail with 0A000 and the position.
#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "common/exception.h"
#include "exec/cast.h"
#include "plan/binder.h"
#include "plan/binder_internal.h"

namespace basalt {

LogicalOperatorPtr MakeJoin(LogicalJoinType type, LogicalOperatorPtr left, LogicalOperatorPtr right,
                            std::vector<ExpressionPtr> conditions) {
  auto join = std::make_unique<LogicalJoin>();
  join->join_type = type;
  join->conditions = std::move(conditions);
  join->children.push_back(std::move(left));
  join->children.push_back(std::move(right));
  return join;
}

namespace {

// The subquery predicate a WHERE conjunct is, if it is one: EXISTS, IN,
// possibly under NOT. Sets `negated` accordingly.
const sql::SubqueryExpression* AsSubqueryPredicate(const sql::ParsedExpression& e, bool* negated) {
  const sql::ParsedExpression* node = &e;
  bool flip = false;
  while (node->Is<sql::UnaryExpression>() &&
         node->As<sql::UnaryExpression>().op == sql::UnaryOperator::kNot) {
    flip = !flip;
    node = node->As<sql::UnaryExpression>().child.get();
  }
  if (!node->Is<sql::SubqueryExpression>()) return nullptr;
  const auto& sub = node->As<sql::SubqueryExpression>();
  if (sub.subquery_kind != sql::SubqueryKind::kExists && sub.subquery_kind != sql::SubqueryKind::kIn) {
    return nullptr;
  }
  *negated = sub.negated != flip;
  return &sub;
}

bool RefersToAny(const Expression& e, const std::vector<uint32_t>& tables) {
  bool found = false;
  VisitExpression(e, [&](const Expression& x) {
    if (x.kind == ExprKind::kColumnRef &&
        std::find(tables.begin(), tables.end(), x.binding.table_index) != tables.end()) {
      found = true;
    }
  });
  return found;
}

bool RefersOnlyTo(const Expression& e, const std::vector<uint32_t>& tables) {
  bool only = true;
  VisitExpression(e, [&](const Expression& x) {
    if (x.kind == ExprKind::kColumnRef &&
        std::find(tables.begin(), tables.end(), x.binding.table_index) == tables.end()) {
      only = false;
    }
  });
  return only;
}

// For a correlated conjunct `inner = outer` (in either order): the child that
// refers only to the subquery, or -1 when the conjunct has another shape.
int InnerSideOfEquality(const Expression& condition, const std::vector<uint32_t>& outer_tables) {
  if (condition.kind != ExprKind::kFunction || condition.function.name != "=" ||
      condition.children.size() != 2) {
    return -1;
  }
  for (int side = 0; side < 2; side++) {
    if (RefersOnlyTo(*condition.children[side], outer_tables) &&
        !RefersToAny(*condition.children[1 - side], outer_tables)) {
      return 1 - side;
    }
  }
  return -1;
}

std::vector<uint32_t> ScopeTables(const BindScope& scope) {
  std::vector<uint32_t> tables;
  for (const auto& r : scope.relations()) {
    for (const auto& c : r.columns) tables.push_back(c.binding.table_index);
  }
  return tables;
}

// A subquery whose output the join can skip: the plan below its top
// projection, if the query is a plain SELECT ... FROM ... WHERE.
LogicalOperatorPtr StripProjection(BoundQuery& query, int32_t position) {
  auto* projection = query.plan->type == LogicalOperatorType::kProjection
                         ? static_cast<LogicalProjection*>(query.plan.get())
                         : nullptr;
  if (!projection || projection->children[0]->type == LogicalOperatorType::kAggregate ||
      (projection->children[0]->type == LogicalOperatorType::kFilter &&
       projection->children[0]->children[0]->type == LogicalOperatorType::kAggregate)) {
    ThrowErrorAt(sqlstate::kFeatureNotSupported, position,
                 "a correlated EXISTS or IN subquery with GROUP BY, aggregates, DISTINCT, ORDER "
                 "BY or LIMIT is not supported yet");
  }
  return std::move(projection->children[0]);
}

// A subquery's plan below its projection that is only scans, joins and
// filters (no aggregate, DISTINCT, ORDER BY or LIMIT).
bool IsPlainSelect(const LogicalOperator& op) {
  switch (op.type) {
    case LogicalOperatorType::kGet:
    case LogicalOperatorType::kFileScan:
    case LogicalOperatorType::kValues:
      return true;
    case LogicalOperatorType::kFilter:
    case LogicalOperatorType::kJoin:
    case LogicalOperatorType::kProjection:
      for (const auto& child : op.children) {
        if (!IsPlainSelect(*child)) return false;
      }
      return true;
    default:
      return false;
  }
}

// Rewrites `condition` (over inner and outer columns) so its inner column
// references read group keys of `aggregate`, exposed through `projection`.
ExpressionPtr GroupByInnerColumns(ExpressionPtr condition, const std::vector<uint32_t>& outer_tables,
                                  LogicalAggregate& aggregate, LogicalProjection& projection) {
  std::function<void(ExpressionPtr&)> rewrite = [&](ExpressionPtr& e) {
    if (e->kind == ExprKind::kColumnRef &&
        std::find(outer_tables.begin(), outer_tables.end(), e->binding.table_index) ==
            outer_tables.end()) {
      LogicalType type = e->type;
      aggregate.groups.push_back(std::move(e));
      projection.expressions.push_back(Expression::MakeColumnRef(
          ColumnBinding{aggregate.group_index, static_cast<uint32_t>(aggregate.groups.size() - 1)},
          type));
      e = Expression::MakeColumnRef(
          ColumnBinding{projection.table_index,
                        static_cast<uint32_t>(projection.expressions.size() - 1)},
          type);
      return;
    }
    for (auto& child : e->children) rewrite(child);
  };
  rewrite(condition);
  return condition;
}

}  // namespace

ExpressionPtr Binder::BindSubqueryOverNoRows(const sql::SubqueryExpression& expr,
                                             SelectContext& ctx) {
  // Nothing to evaluate it on (psql's \d reads pg_policy and the like,
  // which are always empty here): the value is never needed.
  if (ctx.from_is_empty) return Expression::MakeConstant(Value::Null());
  // A subquery over no rows, whatever the outer row (psql's \du reads
  // pg_auth_members): no row, so NULL, or an empty array. An aggregate
  // would give a row; PlanIsKnownEmpty is false for one.
  BoundSubquery sub;
  try {
    sub = BindSubqueryNode(*expr.subquery, ctx);
  } catch (const BasaltError&) {
    return nullptr;  // the caller reports the original error
  }
  if (sub.query.types.size() != 1 || !PlanIsKnownEmpty(*sub.query.plan)) return nullptr;
  if (expr.subquery_kind == sql::SubqueryKind::kArray) {
    return Expression::MakeConstant(Value::Varchar("{}"));
  }
  return Expression::MakeConstant(Value::Null(sub.query.types[0]));
}

LogicalOperatorPtr Binder::WrapInSingleValue(LogicalOperatorPtr plan, const LogicalType& type) {
  auto& projection = static_cast<LogicalProjection&>(*plan);
  auto aggregate = std::make_unique<LogicalAggregate>();
  aggregate->group_index = NextTableIndex();
  aggregate->aggregate_index = NextTableIndex();
  LogicalAggregateCall call;
  auto fn = FunctionRegistry::Get().BindAggregate("single_value", {type});
  BASALT_CHECK(fn.has_value());
  call.function = std::move(*fn);
  call.args.push_back(std::move(projection.expressions[0]));
  aggregate->aggregates.push_back(std::move(call));
  aggregate->children.push_back(std::move(projection.children[0]));
  auto result = std::make_unique<LogicalProjection>();
  result->table_index = NextTableIndex();
  result->expressions.push_back(
      Expression::MakeColumnRef(ColumnBinding{aggregate->aggregate_index, 0}, type));
  result->children.push_back(std::move(aggregate));
  return result;
}

LogicalOperatorPtr Binder::BindWhere(const sql::ParsedExpression& where, const BindScope& scope,
                                     LogicalOperatorPtr plan) {
  std::vector<const sql::ParsedExpression*> conjuncts;
  if (where.Is<sql::ConjunctionExpression>() &&
      where.As<sql::ConjunctionExpression>().op == sql::ConjunctionOperator::kAnd) {
    for (const auto& c : where.As<sql::ConjunctionExpression>().children) conjuncts.push_back(c.get());
  } else {
    conjuncts.push_back(&where);
  }
  std::vector<PendingJoin> pending;
  SelectContext ctx;
  ctx.scope = &scope;
  ctx.aggregate_error_context = "WHERE";
  ctx.pending_joins = &pending;
  ctx.allow_correlated = outer_scope_ != nullptr;

  std::vector<ExpressionPtr> conditions;
  std::vector<std::pair<const sql::SubqueryExpression*, bool>> predicates;
  for (const auto* conjunct : conjuncts) {
    bool negated = false;
    if (const auto* sub = AsSubqueryPredicate(*conjunct, &negated)) {
      predicates.emplace_back(sub, negated);
      continue;
    }
    ctx.saw_correlated = false;
    auto bound = BindBoolean(*conjunct, ctx, "WHERE");
    if (ctx.saw_correlated) {
      correlated_conditions_.push_back(std::move(bound));
    } else {
      SplitConjunctions(std::move(bound), conditions);
    }
  }
  for (auto& join : pending) {
    plan = MakeJoin(join.type, std::move(plan), std::move(join.right), std::move(join.conditions));
  }
  if (!conditions.empty()) {
    auto filter = std::make_unique<LogicalFilter>();
    filter->conditions = std::move(conditions);
    filter->children.push_back(std::move(plan));
    plan = std::move(filter);
  }
  for (const auto& [sub, negated] : predicates) {
    ctx.saw_correlated = false;
    plan = PlanSubqueryPredicate(*sub, negated, ctx, std::move(plan));
  }
  return plan;
}

Binder::BoundSubquery Binder::BindSubqueryNode(const sql::QueryNode& node, SelectContext& ctx) {
  Binder child(catalog_, shared_, ctes_);
  child.outer_scope_ = ctx.scope;
  BoundSubquery result;
  result.query = child.BindQuery(node);
  result.correlated_conditions = std::move(child.correlated_conditions_);
  return result;
}

ExpressionPtr Binder::BindScalarSubquery(const sql::SubqueryExpression& expr, SelectContext& ctx) {
  if (!ctx.pending_joins) {
    ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                 "subqueries are not supported in {} yet", ctx.aggregate_error_context);
  }
  BoundSubquery sub = BindSubqueryNode(*expr.subquery, ctx);
  BoundQuery& query = sub.query;
  if (query.types.size() != 1) {
    ThrowErrorAt(sqlstate::kSyntaxError, expr.position, "subquery must return only one column");
  }
  auto bindings = query.plan->GetColumnBindings();
  if (sub.correlated_conditions.empty()) {
    // One row always: the value, NULL for no rows, an error for several.
    auto aggregate = std::make_unique<LogicalAggregate>();
    aggregate->group_index = NextTableIndex();
    aggregate->aggregate_index = NextTableIndex();
    LogicalAggregateCall call;
    auto fn = FunctionRegistry::Get().BindAggregate("single_value", {query.types[0]});
    BASALT_CHECK(fn.has_value());
    call.function = std::move(*fn);
    call.args.push_back(Expression::MakeColumnRef(bindings[0], query.types[0]));
    LogicalType type = call.function.return_type;
    aggregate->aggregates.push_back(std::move(call));
    aggregate->children.push_back(std::move(query.plan));
    uint32_t index = aggregate->aggregate_index;
    ctx.pending_joins->push_back({LogicalJoinType::kCross, std::move(aggregate), {}});
    return Expression::MakeColumnRef(ColumnBinding{index, 0}, type, "(subquery)");
  }

  // Correlated: SELECT agg(...) FROM ... WHERE inner = outer AND ... becomes
  // a left join with SELECT agg(...), inner FROM ... GROUP BY inner.
  auto* projection = query.plan->type == LogicalOperatorType::kProjection
                         ? static_cast<LogicalProjection*>(query.plan.get())
                         : nullptr;
  bool single_value = false;
  if (projection && IsPlainSelect(*projection->children[0])) {
    single_value = true;
    // SELECT x FROM ... WHERE inner = outer: the same as SELECT
    // single_value(x) ..., which is NULL for no row and 21000 for several.
    query.plan = WrapInSingleValue(std::move(query.plan), query.types[0]);
    projection = static_cast<LogicalProjection*>(query.plan.get());
  }
  auto* aggregate = projection && projection->children[0]->type == LogicalOperatorType::kAggregate
                        ? static_cast<LogicalAggregate*>(projection->children[0].get())
                        : nullptr;
  if (!aggregate || !aggregate->groups.empty()) {
    ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                 "a correlated scalar subquery must be a single aggregate without GROUP BY, "
                 "HAVING, ORDER BY or LIMIT so far");
  }
  // count over no rows is 0, but the left join leaves NULL where the group is
  // missing: a bare count gets COALESCE(count, 0); count inside a larger
  // expression is not handled yet.
  bool bare_count = false;
  for (size_t i = 0; i < aggregate->aggregates.size(); i++) {
    const auto& name = aggregate->aggregates[i].function.name;
    if (name != "count" && name != "count_star") continue;
    const Expression& value = *projection->expressions[0];
    if (value.kind == ExprKind::kColumnRef && value.binding.table_index == aggregate->aggregate_index &&
        value.binding.column_index == i && aggregate->aggregates.size() == 1) {
      bare_count = true;
    } else {
      ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                   "a correlated scalar subquery may use count() only as its whole value so far");
    }
  }
  std::vector<uint32_t> outer_tables = ScopeTables(*ctx.scope);
  std::vector<ExpressionPtr> join_conditions;
  for (auto& condition : sub.correlated_conditions) {
    if (RefersOnlyTo(*condition, outer_tables)) {
      // `WHERE ... AND outer.flag`: where it is false the subquery has no
      // row, which is what the left join gives when its condition fails.
      join_conditions.push_back(std::move(condition));
      continue;
    }
    int inner_side = InnerSideOfEquality(*condition, outer_tables);
    if (inner_side < 0 && single_value) {
      // Another comparison of inner and outer columns in a subquery that
      // yields one row: group by the inner columns it reads too and apply it
      // in the join. Where PostgreSQL would fail with 21000 because rows of
      // different such groups qualify for one outer row, the outer row
      // repeats instead (docs/sql_frontend.md). An aggregate cannot be split
      // by group this way, so it keeps the error below.
      join_conditions.push_back(GroupByInnerColumns(std::move(condition), outer_tables, *aggregate,
                                                    *projection));
      continue;
    }
    if (inner_side < 0) {
      ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                   "a correlated scalar subquery may compare inner and outer columns only with = "
                   "so far");
    }
    ExpressionPtr inner = std::move(condition->children[inner_side]);
    LogicalType type = inner->type;
    aggregate->groups.push_back(std::move(inner));
    projection->expressions.push_back(Expression::MakeColumnRef(
        ColumnBinding{aggregate->group_index, static_cast<uint32_t>(aggregate->groups.size() - 1)},
        type));
    condition->children[inner_side] = Expression::MakeColumnRef(
        ColumnBinding{projection->table_index,
                      static_cast<uint32_t>(projection->expressions.size() - 1)},
        type);
    join_conditions.push_back(std::move(condition));
  }
  ColumnBinding value{projection->table_index, 0};
  LogicalType type = query.types[0];
  ctx.pending_joins->push_back(
      {LogicalJoinType::kLeft, std::move(query.plan), std::move(join_conditions)});
  auto result = Expression::MakeColumnRef(value, type, "(subquery)");
  if (!bare_count) return result;
  auto coalesce = std::make_unique<Expression>();
  coalesce->kind = ExprKind::kCoalesce;
  coalesce->type = type;
  coalesce->children.push_back(std::move(result));
  coalesce->children.push_back(AddCast(Expression::MakeConstant(Value::Bigint(0)), type));
  return coalesce;
}

LogicalOperatorPtr Binder::PlanSubqueryPredicate(const sql::SubqueryExpression& expr, bool negated,
                                                 SelectContext& ctx, LogicalOperatorPtr plan) {
  // The compared expression belongs to this query, not the subquery.
  ExpressionPtr left;
  if (expr.subquery_kind == sql::SubqueryKind::kIn) {
    std::vector<PendingJoin> pending;
    SelectContext left_ctx = ctx;
    left_ctx.pending_joins = &pending;
    left = BindExpression(*expr.left, left_ctx);
    for (auto& join : pending) {
      plan = MakeJoin(join.type, std::move(plan), std::move(join.right), std::move(join.conditions));
    }
  }
  BoundSubquery sub = BindSubqueryNode(*expr.subquery, ctx);
  const bool correlated = !sub.correlated_conditions.empty();
  LogicalJoinType type = negated ? LogicalJoinType::kAnti : LogicalJoinType::kSemi;

  if (expr.subquery_kind == sql::SubqueryKind::kExists) {
    LogicalOperatorPtr right;
    if (correlated) {
      right = StripProjection(sub.query, expr.position);
    } else {
      // Whether any row exists: one is enough.
      auto limit = std::make_unique<LogicalLimit>();
      limit->limit = 1;
      limit->children.push_back(std::move(sub.query.plan));
      right = std::move(limit);
    }
    return MakeJoin(type, std::move(plan), std::move(right), std::move(sub.correlated_conditions));
  }

  // x [NOT] IN (SELECT y ...)
  if (sub.query.types.size() != 1) {
    ThrowErrorAt(sqlstate::kSyntaxError, expr.position, "subquery has too many columns");
  }
  ExpressionPtr right_value;
  LogicalOperatorPtr right;
  if (correlated) {
    auto* projection = static_cast<LogicalProjection*>(sub.query.plan.get());
    right_value = projection->expressions[0]->Copy();
    right = StripProjection(sub.query, expr.position);
  } else {
    auto bindings = sub.query.plan->GetColumnBindings();
    right_value = Expression::MakeColumnRef(bindings[0], sub.query.types[0]);
    right = std::move(sub.query.plan);
  }
  if (left->untyped_literal) left = AddCast(std::move(left), right_value->type, expr.position);
  LogicalType common = CommonSupertype(left->type, right_value->type);
  if (common.id() == TypeId::kInvalid) {
    ThrowErrorAt(sqlstate::kDatatypeMismatch, expr.position, "IN types {} and {} cannot be matched",
                 left->type.ToString(), right_value->type.ToString());
  }
  left = AddCast(std::move(left), common, expr.position);
  right_value = AddCast(std::move(right_value), common, expr.position);

  std::vector<ExpressionPtr> conditions = std::move(sub.correlated_conditions);
  if (!negated) {
    std::vector<ExpressionPtr> args;
    args.push_back(std::move(left));
    args.push_back(std::move(right_value));
    conditions.push_back(BindScalarFunction("=", std::move(args), expr.position));
    return MakeJoin(type, std::move(plan), std::move(right), std::move(conditions));
  }
  // NOT IN: a row survives only if no subquery value equals it, it is not
  // NULL (unless the subquery is empty) and the subquery holds no NULL. With
  // correlation the same holds per outer row over the rows its correlated
  // conditions select, which are ANDed into the anti join's condition.
  std::vector<ExpressionPtr> either;
  {
    std::vector<ExpressionPtr> args;
    args.push_back(left->Copy());
    args.push_back(right_value->Copy());
    either.push_back(BindScalarFunction("=", std::move(args), expr.position));
  }
  {
    std::vector<ExpressionPtr> args;
    args.push_back(std::move(left));
    either.push_back(Expression::MakeBoolean(ExprKind::kIsNull, std::move(args)));
  }
  {
    std::vector<ExpressionPtr> args;
    args.push_back(std::move(right_value));
    either.push_back(Expression::MakeBoolean(ExprKind::kIsNull, std::move(args)));
  }
  conditions.push_back(Expression::MakeBoolean(ExprKind::kOr, std::move(either)));
  return MakeJoin(type, std::move(plan), std::move(right), std::move(conditions));
}

namespace {

LogicalAggregateCall MakeAggregateCall(const std::string& name, std::vector<ExpressionPtr> args) {
  std::vector<LogicalType> types;
  for (const auto& a : args) types.push_back(a->type);
  auto fn = FunctionRegistry::Get().BindAggregate(name, types);
  BASALT_CHECK(fn.has_value());
  LogicalAggregateCall call;
  call.function = std::move(*fn);
  call.args = std::move(args);
  return call;
}

ExpressionPtr Negate(ExpressionPtr e) {
  std::vector<ExpressionPtr> args;
  args.push_back(std::move(e));
  return Expression::MakeBoolean(ExprKind::kNot, std::move(args));
}

ExpressionPtr IsNull(ExpressionPtr e, bool negated = false) {
  std::vector<ExpressionPtr> args;
  args.push_back(std::move(e));
  return Expression::MakeBoolean(negated ? ExprKind::kIsNotNull : ExprKind::kIsNull, std::move(args));
}

}  // namespace

ExpressionPtr Binder::BindSubqueryValue(const sql::SubqueryExpression& expr, SelectContext& ctx) {
  if (!ctx.pending_joins) {
    ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                 "subqueries are not supported in {} yet", ctx.aggregate_error_context);
  }
  ExpressionPtr result;
  if (expr.subquery_kind == sql::SubqueryKind::kExists) {
    BoundSubquery sub = BindSubqueryNode(*expr.subquery, ctx);
    if (sub.correlated_conditions.empty()) {
      // One row: whether the subquery has any.
      auto limit = std::make_unique<LogicalLimit>();
      limit->limit = 1;
      limit->children.push_back(std::move(sub.query.plan));
      auto count = std::make_unique<LogicalAggregate>();
      count->group_index = NextTableIndex();
      count->aggregate_index = NextTableIndex();
      count->aggregates.push_back(MakeAggregateCall("count_star", {}));
      count->children.push_back(std::move(limit));
      LogicalType type = count->aggregates[0].function.return_type;
      uint32_t index = count->aggregate_index;
      ctx.pending_joins->push_back({LogicalJoinType::kCross, std::move(count), {}});
      std::vector<ExpressionPtr> args;
      args.push_back(Expression::MakeColumnRef(ColumnBinding{index, 0}, type));
      args.push_back(Expression::MakeConstant(Value::Bigint(0)));
      result = BindScalarFunction(">", std::move(args), expr.position);
    } else {
      // Correlated by equalities: left join with the distinct inner keys;
      // a row has a match exactly when the joined key is not NULL.
      LogicalOperatorPtr inner_plan = StripProjection(sub.query, expr.position);
      std::vector<uint32_t> outer_tables = ScopeTables(*ctx.scope);
      auto keys = std::make_unique<LogicalAggregate>();
      keys->group_index = NextTableIndex();
      keys->aggregate_index = NextTableIndex();
      std::vector<ExpressionPtr> conditions;
      for (auto& condition : sub.correlated_conditions) {
        int inner_side = InnerSideOfEquality(*condition, outer_tables);
        if (inner_side < 0) {
          ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                       "EXISTS used as a value may correlate only by = so far (as a WHERE "
                       "condition it may use any comparison)");
        }
        ExpressionPtr inner = std::move(condition->children[inner_side]);
        LogicalType type = inner->type;
        keys->groups.push_back(std::move(inner));
        condition->children[inner_side] = Expression::MakeColumnRef(
            ColumnBinding{keys->group_index, static_cast<uint32_t>(keys->groups.size() - 1)}, type);
        conditions.push_back(std::move(condition));
      }
      LogicalType first_type = keys->groups[0]->type;
      uint32_t group_index = keys->group_index;
      keys->children.push_back(std::move(inner_plan));
      ctx.pending_joins->push_back({LogicalJoinType::kLeft, std::move(keys), std::move(conditions)});
      result = IsNull(Expression::MakeColumnRef(ColumnBinding{group_index, 0}, first_type), true);
    }
  } else {
    // x IN (SELECT y ...) as a value, uncorrelated. Two joins bring in the
    // facts SQL's rule needs: the matching y (distinct, non-NULL), and the
    // subquery's row count and whether it holds a NULL.
    //   CASE WHEN rows = 0 THEN FALSE WHEN match IS NOT NULL THEN TRUE
    //        WHEN x IS NULL OR has_null THEN NULL ELSE FALSE END
    ExpressionPtr left = BindExpression(*expr.left, ctx);
    BoundSubquery for_match = BindSubqueryNode(*expr.subquery, ctx);
    if (!for_match.correlated_conditions.empty()) {
      ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                   "a correlated IN subquery used as a value is not supported yet (as a WHERE "
                   "condition it is)");
    }
    BoundSubquery for_facts = BindSubqueryNode(*expr.subquery, ctx);
    if (for_match.query.types.size() != 1) {
      ThrowErrorAt(sqlstate::kSyntaxError, expr.position, "subquery has too many columns");
    }
    LogicalType value_type = for_match.query.types[0];
    if (left->untyped_literal) left = AddCast(std::move(left), value_type, expr.position);
    LogicalType common = CommonSupertype(left->type, value_type);
    if (common.id() == TypeId::kInvalid) {
      ThrowErrorAt(sqlstate::kDatatypeMismatch, expr.position, "IN types {} and {} cannot be matched",
                   left->type.ToString(), value_type.ToString());
    }
    left = AddCast(std::move(left), common, expr.position);
    auto y_of = [&](BoundQuery& q) {
      return AddCast(Expression::MakeColumnRef(q.plan->GetColumnBindings()[0], value_type), common,
                     expr.position);
    };
    // Facts: count(*), bool_or(y IS NULL).
    auto facts = std::make_unique<LogicalAggregate>();
    facts->group_index = NextTableIndex();
    facts->aggregate_index = NextTableIndex();
    facts->aggregates.push_back(MakeAggregateCall("count_star", {}));
    {
      std::vector<ExpressionPtr> args;
      args.push_back(IsNull(y_of(for_facts.query)));
      facts->aggregates.push_back(MakeAggregateCall("bool_or", std::move(args)));
    }
    facts->children.push_back(std::move(for_facts.query.plan));
    uint32_t facts_index = facts->aggregate_index;
    ctx.pending_joins->push_back({LogicalJoinType::kCross, std::move(facts), {}});
    // Matches: the distinct non-NULL values, left-joined on x = y.
    auto filter = std::make_unique<LogicalFilter>();
    filter->conditions.push_back(IsNull(y_of(for_match.query), true));
    auto y = y_of(for_match.query);
    filter->children.push_back(std::move(for_match.query.plan));
    auto values = std::make_unique<LogicalAggregate>();
    values->group_index = NextTableIndex();
    values->aggregate_index = NextTableIndex();
    values->groups.push_back(std::move(y));
    values->children.push_back(std::move(filter));
    ColumnBinding match{values->group_index, 0};
    std::vector<ExpressionPtr> eq;
    eq.push_back(left->Copy());
    eq.push_back(Expression::MakeColumnRef(match, common));
    std::vector<ExpressionPtr> conditions;
    conditions.push_back(BindScalarFunction("=", std::move(eq), expr.position));
    ctx.pending_joins->push_back({LogicalJoinType::kLeft, std::move(values), std::move(conditions)});

    auto when = [&](ExpressionPtr condition, ExpressionPtr then, Expression& case_expr) {
      case_expr.children.push_back(std::move(condition));
      case_expr.children.push_back(std::move(then));
    };
    auto case_expr = std::make_unique<Expression>();
    case_expr->kind = ExprKind::kCase;
    case_expr->type = TypeId::kBoolean;
    {
      std::vector<ExpressionPtr> args;
      args.push_back(Expression::MakeColumnRef(ColumnBinding{facts_index, 0}, TypeId::kBigint));
      args.push_back(Expression::MakeConstant(Value::Bigint(0)));
      when(BindScalarFunction("=", std::move(args), expr.position),
           Expression::MakeConstant(Value::Boolean(false)), *case_expr);
    }
    when(IsNull(Expression::MakeColumnRef(match, common), true),
         Expression::MakeConstant(Value::Boolean(true)), *case_expr);
    {
      std::vector<ExpressionPtr> either;
      either.push_back(IsNull(std::move(left)));
      either.push_back(Expression::MakeColumnRef(ColumnBinding{facts_index, 1}, TypeId::kBoolean));
      when(Expression::MakeBoolean(ExprKind::kOr, std::move(either)),
           Expression::MakeConstant(Value::Null(TypeId::kBoolean)), *case_expr);
    }
    case_expr->children.push_back(Expression::MakeConstant(Value::Boolean(false)));
    result = std::move(case_expr);
  }
  return expr.negated ? Negate(std::move(result)) : std::move(result);
}

}  // namespace basalt
