#include "sql/lexer.h"

#include <cstdint>
#include <limits>
#include <string>

#include "common/exception.h"

namespace basalt::sql {
namespace {

// Character classes are spelled out instead of using <cctype> so that the
// result never depends on the process locale.
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Bytes >= 0x80 belong to UTF-8 sequences; PostgreSQL lets them form
// identifiers, which keeps non-ASCII column names usable without quotes.
bool IsIdentifierStart(char c) {
  return IsLetter(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || IsDigit(c) || c == '$'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Operators of two characters are matched before single characters.
constexpr std::string_view kThreeCharOperators[] = {"!~*"};
constexpr std::string_view kTwoCharOperators[] = {"<>", "!=", "<=", ">=", "||", "::", "=>", "!~", "~*"};
constexpr std::string_view kOneCharOperators = "+-*/%=<>(),.;~[]";

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipWhitespaceAndComments();
      if (pos_ >= sql_.size()) break;
      tokens.push_back(Next());
    }
    Token end;
    end.type = TokenType::kEnd;
    end.position = static_cast<int32_t>(sql_.size());
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  char At(size_t i) const { return i < sql_.size() ? sql_[i] : '\0'; }

  Token Make(TokenType type, size_t start, std::string text) const {
    Token token;
    token.type = type;
    token.text = std::move(text);
    token.position = static_cast<int32_t>(start);
    token.length = static_cast<int32_t>(pos_ - start);
    return token;
  }

  void SkipWhitespaceAndComments() {
    while (pos_ < sql_.size()) {
      char c = sql_[pos_];
      if (IsSpace(c)) {
        ++pos_;
      } else if (c == '-' && At(pos_ + 1) == '-') {
        while (pos_ < sql_.size() && sql_[pos_] != '\n') ++pos_;
      } else if (c == '/' && At(pos_ + 1) == '*') {
        SkipBlockComment();
      } else {
        return;
      }
    }
  }

  void SkipBlockComment() {
    size_t start = pos_;
    pos_ += 2;
    int depth = 1;
    while (pos_ < sql_.size()) {
      if (sql_[pos_] == '/' && At(pos_ + 1) == '*') {
        ++depth;
        pos_ += 2;
      } else if (sql_[pos_] == '*' && At(pos_ + 1) == '/') {
        pos_ += 2;
        if (--depth == 0) return;
      } else {
        ++pos_;
      }
    }
    ThrowErrorAt(sqlstate::kSyntaxError, static_cast<int32_t>(start), "unterminated /* comment");
  }

  Token Next() {
    char c = sql_[pos_];
    if ((c == 'e' || c == 'E') && At(pos_ + 1) == '\'') return LexEscapeString();
    if (IsIdentifierStart(c)) return LexWord();
    if (IsDigit(c) || (c == '.' && IsDigit(At(pos_ + 1)))) return LexNumber();
    if (c == '\'') return LexString();
    if (c == '"') return LexQuotedIdentifier();
    if (c == '$' && IsDigit(At(pos_ + 1))) return LexParameter();
    return LexOperator();
  }

  Token LexWord() {
    size_t start = pos_;
    std::string text;
    while (pos_ < sql_.size() && IsIdentifierChar(sql_[pos_])) {
      text.push_back(ToLowerAscii(sql_[pos_]));
      ++pos_;
    }
    return Make(TokenType::kWord, start, std::move(text));
  }

  // Reads a literal delimited by `quote` in which a doubled quote stands for
  // one; returns the unescaped body. `what` names the literal in the error.
  std::string ReadQuoted(char quote, const char* what) {
    size_t start = pos_;
    ++pos_;
    std::string body;
    while (true) {
      if (pos_ >= sql_.size()) {
        ThrowErrorAt(sqlstate::kSyntaxError, static_cast<int32_t>(start), "unterminated {}", what);
      }
      char c = sql_[pos_++];
      if (c == quote) {
        if (At(pos_) != quote) break;
        ++pos_;
      }
      body.push_back(c);
    }
    return body;
  }

  Token LexString() {
    size_t start = pos_;
    std::string body = ReadQuoted('\'', "quoted string");
    return Make(TokenType::kString, start, std::move(body));
  }

  // E'...': PostgreSQL's escape string constant. Backslash escapes \n \t
  // \r \b \f, octal \ooo, hex \xhh and any other character as itself
  // (\\, \'); a doubled quote is a quote.
  Token LexEscapeString() {
    size_t start = pos_;
    ++pos_;  // the E
    ++pos_;  // the opening quote
    std::string body;
    while (true) {
      if (pos_ >= sql_.size()) {
        ThrowErrorAt(sqlstate::kSyntaxError, static_cast<int32_t>(start),
                     "unterminated quoted string");
      }
      char c = sql_[pos_++];
      if (c == '\'') {
        if (At(pos_) != '\'') break;
        ++pos_;
        body.push_back('\'');
      } else if (c == '\\' && pos_ < sql_.size()) {
        body.push_back(ReadBackslashEscape());
      } else {
        body.push_back(c);
      }
    }
    return Make(TokenType::kString, start, std::move(body));
  }

  // The character after a backslash in an E'' string (pos_ is just past the
  // backslash).
  char ReadBackslashEscape() {
    char c = sql_[pos_++];
    auto digit_value = [](char d, int base) {
      if (d >= '0' && d <= '9' && d - '0' < base) return d - '0';
      if (base == 16 && d >= 'a' && d <= 'f') return d - 'a' + 10;
      if (base == 16 && d >= 'A' && d <= 'F') return d - 'A' + 10;
      return -1;
    };
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'x': {
        int value = 0;
        int digits = 0;
        while (digits < 2 && digit_value(At(pos_), 16) >= 0) {
          value = value * 16 + digit_value(sql_[pos_++], 16);
          digits++;
        }
        return digits == 0 ? 'x' : static_cast<char>(value);
      }
      default:
        if (digit_value(c, 8) >= 0) {
          int value = digit_value(c, 8);
          for (int digits = 1; digits < 3 && digit_value(At(pos_), 8) >= 0; digits++) {
            value = value * 8 + digit_value(sql_[pos_++], 8);
          }
          return static_cast<char>(value);
        }
        return c;
    }
  }

  Token LexQuotedIdentifier() {
    size_t start = pos_;
    std::string body = ReadQuoted('"', "quoted identifier");
    if (body.empty()) {
      ThrowErrorAt(sqlstate::kSyntaxError, static_cast<int32_t>(start),
                   "zero-length delimited identifier at or near \"\"\"\"");
    }
    return Make(TokenType::kQuotedIdentifier, start, std::move(body));
  }

  Token LexNumber() {
    size_t start = pos_;
    TokenType type = TokenType::kInteger;
    while (IsDigit(At(pos_))) ++pos_;
    if (At(pos_) == '.') {
      type = TokenType::kDecimal;
      ++pos_;
      while (IsDigit(At(pos_))) ++pos_;
    }
    char e = At(pos_);
    if (e == 'e' || e == 'E') {
      size_t digits = pos_ + 1;
      if (At(digits) == '+' || At(digits) == '-') ++digits;
      if (IsDigit(At(digits))) {
        type = TokenType::kFloat;
        pos_ = digits;
        while (IsDigit(At(pos_))) ++pos_;
      }
    }
    // "123abc" or "1e" is almost always a typo; PostgreSQL 15 rejects it too
    // rather than reading the letters as an alias.
    if (pos_ < sql_.size() && IsIdentifierChar(sql_[pos_])) {
      size_t junk_end = pos_;
      while (junk_end < sql_.size() && IsIdentifierChar(sql_[junk_end])) ++junk_end;
      ThrowErrorAt(sqlstate::kSyntaxError, static_cast<int32_t>(start),
                   "trailing junk after numeric literal at or near \"{}\"",
                   sql_.substr(start, junk_end - start));
    }
    return Make(type, start, std::string(sql_.substr(start, pos_ - start)));
  }

  Token LexParameter() {
    size_t start = pos_;
    ++pos_;
    while (IsDigit(At(pos_))) ++pos_;
    return Make(TokenType::kParameter, start,
                std::string(sql_.substr(start + 1, pos_ - start - 1)));
  }

  Token LexOperator() {
    size_t start = pos_;
    std::string_view rest = sql_.substr(pos_);
    for (std::string_view op : kThreeCharOperators) {
      if (rest.substr(0, 3) == op) {
        pos_ += 3;
        return Make(TokenType::kOperator, start, std::string(op));
      }
    }
    for (std::string_view op : kTwoCharOperators) {
      if (rest.substr(0, 2) == op) {
        pos_ += 2;
        return Make(TokenType::kOperator, start, std::string(op));
      }
    }
    if (kOneCharOperators.find(rest[0]) != std::string_view::npos) {
      ++pos_;
      return Make(TokenType::kOperator, start, std::string(1, rest[0]));
    }
    ThrowErrorAt(sqlstate::kSyntaxError, static_cast<int32_t>(start),
                 "syntax error at or near \"{}\"", rest.substr(0, 1));
  }

  std::string_view sql_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view sql) {
  if (sql.size() >= static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    ThrowError(sqlstate::kProgramLimitExceeded, "query text of {} bytes is too long", sql.size());
  }
  return Lexer(sql).Run();
}

}  // namespace basalt::sql
