// Tokens: the lexer's output and the parser's input.
#pragma once

#include <cstdint>
#include <string>

namespace basalt::sql {

enum class TokenType : uint8_t {
  kWord,              // unquoted identifier or keyword; text is folded to lowercase
  kQuotedIdentifier,  // "double quoted"; text keeps its case, "" becomes "
  kString,            // 'single quoted'; text is the value, '' becomes '
  kInteger,           // digits only; text is the source spelling
  kDecimal,           // digits with a '.', no exponent (1.5, .5, 1.)
  kFloat,             // has an exponent (1e10, 2.5E-3)
  kParameter,         // $n; text holds the digits
  kOperator,          // punctuation and operators; text is the source spelling
  kEnd,               // end of input; position is the input length
};

// One lexical unit. Positions are byte offsets into the whole input string so
// that every error in a multi-statement script points at the right place.
struct Token {
  TokenType type = TokenType::kEnd;
  std::string text;
  int32_t position = 0;
  int32_t length = 0;

  int32_t end() const { return position + length; }
};

}  // namespace basalt::sql
