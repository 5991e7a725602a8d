#include "sql/parser.h"

#include <algorithm>
#include <array>
#include <string>

#include "common/exception.h"
#include "sql/keywords.h"
#include "sql/lexer.h"
#include "sql/parser_impl.h"
#include "common/stack_limit.h"

namespace basalt::sql {
namespace {

// Statements we recognise but do not run; they fail with 0A000 rather than a
// confusing syntax error.
constexpr std::array kUnsupportedStatements = std::to_array<std::string_view>({
    "alter",    "attach",   "call",     "checkpoint", "close",    "cluster",  "comment",
    "deallocate", "declare", "delete",  "detach",     "discard",  "do",       "execute",
    "export",   "grant",    "import",   "install",    "listen",   "load",     "lock",
    "merge",    "move",     "notify",   "pragma",     "prepare",  "reassign",
    "reindex",  "release",  "revoke",   "savepoint",  "start",    "truncate", "unlisten",
    "update",   "use",      "vacuum",
});

}  // namespace

std::vector<std::unique_ptr<Statement>> ParseSql(std::string_view sql) {
  return Parser(sql).ParseScript();
}

std::unique_ptr<ParsedExpression> ParseSqlExpression(std::string_view sql) {
  return Parser(sql).ParseStandaloneExpression();
}

NestingGuard::NestingGuard(Parser* parser) : parser_(parser) {
  if (parser_->depth_ >= kMaxNestingDepth || RemainingStackBytes() < kParserStackReserve) {
    parser_->ThrowTooDeeplyNested();
  }
  ++parser_->depth_;
}

Parser::Parser(std::string_view sql) : sql_(sql), tokens_(Tokenize(sql)) {}

std::vector<StatementPtr> Parser::ParseScript() {
  std::vector<StatementPtr> statements;
  while (true) {
    while (AcceptOperator(";")) {
    }
    if (AtEnd()) break;
    max_parameter_ = 0;
    statements.push_back(ParseStatement());
    statements.back()->parameter_count = max_parameter_;
    if (!AtEnd() && !PeekOperator(";")) ErrorAtCurrent();
  }
  return statements;
}

ExpressionPtr Parser::ParseStandaloneExpression() {
  ExpressionPtr expression = ParseExpression();
  if (!AtEnd()) ErrorAtCurrent();
  return expression;
}

// --- Token cursor ------------------------------------------------------------------

const Token& Parser::Peek(size_t ahead) const {
  size_t i = index_ + ahead;
  return i < tokens_.size() ? tokens_[i] : tokens_.back();
}

const Token& Parser::Advance() {
  const Token& token = tokens_[index_];
  if (token.type != TokenType::kEnd) {
    ++index_;
    last_end_ = token.end();
  }
  return token;
}

bool Parser::PeekKeyword(std::string_view keyword, size_t ahead) const {
  const Token& token = Peek(ahead);
  return token.type == TokenType::kWord && token.text == keyword;
}

bool Parser::AcceptKeyword(std::string_view keyword) {
  if (!PeekKeyword(keyword)) return false;
  Advance();
  return true;
}

void Parser::ExpectKeyword(std::string_view keyword) {
  if (!AcceptKeyword(keyword)) ErrorAtCurrent();
}

bool Parser::PeekOperator(std::string_view op, size_t ahead) const {
  const Token& token = Peek(ahead);
  return token.type == TokenType::kOperator && token.text == op;
}

bool Parser::AcceptOperator(std::string_view op) {
  if (!PeekOperator(op)) return false;
  Advance();
  return true;
}

void Parser::ExpectOperator(std::string_view op) {
  if (!AcceptOperator(op)) ErrorAtCurrent();
}

bool Parser::PeekIdentifier(size_t ahead) const {
  const Token& token = Peek(ahead);
  return token.type == TokenType::kQuotedIdentifier ||
         (token.type == TokenType::kWord && !IsReservedKeyword(token.text));
}

bool Parser::PeekQueryStart(size_t ahead) const {
  // Past kMaxNestingDepth parentheses the parse fails on depth anyway; the
  // cap keeps this look-ahead from making hostile input quadratic.
  for (int32_t n = 0; PeekOperator("(", ahead) && n <= kMaxNestingDepth; ++n) ++ahead;
  return PeekKeyword("select", ahead) || PeekKeyword("with", ahead) || PeekKeyword("values", ahead);
}

void Parser::ErrorAt(const Token& token) const {
  if (token.type == TokenType::kEnd) {
    ThrowErrorAt(sqlstate::kSyntaxError, token.position, "syntax error at end of input");
  }
  ThrowErrorAt(sqlstate::kSyntaxError, token.position, "syntax error at or near \"{}\"",
               sql_.substr(token.position, token.length));
}

void Parser::Unsupported(const Token& token, std::string_view what) const {
  ThrowErrorAt(sqlstate::kFeatureNotSupported, token.position, "{} is not supported", what);
}

void Parser::ThrowTooDeeplyNested() const {
  ThrowErrorAt(sqlstate::kProgramLimitExceeded, Peek().position, "statement is too deeply nested");
}

std::string Parser::TextSince(int32_t begin) const {
  if (last_end_ <= begin) return "";
  return std::string(sql_.substr(begin, last_end_ - begin));
}

std::string Parser::ParseIdentifier() {
  if (!PeekIdentifier()) ErrorAtCurrent();
  return Advance().text;
}

std::string Parser::ParseLabel() {
  const Token& token = Peek();
  if (token.type != TokenType::kWord && token.type != TokenType::kQuotedIdentifier) ErrorAt(token);
  return Advance().text;
}

QualifiedName Parser::ParseQualifiedName() {
  QualifiedName name;
  name.position = Peek().position;
  name.name = ParseIdentifier();
  if (AcceptOperator(".")) {
    name.schema = std::move(name.name);
    name.name = ParseLabel();
    if (PeekOperator(".")) {
      ThrowErrorAt(sqlstate::kSyntaxError, name.position,
                   "improper qualified name (too many dotted names): {}.{}.{}", name.schema,
                   name.name, Peek(1).text);
    }
  }
  return name;
}

std::vector<std::string> Parser::ParseParenthesizedNames() {
  ExpectOperator("(");
  std::vector<std::string> names;
  do {
    names.push_back(ParseIdentifier());
  } while (AcceptOperator(","));
  ExpectOperator(")");
  return names;
}

std::string Parser::ParseOptionalAlias() {
  if (AcceptKeyword("as")) return ParseLabel();
  const Token& token = Peek();
  if (token.type == TokenType::kQuotedIdentifier ||
      (token.type == TokenType::kWord && !IsNonAliasKeyword(token.text))) {
    return Advance().text;
  }
  return "";
}

bool Parser::ParseIfNotExists() {
  if (!AcceptKeyword("if")) return false;
  ExpectKeyword("not");
  ExpectKeyword("exists");
  return true;
}

bool Parser::ParseIfExists() {
  if (!AcceptKeyword("if")) return false;
  ExpectKeyword("exists");
  return true;
}

// --- Statements ----------------------------------------------------------------------

StatementPtr Parser::ParseStatement() {
  int32_t start = Peek().position;
  StatementPtr statement = DispatchStatement();
  statement->position = start;
  statement->text = TextSince(start);
  return statement;
}

StatementPtr Parser::DispatchStatement() {
  const Token& token = Peek();
  if (PeekOperator("(")) return ParseSelectStatement();
  if (token.type != TokenType::kWord) ErrorAt(token);
  const std::string& word = token.text;
  if (word == "select" || word == "with" || word == "values") return ParseSelectStatement();
  if (word == "explain") return ParseExplain();
  if (word == "create") return ParseCreate();
  if (word == "drop") return ParseDrop();
  if (word == "insert") return ParseInsert();
  if (word == "copy") return ParseCopy();
  if (word == "show") return ParseShow();
  if (word == "set") return ParseSet();
  if (word == "reset") return ParseReset();
  if (word == "describe" || word == "desc") return ParseDescribe();
  if (word == "analyze" || word == "analyse" || word == "compute") return ParseAnalyze();
  if (word == "refresh" || (word == "invalidate" && PeekKeyword("metadata", 1))) {
    return ParseRefresh();
  }
  if (word == "begin" || word == "commit" || word == "end" || word == "rollback" ||
      word == "abort" || (word == "start" && PeekKeyword("transaction", 1))) {
    return ParseTransaction();
  }
  if (std::find(kUnsupportedStatements.begin(), kUnsupportedStatements.end(), word) !=
      kUnsupportedStatements.end()) {
    Unsupported(token, ToUpperAscii(word));
  }
  ErrorAt(token);
}

StatementPtr Parser::ParseSelectStatement() {
  auto statement = std::make_unique<SelectStatement>();
  statement->query = ParseQuery();
  return statement;
}

StatementPtr Parser::ParseExplain() {
  Advance();
  auto statement = std::make_unique<ExplainStatement>();
  statement->analyze = AcceptKeyword("analyze") || AcceptKeyword("analyse");
  AcceptKeyword("verbose");
  if (PeekOperator("(") && !PeekQueryStart()) Unsupported(Peek(), "EXPLAIN with an option list");
  statement->statement = ParseStatement();
  return statement;
}

StatementPtr Parser::ParseShow() {
  Advance();
  auto statement = std::make_unique<ShowStatement>();
  if (AcceptKeyword("tables")) {
    statement->show_kind = ShowKind::kTables;
    if (AcceptKeyword("from") || AcceptKeyword("in")) statement->schema = ParseIdentifier();
  } else if (AcceptKeyword("schemas") || AcceptKeyword("databases")) {
    statement->show_kind = ShowKind::kSchemas;
  } else if ((PeekKeyword("stats") && PeekIdentifier(1)) ||
             (PeekKeyword("column") && PeekKeyword("stats", 1))) {
    // SHOW COLUMN STATS is Impala's name; a bare SHOW stats stays a setting.
    AcceptKeyword("column");
    ExpectKeyword("stats");
    statement->show_kind = ShowKind::kStats;
    statement->table = ParseQualifiedName();
  } else {
    statement->show_kind = ShowKind::kSetting;
    statement->name = ParseLabel();
    while (AcceptOperator(".")) statement->name += "." + ParseLabel();
  }
  return statement;
}

StatementPtr Parser::ParseSet() {
  Advance();
  auto statement = std::make_unique<SetStatement>();
  AcceptKeyword("session");
  if (PeekKeyword("local")) Unsupported(Peek(), "SET LOCAL");
  if (PeekKeyword("time") && PeekKeyword("zone", 1)) {
    Advance();
    Advance();
    statement->name = "timezone";
  } else {
    statement->name = ParseLabel();
    while (AcceptOperator(".")) statement->name += "." + ParseLabel();
    if (!AcceptOperator("=")) ExpectKeyword("to");
  }
  if (AcceptKeyword("default")) return statement;
  statement->value = ParseOptionValue();
  // A list (SET search_path = a, b) is kept as the string "a, b".
  while (AcceptOperator(",")) {
    auto next = ParseOptionValue();
    statement->value = ConstantExpression::String(statement->value->text + ", " + next->text,
                                                  statement->value->position);
  }
  return statement;
}

StatementPtr Parser::ParseReset() {
  Advance();
  auto statement = std::make_unique<SetStatement>();
  statement->name = ParseLabel();
  while (AcceptOperator(".")) statement->name += "." + ParseLabel();
  return statement;
}

StatementPtr Parser::ParseDescribe() {
  Advance();
  auto statement = std::make_unique<DescribeStatement>();
  if (PeekQueryStart()) {
    statement->query = ParseQuery();
  } else {
    AcceptKeyword("table");
    statement->table = ParseQualifiedName();
  }
  return statement;
}

StatementPtr Parser::ParseAnalyze() {
  const Token& first = Advance();
  auto statement = std::make_unique<AnalyzeStatement>();
  if (first.text == "compute") {
    ExpectKeyword("stats");
    statement->table = ParseQualifiedName();
    return statement;
  }
  AcceptKeyword("verbose");
  if (PeekIdentifier()) statement->table = ParseQualifiedName();
  return statement;
}

StatementPtr Parser::ParseTransaction() {
  const Token& first = Advance();
  auto statement = std::make_unique<TransactionStatement>();
  const std::string& word = first.text;
  if (word == "begin" || word == "start") {
    statement->transaction_kind = TransactionKind::kBegin;
    if (word == "start") {
      ExpectKeyword("transaction");
    } else if (!AcceptKeyword("transaction")) {
      AcceptKeyword("work");
    }
    ParseTransactionModes();
    return statement;
  }
  statement->transaction_kind = word == "commit" || word == "end" ? TransactionKind::kCommit
                                                                  : TransactionKind::kRollback;
  if (!AcceptKeyword("transaction")) AcceptKeyword("work");
  if (statement->transaction_kind == TransactionKind::kRollback && PeekKeyword("to")) {
    Unsupported(Peek(), "ROLLBACK TO SAVEPOINT");
  }
  if (PeekKeyword("and")) {
    if (PeekKeyword("chain", 1)) Unsupported(Peek(), "AND CHAIN");
    if (PeekKeyword("no", 1) && PeekKeyword("chain", 2)) {
      Advance();
      Advance();
      Advance();
    }
  }
  return statement;
}

// transaction_mode [[,] transaction_mode ...], where a mode is
// ISOLATION LEVEL {SERIALIZABLE | REPEATABLE READ | READ {COMMITTED | UNCOMMITTED}},
// READ {WRITE | ONLY} or [NOT] DEFERRABLE. All are accepted and discarded.
void Parser::ParseTransactionModes() {
  bool first = true;
  while (true) {
    bool comma = !first && AcceptOperator(",");
    // After a comma a mode must follow; the branches below reject anything else.
    if (!comma && !(PeekKeyword("isolation") || PeekKeyword("read") || PeekKeyword("not") ||
                    PeekKeyword("deferrable"))) {
      return;
    }
    first = false;
    if (AcceptKeyword("isolation")) {
      ExpectKeyword("level");
      if (AcceptKeyword("serializable")) continue;
      if (AcceptKeyword("repeatable")) {
        ExpectKeyword("read");
        continue;
      }
      ExpectKeyword("read");
      if (!AcceptKeyword("committed")) ExpectKeyword("uncommitted");
    } else if (AcceptKeyword("read")) {
      if (!AcceptKeyword("write")) ExpectKeyword("only");
    } else {
      AcceptKeyword("not");
      ExpectKeyword("deferrable");
    }
  }
}

std::unique_ptr<ConstantExpression> Parser::ParseOptionValue() {
  const Token& token = Peek();
  int32_t position = token.position;
  switch (token.type) {
    case TokenType::kString:
      return ConstantExpression::String(Advance().text, position);
    case TokenType::kInteger:
    case TokenType::kDecimal:
    case TokenType::kFloat: {
      ExpressionPtr constant = ParseConstant();
      return std::unique_ptr<ConstantExpression>(
          static_cast<ConstantExpression*>(constant.release()));
    }
    case TokenType::kOperator: {
      bool sign = token.text == "-" || token.text == "+";
      TokenType next = Peek(1).type;
      if (!sign || !(next == TokenType::kInteger || next == TokenType::kDecimal ||
                     next == TokenType::kFloat)) {
        ErrorAt(token);
      }
      bool minus = token.text == "-";
      Advance();
      const Token& number = Advance();
      ConstantKind kind = number.type == TokenType::kInteger   ? ConstantKind::kInteger
                          : number.type == TokenType::kDecimal ? ConstantKind::kDecimal
                                                               : ConstantKind::kFloat;
      return std::make_unique<ConstantExpression>(kind, (minus ? "-" : "") + number.text, position);
    }
    case TokenType::kWord:
      if (token.text == "true" || token.text == "false") {
        return ConstantExpression::Boolean(Advance().text == "true", position);
      }
      return ConstantExpression::String(Advance().text, position);
    case TokenType::kQuotedIdentifier:
      return ConstantExpression::String(Advance().text, position);
    default:
      ErrorAt(token);
  }
}

}  // namespace basalt::sql
