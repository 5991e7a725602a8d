// INSERT and COPY statements.
#include <string>

#include "common/exception.h"
#include "sql/parser_impl.h"

namespace basalt::sql {
namespace {

// In the old COPY syntax these words alone select the file format.
bool IsFormatWord(std::string_view word) {
  return word == "csv" || word == "binary" || word == "text" || word == "parquet" || word == "json";
}

}  // namespace

StatementPtr Parser::ParseInsert() {
  Advance();
  auto statement = std::make_unique<InsertStatement>();
  if (AcceptKeyword("overwrite")) {
    statement->overwrite = true;
    if (!AcceptKeyword("table")) AcceptKeyword("into");
  } else {
    ExpectKeyword("into");
  }
  statement->table = ParseQualifiedName();
  // "(" starts either the column list or a parenthesised query.
  if (PeekOperator("(") && !PeekQueryStart()) statement->columns = ParseParenthesizedNames();
  if (PeekKeyword("default")) Unsupported(Peek(), "INSERT ... DEFAULT VALUES");
  statement->query = ParseQuery();
  if (PeekKeyword("on")) Unsupported(Peek(), "INSERT ... ON CONFLICT");
  if (PeekKeyword("returning")) Unsupported(Peek(), "RETURNING");
  return statement;
}

StatementPtr Parser::ParseCopy() {
  Advance();
  auto statement = std::make_unique<CopyStatement>();
  if (AcceptOperator("(")) {
    statement->query = ParseQuery();
    ExpectOperator(")");
    ExpectKeyword("to");
  } else {
    statement->table = ParseQualifiedName();
    if (PeekOperator("(")) statement->columns = ParseParenthesizedNames();
    if (AcceptKeyword("from")) {
      statement->is_from = true;
    } else {
      ExpectKeyword("to");
    }
  }
  const Token& target = Peek();
  if (target.type == TokenType::kString) {
    statement->path = Advance().text;
  } else if (PeekKeyword("stdin") || PeekKeyword("stdout") || PeekKeyword("program")) {
    Unsupported(target, "COPY " + std::string(statement->is_from ? "FROM " : "TO ") +
                            (target.text == "stdin"    ? "STDIN"
                             : target.text == "stdout" ? "STDOUT"
                                                       : "PROGRAM"));
  } else {
    ErrorAt(target);
  }
  ParseCopyOptions(*statement);
  return statement;
}

void Parser::ParseCopyOptions(CopyStatement& copy) {
  AcceptKeyword("with");
  if (AcceptOperator("(")) {
    do {
      CopyOption option;
      option.position = Peek().position;
      option.name = ParseLabel();
      if (!PeekOperator(",") && !PeekOperator(")")) option.value = ParseOptionValue();
      copy.options.push_back(std::move(option));
    } while (AcceptOperator(","));
    ExpectOperator(")");
    return;
  }
  // Old form: DELIMITER [AS] '|' NULL [AS] '' CSV HEADER QUOTE [AS] '"' ...
  while (Peek().type == TokenType::kWord) {
    CopyOption option;
    option.position = Peek().position;
    std::string word = Advance().text;
    if (IsFormatWord(word)) {
      option.name = "format";
      option.value = ConstantExpression::String(word, option.position);
    } else {
      option.name = std::move(word);
      AcceptKeyword("as");
      const Token& next = Peek();
      bool has_value = next.type == TokenType::kString || next.type == TokenType::kInteger ||
                       next.type == TokenType::kDecimal || next.type == TokenType::kFloat ||
                       PeekKeyword("true") || PeekKeyword("false") || PeekOperator("-") ||
                       PeekOperator("+");
      if (has_value) option.value = ParseOptionValue();
    }
    copy.options.push_back(std::move(option));
  }
}

}  // namespace basalt::sql
