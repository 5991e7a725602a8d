#include "sql/lexer.h"

#include <cstdint>
#include <limits>
#include <string>

#include "common/exception.h"
#include "common/utf8.h"

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
// "{", "}" and ":" serve struct literals ({'a': 1}) and DuckDB's name := value.
constexpr std::string_view kOneCharOperators = "+-*/%=<>(),.;~[]{}:";

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
  // \r \b \f, octal \ooo, hex \xhh, Unicode \uXXXX and \UXXXXXXXX (in
  // UTF-8) and any other character as itself (\\, \'); a doubled quote is
  // a quote.
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
        AppendBackslashEscape(body);
      } else {
        body.push_back(c);
      }
    }
    return Make(TokenType::kString, start, std::move(body));
  }

  static int DigitValue(char d, int base) {
    if (d >= '0' && d <= '9' && d - '0' < base) return d - '0';
    if (base == 16 && d >= 'a' && d <= 'f') return d - 'a' + 10;
    if (base == 16 && d >= 'A' && d <= 'F') return d - 'A' + 10;
    return -1;
  }

  // Appends what a backslash escape in an E'' string stands for (pos_ is
  // just past the backslash).
  void AppendBackslashEscape(std::string& body) {
    if (At(pos_) == 'u' || At(pos_) == 'U') {
      AppendUnicodeEscape(body);
    } else {
      body.push_back(ReadBackslashEscape());
    }
  }

  // \uXXXX or \UXXXXXXXX (pos_ at the u or U; the backslash is before it):
  // appends the code point in UTF-8. A UTF-16 surrogate pair written as two
  // escapes is one code point, as in PostgreSQL. Errors are 22025 at the
  // escape.
  void AppendUnicodeEscape(std::string& body) {
    const int32_t start = static_cast<int32_t>(pos_ - 1);
    char32_t cp = ReadUnicodeEscapeDigits(start);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      // A high surrogate: the low half must follow at once.
      const int32_t second = static_cast<int32_t>(pos_);
      if (At(pos_) != '\\' || (At(pos_ + 1) != 'u' && At(pos_ + 1) != 'U')) {
        ThrowErrorAt(sqlstate::kInvalidEscapeSequence, second, "invalid Unicode surrogate pair");
      }
      ++pos_;
      char32_t low = ReadUnicodeEscapeDigits(second);
      if (low < 0xDC00 || low > 0xDFFF) {
        ThrowErrorAt(sqlstate::kInvalidEscapeSequence, second, "invalid Unicode surrogate pair");
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      ThrowErrorAt(sqlstate::kInvalidEscapeSequence, start, "invalid Unicode surrogate pair");
    }
    if (cp == 0 || cp > 0x10FFFF) {
      ThrowErrorAt(sqlstate::kInvalidEscapeSequence, start, "invalid Unicode escape value");
    }
    char utf8[4];
    body.append(utf8, static_cast<size_t>(Utf8Encode(cp, utf8)));
  }

  // The hex digits after u (4) or U (8) at pos_; `start` is the escape's
  // position for the error when they are missing.
  char32_t ReadUnicodeEscapeDigits(int32_t start) {
    const int digits = sql_[pos_++] == 'u' ? 4 : 8;
    char32_t value = 0;  // 8 hex digits fit
    for (int i = 0; i < digits; i++) {
      int d = DigitValue(At(pos_), 16);
      if (d < 0) {
        ThrowErrorAt(sqlstate::kInvalidEscapeSequence, start,
                     "invalid Unicode escape: Unicode escapes must be \\uXXXX or \\UXXXXXXXX");
      }
      value = value * 16 + static_cast<char32_t>(d);
      ++pos_;
    }
    return value;
  }

  // The character after a backslash in an E'' string (pos_ is just past the
  // backslash).
  char ReadBackslashEscape() {
    char c = sql_[pos_++];
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
        while (digits < 2 && DigitValue(At(pos_), 16) >= 0) {
          value = value * 16 + DigitValue(sql_[pos_++], 16);
          digits++;
        }
        return digits == 0 ? 'x' : static_cast<char>(value);
      }
      default:
        if (DigitValue(c, 8) >= 0) {
          int value = DigitValue(c, 8);
          for (int digits = 1; digits < 3 && DigitValue(At(pos_), 8) >= 0; digits++) {
            value = value * 8 + DigitValue(sql_[pos_++], 8);
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
