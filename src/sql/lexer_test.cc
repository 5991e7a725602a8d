#include "sql/lexer.h"

#include <gtest/gtest.h>

#include <string>

#include "common/exception.h"

namespace basalt::sql {
namespace {

std::vector<TokenType> Types(const std::vector<Token>& tokens) {
  std::vector<TokenType> types;
  for (const auto& t : tokens) types.push_back(t.type);
  return types;
}

int32_t ErrorPosition(std::string_view sql, std::string* message = nullptr) {
  try {
    Tokenize(sql);
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kSyntaxError);
    if (message) *message = e.what();
    return e.position();
  }
  ADD_FAILURE() << "no error for " << sql;
  return -2;
}

TEST(LexerTest, WordsFoldToLowercase) {
  auto tokens = Tokenize("SeLeCt Foo_1 \"MiXed\"");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].type, TokenType::kWord);
  EXPECT_EQ(tokens[0].text, "select");
  EXPECT_EQ(tokens[1].text, "foo_1");
  EXPECT_EQ(tokens[2].type, TokenType::kQuotedIdentifier);
  EXPECT_EQ(tokens[2].text, "MiXed");
  EXPECT_EQ(tokens[2].position, 13);
  EXPECT_EQ(tokens[2].length, 7);
  EXPECT_EQ(tokens[3].type, TokenType::kEnd);
  EXPECT_EQ(tokens[3].position, 20);
}

TEST(LexerTest, QuotedIdentifierEscape) {
  auto tokens = Tokenize(R"("a""b")");
  EXPECT_EQ(tokens[0].text, "a\"b");
  EXPECT_EQ(tokens[0].length, 6);
}

TEST(LexerTest, StringLiteral) {
  auto tokens = Tokenize("'it''s' ''");
  EXPECT_EQ(tokens[0].type, TokenType::kString);
  EXPECT_EQ(tokens[0].text, "it's");
  EXPECT_EQ(tokens[0].length, 7);
  EXPECT_EQ(tokens[1].text, "");
}

TEST(LexerTest, Numbers) {
  auto tokens = Tokenize("1 123456789012345678901234567890 1.5 .5 1. 1e10 2.5E-3 7e+2");
  std::vector<TokenType> expected = {TokenType::kInteger, TokenType::kInteger, TokenType::kDecimal,
                                     TokenType::kDecimal, TokenType::kDecimal, TokenType::kFloat,
                                     TokenType::kFloat,   TokenType::kFloat,   TokenType::kEnd};
  EXPECT_EQ(Types(tokens), expected);
  EXPECT_EQ(tokens[1].text, "123456789012345678901234567890");
  EXPECT_EQ(tokens[3].text, ".5");
  EXPECT_EQ(tokens[4].text, "1.");
  EXPECT_EQ(tokens[6].text, "2.5E-3");
}

TEST(LexerTest, QualifiedNameIsNotANumber) {
  auto tokens = Tokenize("t.a");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[1].text, ".");
}

TEST(LexerTest, Operators) {
  auto tokens = Tokenize("<> != <= >= || :: => + - * / % = < > ( ) , . ;");
  std::vector<std::string> texts;
  for (const auto& t : tokens) {
    if (t.type == TokenType::kOperator) texts.push_back(t.text);
  }
  std::vector<std::string> expected = {"<>", "!=", "<=", ">=", "||", "::", "=>", "+", "-", "*",
                                       "/",  "%",  "=",  "<",  ">",  "(",  ")",  ",", ".", ";"};
  EXPECT_EQ(texts, expected);
}

TEST(LexerTest, LessThanMinusIsTwoOperators) {
  auto tokens = Tokenize("a<-1");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[1].text, "<");
  EXPECT_EQ(tokens[2].text, "-");
}

TEST(LexerTest, Parameters) {
  auto tokens = Tokenize("$1 + $12");
  EXPECT_EQ(tokens[0].type, TokenType::kParameter);
  EXPECT_EQ(tokens[0].text, "1");
  EXPECT_EQ(tokens[2].text, "12");
  EXPECT_EQ(tokens[2].length, 3);
}

TEST(LexerTest, Comments) {
  auto tokens = Tokenize("select -- a comment\n 1 /* block /* nested */ still */ + 2 --end");
  std::vector<TokenType> expected = {TokenType::kWord, TokenType::kInteger, TokenType::kOperator,
                                     TokenType::kInteger, TokenType::kEnd};
  EXPECT_EQ(Types(tokens), expected);
  EXPECT_EQ(tokens[1].position, 21);
}

TEST(LexerTest, NonAsciiIdentifier) {
  auto tokens = Tokenize("SELECT prénom");
  EXPECT_EQ(tokens[1].type, TokenType::kWord);
  EXPECT_EQ(tokens[1].text, "prénom");
}

TEST(LexerTest, Errors) {
  std::string message;
  EXPECT_EQ(ErrorPosition("SELECT 'abc", &message), 7);
  EXPECT_EQ(message, "unterminated quoted string");
  EXPECT_EQ(ErrorPosition("SELECT \"abc", &message), 7);
  EXPECT_EQ(message, "unterminated quoted identifier");
  EXPECT_EQ(ErrorPosition("SELECT 1 /* open /* nested */", &message), 9);
  EXPECT_EQ(message, "unterminated /* comment");
  EXPECT_EQ(ErrorPosition("SELECT \"\"", &message), 7);
  EXPECT_NE(message.find("zero-length delimited identifier"), std::string::npos);
  EXPECT_EQ(ErrorPosition("SELECT 12abc", &message), 7);
  EXPECT_EQ(message, "trailing junk after numeric literal at or near \"12abc\"");
  EXPECT_EQ(ErrorPosition("SELECT 1e", &message), 7);
  EXPECT_EQ(ErrorPosition("SELECT a ? b", &message), 9);
  EXPECT_EQ(message, "syntax error at or near \"?\"");
  EXPECT_EQ(ErrorPosition("SELECT $", &message), 7);
}

TEST(LexerTest, UnicodeEscapes) {
  // \uXXXX and \UXXXXXXXX in E'' strings are code points, written in UTF-8;
  // a surrogate pair is one code point.
  auto tokens = Tokenize(R"(E'caf\u00e9' E'\U0001F600!' E'\uD83D\uDE00' E'\u0041\u00E9x')");
  EXPECT_EQ(tokens[0].text, "caf\xC3\xA9");
  EXPECT_EQ(tokens[1].text, "\xF0\x9F\x98\x80!");
  EXPECT_EQ(tokens[2].text, "\xF0\x9F\x98\x80");
  EXPECT_EQ(tokens[3].text, "A\xC3\xA9x");
  // Outside E'' a backslash is an ordinary character.
  EXPECT_EQ(Tokenize(R"('\u00e9')")[0].text, "\\u00e9");
}

TEST(LexerTest, InvalidUnicodeEscapes) {
  struct Case {
    const char* sql;
    int32_t position;
    const char* message;
  };
  const Case cases[] = {
      {R"(SELECT E'ab\u00')", 11,
       "invalid Unicode escape: Unicode escapes must be \\uXXXX or \\UXXXXXXXX"},
      {R"(SELECT E'\u12g4')", 9,
       "invalid Unicode escape: Unicode escapes must be \\uXXXX or \\UXXXXXXXX"},
      {R"(SELECT E'\U0000FFF')", 9,
       "invalid Unicode escape: Unicode escapes must be \\uXXXX or \\UXXXXXXXX"},
      {R"(SELECT E'x\U00110000')", 10, "invalid Unicode escape value"},
      {R"(SELECT E'\u0000')", 9, "invalid Unicode escape value"},
      {R"(SELECT E'\uDE00')", 9, "invalid Unicode surrogate pair"},
      {R"(SELECT E'\uD83Dx')", 15, "invalid Unicode surrogate pair"},
      {R"(SELECT E'\uD83D\u0041')", 15, "invalid Unicode surrogate pair"},
  };
  for (const Case& c : cases) {
    try {
      Tokenize(c.sql);
      ADD_FAILURE() << "no error for " << c.sql;
    } catch (const BasaltError& e) {
      EXPECT_STREQ(e.code(), sqlstate::kInvalidEscapeSequence) << c.sql;
      EXPECT_EQ(e.position(), c.position) << c.sql;
      EXPECT_EQ(std::string(e.what()), c.message) << c.sql;
    }
  }
}

TEST(LexerTest, EmptyInput) {
  auto tokens = Tokenize("  -- nothing\n");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].type, TokenType::kEnd);
  EXPECT_EQ(tokens[0].position, 13);
}

}  // namespace
}  // namespace basalt::sql
