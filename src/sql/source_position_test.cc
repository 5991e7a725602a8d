#include "sql/source_position.h"

#include <gtest/gtest.h>

namespace basalt::sql {
namespace {

TEST(SourcePositionTest, LineAndColumn) {
  std::string_view text = "SELECT 1\nFROM t\n  WHERE x";
  auto at = [&](int32_t offset) {
    LineColumn lc = OffsetToLineColumn(text, offset);
    return std::make_pair(lc.line, lc.column);
  };
  EXPECT_EQ(at(0), std::make_pair(1, 1));
  EXPECT_EQ(at(7), std::make_pair(1, 8));
  EXPECT_EQ(at(8), std::make_pair(1, 9));  // the newline itself
  EXPECT_EQ(at(9), std::make_pair(2, 1));
  EXPECT_EQ(at(18), std::make_pair(3, 3));
  EXPECT_EQ(at(1000), std::make_pair(3, 10));  // past the end: after the last character
  EXPECT_EQ(at(-1), std::make_pair(1, 1));
}

TEST(SourcePositionTest, CountsCharactersNotBytes) {
  std::string_view text = "SELECT 'é', x";
  // 'é' is two bytes; x is at byte 13 but character column 13.
  LineColumn lc = OffsetToLineColumn(text, 13);
  EXPECT_EQ(lc.line, 1);
  EXPECT_EQ(lc.column, 13);
}

TEST(SourcePositionTest, CharacterPositionCountsCharactersFromOne) {
  std::string_view text = "SELECT 'é', x";  // 'é' is bytes 8 and 9
  EXPECT_EQ(CharacterPosition(text, 0), 1);
  EXPECT_EQ(CharacterPosition(text, 8), 9);
  EXPECT_EQ(CharacterPosition(text, 9), 10);  // inside 'é': the next character
  EXPECT_EQ(CharacterPosition(text, 10), 10);
  EXPECT_EQ(CharacterPosition(text, 13), 13);
  EXPECT_EQ(CharacterPosition(text, 14), 14);    // the end: after the last character
  EXPECT_EQ(CharacterPosition(text, 1000), 14);  // past the end
  EXPECT_EQ(CharacterPosition(text, -5), 1);
  EXPECT_EQ(CharacterPosition("", 0), 1);
}

TEST(SourcePositionTest, ByteOffsetOfCharacterIsTheInverse) {
  std::string_view text = "a€b😀 c";  // 1, 3, 1, 4, 1, 1 bytes
  EXPECT_EQ(ByteOffsetOfCharacter(text, 1), 0);
  EXPECT_EQ(ByteOffsetOfCharacter(text, 2), 1);
  EXPECT_EQ(ByteOffsetOfCharacter(text, 3), 4);
  EXPECT_EQ(ByteOffsetOfCharacter(text, 4), 5);
  EXPECT_EQ(ByteOffsetOfCharacter(text, 5), 9);
  EXPECT_EQ(ByteOffsetOfCharacter(text, 6), 10);
  // Past the last character: the end of the text ("at end of input").
  EXPECT_EQ(ByteOffsetOfCharacter(text, 7), 11);
  EXPECT_EQ(ByteOffsetOfCharacter(text, 1000), 11);
  EXPECT_EQ(ByteOffsetOfCharacter(text, 0), 0);
  EXPECT_EQ(ByteOffsetOfCharacter("", 1), 0);
  // Every character start and the end survive the round trip.
  for (int32_t offset : {0, 1, 4, 5, 9, 10, 11}) {
    EXPECT_EQ(ByteOffsetOfCharacter(text, CharacterPosition(text, offset)), offset) << offset;
  }
}

}  // namespace
}  // namespace basalt::sql
