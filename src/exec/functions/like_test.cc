#include <gtest/gtest.h>

#include <string>

#include "exec/functions/function_errors.h"
#include "exec/functions/function_test_util.h"
#include "exec/functions/like_matcher.h"

namespace basalt {
namespace {

using namespace testing_util;

bool Like(const std::string& text, const std::string& pattern, const std::string& escape = "\\") {
  return LikeMatcher(pattern, escape, false).Matches(text);
}

bool ILike(const std::string& text, const std::string& pattern) {
  return LikeMatcher(pattern, "\\", true).Matches(text);
}

TEST(LikeMatcherTest, FastShapes) {
  EXPECT_TRUE(Like("abc", "abc"));
  EXPECT_FALSE(Like("abcd", "abc"));
  EXPECT_TRUE(Like("abcdef", "abc%"));
  EXPECT_FALSE(Like("xabc", "abc%"));
  EXPECT_TRUE(Like("xxabc", "%abc"));
  EXPECT_FALSE(Like("abcx", "%abc"));
  EXPECT_TRUE(Like("xxabcxx", "%abc%"));
  EXPECT_FALSE(Like("xxabxcxx", "%abc%"));
  EXPECT_TRUE(Like("", "%"));
  EXPECT_TRUE(Like("anything", "%%"));
  EXPECT_TRUE(Like("", ""));
  EXPECT_FALSE(Like("a", ""));
}

TEST(LikeMatcherTest, Segments) {
  EXPECT_TRUE(Like("special requests here", "%special%requests%"));
  EXPECT_FALSE(Like("requests special", "%special%requests%"));
  EXPECT_TRUE(Like("abc", "a%c"));
  EXPECT_FALSE(Like("a", "a%a"));
  EXPECT_TRUE(Like("aa", "a%a"));
  EXPECT_TRUE(Like("abXcdYab", "ab%cd%ab"));
  EXPECT_FALSE(Like("abXcdY", "ab%cd%ab"));
  EXPECT_TRUE(Like("abc", "a%c%"));
}

TEST(LikeMatcherTest, UnderscoreMatchesOneUtf8Character) {
  EXPECT_TRUE(Like("héllo", "h_llo"));
  EXPECT_FALSE(Like("héllo", "h__llo"));
  EXPECT_TRUE(Like("日本語", "___"));
  EXPECT_TRUE(Like("日本語", "_本%"));
  EXPECT_TRUE(Like("xaybz", "%a_b%"));
  EXPECT_FALSE(Like("ab", "a_b"));
  EXPECT_TRUE(Like("aXbYbxc", "%b_c"));
  EXPECT_FALSE(Like("aXbYbc", "%b_c"));
}

TEST(LikeMatcherTest, Escapes) {
  EXPECT_TRUE(Like("a_b", "a\\_b"));
  EXPECT_FALSE(Like("axb", "a\\_b"));
  EXPECT_TRUE(Like("a%", "a#%", "#"));
  EXPECT_FALSE(Like("ab", "a#%", "#"));
  EXPECT_TRUE(Like("a\\b", "a\\b", ""));  // no escape character
  EXPECT_TRUE(Like("a%b", "a\\%b"));
  try {
    Like("a", "a\\");
    ADD_FAILURE() << "expected an error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kInvalidEscapeSequence);
    EXPECT_STREQ(e.what(), "LIKE pattern must not end with escape character");
  }
  try {
    Like("a", "a", "xy");
    ADD_FAILURE() << "expected an error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kInvalidEscapeCharacter);
  }
}

TEST(LikeMatcherTest, CaseInsensitive) {
  EXPECT_TRUE(ILike("ABC", "a%"));
  EXPECT_TRUE(ILike("ÀB", "àb"));
  EXPECT_TRUE(ILike("xÀbx", "%àB%"));
  EXPECT_FALSE(ILike("abc", "b%"));
}

TEST(LikeMatcherTest, NoExponentialBacktracking) {
  std::string text(20000, 'a');
  // A classic backtracking matcher takes exponential time on this.
  EXPECT_FALSE(Like(text, "%a%a%a%a%a%a%a%a%a%a%b"));
  EXPECT_FALSE(Like(text, "%a_a%a_a%a_a%a_a%a_a%b"));
  EXPECT_TRUE(Like(text + "b", "%a_a%a_a%a_a%a_a%a_a%b"));
}

TEST(LikeFunctionTest, ConstantPatternAndNulls) {
  Vector s = MakeFlat(
      TypeId::kVarchar,
      {Value::Varchar("PROMO BRUSHED"), Value::Null(TypeId::kVarchar), Value::Varchar("STANDARD")});
  Vector p = MakeConstant(Value::Varchar("PROMO%"));
  Vector r = RunScalar("like", {s, p}, 3);
  EXPECT_EQ(r.GetValue(0), Value::Boolean(true));
  EXPECT_TRUE(r.IsNull(1));
  EXPECT_EQ(r.GetValue(2), Value::Boolean(false));
  Vector n = RunScalar("not_like", {s, p}, 3);
  EXPECT_EQ(n.GetValue(0), Value::Boolean(false));
  EXPECT_TRUE(n.IsNull(1));
  EXPECT_EQ(n.GetValue(2), Value::Boolean(true));
  Vector i = RunScalar("ilike", {s, MakeConstant(Value::Varchar("%brushed"))}, 3);
  EXPECT_EQ(i.GetValue(0), Value::Boolean(true));
  Vector ni = RunScalar("not_ilike", {s, MakeConstant(Value::Varchar("%brushed"))}, 3);
  EXPECT_EQ(ni.GetValue(2), Value::Boolean(true));
  Vector np = RunScalar("like", {s, MakeConstant(Value::Null(TypeId::kVarchar))}, 3);
  EXPECT_TRUE(np.IsNull(0));
}

TEST(LikeFunctionTest, PatternPerRowAndEscapeArgument) {
  Vector s = MakeFlat(TypeId::kVarchar,
                      {Value::Varchar("a_b"), Value::Varchar("axb"), Value::Varchar("abc")});
  Vector p = MakeFlat(TypeId::kVarchar,
                      {Value::Varchar("a!_b"), Value::Varchar("a!_b"), Value::Varchar("%c")});
  Vector r = RunScalar("like", {s, p, MakeConstant(Value::Varchar("!"))}, 3);
  EXPECT_EQ(r.GetValue(0), Value::Boolean(true));
  EXPECT_EQ(r.GetValue(1), Value::Boolean(false));
  EXPECT_EQ(r.GetValue(2), Value::Boolean(true));
  SelectionVector sel = MakeSelection({2});
  Vector r2 = RunScalar("like", {s, p}, 1, &sel);
  EXPECT_EQ(r2.GetValue(2), Value::Boolean(true));
}

}  // namespace
}  // namespace basalt
