#include "shell/statement_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace basalt {
namespace {

using Statements = std::vector<std::string>;

Statements Split(std::string_view text) { return StatementSplitter::SplitAll(text); }

TEST(StatementSplitterTest, SplitsAtSemicolons) {
  EXPECT_EQ(Split("select 1; select 2;"), (Statements{"select 1;", "select 2;"}));
  EXPECT_EQ(Split("  select 1 ;\n\n select\n 2;  "), (Statements{"select 1 ;", "select\n 2;"}));
}

TEST(StatementSplitterTest, KeepsTextAfterLastSemicolon) {
  EXPECT_EQ(Split("select 1; select 2"), (Statements{"select 1;", "select 2"}));
  EXPECT_EQ(Split("select 1\n"), (Statements{"select 1"}));
}

TEST(StatementSplitterTest, SkipsEmptyStatements) {
  EXPECT_EQ(Split(";;  ; select 1;;"), (Statements{"select 1;"}));
  EXPECT_EQ(Split("-- only a comment;\n/* and another; */ ;"), Statements{});
  EXPECT_EQ(Split(""), Statements{});
  EXPECT_EQ(Split("   \n\t "), Statements{});
}

TEST(StatementSplitterTest, IgnoresSemicolonsInStrings) {
  EXPECT_EQ(Split("select 'a;b'; select 2;"), (Statements{"select 'a;b';", "select 2;"}));
  EXPECT_EQ(Split("select 'it''s;'; select 2;"), (Statements{"select 'it''s;';", "select 2;"}));
  EXPECT_EQ(Split("select '';"), (Statements{"select '';"}));
}

TEST(StatementSplitterTest, EscapeStringsTakeBackslashes) {
  EXPECT_EQ(Split(R"(select E'it\'s;'; select 2;)"),
            (Statements{R"(select E'it\'s;';)", "select 2;"}));
  EXPECT_EQ(Split(R"(select e'\\'; select 2;)"), (Statements{R"(select e'\\';)", "select 2;"}));
  // A plain string ending in a backslash is not an escape string.
  EXPECT_EQ(Split(R"(select 'a\'; select 2;)"), (Statements{R"(select 'a\';)", "select 2;"}));
  // `name'...'` is not E'...' just because the name ends in e.
  EXPECT_EQ(Split(R"(select type'\'; select 2;)"), (Statements{R"(select type'\';)", "select 2;"}));
}

TEST(StatementSplitterTest, IgnoresSemicolonsInQuotedIdentifiers) {
  EXPECT_EQ(Split(R"(select 1 as "a;""b"; select 2;)"),
            (Statements{R"(select 1 as "a;""b";)", "select 2;"}));
}

TEST(StatementSplitterTest, IgnoresSemicolonsInComments) {
  EXPECT_EQ(Split("select 1 -- one; two\n, 2; select 3;"),
            (Statements{"select 1 -- one; two\n, 2;", "select 3;"}));
  EXPECT_EQ(Split("select /* a; b */ 1; select 2;"),
            (Statements{"select /* a; b */ 1;", "select 2;"}));
  EXPECT_EQ(Split("select /* a /* nested; */ still; */ 1; select 2;"),
            (Statements{"select /* a /* nested; */ still; */ 1;", "select 2;"}));
}

TEST(StatementSplitterTest, LeadingCommentsAreNotPartOfTheStatement) {
  EXPECT_EQ(Split("-- load the data\n/* two */ insert into t values (1);"),
            (Statements{"insert into t values (1);"}));
}

TEST(StatementSplitterTest, MinusAndSlashAreOperators) {
  EXPECT_EQ(Split("select 3-1; select 4/2;select 5 -"),
            (Statements{"select 3-1;", "select 4/2;", "select 5 -"}));
}

TEST(StatementSplitterTest, DollarQuotedStrings) {
  EXPECT_EQ(Split("select $$a;b$$; select 2;"), (Statements{"select $$a;b$$;", "select 2;"}));
  EXPECT_EQ(Split("select $fn$ $$; $fn$; select 2;"),
            (Statements{"select $fn$ $$; $fn$;", "select 2;"}));
  // Positional parameters and `$` inside names do not open a string.
  EXPECT_EQ(Split("select $1; select a$b; select 2;"),
            (Statements{"select $1;", "select a$b;", "select 2;"}));
}

TEST(StatementSplitterTest, UnterminatedTextIsHandedOver) {
  EXPECT_EQ(Split("select 'abc; select 2;"), (Statements{"select 'abc; select 2;"}));
  EXPECT_EQ(Split("select 1; /* open; comment"), (Statements{"select 1;", "/* open; comment"}));
  EXPECT_EQ(Split("select 1; -- trailing comment"), (Statements{"select 1;"}));
}

TEST(StatementSplitterTest, WaitsForTheSemicolonAcrossAppends) {
  StatementSplitter splitter;
  splitter.Append("select\n");
  EXPECT_FALSE(splitter.Next());
  EXPECT_FALSE(splitter.AtStatementStart());
  splitter.Append("  1 + 'x;\n");
  EXPECT_FALSE(splitter.Next());
  splitter.Append("y';  select 2;\n");
  auto first = splitter.Next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->text, "select\n  1 + 'x;\ny';");
  EXPECT_EQ(first->line, 1);
  auto second = splitter.Next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->text, "select 2;");
  EXPECT_EQ(second->line, 3);
  EXPECT_FALSE(splitter.Next());
  EXPECT_TRUE(splitter.AtStatementStart());
  EXPECT_FALSE(splitter.Finish());
}

TEST(StatementSplitterTest, PairsSplitAcrossAppendsAreSeenWhole) {
  // Input that stops between the two characters of `--`, `/*`, `''` or `$$`.
  const std::string text = "select 1 -- c;\n, 'a''b;' , $$x;$$ /* c; */; select 2;";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    StatementSplitter splitter;
    Statements got;
    splitter.Append(text.substr(0, cut));
    while (auto s = splitter.Next()) got.push_back(s->text);
    splitter.Append(text.substr(cut));
    while (auto s = splitter.Next()) got.push_back(s->text);
    if (auto s = splitter.Finish()) got.push_back(s->text);
    EXPECT_EQ(got, (Statements{"select 1 -- c;\n, 'a''b;' , $$x;$$ /* c; */;", "select 2;"}))
        << "cut at " << cut;
  }
}

TEST(StatementSplitterTest, ReportsTheLineWhereEachStatementStarts) {
  StatementSplitter splitter;
  splitter.Append("\n-- header\nselect 1;\n\nselect\n'a\nb'; select 3;\n");
  std::vector<int> lines;
  while (auto s = splitter.Next()) lines.push_back(s->line);
  EXPECT_EQ(lines, (std::vector<int>{3, 5, 7}));
}

TEST(StatementSplitterTest, SkippedLinesKeepTheCount) {
  StatementSplitter splitter;
  splitter.Append("select 1;\n");
  ASSERT_TRUE(splitter.Next());
  ASSERT_FALSE(splitter.Next());
  ASSERT_TRUE(splitter.AtStatementStart());
  splitter.SkipLine();  // e.g. `.mode csv`
  splitter.Append("select 2;\n");
  auto s = splitter.Next();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->line, 3);
}

TEST(StatementSplitterTest, AtStatementStartInsideComments) {
  StatementSplitter splitter;
  splitter.Append("/* open\n");
  EXPECT_FALSE(splitter.Next());
  EXPECT_FALSE(splitter.AtStatementStart());
  splitter.Append("closed */ -- more\n");
  EXPECT_FALSE(splitter.Next());
  EXPECT_TRUE(splitter.AtStatementStart());
}

TEST(StatementSplitterTest, ClearDropsAPartialStatement) {
  StatementSplitter splitter;
  splitter.Append("select 'never closed\n");
  EXPECT_FALSE(splitter.Next());
  splitter.Clear();
  EXPECT_TRUE(splitter.AtStatementStart());
  splitter.Append("select 1;\n");
  auto s = splitter.Next();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->text, "select 1;");
}

TEST(StatementSplitterTest, Utf8PassesThrough) {
  EXPECT_EQ(Split("select 'héllo;wörld', \"名前;\"; select 2;"),
            (Statements{"select 'héllo;wörld', \"名前;\";", "select 2;"}));
}

}  // namespace
}  // namespace basalt
