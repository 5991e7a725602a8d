// Expressions by precedence climbing. ParseExpression(p) parses a prefix
// operand and then, in a loop, every infix or postfix operator that binds at
// least as tightly as p; an operator's right operand is parsed with a higher
// minimum, so left-associative chains stay in the loop instead of recursing.
// Precedences are in operator_precedence.h.
#include <algorithm>
#include <charconv>
#include <string>

#include "common/exception.h"
#include "sql/keywords.h"
#include "sql/operator_precedence.h"
#include "sql/parser_impl.h"

namespace basalt::sql {
namespace {

enum class Infix : uint8_t {
  kNone,
  kConjunction,  // AND, OR
  kIs,           // IS ..., ISNULL, NOTNULL
  kComparison,   // = <> != < > <= >=
  kPattern,      // [NOT] BETWEEN / IN / LIKE / ILIKE / SIMILAR
  kArithmetic,   // || + - * / %
  kCast,         // ::
  kRegex,        // ~ !~ ~* !~*
  kOperatorCall, // OPERATOR(pg_catalog.op)
  kCollate,      // COLLATE name (postfix)
  kSubscript,    // array[index] (postfix)
};

struct InfixInfo {
  Infix kind = Infix::kNone;
  int precedence = 0;
  bool non_associative = false;
};

bool IsPatternKeyword(const Token& token) {
  return token.type == TokenType::kWord &&
         (token.text == "between" || token.text == "in" || token.text == "like" ||
          token.text == "ilike" || token.text == "similar");
}

InfixInfo ClassifyInfix(const Token& token, const Token& next) {
  if (token.type == TokenType::kOperator) {
    const std::string& op = token.text;
    if (op == "=" || op == "<>" || op == "!=" || op == "<" || op == ">" || op == "<=" ||
        op == ">=") {
      return {Infix::kComparison, precedence::kComparison, true};
    }
    if (op == "||") return {Infix::kArithmetic, precedence::kOther, false};
    if (op == "+" || op == "-") return {Infix::kArithmetic, precedence::kAdditive, false};
    if (op == "*" || op == "/" || op == "%") {
      return {Infix::kArithmetic, precedence::kMultiplicative, false};
    }
    if (op == "::") return {Infix::kCast, precedence::kCast, false};
    if (op == "[") return {Infix::kSubscript, precedence::kCast, false};
    if (op == "~" || op == "!~" || op == "~*" || op == "!~*") {
      return {Infix::kRegex, precedence::kOther, false};
    }
    return {};
  }
  if (token.type != TokenType::kWord) return {};
  const std::string& word = token.text;
  if (word == "or") return {Infix::kConjunction, precedence::kOr, false};
  if (word == "and") return {Infix::kConjunction, precedence::kAnd, false};
  if (word == "is" || word == "isnull" || word == "notnull") {
    return {Infix::kIs, precedence::kIs, false};
  }
  if (IsPatternKeyword(token) || (word == "not" && IsPatternKeyword(next))) {
    return {Infix::kPattern, precedence::kPattern, true};
  }
  // PostgreSQL gives OPERATOR(...) the precedence of any other operator.
  if (word == "operator" && next.type == TokenType::kOperator && next.text == "(") {
    return {Infix::kOperatorCall, precedence::kOther, false};
  }
  // COLLATE binds tighter than the arithmetic operators, looser than ::.
  if (word == "collate") return {Infix::kCollate, precedence::kUnary, false};
  return {};
}

ComparisonOperator ComparisonFromSymbol(const std::string& op) {
  if (op == "=") return ComparisonOperator::kEqual;
  if (op == "<>" || op == "!=") return ComparisonOperator::kNotEqual;
  if (op == "<") return ComparisonOperator::kLess;
  if (op == "<=") return ComparisonOperator::kLessEqual;
  if (op == ">") return ComparisonOperator::kGreater;
  return ComparisonOperator::kGreaterEqual;
}

BinaryOperator BinaryFromSymbol(const std::string& op) {
  if (op == "+") return BinaryOperator::kAdd;
  if (op == "-") return BinaryOperator::kSubtract;
  if (op == "*") return BinaryOperator::kMultiply;
  if (op == "/") return BinaryOperator::kDivide;
  if (op == "%") return BinaryOperator::kModulo;
  return BinaryOperator::kConcat;
}

int BinaryPrecedence(BinaryOperator op) {
  switch (op) {
    case BinaryOperator::kConcat:
      return precedence::kOther;
    case BinaryOperator::kAdd:
    case BinaryOperator::kSubtract:
      return precedence::kAdditive;
    default:
      return precedence::kMultiplicative;
  }
}

// Adds `child` to a conjunction, splicing in the children of a nested
// conjunction of the same kind: (a AND b) AND c is one node of three.
void AppendFlattened(ConjunctionExpression& node, ExpressionPtr child) {
  if (child->Is<ConjunctionExpression>() && child->As<ConjunctionExpression>().op == node.op) {
    for (auto& grandchild : child->As<ConjunctionExpression>().children) {
      node.children.push_back(std::move(grandchild));
    }
    return;
  }
  node.children.push_back(std::move(child));
}

bool IsScalarSubquery(const ExpressionPtr& e) {
  return e->Is<SubqueryExpression>() &&
         e->As<SubqueryExpression>().subquery_kind == SubqueryKind::kScalar;
}

}  // namespace

ExpressionPtr Parser::ParseExpression(int min_precedence) {
  int32_t start = Peek().position;
  ExpressionPtr left = ParsePrefix();
  int last_non_associative = -1;
  int32_t postfix_count = 0;
  while (true) {
    InfixInfo info = ClassifyInfix(Peek(), Peek(1));
    if (info.kind == Infix::kNone || info.precedence < min_precedence) break;
    // a = b = c and a LIKE b LIKE c are errors in SQL, not chains.
    if (info.non_associative && info.precedence == last_non_associative) ErrorAtCurrent();
    // Postfix operators wrap `left` without recursing here, but x::t::t...
    // or x IS NULL IS NULL ... still nests the tree, so each counts as a
    // level of nesting; so do a[1][2]... and chains of ~ or OPERATOR(),
    // whose nodes are not BinaryExpressions. (Binary chains are exempt: their trees are handled
    // iteratively, see BinaryExpression.)
    if (info.kind == Infix::kIs || info.kind == Infix::kCast || info.kind == Infix::kSubscript ||
        info.kind == Infix::kRegex || info.kind == Infix::kOperatorCall) {
      if (depth_ + ++postfix_count > kMaxNestingDepth) ThrowTooDeeplyNested();
    }
    switch (info.kind) {
      case Infix::kConjunction:
        ParseConjunction(left, start);
        break;
      case Infix::kIs:
        ParseIs(left, start);
        break;
      case Infix::kComparison:
        ParseComparison(left, start);
        break;
      case Infix::kPattern:
        ParsePattern(left, start);
        break;
      case Infix::kArithmetic:
        ParseArithmetic(left, start);
        break;
      case Infix::kCast:
        ParseCastSuffix(left, start);
        break;
      case Infix::kRegex:
        ParseRegexMatch(left, start);
        break;
      case Infix::kOperatorCall:
        ParseOperatorCall(left, start);
        break;
      case Infix::kCollate:
        ParseCollate(left);
        break;
      case Infix::kSubscript:
        ParseSubscript(left, start);
        break;
      case Infix::kNone:
        break;
    }
    last_non_associative = info.non_associative ? info.precedence : -1;
  }
  return left;
}

ExpressionPtr Parser::ParsePrefix() {
  NestingGuard guard(this);
  if (PeekKeyword("not")) return ParseNot();
  if (PeekOperator("-") || PeekOperator("+")) return ParseSign();
  return ParsePrimary();
}

ExpressionPtr Parser::ParseNot() {
  int32_t position = Advance().position;
  ExpressionPtr operand = ParseExpression(precedence::kNot);
  if (operand->Is<SubqueryExpression>()) {
    auto& subquery = operand->As<SubqueryExpression>();
    if (subquery.subquery_kind == SubqueryKind::kExists && !subquery.negated) {
      subquery.negated = true;
      subquery.position = position;
      return operand;
    }
  }
  return std::make_unique<UnaryExpression>(UnaryOperator::kNot, std::move(operand), position);
}

ExpressionPtr Parser::ParseSign() {
  const Token& sign = Advance();
  bool minus = sign.text == "-";
  ExpressionPtr operand = ParseExpression(precedence::kUnary);
  // Fold the sign into a numeric literal, as PostgreSQL does, so that
  // -9223372036854775808 is one BIGINT literal rather than an overflow.
  if (operand->Is<ConstantExpression>()) {
    auto& constant = operand->As<ConstantExpression>();
    if (constant.IsNumeric() && constant.text[0] != '-') {
      if (minus) {
        // Built by appending: GCC 12 misreports string::insert at -O2 (bug 105329).
        std::string negative = "-";
        negative += constant.text;
        constant.text = std::move(negative);
      }
      constant.position = sign.position;
      return operand;
    }
  }
  return std::make_unique<UnaryExpression>(minus ? UnaryOperator::kMinus : UnaryOperator::kPlus,
                                           std::move(operand), sign.position);
}

ExpressionPtr Parser::ParsePrimary() {
  const Token& token = Peek();
  switch (token.type) {
    case TokenType::kInteger:
    case TokenType::kDecimal:
    case TokenType::kFloat:
    case TokenType::kString:
      return ParseConstant();
    case TokenType::kParameter:
      return ParseParameter();
    case TokenType::kOperator:
      if (token.text == "(") return ParseParenthesized();
      if (token.text == "[") return ParseListLiteral();
      if (token.text == "{") return ParseStructLiteral();
      break;
    case TokenType::kQuotedIdentifier:
      return ParseNameOrFunction();
    case TokenType::kWord:
      return ParseWordPrimary();
    case TokenType::kEnd:
      break;
  }
  ErrorAt(token);
}

ExpressionPtr Parser::ParseParameter() {
  const Token& token = Peek();
  int32_t index = 0;
  const std::string& digits = token.text;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (error != std::errc() || end != digits.data() + digits.size() || index < 1) {
    ThrowErrorAt(sqlstate::kUndefinedParameter, token.position, "there is no parameter ${}", digits);
  }
  Advance();
  max_parameter_ = std::max(max_parameter_, index);
  return std::make_unique<ParameterExpression>(index, token.position);
}

ExpressionPtr Parser::ParseWordPrimary() {
  const Token& token = Peek();
  const std::string& word = token.text;
  const Token& next = Peek(1);
  bool call = next.type == TokenType::kOperator && next.text == "(";
  if (word == "null" || word == "true" || word == "false") return ParseKeywordConstant();
  if (word == "case") return ParseCase();
  if (word == "cast") return ParseCast();
  if (word == "exists") return ParseExists();
  if (word == "array" && next.type == TokenType::kOperator && next.text == "(") {
    return ParseArraySubquery();
  }
  if (word == "interval" && (next.type == TokenType::kString || next.type == TokenType::kInteger)) {
    return ParseInterval();
  }
  if (call && (word == "extract" || word == "substring" || word == "position" || word == "trim")) {
    return ParseSpecialFunction();
  }
  if (word == "current_date" || word == "current_timestamp") return ParseCurrentDateTime();
  // SQL's niladic functions, written without parentheses (current_schema
  // may have them).
  if (!call && (word == "current_user" || word == "session_user" || word == "current_role" ||
                word == "current_catalog" || word == "current_schema")) {
    return std::make_unique<FunctionCallExpression>(Advance().text, token.position);
  }
  if (next.type == TokenType::kString && TypeFromName(word).id() != TypeId::kInvalid) {
    return ParseTypedLiteral();
  }
  // LEFT and RIGHT are join keywords but also string functions.
  if (call && (word == "left" || word == "right")) return ParseNameOrFunction();
  if (IsReservedKeyword(word)) ErrorAt(token);
  return ParseNameOrFunction();
}

ExpressionPtr Parser::ParseKeywordConstant() {
  const Token& token = Advance();
  if (token.text == "null") return ConstantExpression::Null(token.position);
  return ConstantExpression::Boolean(token.text == "true", token.position);
}

ExpressionPtr Parser::ParseCurrentDateTime() {
  const Token& token = Advance();
  if (AcceptOperator("(")) ExpectOperator(")");
  return std::make_unique<FunctionCallExpression>(token.text, token.position);
}

ExpressionPtr Parser::ParseConstant() {
  const Token& token = Advance();
  ConstantKind kind = ConstantKind::kString;
  switch (token.type) {
    case TokenType::kInteger:
      kind = ConstantKind::kInteger;
      break;
    case TokenType::kDecimal:
      kind = ConstantKind::kDecimal;
      break;
    case TokenType::kFloat:
      kind = ConstantKind::kFloat;
      break;
    case TokenType::kString:
      kind = ConstantKind::kString;
      break;
    default:
      ErrorAt(token);
  }
  return std::make_unique<ConstantExpression>(kind, token.text, token.position);
}

ExpressionPtr Parser::ParseParenthesized() {
  int32_t position = Advance().position;
  if (PeekKeyword("select") || PeekKeyword("with") || PeekKeyword("values")) {
    return FinishParenthesizedSubquery(ParseQuery(), position);
  }
  ExpressionPtr inner = ParseExpression();
  // ((SELECT 1) UNION (SELECT 2)): the first operand was read as a scalar
  // subquery before the set operation showed this is a query.
  if (IsScalarSubquery(inner) && PeekQueryContinuation()) {
    return ContinueParenthesizedQuery(std::move(inner), position);
  }
  if (PeekOperator(",")) Unsupported(Peek(), "row value constructors");
  ExpectOperator(")");
  // (s).field selects a field of a STRUCT value. A schema-qualified call's
  // result is a catalog function's composite (pgjdbc's getPrimaryKeys reads
  // (information_schema._pg_expandarray(...)).n), which Basalt has not.
  bool catalog_composite = inner->Is<FunctionCallExpression>() &&
                           !inner->As<FunctionCallExpression>().schema.empty();
  while (!catalog_composite && PeekOperator(".") &&
         (Peek(1).type == TokenType::kWord || Peek(1).type == TokenType::kQuotedIdentifier)) {
    int32_t dot = Advance().position;
    const Token& field = Advance();
    auto call = std::make_unique<FunctionCallExpression>("struct_extract", dot);
    call->args.push_back(std::move(inner));
    call->args.push_back(std::make_unique<ConstantExpression>(ConstantKind::kString, field.text,
                                                              field.position));
    inner = std::move(call);
  }
  if (PeekOperator(".")) Unsupported(Peek(), "selecting a field of a composite value");
  return inner;
}

ExpressionPtr Parser::FinishParenthesizedSubquery(QueryNodePtr query, int32_t position) {
  ExpectOperator(")");
  return std::make_unique<SubqueryExpression>(SubqueryKind::kScalar, std::move(query), position);
}

ExpressionPtr Parser::ContinueParenthesizedQuery(ExpressionPtr first, int32_t position) {
  QueryNodePtr query =
      ParseParenthesizedQueryRest(std::move(first->As<SubqueryExpression>().subquery));
  return FinishParenthesizedSubquery(std::move(query), position);
}

void Parser::ParseCastSuffix(ExpressionPtr& operand, int32_t start) {
  Advance();
  TypeName type = ParseTypeName();
  operand = std::make_unique<CastExpression>(std::move(operand), type, start);
}

ExpressionPtr Parser::ParseNameOrFunction() {
  int32_t position = Peek().position;
  std::vector<std::string> names;
  names.push_back(Advance().text);
  while (PeekOperator(".") &&
         (Peek(1).type == TokenType::kWord || Peek(1).type == TokenType::kQuotedIdentifier)) {
    Advance();
    names.push_back(Advance().text);
  }
  if (PeekOperator("(")) {
    if (names.size() > 2) ErrorAtCurrent();
    std::string schema = names.size() == 2 ? std::move(names[0]) : std::string();
    return ParseFunctionCall(std::move(schema), std::move(names.back()), position, true);
  }
  return std::make_unique<ColumnRefExpression>(std::move(names), position);
}

ExpressionPtr Parser::ParseCase() {
  auto node = std::make_unique<CaseExpression>(Advance().position);
  if (!PeekKeyword("when")) node->operand = ParseExpression();
  if (!PeekKeyword("when")) ErrorAtCurrent();
  while (AcceptKeyword("when")) {
    CaseCheck check;
    check.when = ParseExpression();
    ExpectKeyword("then");
    check.then = ParseExpression();
    node->checks.push_back(std::move(check));
  }
  if (AcceptKeyword("else")) node->else_result = ParseExpression();
  ExpectKeyword("end");
  return node;
}

ExpressionPtr Parser::ParseCast() {
  int32_t position = Advance().position;
  ExpectOperator("(");
  ExpressionPtr child = ParseExpression();
  ExpectKeyword("as");
  TypeName type = ParseTypeName();
  ExpectOperator(")");
  return std::make_unique<CastExpression>(std::move(child), type, position);
}

ExpressionPtr Parser::ParseExists() {
  int32_t position = Advance().position;
  ExpectOperator("(");
  if (!PeekQueryStart()) ErrorAtCurrent();
  QueryNodePtr query = ParseQuery();
  ExpectOperator(")");
  return std::make_unique<SubqueryExpression>(SubqueryKind::kExists, std::move(query), position);
}

ExpressionPtr Parser::ParseTypedLiteral() {
  const Token& type_token = Advance();
  TypeName type;
  type.type = TypeFromName(type_token.text);
  type.position = type_token.position;
  if (type.type.id() == TypeId::kDecimal) {
    type.type = LogicalType::Decimal(kDefaultDecimalPrecision, kDefaultDecimalScale);
  }
  const Token& value = Advance();
  return std::make_unique<CastExpression>(ConstantExpression::String(value.text, value.position),
                                          type, type_token.position);
}

// --- Infix operators ----------------------------------------------------------------

void Parser::ParseConjunction(ExpressionPtr& operand, int32_t start) {
  bool is_and = PeekKeyword("and");
  const char* keyword = is_and ? "and" : "or";
  int operand_precedence = (is_and ? precedence::kAnd : precedence::kOr) + 1;
  auto node = std::make_unique<ConjunctionExpression>(
      is_and ? ConjunctionOperator::kAnd : ConjunctionOperator::kOr, start);
  AppendFlattened(*node, std::move(operand));
  while (AcceptKeyword(keyword)) AppendFlattened(*node, ParseExpression(operand_precedence));
  operand = std::move(node);
}

void Parser::ParseComparison(ExpressionPtr& operand, int32_t start) {
  ComparisonOperator op = ComparisonFromSymbol(Advance().text);
  bool any = (PeekKeyword("any") || PeekKeyword("some")) && PeekOperator("(", 1);
  bool all = PeekKeyword("all") && PeekOperator("(", 1);
  if (any || all) {
    Advance();
    Advance();
    if (!PeekQueryStart()) {
      ParseArrayComparison(operand, op, any, start);
      return;
    }
    QueryNodePtr query = ParseQuery();
    ExpectOperator(")");
    auto node = std::make_unique<SubqueryExpression>(any ? SubqueryKind::kAny : SubqueryKind::kAll,
                                                     std::move(query), start);
    node->left = std::move(operand);
    node->comparison = op;
    operand = std::move(node);
    return;
  }
  ExpressionPtr right = ParseExpression(precedence::kComparison + 1);
  operand = std::make_unique<ComparisonExpression>(op, std::move(operand), std::move(right), start);
}

void Parser::ParseIs(ExpressionPtr& operand, int32_t start) {
  if (PeekKeyword("isnull") || PeekKeyword("notnull")) {
    bool negated = Advance().text == "notnull";
    operand = std::make_unique<IsNullExpression>(std::move(operand), negated, start);
    return;
  }
  ExpectKeyword("is");
  bool negated = AcceptKeyword("not");
  if (AcceptKeyword("null") || AcceptKeyword("unknown")) {
    operand = std::make_unique<IsNullExpression>(std::move(operand), negated, start);
  } else if (PeekKeyword("true") || PeekKeyword("false")) {
    bool value = Advance().text == "true";
    operand = std::make_unique<IsBoolExpression>(std::move(operand), value, negated, start);
  } else if (AcceptKeyword("distinct")) {
    ExpectKeyword("from");
    ExpressionPtr right = ParseExpression(precedence::kIs + 1);
    operand = std::make_unique<IsDistinctExpression>(std::move(operand), std::move(right), negated,
                                                     start);
  } else {
    ErrorAtCurrent();
  }
}

void Parser::ParsePattern(ExpressionPtr& operand, int32_t start) {
  constexpr int kOperand = precedence::kPattern + 1;
  bool negated = AcceptKeyword("not");
  const Token& keyword = Advance();
  if (keyword.text == "between") {
    if (PeekKeyword("symmetric")) Unsupported(Peek(), "BETWEEN SYMMETRIC");
    AcceptKeyword("asymmetric");
    // Operands bind tighter than AND, so `a BETWEEN b AND c AND d` is
    // (a BETWEEN b AND c) AND d.
    ExpressionPtr lower = ParseExpression(kOperand);
    ExpectKeyword("and");
    ExpressionPtr upper = ParseExpression(kOperand);
    operand = std::make_unique<BetweenExpression>(std::move(operand), std::move(lower),
                                                  std::move(upper), negated, start);
    return;
  }
  if (keyword.text == "in") {
    ParseIn(operand, negated, start);
    return;
  }
  if (keyword.text == "similar") Unsupported(keyword, "SIMILAR TO");
  auto node = std::make_unique<LikeExpression>(start);
  node->input = std::move(operand);
  node->case_insensitive = keyword.text == "ilike";
  node->negated = negated;
  node->pattern = ParseExpression(kOperand);
  if (AcceptKeyword("escape")) node->escape = ParseExpression(kOperand);
  operand = std::move(node);
}

void Parser::ParseIn(ExpressionPtr& operand, bool negated, int32_t start) {
  ExpectOperator("(");
  QueryNodePtr query;
  if (PeekKeyword("select") || PeekKeyword("with") || PeekKeyword("values")) {
    query = ParseQuery();
  } else {
    std::vector<ExpressionPtr> list = ParseExpressionList();
    if (list.size() == 1 && IsScalarSubquery(list[0])) {
      // x IN ((SELECT ...)) and x IN ((SELECT ...) UNION (SELECT ...)) are
      // subqueries too, as in PostgreSQL.
      query = std::move(list[0]->As<SubqueryExpression>().subquery);
      if (PeekQueryContinuation()) query = ParseParenthesizedQueryRest(std::move(query));
    } else {
      ExpectOperator(")");
      auto node = std::make_unique<InListExpression>(std::move(operand), negated, start);
      node->list = std::move(list);
      operand = std::move(node);
      return;
    }
  }
  ExpectOperator(")");
  auto node = std::make_unique<SubqueryExpression>(SubqueryKind::kIn, std::move(query), start);
  node->left = std::move(operand);
  node->negated = negated;
  operand = std::move(node);
}

void Parser::ParseArithmetic(ExpressionPtr& operand, int32_t start) {
  BinaryOperator op = BinaryFromSymbol(Advance().text);
  ExpressionPtr right = ParseExpression(BinaryPrecedence(op) + 1);
  operand = std::make_unique<BinaryExpression>(op, std::move(operand), std::move(right), start);
}

std::vector<ExpressionPtr> Parser::ParseExpressionList() {
  std::vector<ExpressionPtr> list;
  do {
    list.push_back(ParseExpression());
  } while (AcceptOperator(","));
  return list;
}

}  // namespace basalt::sql
