#include "sql/keywords.h"

#include <gtest/gtest.h>

namespace basalt::sql {
namespace {

TEST(KeywordsTest, Reserved) {
  for (const char* word : {"all", "select", "from", "where", "join", "left", "with", "null"}) {
    EXPECT_TRUE(IsReservedKeyword(word)) << word;
    EXPECT_TRUE(IsNonAliasKeyword(word)) << word;
  }
  for (const char* word : {"year", "date", "value", "name", "extract", "between", "over"}) {
    EXPECT_FALSE(IsReservedKeyword(word)) << word;
  }
  for (const char* word : {"between", "over", "filter", "nulls", "escape"}) {
    EXPECT_TRUE(IsNonAliasKeyword(word)) << word;
  }
  EXPECT_FALSE(IsNonAliasKeyword("total"));
}

TEST(KeywordsTest, QuoteIdentifier) {
  EXPECT_EQ(QuoteIdentifier("l_quantity"), "l_quantity");
  EXPECT_EQ(QuoteIdentifier("Mixed"), "\"Mixed\"");
  EXPECT_EQ(QuoteIdentifier("select"), "\"select\"");
  EXPECT_EQ(QuoteIdentifier("a b"), "\"a b\"");
  EXPECT_EQ(QuoteIdentifier("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(QuoteIdentifier("1st"), "\"1st\"");
  EXPECT_EQ(QuoteIdentifier(""), "\"\"");
  EXPECT_EQ(ToUpperAscii("update"), "UPDATE");
}

}  // namespace
}  // namespace basalt::sql
