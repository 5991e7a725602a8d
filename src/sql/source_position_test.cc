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

}  // namespace
}  // namespace basalt::sql
