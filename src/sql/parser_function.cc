// Function calls: arguments, FILTER, OVER (window specifications), and the
// SQL-standard special forms EXTRACT, SUBSTRING, POSITION and TRIM, which are
// mapped onto ordinary calls (see FunctionCallExpression).
#include <string>

#include "common/exception.h"
#include "sql/operator_precedence.h"
#include "sql/parser_impl.h"

namespace basalt::sql {
namespace {

// PostgreSQL's SQLSTATE for an invalid window frame.
constexpr const char* kWindowingError = "42P20";

}  // namespace

std::unique_ptr<FunctionCallExpression> Parser::ParseFunctionCall(std::string schema,
                                                                  std::string name,
                                                                  int32_t position,
                                                                  bool allow_window) {
  auto call = std::make_unique<FunctionCallExpression>(std::move(name), position);
  call->schema = std::move(schema);
  ParseFunctionArguments(*call);
  if (call->name == "struct_pack" && call->schema.empty()) PackStructArguments(*call);
  if (!allow_window) return call;
  if (PeekKeyword("within") && PeekKeyword("group", 1)) Unsupported(Peek(), "WITHIN GROUP");
  if (PeekKeyword("filter") && PeekOperator("(", 1)) {
    Advance();
    Advance();
    ExpectKeyword("where");
    call->filter = ParseExpression();
    ExpectOperator(")");
  }
  if (AcceptKeyword("over")) {
    if (!PeekOperator("(")) Unsupported(Peek(), "a named window");
    call->window = ParseWindowSpec();
  }
  return call;
}

void Parser::ParseFunctionArguments(FunctionCallExpression& call) {
  ExpectOperator("(");
  if (AcceptOperator(")")) return;
  if (PeekOperator("*") && PeekOperator(")", 1)) {
    Advance();
    Advance();
    call.is_star = true;
    return;
  }
  if (AcceptKeyword("distinct")) {
    call.distinct = true;
  } else {
    AcceptKeyword("all");
  }
  do {
    const Token& token = Peek();
    bool name_token = token.type == TokenType::kWord || token.type == TokenType::kQuotedIdentifier;
    // name => value, or DuckDB's name := value (":" and "=" are two tokens).
    bool walrus = PeekOperator(":", 1) && PeekOperator("=", 2);
    if (name_token && (PeekOperator("=>", 1) || walrus)) {
      NamedArgument argument;
      argument.position = token.position;
      argument.name = Advance().text;
      Advance();
      if (walrus) Advance();
      argument.value = ParseExpression();
      call.named_args.push_back(std::move(argument));
    } else {
      if (!call.named_args.empty()) {
        ThrowErrorAt(sqlstate::kSyntaxError, token.position,
                     "positional argument cannot follow named argument");
      }
      call.args.push_back(ParseExpression());
    }
  } while (AcceptOperator(","));
  if (PeekKeyword("order") && PeekKeyword("by", 1)) {
    Advance();
    Advance();
    call.order_by = ParseOrderByList();
  }
  ExpectOperator(")");
}

std::unique_ptr<WindowSpec> Parser::ParseWindowSpec() {
  NestingGuard guard(this);
  ExpectOperator("(");
  auto spec = std::make_unique<WindowSpec>();
  if (PeekIdentifier() && !PeekKeyword("partition") && !PeekKeyword("rows") &&
      !PeekKeyword("range") && !PeekKeyword("groups")) {
    Unsupported(Peek(), "a named window");
  }
  if (PeekKeyword("partition") && PeekKeyword("by", 1)) {
    Advance();
    Advance();
    spec->partition_by = ParseExpressionList();
  }
  if (PeekKeyword("order") && PeekKeyword("by", 1)) {
    Advance();
    Advance();
    spec->order_by = ParseOrderByList();
  }
  if (PeekKeyword("groups")) Unsupported(Peek(), "GROUPS frames");
  if (PeekKeyword("rows") || PeekKeyword("range")) {
    WindowFrame frame;
    frame.unit = Advance().text == "rows" ? FrameUnit::kRows : FrameUnit::kRange;
    const Token& start_token = Peek();
    if (AcceptKeyword("between")) {
      frame.start = ParseFrameBound();
      ExpectKeyword("and");
      const Token& end_token = Peek();
      frame.end = ParseFrameBound();
      if (frame.end.kind == FrameBoundKind::kUnboundedPreceding) {
        ThrowErrorAt(kWindowingError, end_token.position,
                     "frame end cannot be UNBOUNDED PRECEDING");
      }
    } else {
      frame.start = ParseFrameBound();
      frame.end.kind = FrameBoundKind::kCurrentRow;
    }
    if (frame.start.kind == FrameBoundKind::kUnboundedFollowing) {
      ThrowErrorAt(kWindowingError, start_token.position,
                   "frame start cannot be UNBOUNDED FOLLOWING");
    }
    if (PeekKeyword("exclude")) Unsupported(Peek(), "EXCLUDE in a window frame");
    spec->frame = std::move(frame);
  }
  ExpectOperator(")");
  return spec;
}

FrameBound Parser::ParseFrameBound() {
  FrameBound bound;
  if (AcceptKeyword("unbounded")) {
    if (AcceptKeyword("preceding")) {
      bound.kind = FrameBoundKind::kUnboundedPreceding;
    } else {
      ExpectKeyword("following");
      bound.kind = FrameBoundKind::kUnboundedFollowing;
    }
    return bound;
  }
  if (AcceptKeyword("current")) {
    ExpectKeyword("row");
    bound.kind = FrameBoundKind::kCurrentRow;
    return bound;
  }
  // Above AND, so the AND of BETWEEN ... AND ... is never taken as a conjunction.
  bound.offset = ParseExpression(precedence::kOther);
  if (AcceptKeyword("preceding")) {
    bound.kind = FrameBoundKind::kPreceding;
  } else {
    ExpectKeyword("following");
    bound.kind = FrameBoundKind::kFollowing;
  }
  return bound;
}

ExpressionPtr Parser::ParseSpecialFunction() {
  const Token& name = Peek();
  int32_t position = name.position;
  const Token& first = Peek(2);
  if (name.text == "extract") {
    // EXTRACT(field FROM x); extract('year', x) is an ordinary call.
    bool field = first.type == TokenType::kWord || first.type == TokenType::kQuotedIdentifier ||
                 first.type == TokenType::kString;
    if (field && PeekKeyword("from", 3)) return ParseExtract(position);
    return ParseNameOrFunction();
  }
  if (name.text == "substring") return ParseSubstring(position);
  if (name.text == "position") return ParsePosition(position);
  return ParseTrim(position);
}

ExpressionPtr Parser::ParseExtract(int32_t position) {
  Advance();
  ExpectOperator("(");
  const Token& field = Advance();
  std::string text = field.text;
  // 'YEAR' and YEAR name the same field.
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  ExpectKeyword("from");
  auto call = std::make_unique<FunctionCallExpression>("extract", position);
  call->args.push_back(ConstantExpression::String(std::move(text), field.position));
  call->args.push_back(ParseExpression());
  ExpectOperator(")");
  return call;
}

ExpressionPtr Parser::ParseSubstring(int32_t position) {
  Advance();
  ExpectOperator("(");
  auto call = std::make_unique<FunctionCallExpression>("substring", position);
  call->args.push_back(ParseExpression());
  if (AcceptKeyword("from")) {
    call->args.push_back(ParseExpression());
    if (AcceptKeyword("for")) call->args.push_back(ParseExpression());
  } else if (PeekKeyword("for")) {
    // SUBSTRING(s FOR n) starts at the first character.
    int32_t for_position = Advance().position;
    call->args.push_back(
        std::make_unique<ConstantExpression>(ConstantKind::kInteger, "1", for_position));
    call->args.push_back(ParseExpression());
  } else {
    while (AcceptOperator(",")) call->args.push_back(ParseExpression());
  }
  ExpectOperator(")");
  return call;
}

ExpressionPtr Parser::ParsePosition(int32_t position) {
  Advance();
  ExpectOperator("(");
  auto call = std::make_unique<FunctionCallExpression>("position", position);
  // Above IN, so the IN of POSITION(a IN b) is not read as a membership test.
  call->args.push_back(ParseExpression(precedence::kOther));
  if (!AcceptOperator(",")) ExpectKeyword("in");
  call->args.push_back(ParseExpression(precedence::kOther));
  ExpectOperator(")");
  return call;
}

ExpressionPtr Parser::ParseTrim(int32_t position) {
  Advance();
  ExpectOperator("(");
  std::string name = "trim";
  if (AcceptKeyword("leading")) {
    name = "ltrim";
  } else if (AcceptKeyword("trailing")) {
    name = "rtrim";
  } else {
    AcceptKeyword("both");
  }
  auto call = std::make_unique<FunctionCallExpression>(std::move(name), position);
  if (AcceptKeyword("from")) {
    call->args.push_back(ParseExpression());
  } else {
    ExpressionPtr first = ParseExpression();
    if (AcceptKeyword("from")) {
      // TRIM(chars FROM s) -> trim(s, chars)
      call->args.push_back(ParseExpression());
      call->args.push_back(std::move(first));
    } else {
      call->args.push_back(std::move(first));
      while (AcceptOperator(",")) call->args.push_back(ParseExpression());
    }
  }
  ExpectOperator(")");
  return call;
}

}  // namespace basalt::sql
