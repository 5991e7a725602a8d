#include "sql/ast_expression.h"

#include <fmt/format.h>

#include "sql/ast_query.h"
#include "sql/keywords.h"
#include "sql/operator_precedence.h"

namespace basalt::sql {
namespace {

// How tightly the printed form of `e` binds; a child printed inside an
// operator that needs more gets parentheses.
int PrecedenceOf(const ParsedExpression& e) {
  switch (e.kind) {
    case ExpressionKind::kConjunction:
      return e.As<ConjunctionExpression>().op == ConjunctionOperator::kAnd ? precedence::kAnd
                                                                           : precedence::kOr;
    case ExpressionKind::kUnary:
      return e.As<UnaryExpression>().op == UnaryOperator::kNot ? precedence::kNot
                                                               : precedence::kUnary;
    case ExpressionKind::kBinary:
      switch (e.As<BinaryExpression>().op) {
        case BinaryOperator::kConcat:
          return precedence::kOther;
        case BinaryOperator::kAdd:
        case BinaryOperator::kSubtract:
          return precedence::kAdditive;
        default:
          return precedence::kMultiplicative;
      }
    case ExpressionKind::kComparison:
      return precedence::kComparison;
    case ExpressionKind::kIsNull:
    case ExpressionKind::kIsBool:
    case ExpressionKind::kIsDistinct:
      return precedence::kIs;
    case ExpressionKind::kLike:
      return e.As<LikeExpression>().regex ? precedence::kOther : precedence::kPattern;
    case ExpressionKind::kBetween:
    case ExpressionKind::kInList:
      return precedence::kPattern;
    case ExpressionKind::kSubquery:
      switch (e.As<SubqueryExpression>().subquery_kind) {
        case SubqueryKind::kIn:
          return precedence::kPattern;
        case SubqueryKind::kAny:
        case SubqueryKind::kAll:
          return precedence::kComparison;
        case SubqueryKind::kExists:
          return e.As<SubqueryExpression>().negated ? precedence::kNot : precedence::kPrimary;
        case SubqueryKind::kScalar:
        case SubqueryKind::kArray:
          return precedence::kPrimary;
      }
      return precedence::kPrimary;
    case ExpressionKind::kConstant: {
      const auto& c = e.As<ConstantExpression>();
      return c.IsNumeric() && !c.text.empty() && c.text[0] == '-' ? precedence::kUnary
                                                                  : precedence::kPrimary;
    }
    default:
      return precedence::kPrimary;
  }
}

// `e` printed for a place that needs at least `min_precedence`.
std::string Operand(const ParsedExpression& e, int min_precedence) {
  std::string text = e.ToString();
  if (PrecedenceOf(e) < min_precedence) return "(" + text + ")";
  return text;
}

std::string JoinExpressions(const std::vector<ExpressionPtr>& list) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    out += list[i]->ToString();
  }
  return out;
}

std::string QuoteString(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string OrderByListToString(const std::vector<OrderByItem>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i].ToString();
  }
  return out;
}

std::string FrameBoundToString(const FrameBound& bound) {
  switch (bound.kind) {
    case FrameBoundKind::kUnboundedPreceding:
      return "UNBOUNDED PRECEDING";
    case FrameBoundKind::kPreceding:
      return bound.offset->ToString() + " PRECEDING";
    case FrameBoundKind::kCurrentRow:
      return "CURRENT ROW";
    case FrameBoundKind::kFollowing:
      return bound.offset->ToString() + " FOLLOWING";
    case FrameBoundKind::kUnboundedFollowing:
      return "UNBOUNDED FOLLOWING";
  }
  return "";
}

FrameBound CopyFrameBound(const FrameBound& bound) {
  return FrameBound{bound.kind, CopyExpression(bound.offset)};
}

// LEFT and RIGHT are reserved (join types) but also name string functions,
// which the parser accepts unquoted when a '(' follows.
std::string FunctionName(const std::string& name) {
  if (name == "left" || name == "right") return name;
  return QuoteIdentifier(name);
}

}  // namespace

const char* ExpressionKindName(ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::kColumnRef:
      return "COLUMN_REF";
    case ExpressionKind::kStar:
      return "STAR";
    case ExpressionKind::kParameter:
      return "PARAMETER";
    case ExpressionKind::kConstant:
      return "CONSTANT";
    case ExpressionKind::kInterval:
      return "INTERVAL";
    case ExpressionKind::kUnary:
      return "UNARY";
    case ExpressionKind::kBinary:
      return "BINARY";
    case ExpressionKind::kComparison:
      return "COMPARISON";
    case ExpressionKind::kConjunction:
      return "CONJUNCTION";
    case ExpressionKind::kIsNull:
      return "IS_NULL";
    case ExpressionKind::kIsBool:
      return "IS_BOOL";
    case ExpressionKind::kIsDistinct:
      return "IS_DISTINCT";
    case ExpressionKind::kBetween:
      return "BETWEEN";
    case ExpressionKind::kLike:
      return "LIKE";
    case ExpressionKind::kInList:
      return "IN_LIST";
    case ExpressionKind::kSubquery:
      return "SUBQUERY";
    case ExpressionKind::kCase:
      return "CASE";
    case ExpressionKind::kCast:
      return "CAST";
    case ExpressionKind::kFunctionCall:
      return "FUNCTION_CALL";
  }
  return "?";
}

ExpressionPtr CopyExpression(const ExpressionPtr& expression) {
  return expression ? expression->Copy() : nullptr;
}

std::vector<ExpressionPtr> CopyExpressions(const std::vector<ExpressionPtr>& expressions) {
  std::vector<ExpressionPtr> copies;
  copies.reserve(expressions.size());
  for (const auto& e : expressions) copies.push_back(CopyExpression(e));
  return copies;
}

// --- ColumnRef, Star, Parameter --------------------------------------------

std::string ColumnRefExpression::ToString() const {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back('.');
    out += QuoteIdentifier(names[i]);
  }
  return out;
}

ExpressionPtr ColumnRefExpression::Copy() const {
  return std::make_unique<ColumnRefExpression>(names, position);
}

std::string StarExpression::ToString() const {
  return relation.empty() ? "*" : QuoteIdentifier(relation) + ".*";
}

ExpressionPtr StarExpression::Copy() const {
  return std::make_unique<StarExpression>(relation, position);
}

std::string ParameterExpression::ToString() const { return fmt::format("${}", index); }

ExpressionPtr ParameterExpression::Copy() const {
  return std::make_unique<ParameterExpression>(index, position);
}

// --- Constant, Interval -------------------------------------------------------

std::unique_ptr<ConstantExpression> ConstantExpression::Null(int32_t position) {
  return std::make_unique<ConstantExpression>(ConstantKind::kNull, "NULL", position);
}

std::unique_ptr<ConstantExpression> ConstantExpression::Boolean(bool value, int32_t position) {
  auto c = std::make_unique<ConstantExpression>(ConstantKind::kBoolean, value ? "TRUE" : "FALSE",
                                                position);
  c->bool_value = value;
  return c;
}

std::unique_ptr<ConstantExpression> ConstantExpression::String(std::string value,
                                                               int32_t position) {
  return std::make_unique<ConstantExpression>(ConstantKind::kString, std::move(value), position);
}

std::string ConstantExpression::ToString() const {
  return constant_kind == ConstantKind::kString ? QuoteString(text) : text;
}

ExpressionPtr ConstantExpression::Copy() const {
  auto copy = std::make_unique<ConstantExpression>(constant_kind, text, position);
  copy->bool_value = bool_value;
  return copy;
}

const char* IntervalUnitName(IntervalUnit unit) {
  switch (unit) {
    case IntervalUnit::kYear:
      return "YEAR";
    case IntervalUnit::kMonth:
      return "MONTH";
    case IntervalUnit::kDay:
      return "DAY";
    case IntervalUnit::kHour:
      return "HOUR";
    case IntervalUnit::kMinute:
      return "MINUTE";
    case IntervalUnit::kSecond:
      return "SECOND";
  }
  return "?";
}

std::string IntervalExpression::ToString() const {
  std::string out = "INTERVAL " + QuoteString(value);
  if (unit) out += fmt::format(" {}", IntervalUnitName(*unit));
  return out;
}

ExpressionPtr IntervalExpression::Copy() const {
  return std::make_unique<IntervalExpression>(value, unit, position);
}

// --- Operators ---------------------------------------------------------------

std::string UnaryExpression::ToString() const {
  if (op == UnaryOperator::kNot) return "NOT " + Operand(*child, precedence::kNot);
  std::string operand = Operand(*child, precedence::kUnary);
  // "- -1" must not print as "--1", which would start a comment.
  if (!operand.empty() && (operand[0] == '-' || operand[0] == '+')) operand = "(" + operand + ")";
  return (op == UnaryOperator::kMinus ? "-" : "+") + operand;
}

ExpressionPtr UnaryExpression::Copy() const {
  return std::make_unique<UnaryExpression>(op, child->Copy(), position);
}

const char* BinaryOperatorSymbol(BinaryOperator op) {
  switch (op) {
    case BinaryOperator::kAdd:
      return "+";
    case BinaryOperator::kSubtract:
      return "-";
    case BinaryOperator::kMultiply:
      return "*";
    case BinaryOperator::kDivide:
      return "/";
    case BinaryOperator::kModulo:
      return "%";
    case BinaryOperator::kConcat:
      return "||";
  }
  return "?";
}

BinaryExpression::~BinaryExpression() {
  // Unlink the left spine one node at a time: each node is destroyed with a
  // null `left`, so a chain of any length needs constant stack.
  ExpressionPtr next = std::move(left);
  while (next && next->Is<BinaryExpression>()) {
    ExpressionPtr after = std::move(next->As<BinaryExpression>().left);
    next = std::move(after);
  }
}

std::string BinaryExpression::ToString() const {
  // The left spine of nodes that print without parentheses, top first; it
  // is printed bottom up in a loop rather than by recursion.
  std::vector<const BinaryExpression*> spine = {this};
  while (spine.back()->left->Is<BinaryExpression>() &&
         PrecedenceOf(*spine.back()->left) >= PrecedenceOf(*spine.back())) {
    spine.push_back(&spine.back()->left->As<BinaryExpression>());
  }
  const BinaryExpression* bottom = spine.back();
  std::string out = Operand(*bottom->left, PrecedenceOf(*bottom));
  for (size_t i = spine.size(); i-- > 0;) {
    const BinaryExpression* node = spine[i];
    // Left associative: the right operand needs strictly tighter binding.
    out += fmt::format(" {} {}", BinaryOperatorSymbol(node->op),
                       Operand(*node->right, PrecedenceOf(*node) + 1));
  }
  return out;
}

ExpressionPtr BinaryExpression::Copy() const {
  std::vector<const BinaryExpression*> spine = {this};
  while (spine.back()->left->Is<BinaryExpression>()) {
    spine.push_back(&spine.back()->left->As<BinaryExpression>());
  }
  ExpressionPtr copy = spine.back()->left->Copy();
  for (size_t i = spine.size(); i-- > 0;) {
    const BinaryExpression* node = spine[i];
    copy = std::make_unique<BinaryExpression>(node->op, std::move(copy), node->right->Copy(),
                                              node->position);
  }
  return copy;
}

const char* ComparisonOperatorSymbol(ComparisonOperator op) {
  switch (op) {
    case ComparisonOperator::kEqual:
      return "=";
    case ComparisonOperator::kNotEqual:
      return "<>";
    case ComparisonOperator::kLess:
      return "<";
    case ComparisonOperator::kLessEqual:
      return "<=";
    case ComparisonOperator::kGreater:
      return ">";
    case ComparisonOperator::kGreaterEqual:
      return ">=";
  }
  return "?";
}

std::string ComparisonExpression::ToString() const {
  constexpr int kOperand = precedence::kComparison + 1;  // non associative
  return fmt::format("{} {} {}", Operand(*left, kOperand), ComparisonOperatorSymbol(op),
                     Operand(*right, kOperand));
}

ExpressionPtr ComparisonExpression::Copy() const {
  return std::make_unique<ComparisonExpression>(op, left->Copy(), right->Copy(), position);
}

std::string ConjunctionExpression::ToString() const {
  int p = PrecedenceOf(*this);
  const char* separator = op == ConjunctionOperator::kAnd ? " AND " : " OR ";
  std::string out;
  for (size_t i = 0; i < children.size(); ++i) {
    if (i > 0) out += separator;
    out += Operand(*children[i], p + 1);
  }
  return out;
}

ExpressionPtr ConjunctionExpression::Copy() const {
  auto copy = std::make_unique<ConjunctionExpression>(op, position);
  copy->children = CopyExpressions(children);
  return copy;
}

std::string IsNullExpression::ToString() const {
  return Operand(*child, precedence::kIs + 1) + (negated ? " IS NOT NULL" : " IS NULL");
}

ExpressionPtr IsNullExpression::Copy() const {
  return std::make_unique<IsNullExpression>(child->Copy(), negated, position);
}

std::string IsBoolExpression::ToString() const {
  return fmt::format("{} IS {}{}", Operand(*child, precedence::kIs + 1), negated ? "NOT " : "",
                     value ? "TRUE" : "FALSE");
}

ExpressionPtr IsBoolExpression::Copy() const {
  return std::make_unique<IsBoolExpression>(child->Copy(), value, negated, position);
}

std::string IsDistinctExpression::ToString() const {
  return fmt::format("{} IS {}DISTINCT FROM {}", Operand(*left, precedence::kIs + 1),
                     negated ? "NOT " : "", Operand(*right, precedence::kIs + 1));
}

ExpressionPtr IsDistinctExpression::Copy() const {
  return std::make_unique<IsDistinctExpression>(left->Copy(), right->Copy(), negated, position);
}

std::string BetweenExpression::ToString() const {
  constexpr int kOperand = precedence::kPattern + 1;
  return fmt::format("{} {}BETWEEN {} AND {}", Operand(*input, kOperand), negated ? "NOT " : "",
                     Operand(*lower, kOperand), Operand(*upper, kOperand));
}

ExpressionPtr BetweenExpression::Copy() const {
  return std::make_unique<BetweenExpression>(input->Copy(), lower->Copy(), upper->Copy(), negated,
                                             position);
}

std::string LikeExpression::ToString() const {
  if (regex) {
    // Left associative: the left operand may be another kOther operator.
    return fmt::format("{} {}~{} {}", Operand(*input, precedence::kOther), negated ? "!" : "",
                       case_insensitive ? "*" : "", Operand(*pattern, precedence::kOther + 1));
  }
  constexpr int kOperand = precedence::kPattern + 1;
  std::string out = fmt::format("{} {}{} {}", Operand(*input, kOperand), negated ? "NOT " : "",
                                case_insensitive ? "ILIKE" : "LIKE", Operand(*pattern, kOperand));
  if (escape) out += " ESCAPE " + Operand(*escape, kOperand);
  return out;
}

ExpressionPtr LikeExpression::Copy() const {
  auto copy = std::make_unique<LikeExpression>(position);
  copy->input = input->Copy();
  copy->pattern = pattern->Copy();
  copy->escape = CopyExpression(escape);
  copy->case_insensitive = case_insensitive;
  copy->negated = negated;
  copy->regex = regex;
  return copy;
}

std::string InListExpression::ToString() const {
  return fmt::format("{} {}IN ({})", Operand(*input, precedence::kPattern + 1),
                     negated ? "NOT " : "", JoinExpressions(list));
}

ExpressionPtr InListExpression::Copy() const {
  auto copy = std::make_unique<InListExpression>(input->Copy(), negated, position);
  copy->list = CopyExpressions(list);
  return copy;
}

// --- Subquery ------------------------------------------------------------------

SubqueryExpression::SubqueryExpression(SubqueryKind subquery_kind,
                                       std::unique_ptr<QueryNode> subquery, int32_t position)
    : ParsedExpression(kKind, position),
      subquery_kind(subquery_kind),
      subquery(std::move(subquery)) {}

SubqueryExpression::~SubqueryExpression() = default;

std::string SubqueryExpression::ToString() const {
  std::string query = "(" + subquery->ToString() + ")";
  switch (subquery_kind) {
    case SubqueryKind::kScalar:
      return query;
    case SubqueryKind::kArray:
      return "ARRAY" + query;
    case SubqueryKind::kExists:
      return (negated ? "NOT EXISTS " : "EXISTS ") + query;
    case SubqueryKind::kIn:
      return fmt::format("{} {}IN {}", Operand(*left, precedence::kPattern + 1),
                         negated ? "NOT " : "", query);
    case SubqueryKind::kAny:
    case SubqueryKind::kAll:
      return fmt::format("{} {} {} {}", Operand(*left, precedence::kComparison + 1),
                         ComparisonOperatorSymbol(comparison),
                         subquery_kind == SubqueryKind::kAny ? "ANY" : "ALL", query);
  }
  return query;
}

ExpressionPtr SubqueryExpression::Copy() const {
  auto copy = std::make_unique<SubqueryExpression>(subquery_kind, subquery->Copy(), position);
  copy->left = CopyExpression(left);
  copy->comparison = comparison;
  copy->negated = negated;
  return copy;
}

// --- Case, Cast ------------------------------------------------------------------

std::string CaseExpression::ToString() const {
  std::string out = "CASE";
  if (operand) out += " " + operand->ToString();
  for (const auto& check : checks) {
    out += fmt::format(" WHEN {} THEN {}", check.when->ToString(), check.then->ToString());
  }
  if (else_result) out += " ELSE " + else_result->ToString();
  out += " END";
  return out;
}

ExpressionPtr CaseExpression::Copy() const {
  auto copy = std::make_unique<CaseExpression>(position);
  copy->operand = CopyExpression(operand);
  for (const auto& check : checks) {
    copy->checks.push_back(CaseCheck{check.when->Copy(), check.then->Copy()});
  }
  copy->else_result = CopyExpression(else_result);
  return copy;
}

std::string TypeName::ToString() const {
  if (!oid_alias.empty()) return oid_alias;
  if (length) return fmt::format("{}({})", type.ToString(), *length);
  return type.ToString();
}

std::string CastExpression::ToString() const {
  return fmt::format("CAST({} AS {})", child->ToString(), target.ToString());
}

ExpressionPtr CastExpression::Copy() const {
  return std::make_unique<CastExpression>(child->Copy(), target, position);
}

// --- Ordering, windows, function calls --------------------------------------------

OrderByItem OrderByItem::Copy() const { return OrderByItem{expression->Copy(), order, nulls}; }

std::string OrderByItem::ToString() const {
  std::string out = expression->ToString();
  if (order == OrderType::kDescending) out += " DESC";
  if (nulls == NullsOrder::kFirst) out += " NULLS FIRST";
  if (nulls == NullsOrder::kLast) out += " NULLS LAST";
  return out;
}

std::vector<OrderByItem> CopyOrderBy(const std::vector<OrderByItem>& items) {
  std::vector<OrderByItem> copies;
  copies.reserve(items.size());
  for (const auto& item : items) copies.push_back(item.Copy());
  return copies;
}

std::unique_ptr<WindowSpec> WindowSpec::Copy() const {
  auto copy = std::make_unique<WindowSpec>();
  copy->partition_by = CopyExpressions(partition_by);
  copy->order_by = CopyOrderBy(order_by);
  if (frame) {
    copy->frame =
        WindowFrame{frame->unit, CopyFrameBound(frame->start), CopyFrameBound(frame->end)};
  }
  return copy;
}

std::string WindowSpec::ToString() const {
  std::string out;
  auto append = [&out](const std::string& part) {
    if (!out.empty()) out.push_back(' ');
    out += part;
  };
  if (!partition_by.empty()) append("PARTITION BY " + JoinExpressions(partition_by));
  if (!order_by.empty()) append("ORDER BY " + OrderByListToString(order_by));
  if (frame) {
    append(fmt::format("{} BETWEEN {} AND {}", frame->unit == FrameUnit::kRows ? "ROWS" : "RANGE",
                       FrameBoundToString(frame->start), FrameBoundToString(frame->end)));
  }
  return out;
}

std::string FunctionCallExpression::ToString() const {
  std::string out;
  if (!schema.empty()) out += QuoteIdentifier(schema) + ".";
  // The keyword forms print as users write them, which also names the column
  // the way PostgreSQL does.
  bool keyword_form = schema.empty() && args.empty() && named_args.empty() && !is_star &&
                      (name == "current_date" || name == "current_timestamp");
  if (keyword_form) {
    out += name;
  } else {
    out += FunctionName(name) + "(";
    if (distinct) out += "DISTINCT ";
    if (is_star) out += "*";
    out += JoinExpressions(args);
    for (size_t i = 0; i < named_args.size(); ++i) {
      if (i > 0 || !args.empty()) out += ", ";
      out += fmt::format("{} => {}", QuoteIdentifier(named_args[i].name),
                         named_args[i].value->ToString());
    }
    if (!order_by.empty()) out += " ORDER BY " + OrderByListToString(order_by);
    out += ")";
  }
  if (filter) out += " FILTER (WHERE " + filter->ToString() + ")";
  if (window) out += " OVER (" + window->ToString() + ")";
  return out;
}

ExpressionPtr FunctionCallExpression::Copy() const {
  auto copy = std::make_unique<FunctionCallExpression>(name, position);
  copy->schema = schema;
  copy->args = CopyExpressions(args);
  for (const auto& named : named_args) {
    copy->named_args.push_back(NamedArgument{named.name, named.value->Copy(), named.position});
  }
  copy->distinct = distinct;
  copy->is_star = is_star;
  copy->order_by = CopyOrderBy(order_by);
  copy->filter = CopyExpression(filter);
  if (window) copy->window = window->Copy();
  return copy;
}

}  // namespace basalt::sql
