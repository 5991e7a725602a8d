#include "storage/json/json_error_location.h"

#include <gtest/gtest.h>

namespace basalt {
namespace {

TEST(JsonErrorLocationTest, FindsTheBadElement) {
  //                      0123456789012345678901234567
  std::string_view text = "[{\"a\": 1},\n {\"a\": tru},\n {\"a\": 3}]";
  JsonErrorLocation where = LocateJsonArrayError(text);
  EXPECT_EQ(where.offset, 12u);
  EXPECT_NE(where.error, simdjson::SUCCESS);
}

TEST(JsonErrorLocationTest, StringsAndNestingDoNotSplit) {
  std::string_view text = R"([{"a": "x,]}\"", "b": [1, {"c": 2}]}, {"a": }])";
  EXPECT_EQ(LocateJsonArrayError(text).offset, text.find("{\"a\": }"));
}

TEST(JsonErrorLocationTest, StructureErrors) {
  // Never closed: the end of the text.
  std::string_view open = "[{\"a\": 1}, {\"a\": 2}";
  EXPECT_EQ(LocateJsonArrayError(open).offset, open.size());
  // Text after the closing bracket.
  std::string_view trailing = "[{\"a\": 1}] x";
  EXPECT_EQ(LocateJsonArrayError(trailing).offset, 11u);
  // A missing comma makes one element of two objects.
  std::string_view comma = "[{\"a\": 1} {\"a\": 2}]";
  EXPECT_EQ(LocateJsonArrayError(comma).offset, 1u);
  // Nothing wrong element by element: the array's start.
  EXPECT_EQ(LocateJsonArrayError("[1, 2]").offset, 0u);
  EXPECT_EQ(LocateJsonArrayError("[]").offset, 0u);
}

}  // namespace
}  // namespace basalt
