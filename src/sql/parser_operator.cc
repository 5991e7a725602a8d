// PostgreSQL operator spellings catalog queries use: the regular expression
// matches ~ !~ ~* !~*, OPERATOR(pg_catalog.op) (psql qualifies every
// operator so a user's search_path cannot change it) and COLLATE, which is
// accepted for the collations every string already compares by and ignored.
#include "common/exception.h"
#include "sql/operator_precedence.h"
#include "sql/parser_impl.h"

namespace basalt::sql {
namespace {

std::optional<ComparisonOperator> ComparisonOf(const std::string& op) {
  if (op == "=") return ComparisonOperator::kEqual;
  if (op == "<>" || op == "!=") return ComparisonOperator::kNotEqual;
  if (op == "<") return ComparisonOperator::kLess;
  if (op == "<=") return ComparisonOperator::kLessEqual;
  if (op == ">") return ComparisonOperator::kGreater;
  if (op == ">=") return ComparisonOperator::kGreaterEqual;
  return std::nullopt;
}

std::optional<BinaryOperator> BinaryOf(const std::string& op) {
  if (op == "+") return BinaryOperator::kAdd;
  if (op == "-") return BinaryOperator::kSubtract;
  if (op == "*") return BinaryOperator::kMultiply;
  if (op == "/") return BinaryOperator::kDivide;
  if (op == "%") return BinaryOperator::kModulo;
  if (op == "||") return BinaryOperator::kConcat;
  return std::nullopt;
}

bool IsRegexOperator(const std::string& op) {
  return op == "~" || op == "!~" || op == "~*" || op == "!~*";
}

ExpressionPtr MakeRegexMatch(const std::string& op, ExpressionPtr input, ExpressionPtr pattern,
                             int32_t start) {
  auto node = std::make_unique<LikeExpression>(start);
  node->regex = true;
  node->negated = op[0] == '!';
  node->case_insensitive = op.back() == '*';
  node->input = std::move(input);
  node->pattern = std::move(pattern);
  return node;
}

}  // namespace

void Parser::ParseRegexMatch(ExpressionPtr& operand, int32_t start) {
  std::string op = Advance().text;
  ExpressionPtr pattern = ParseExpression(precedence::kOther + 1);
  operand = MakeRegexMatch(op, std::move(operand), std::move(pattern), start);
}

void Parser::ParseOperatorCall(ExpressionPtr& operand, int32_t start) {
  Advance();  // OPERATOR
  ExpectOperator("(");
  if (Peek().type == TokenType::kWord && PeekOperator(".", 1)) {
    const Token& schema = Advance();
    if (schema.text != "pg_catalog") {
      ThrowErrorAt(sqlstate::kUndefinedFunction, schema.position, "operator does not exist: {}.{}",
                   schema.text, Peek(1).text);
    }
    Advance();  // .
  }
  const Token& op_token = Peek();
  if (op_token.type != TokenType::kOperator) ErrorAt(op_token);
  std::string op = Advance().text;
  ExpectOperator(")");
  ExpressionPtr right = ParseExpression(precedence::kOther + 1);
  if (IsRegexOperator(op)) {
    operand = MakeRegexMatch(op, std::move(operand), std::move(right), start);
  } else if (auto comparison = ComparisonOf(op)) {
    operand = std::make_unique<ComparisonExpression>(*comparison, std::move(operand),
                                                     std::move(right), start);
  } else if (auto binary = BinaryOf(op)) {
    operand =
        std::make_unique<BinaryExpression>(*binary, std::move(operand), std::move(right), start);
  } else {
    ThrowErrorAt(sqlstate::kUndefinedFunction, op_token.position,
                 "operator does not exist: pg_catalog.{}", op);
  }
}

void Parser::ParseCollate(ExpressionPtr& operand) {
  Advance();  // COLLATE
  const Token* name = &Peek();
  if (name->type != TokenType::kWord && name->type != TokenType::kQuotedIdentifier) ErrorAt(*name);
  Advance();
  if (name->type == TokenType::kWord && name->text == "pg_catalog" && PeekOperator(".")) {
    Advance();
    name = &Peek();
    if (name->type != TokenType::kWord && name->type != TokenType::kQuotedIdentifier) {
      ErrorAt(*name);
    }
    Advance();
  }
  // Strings compare by their bytes, which is what the "C" and "POSIX"
  // collations (and Basalt's default) mean, so those change nothing.
  std::string collation = name->text;
  for (auto& c : collation) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (collation != "default" && collation != "c" && collation != "posix" &&
      collation != "ucs_basic") {
    ThrowErrorAt(sqlstate::kUndefinedObject, name->position,
                 "collation \"{}\" for encoding \"UTF8\" does not exist", name->text);
  }
  (void)operand;
}

}  // namespace basalt::sql
