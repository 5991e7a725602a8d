#include "shell/text_width.h"

#include <gtest/gtest.h>

#include <string>

namespace basalt {
namespace {

TEST(TextWidthTest, DecodesUtf8) {
  char32_t cp;
  bool valid;
  EXPECT_EQ(DecodeUtf8("a", 0, &cp, &valid), 1u);
  EXPECT_EQ(cp, U'a');
  EXPECT_EQ(DecodeUtf8("é", 0, &cp, &valid), 2u);
  EXPECT_EQ(cp, U'é');
  EXPECT_EQ(DecodeUtf8("名", 0, &cp, &valid), 3u);
  EXPECT_EQ(cp, U'名');
  EXPECT_EQ(DecodeUtf8("😀", 0, &cp, &valid), 4u);
  EXPECT_EQ(cp, U'😀');
  EXPECT_TRUE(valid);
}

TEST(TextWidthTest, InvalidBytesAreOneReplacementEach) {
  char32_t cp;
  bool valid = true;
  for (std::string bad :
       {"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe5\x90"}) {
    EXPECT_EQ(DecodeUtf8(bad, 0, &cp, &valid), 1u) << bad;
    EXPECT_EQ(cp, kReplacementCharacter);
    EXPECT_FALSE(valid);
  }
}

TEST(TextWidthTest, DisplayWidth) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("héllo"), 5u);
  EXPECT_EQ(DisplayWidth("名前"), 4u);
  EXPECT_EQ(DisplayWidth("e\u0301"), 1u);  // e and a combining accent
  EXPECT_EQ(DisplayWidth("\xff"), 1u);
}

}  // namespace
}  // namespace basalt
