// Binding of expressions: names, literals, operators, functions, aggregates.
#include <fmt/format.h>

#include "common/date_time.h"
#include "common/decimal.h"
#include "common/exception.h"
#include "common/stack_limit.h"
#include "common/string_parse.h"
#include "exec/cast.h"
#include "exec/expression_executor.h"
#include "exec/functions/array_text.h"
#include "exec/functions/catalog_functions.h"
#include "plan/binder.h"
#include "plan/binder_internal.h"

namespace basalt {

Binder::NestingGuard::NestingGuard(SharedState& state, int32_t position) : state_(state) {
  if (++state_.expression_depth > kMaxExpressionDepth) {
    state_.expression_depth--;
    ThrowErrorAt(sqlstate::kProgramLimitExceeded, position,
                 "expression is too deeply nested (more than {} levels)", kMaxExpressionDepth);
  }
  if (RemainingStackBytes() < kBinderStackReserve) {
    state_.expression_depth--;
    ThrowErrorAt(sqlstate::kProgramLimitExceeded, position, "statement is too deeply nested");
  }
}

void CheckBinderStack(int32_t position) {
  if (RemainingStackBytes() < kBinderStackReserve) {
    ThrowErrorAt(sqlstate::kProgramLimitExceeded, position, "statement is too deeply nested");
  }
}

namespace {

// Runs `f`; a BasaltError it throws without a position gets `position`, so
// that errors raised while binding (a function checking a constant argument,
// constant folding, a cast of a literal) point into the statement.
template <typename F>
auto WithPosition(int32_t position, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const BasaltError& e) {
    if (position < 0 || e.HasPosition()) throw;
    throw BasaltError(e.code(), e.what(), position);
  }
}

}  // namespace

void SplitConjunctions(ExpressionPtr expr, std::vector<ExpressionPtr>& out) {
  if (expr->kind == ExprKind::kAnd) {
    for (auto& c : expr->children) SplitConjunctions(std::move(c), out);
    return;
  }
  out.push_back(std::move(expr));
}

std::string DefaultColumnName(const sql::ParsedExpression& expr) {
  switch (expr.kind) {
    case sql::ExpressionKind::kColumnRef:
      return expr.As<sql::ColumnRefExpression>().column_name();
    case sql::ExpressionKind::kFunctionCall:
      return expr.As<sql::FunctionCallExpression>().name;
    case sql::ExpressionKind::kCast:
      return DefaultColumnName(*expr.As<sql::CastExpression>().child);
    case sql::ExpressionKind::kCase:
      return "case";
    default:
      return "?column?";
  }
}

ExpressionPtr Binder::AddCast(ExpressionPtr expr, const LogicalType& type, int32_t position) {
  if (expr->type == type) return expr;
  if (expr->kind == ExprKind::kParameter && expr->untyped_literal) {
    // A placeholder of unknown type takes the type its use asks for: this is
    // how describing a statement infers its parameter types.
    expr->type = type;
    expr->untyped_literal = false;
    return expr;
  }
  if (expr->kind == ExprKind::kConstant) {
    auto folded = Expression::MakeConstant(
        WithPosition(position, [&] { return CastValue(expr->constant, type); }));
    folded->alias = expr->alias;
    return folded;
  }
  auto cast = BindCast(expr->type, type);
  if (!cast) {
    ThrowErrorAt(sqlstate::kDatatypeMismatch /* 42846 in PostgreSQL */, position,
                 "cannot cast type {} to {}", expr->type.ToString(), type.ToString());
  }
  std::vector<ExpressionPtr> args;
  std::string alias = expr->alias;
  args.push_back(std::move(expr));
  auto result = Expression::MakeFunction(std::move(*cast), std::move(args));
  result->type = type;
  result->alias = alias;
  return result;
}

ExpressionPtr Binder::BindConstantExpression(const sql::ParsedExpression& expr) {
  SelectContext ctx;
  BindScope empty;
  ctx.scope = &empty;
  return BindExpression(expr, ctx);
}

namespace {

// Gives untyped string literals among `args` the type of the typed ones, as
// PostgreSQL resolves "unknown" literals against the other operand.
void ResolveUntypedLiterals(std::vector<ExpressionPtr>& args, int32_t position) {
  LogicalType target = TypeId::kInvalid;
  for (const auto& a : args) {
    if (a->untyped_literal || a->type.id() == TypeId::kNull) continue;
    target = target.id() == TypeId::kInvalid ? a->type : CommonSupertype(target, a->type);
    if (target.id() == TypeId::kInvalid) return;  // let function binding report it
  }
  if (target.id() == TypeId::kInvalid) return;
  for (auto& a : args) {
    if (a->untyped_literal && a->type != target) {
      a = Binder::AddCast(std::move(a), target, position);
    }
  }
}

std::string TypeList(const std::vector<ExpressionPtr>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); i++) {
    if (i > 0) out += ", ";
    out += args[i]->type.ToString();
  }
  return out;
}

bool IsOperatorName(const std::string& name) {
  return name == "+" || name == "-" || name == "*" || name == "/" || name == "%" ||
         name == "||" || name == "=" || name == "<>" || name == "<" || name == ">" ||
         name == "<=" || name == ">=" || name == "~" || name == "!~" || name == "~*" ||
         name == "!~*";
}

}  // namespace

ExpressionPtr Binder::BindScalarFunction(const std::string& name, std::vector<ExpressionPtr> args,
                                         int32_t position, const std::string& display_name) {
  // An operator's untyped literal takes the other operand's type ('1998-01-01'
  // compared with a date is a date); a function's takes VARCHAR, and the
  // function's own signature then decides (extract('year', d)).
  if (IsOperatorName(name) || name == "is_distinct_from" || name == "is_not_distinct_from") {
    ResolveUntypedLiterals(args, position);
  }
  std::vector<LogicalType> types;
  std::vector<const Value*> constants;
  for (const auto& a : args) {
    types.push_back(a->type);
    constants.push_back(a->kind == ExprKind::kConstant ? &a->constant : nullptr);
  }
  // Binding may check constant arguments (a regular expression is compiled).
  auto bound = WithPosition(position, [&] {
    auto f = FunctionRegistry::Get().BindScalar(name, types, constants);
    if (!f && IsCatalogFunction(name)) {
      f = BindCatalogFunction(name, types, CatalogLookupForStatement());
    }
    return f;
  });
  if (!bound) {
    const std::string& shown = display_name.empty() ? name : display_name;
    if (IsOperatorName(name) && args.size() == 2) {
      ThrowErrorAt(sqlstate::kUndefinedFunction, position, "operator does not exist: {} {} {}",
                   args[0]->type.ToString(), shown, args[1]->type.ToString());
    }
    ThrowErrorAt(sqlstate::kUndefinedFunction, position, "function {}({}) does not exist", shown,
                 TypeList(args));
  }
  for (size_t i = 0; i < args.size() && i < bound->arg_types.size(); i++) {
    args[i] = AddCast(std::move(args[i]), bound->arg_types[i], position);
  }
  auto result = Expression::MakeFunction(std::move(*bound), std::move(args));
  // Fold at once when every argument is a constant so errors point here.
  if (result->IsFoldable()) {
    return Expression::MakeConstant(
        WithPosition(position, [&] { return ExpressionExecutor::EvaluateConstant(*result); }));
  }
  return result;
}

ExpressionPtr Binder::BindBoolean(const sql::ParsedExpression& expr, SelectContext& ctx,
                                  const char* context_name) {
  ExpressionPtr bound = BindExpression(expr, ctx);
  if (bound->untyped_literal) return AddCast(std::move(bound), TypeId::kBoolean, expr.position);
  if (bound->type.id() == TypeId::kNull) return AddCast(std::move(bound), TypeId::kBoolean);
  if (bound->type.id() != TypeId::kBoolean) {
    ThrowErrorAt(sqlstate::kDatatypeMismatch, expr.position,
                 "argument of {} must be type boolean, not type {}", context_name,
                 bound->type.ToString());
  }
  return bound;
}

ExpressionPtr Binder::BindParameter(const sql::ParameterExpression& expr) {
  const StatementParameters* parameters = shared_->parameters;
  size_t i = static_cast<size_t>(expr.index - 1);
  if (!parameters || i >= parameters->types.size()) {
    ThrowErrorAt(sqlstate::kUndefinedParameter, expr.position, "there is no parameter ${}",
                 expr.index);
  }
  const LogicalType& type = parameters->types[i];
  if (parameters->describing()) {
    auto placeholder = std::make_unique<Expression>();
    placeholder->kind = ExprKind::kParameter;
    placeholder->input_index = i;
    placeholder->type = type.id() == TypeId::kInvalid ? LogicalType(TypeId::kVarchar) : type;
    placeholder->untyped_literal = type.id() == TypeId::kInvalid;
    return placeholder;
  }
  auto constant = Expression::MakeConstant(parameters->values[i]);
  // A value of unknown type is PostgreSQL's "unknown" literal: like '...' it
  // takes the type of whatever it meets.
  constant->untyped_literal =
      type.id() == TypeId::kInvalid && parameters->values[i].type().id() == TypeId::kVarchar;
  return constant;
}

bool Binder::AwaitsParameterValue(const Expression& bound) const {
  const StatementParameters* parameters = shared_->parameters;
  if (!parameters || !parameters->describing()) return false;
  bool uses_parameter = false;
  VisitExpression(bound,
                  [&](const Expression& e) { uses_parameter |= e.kind == ExprKind::kParameter; });
  return uses_parameter;
}

std::optional<Value> Binder::EvaluateConstantOrUnknown(const Expression& bound, int32_t position) {
  if (AwaitsParameterValue(bound)) {
    auto& types = shared_->parameter_types_outside_plan;
    VisitExpression(bound, [&](const Expression& e) {
      if (e.kind != ExprKind::kParameter || e.untyped_literal) return;
      if (types.size() <= e.input_index) types.resize(e.input_index + 1, TypeId::kInvalid);
      if (types[e.input_index].id() == TypeId::kInvalid) types[e.input_index] = e.type;
    });
    return std::nullopt;
  }
  return WithPosition(position, [&] { return ExpressionExecutor::EvaluateConstant(bound); });
}

void Binder::AddTypesOfParametersOutsidePlan(std::vector<LogicalType>* types) const {
  const auto& outside = shared_->parameter_types_outside_plan;
  for (size_t i = 0; i < outside.size() && i < types->size(); i++) {
    if ((*types)[i].id() == TypeId::kInvalid) (*types)[i] = outside[i];
  }
}

ExpressionPtr Binder::BindConstant(const sql::ConstantExpression& expr) {
  switch (expr.constant_kind) {
    case sql::ConstantKind::kNull:
      return Expression::MakeConstant(Value::Null());
    case sql::ConstantKind::kBoolean:
      return Expression::MakeConstant(Value::Boolean(expr.bool_value));
    case sql::ConstantKind::kString: {
      auto e = Expression::MakeConstant(Value::Varchar(expr.text));
      e->untyped_literal = true;
      return e;
    }
    case sql::ConstantKind::kInteger: {
      int64_t v;
      if (ParseInteger(expr.text, INT32_MIN, INT32_MAX, &v)) {
        return Expression::MakeConstant(Value::Integer(static_cast<int32_t>(v)));
      }
      if (ParseInteger(expr.text, INT64_MIN, INT64_MAX, &v)) {
        return Expression::MakeConstant(Value::Bigint(v));
      }
      [[fallthrough]];
    }
    case sql::ConstantKind::kDecimal: {
      int precision, scale;
      int128_t raw;
      if (!DecimalLiteralShape(expr.text, &precision, &scale) ||
          !ParseDecimal(expr.text, precision, scale, &raw)) {
        // Too many digits for an exact decimal: PostgreSQL would keep it as
        // numeric; we fall back to double precision.
        double d;
        if (!ParseDouble(expr.text, &d)) {
          ThrowErrorAt(sqlstate::kNumericOutOfRange, expr.position, "number \"{}\" is out of range",
                       expr.text);
        }
        return Expression::MakeConstant(Value::Double(d));
      }
      return Expression::MakeConstant(Value::Decimal(raw, static_cast<uint8_t>(precision),
                                                     static_cast<uint8_t>(scale)));
    }
    case sql::ConstantKind::kFloat: {
      double d;
      if (!ParseDouble(expr.text, &d)) {
        ThrowErrorAt(sqlstate::kNumericOutOfRange, expr.position, "number \"{}\" is out of range",
                     expr.text);
      }
      return Expression::MakeConstant(Value::Double(d));
    }
  }
  return Expression::MakeConstant(Value::Null());
}

ExpressionPtr Binder::BindColumnRef(const sql::ColumnRefExpression& expr, SelectContext& ctx) {
  const auto& names = expr.names;
  std::string relation, column = names.back();
  if (names.size() == 2) {
    relation = names[0];
  } else if (names.size() == 3) {
    relation = names[1];  // schema.table.column: the table's alias is its name
  } else if (names.size() > 3) {
    ThrowErrorAt(sqlstate::kSyntaxError, expr.position, "improper qualified name (too many dotted names): {}",
                 expr.ToString());
  }
  // Own columns first; then, in a subquery, the enclosing query's.
  bool relation_known = relation.empty();
  for (const auto& r : ctx.scope->relations()) relation_known |= r.alias == relation;
  if (!relation_known && names.size() >= 2) {
    if (ExpressionPtr field = BindStructFieldRef(expr, ctx)) return field;
  }
  if (relation_known || !outer_scope_) {
    if (const ScopeColumn* col = ctx.scope->TryResolve(relation, column, expr.position)) {
      return Expression::MakeColumnRef(col->binding, col->type, col->name);
    }
  }
  if (outer_scope_) {
    bool outer_relation_known = relation.empty();
    for (const auto& r : outer_scope_->relations()) outer_relation_known |= r.alias == relation;
    const ScopeColumn* col =
        outer_relation_known ? outer_scope_->TryResolve(relation, column, expr.position) : nullptr;
    if (col) {
      if (!ctx.allow_correlated) {
        ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                     "a subquery may refer to the enclosing query (here \"{}\") only in its "
                     "WHERE conditions so far",
                     column);
      }
      ctx.saw_correlated = true;
      return Expression::MakeColumnRef(col->binding, col->type, col->name);
    }
  }
  const ScopeColumn& col = ctx.scope->Resolve(relation, column, expr.position);
  return Expression::MakeColumnRef(col.binding, col.type, col.name);
}

// col.field and t.col.field (and deeper fields) when col is a STRUCT column
// and the first name is not a relation: struct_extract, field by field.
// nullptr when the names do not read that way.
ExpressionPtr Binder::BindStructFieldRef(const sql::ColumnRefExpression& expr,
                                         SelectContext& ctx) {
  const auto& names = expr.names;
  auto is_relation = [&](const std::string& name) {
    for (const auto& r : ctx.scope->relations()) {
      if (r.alias == name) return true;
    }
    return false;
  };
  const ScopeColumn* col = nullptr;
  size_t next = 0;
  if (is_relation(names[0])) {
    if (names.size() < 3) return nullptr;
    col = ctx.scope->TryResolve(names[0], names[1], expr.position);
    next = 2;
  } else {
    col = ctx.scope->TryResolve("", names[0], expr.position);
    next = 1;
  }
  if (!col || col->type.id() != TypeId::kStruct) return nullptr;
  ExpressionPtr result = Expression::MakeColumnRef(col->binding, col->type, col->name);
  for (; next < names.size(); next++) {
    std::vector<ExpressionPtr> args;
    args.push_back(std::move(result));
    args.push_back(Expression::MakeConstant(Value::Varchar(names[next])));
    result = BindScalarFunction("struct_extract", std::move(args), expr.position);
  }
  return result;
}

ExpressionPtr Binder::BindCase(const sql::CaseExpression& expr, SelectContext& ctx) {
  std::vector<ExpressionPtr> conditions, results;
  ExpressionPtr operand;
  if (expr.operand) operand = BindExpression(*expr.operand, ctx);
  for (const auto& check : expr.checks) {
    if (operand) {
      std::vector<ExpressionPtr> args;
      args.push_back(operand->Copy());
      args.push_back(BindExpression(*check.when, ctx));
      conditions.push_back(BindScalarFunction("=", std::move(args), check.when->position));
    } else {
      conditions.push_back(BindBoolean(*check.when, ctx, "CASE/WHEN"));
    }
    results.push_back(BindExpression(*check.then, ctx));
  }
  if (expr.else_result) {
    results.push_back(BindExpression(*expr.else_result, ctx));
  } else {
    results.push_back(Expression::MakeConstant(Value::Null()));
  }
  ResolveUntypedLiterals(results, expr.position);
  LogicalType type = TypeId::kNull;
  for (const auto& r : results) {
    LogicalType t = CommonSupertype(type, r->type);
    if (t.id() == TypeId::kInvalid) {
      ThrowErrorAt(sqlstate::kDatatypeMismatch, expr.position, "CASE types {} and {} cannot be matched",
                   type.ToString(), r->type.ToString());
    }
    type = t;
  }
  if (type.id() == TypeId::kNull) type = TypeId::kVarchar;
  auto result = std::make_unique<Expression>();
  result->kind = ExprKind::kCase;
  result->type = type;
  for (size_t i = 0; i < conditions.size(); i++) {
    result->children.push_back(std::move(conditions[i]));
    result->children.push_back(AddCast(std::move(results[i]), type, expr.position));
  }
  result->children.push_back(AddCast(std::move(results.back()), type, expr.position));
  return result;
}

ExpressionPtr Binder::BindInList(const sql::InListExpression& expr, SelectContext& ctx) {
  std::vector<ExpressionPtr> all;
  all.push_back(BindExpression(*expr.input, ctx));
  for (const auto& item : expr.list) all.push_back(BindExpression(*item, ctx));
  ResolveUntypedLiterals(all, expr.position);
  LogicalType type = TypeId::kNull;
  for (const auto& e : all) {
    LogicalType t = CommonSupertype(type, e->type);
    if (t.id() == TypeId::kInvalid) {
      ThrowErrorAt(sqlstate::kDatatypeMismatch, expr.position, "IN types {} and {} cannot be matched",
                   type.ToString(), e->type.ToString());
    }
    type = t;
  }
  if (type.id() == TypeId::kNull) type = TypeId::kVarchar;
  bool all_constant = true;
  for (size_t i = 1; i < all.size(); i++) {
    all[i] = AddCast(std::move(all[i]), type, expr.position);
    all_constant &= all[i]->kind == ExprKind::kConstant;
  }
  ExpressionPtr result;
  if (all_constant) {
    result = std::make_unique<Expression>();
    result->kind = ExprKind::kInList;
    result->type = TypeId::kBoolean;
    all[0] = AddCast(std::move(all[0]), type, expr.position);
    result->children = std::move(all);
  } else {
    // x IN (a, y) with non-constant items: x = a OR x = y.
    std::vector<ExpressionPtr> ors;
    for (size_t i = 1; i < all.size(); i++) {
      std::vector<ExpressionPtr> args;
      args.push_back(all[0]->Copy());
      args.push_back(std::move(all[i]));
      ors.push_back(BindScalarFunction("=", std::move(args), expr.position));
    }
    result = ors.size() == 1 ? std::move(ors[0]) : Expression::MakeBoolean(ExprKind::kOr, std::move(ors));
  }
  if (expr.negated) {
    std::vector<ExpressionPtr> args;
    args.push_back(std::move(result));
    result = Expression::MakeBoolean(ExprKind::kNot, std::move(args));
  }
  return result;
}

ExpressionPtr Binder::BindAggregateCall(const sql::FunctionCallExpression& expr, SelectContext& ctx) {
  if (!ctx.aggregates) {
    ThrowErrorAt(sqlstate::kGroupingError, expr.position, "aggregate functions are not allowed in {}",
                 ctx.aggregate_error_context);
  }
  if (ctx.inside_aggregate) {
    ThrowErrorAt(sqlstate::kGroupingError, expr.position,
                 "aggregate function calls cannot be nested");
  }
  if (expr.window) {
    ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                 "window functions are not supported yet");
  }
  // Arguments see the input columns, not other aggregates.
  SelectContext arg_ctx = ctx;
  arg_ctx.inside_aggregate = true;
  LogicalAggregateCall call;
  std::vector<LogicalType> types;
  std::string name = expr.name;
  if (expr.is_star) {
    if (name != "count") {
      ThrowErrorAt(sqlstate::kSyntaxError, expr.position, "{}(*) is not valid; only count(*) is",
                   name);
    }
    name = "count_star";
  } else {
    for (const auto& a : expr.args) {
      auto bound = BindExpression(*a, arg_ctx);
      if (bound->untyped_literal) bound = AddCast(std::move(bound), TypeId::kVarchar);
      types.push_back(bound->type);
      call.args.push_back(std::move(bound));
    }
  }
  auto fn = FunctionRegistry::Get().BindAggregate(name, types);
  if (!fn) {
    ThrowErrorAt(sqlstate::kUndefinedFunction, expr.position, "function {}({}) does not exist",
                 expr.name, TypeList(call.args));
  }
  for (size_t i = 0; i < call.args.size() && i < fn->arg_types.size(); i++) {
    call.args[i] = AddCast(std::move(call.args[i]), fn->arg_types[i], expr.position);
  }
  call.function = std::move(*fn);
  call.distinct = expr.distinct;
  if (expr.filter) call.filter = BindBoolean(*expr.filter, arg_ctx, "FILTER");
  LogicalType type = call.function.return_type;
  // The same aggregate written twice is computed once.
  auto& list = *ctx.aggregates;
  for (size_t i = 0; i < list.size(); i++) {
    const auto& other = list[i];
    bool same = other.function.name == call.function.name && other.distinct == call.distinct &&
                other.args.size() == call.args.size() &&
                (other.filter == nullptr) == (call.filter == nullptr) &&
                (!call.filter || other.filter->Equals(*call.filter));
    for (size_t a = 0; same && a < call.args.size(); a++) same = other.args[a]->Equals(*call.args[a]);
    if (same) {
      return Expression::MakeColumnRef(ColumnBinding{ctx.aggregate_index, static_cast<uint32_t>(i)},
                                       type, expr.ToString());
    }
  }
  list.push_back(std::move(call));
  return Expression::MakeColumnRef(
      ColumnBinding{ctx.aggregate_index, static_cast<uint32_t>(list.size() - 1)}, type,
      expr.ToString());
}

namespace {

// x = ANY ('{...}') and x <> ALL ('{...}') (array_any_eq / array_all_ne)
// with a constant array, the form catalog queries write: the array is read
// once here and the test becomes x IN (...) or NOT (x IN (...)), which runs
// vectorized and compares as `=` does. SQL's rules for NULLs carry over
// (NOT of a NULL IN is NULL), except that an empty array gives false
// (ANY) or true (ALL) whatever x, as in PostgreSQL. nullptr when the array
// is not a constant: the row-at-a-time functions handle that.
ExpressionPtr BindConstantArrayMembership(std::vector<ExpressionPtr>& args, bool all_ne,
                                          int32_t array_position) {
  const Expression& array = *args[1];
  if (array.kind != ExprKind::kConstant || array.constant.IsNull() ||
      array.type.id() != TypeId::kVarchar) {
    return nullptr;
  }
  ArrayTextElements elements =
      WithPosition(array_position, [&] { return ParseArrayText(array.constant.GetString()); });
  if (elements.empty()) return Expression::MakeConstant(Value::Boolean(all_ne));
  // The elements take x's type, as an untyped array literal would in PostgreSQL.
  LogicalType type = args[0]->type.id() == TypeId::kNull ? TypeId::kVarchar : args[0]->type;
  auto in_list = std::make_unique<Expression>();
  in_list->kind = ExprKind::kInList;
  in_list->type = TypeId::kBoolean;
  in_list->children.push_back(Binder::AddCast(std::move(args[0]), type, array_position));
  for (const auto& element : elements) {
    in_list->children.push_back(
        element ? Binder::AddCast(Expression::MakeConstant(Value::Varchar(*element)), type,
                                  array_position)
                : Expression::MakeConstant(Value::Null(type)));
  }
  if (!all_ne) return in_list;
  std::vector<ExpressionPtr> negated;
  negated.push_back(std::move(in_list));
  return Expression::MakeBoolean(ExprKind::kNot, std::move(negated));
}

}  // namespace

ExpressionPtr Binder::BindFunctionCall(const sql::FunctionCallExpression& expr, SelectContext& ctx) {
  const std::string& name = expr.name;
  if (!expr.schema.empty() && expr.schema != "pg_catalog" && expr.schema != kDefaultSchema) {
    ThrowErrorAt(sqlstate::kUndefinedFunction, expr.position, "function {}.{} does not exist",
                 expr.schema, name);
  }
  if (expr.window) return BindWindowCall(expr, ctx);
  if (FunctionRegistry::Get().HasAggregate(name) || expr.is_star) {
    return BindAggregateCall(expr, ctx);
  }
  if (expr.distinct) {
    ThrowErrorAt(sqlstate::kSyntaxError, expr.position,
                 "DISTINCT specified, but {} is not an aggregate function", name);
  }
  std::vector<ExpressionPtr> args;
  for (const auto& a : expr.args) args.push_back(BindExpression(*a, ctx));
  if ((name == "array_any_eq" || name == "array_all_ne") && args.size() == 2) {
    if (auto in_list = BindConstantArrayMembership(args, name == "array_all_ne",
                                                   expr.args[1]->position)) {
      return in_list;
    }
  }
  if (name == "coalesce") {
    if (args.empty()) {
      ThrowErrorAt(sqlstate::kSyntaxError, expr.position, "coalesce requires at least one argument");
    }
    ResolveUntypedLiterals(args, expr.position);
    LogicalType type = TypeId::kNull;
    for (const auto& a : args) {
      LogicalType t = CommonSupertype(type, a->type);
      if (t.id() == TypeId::kInvalid) {
        ThrowErrorAt(sqlstate::kDatatypeMismatch, expr.position,
                     "COALESCE types {} and {} cannot be matched", type.ToString(), a->type.ToString());
      }
      type = t;
    }
    if (type.id() == TypeId::kNull) type = TypeId::kVarchar;
    auto result = std::make_unique<Expression>();
    result->kind = ExprKind::kCoalesce;
    result->type = type;
    for (auto& a : args) result->children.push_back(AddCast(std::move(a), type, expr.position));
    return result;
  }
  if (name == "nullif") {
    if (args.size() != 2) {
      ThrowErrorAt(sqlstate::kUndefinedFunction, expr.position, "function nullif({}) does not exist",
                   TypeList(args));
    }
    // NULLIF(a, b) = CASE WHEN a = b THEN NULL ELSE a END
    ResolveUntypedLiterals(args, expr.position);
    LogicalType type = args[0]->type.id() == TypeId::kNull ? args[1]->type : args[0]->type;
    if (type.id() == TypeId::kNull) type = TypeId::kVarchar;
    std::vector<ExpressionPtr> eq_args;
    eq_args.push_back(args[0]->Copy());
    eq_args.push_back(std::move(args[1]));
    auto condition = BindScalarFunction("=", std::move(eq_args), expr.position);
    auto result = std::make_unique<Expression>();
    result->kind = ExprKind::kCase;
    result->type = type;
    result->children.push_back(std::move(condition));
    result->children.push_back(Expression::MakeConstant(Value::Null(type)));
    result->children.push_back(AddCast(std::move(args[0]), type, expr.position));
    return result;
  }
  if (!FunctionRegistry::Get().HasScalar(name) && !IsCatalogFunction(name)) {
    ThrowErrorAt(sqlstate::kUndefinedFunction, expr.position, "function {}({}) does not exist", name,
                 TypeList(args));
  }
  auto result = BindScalarFunction(name, std::move(args), expr.position);
  return result;
}

ExpressionPtr Binder::BindExpression(const sql::ParsedExpression& expr, SelectContext& ctx) {
  using sql::ExpressionKind;
  NestingGuard guard(*shared_, expr.position);
  switch (expr.kind) {
    case ExpressionKind::kColumnRef:
      return BindColumnRef(expr.As<sql::ColumnRefExpression>(), ctx);
    case ExpressionKind::kStar:
      ThrowErrorAt(sqlstate::kSyntaxError, expr.position, "\"*\" is not allowed here");
    case ExpressionKind::kParameter:
      return BindParameter(expr.As<sql::ParameterExpression>());
    case ExpressionKind::kConstant:
      return BindConstant(expr.As<sql::ConstantExpression>());
    case ExpressionKind::kInterval: {
      const auto& iv = expr.As<sql::IntervalExpression>();
      Interval interval;
      std::string unit = iv.unit ? sql::IntervalUnitName(*iv.unit) : "";
      if (!ParseInterval(iv.value, unit, &interval)) {
        ThrowErrorAt(sqlstate::kInvalidDatetimeFormat, expr.position,
                     "invalid input syntax for type interval: \"{}\"", iv.value);
      }
      return Expression::MakeConstant(Value::FromInterval(interval));
    }
    case ExpressionKind::kUnary: {
      const auto& u = expr.As<sql::UnaryExpression>();
      if (u.op == sql::UnaryOperator::kNot) {
        std::vector<ExpressionPtr> args;
        args.push_back(BindBoolean(*u.child, ctx, "NOT"));
        return Expression::MakeBoolean(ExprKind::kNot, std::move(args));
      }
      auto child = BindExpression(*u.child, ctx);
      if (u.op == sql::UnaryOperator::kPlus) return child;
      std::vector<ExpressionPtr> args;
      args.push_back(std::move(child));
      return BindScalarFunction("negate", std::move(args), expr.position, "-");
    }
    case ExpressionKind::kBinary: {
      const auto& b = expr.As<sql::BinaryExpression>();
      std::vector<ExpressionPtr> args;
      args.push_back(BindExpression(*b.left, ctx));
      args.push_back(BindExpression(*b.right, ctx));
      if (b.op == sql::BinaryOperator::kConcat) {
        // || with a string literal on one side is string concatenation.
        for (auto& a : args) {
          if (a->untyped_literal) a->untyped_literal = false;
        }
      }
      return BindScalarFunction(sql::BinaryOperatorSymbol(b.op), std::move(args), expr.position);
    }
    case ExpressionKind::kComparison: {
      const auto& c = expr.As<sql::ComparisonExpression>();
      std::vector<ExpressionPtr> args;
      args.push_back(BindExpression(*c.left, ctx));
      args.push_back(BindExpression(*c.right, ctx));
      return BindScalarFunction(sql::ComparisonOperatorSymbol(c.op), std::move(args), expr.position);
    }
    case ExpressionKind::kConjunction: {
      const auto& c = expr.As<sql::ConjunctionExpression>();
      const char* name = c.op == sql::ConjunctionOperator::kAnd ? "AND" : "OR";
      std::vector<ExpressionPtr> args;
      for (const auto& child : c.children) args.push_back(BindBoolean(*child, ctx, name));
      return Expression::MakeBoolean(
          c.op == sql::ConjunctionOperator::kAnd ? ExprKind::kAnd : ExprKind::kOr, std::move(args));
    }
    case ExpressionKind::kIsNull: {
      const auto& n = expr.As<sql::IsNullExpression>();
      std::vector<ExpressionPtr> args;
      args.push_back(BindExpression(*n.child, ctx));
      return Expression::MakeBoolean(n.negated ? ExprKind::kIsNotNull : ExprKind::kIsNull,
                                     std::move(args));
    }
    case ExpressionKind::kIsBool: {
      // x IS TRUE = COALESCE(x, FALSE); x IS FALSE = COALESCE(NOT x, FALSE).
      const auto& b = expr.As<sql::IsBoolExpression>();
      ExpressionPtr value = BindBoolean(*b.child, ctx, "IS");
      if (!b.value) {
        std::vector<ExpressionPtr> args;
        args.push_back(std::move(value));
        value = Expression::MakeBoolean(ExprKind::kNot, std::move(args));
      }
      auto result = std::make_unique<Expression>();
      result->kind = ExprKind::kCoalesce;
      result->type = TypeId::kBoolean;
      result->children.push_back(std::move(value));
      result->children.push_back(Expression::MakeConstant(Value::Boolean(false)));
      if (!b.negated) return result;
      std::vector<ExpressionPtr> args;
      args.push_back(std::move(result));
      return Expression::MakeBoolean(ExprKind::kNot, std::move(args));
    }
    case ExpressionKind::kIsDistinct: {
      const auto& d = expr.As<sql::IsDistinctExpression>();
      std::vector<ExpressionPtr> args;
      args.push_back(BindExpression(*d.left, ctx));
      args.push_back(BindExpression(*d.right, ctx));
      return BindScalarFunction(d.negated ? "is_not_distinct_from" : "is_distinct_from",
                                std::move(args), expr.position);
    }
    case ExpressionKind::kBetween: {
      const auto& b = expr.As<sql::BetweenExpression>();
      auto input = BindExpression(*b.input, ctx);
      std::vector<ExpressionPtr> low_args, high_args;
      low_args.push_back(input->Copy());
      low_args.push_back(BindExpression(*b.lower, ctx));
      high_args.push_back(std::move(input));
      high_args.push_back(BindExpression(*b.upper, ctx));
      std::vector<ExpressionPtr> both;
      both.push_back(BindScalarFunction(">=", std::move(low_args), expr.position));
      both.push_back(BindScalarFunction("<=", std::move(high_args), expr.position));
      auto result = Expression::MakeBoolean(ExprKind::kAnd, std::move(both));
      if (!b.negated) return result;
      std::vector<ExpressionPtr> args;
      args.push_back(std::move(result));
      return Expression::MakeBoolean(ExprKind::kNot, std::move(args));
    }
    case ExpressionKind::kLike: {
      const auto& l = expr.As<sql::LikeExpression>();
      std::vector<ExpressionPtr> args;
      args.push_back(BindExpression(*l.input, ctx));
      args.push_back(BindExpression(*l.pattern, ctx));
      if (l.escape) args.push_back(BindExpression(*l.escape, ctx));
      for (auto& a : args) {
        if (a->untyped_literal) a->untyped_literal = false;
      }
      if (l.regex) {
        std::string op = std::string(l.negated ? "!" : "") + "~" + (l.case_insensitive ? "*" : "");
        return BindScalarFunction(op, std::move(args), expr.position);
      }
      std::string name = l.case_insensitive ? "ilike" : "like";
      if (l.negated) name = "not_" + name;
      return BindScalarFunction(name, std::move(args), expr.position);
    }
    case ExpressionKind::kInList:
      return BindInList(expr.As<sql::InListExpression>(), ctx);
    case ExpressionKind::kSubquery: {
      const auto& sub = expr.As<sql::SubqueryExpression>();
      if (sub.subquery_kind == sql::SubqueryKind::kScalar ||
          sub.subquery_kind == sql::SubqueryKind::kArray) {
        try {
          if (sub.subquery_kind == sql::SubqueryKind::kArray) {
            ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                         "ARRAY(subquery) is not supported yet");
          }
          return BindScalarSubquery(sub, ctx);
        } catch (const BasaltError& e) {
          if (std::string_view(e.code()) != sqlstate::kFeatureNotSupported) throw;
          if (auto value = BindSubqueryOverNoRows(sub, ctx)) return value;
          throw;
        }
      }
      if (sub.subquery_kind == sql::SubqueryKind::kExists ||
          sub.subquery_kind == sql::SubqueryKind::kIn) {
        return BindSubqueryValue(sub, ctx);
      }
      ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position,
                   "ANY and ALL subqueries are not supported yet");
    }
    case ExpressionKind::kCase:
      return BindCase(expr.As<sql::CaseExpression>(), ctx);
    case ExpressionKind::kCast: {
      const auto& c = expr.As<sql::CastExpression>();
      auto child = BindExpression(*c.child, ctx);
      if (!c.target.oid_alias.empty()) {
        // regclass and friends: a catalog lookup (name -> oid or oid -> name).
        if (child->untyped_literal || child->type.id() == TypeId::kNull) {
          child = AddCast(std::move(child), TypeId::kVarchar, expr.position);
        }
        std::string function = OidAliasCastFunction(c.target.oid_alias, child->type);
        if (function.empty()) {
          ThrowErrorAt(sqlstate::kCannotCoerce, expr.position, "cannot cast type {} to {}",
                       child->type.PostgresName(), c.target.oid_alias);
        }
        std::vector<ExpressionPtr> args;
        args.push_back(std::move(child));
        return BindScalarFunction(function, std::move(args), expr.position);
      }
      // `type[]` is the catalog's array text, except for a LIST operand.
      if (c.target.list_type.id() == TypeId::kList && child->type.id() == TypeId::kList) {
        return AddCast(std::move(child), c.target.list_type, expr.position);
      }
      return AddCast(std::move(child), c.target.type, expr.position);
    }
    case ExpressionKind::kFunctionCall:
      return BindFunctionCall(expr.As<sql::FunctionCallExpression>(), ctx);
  }
  ThrowErrorAt(sqlstate::kFeatureNotSupported, expr.position, "unsupported expression");
}

}  // namespace basalt
