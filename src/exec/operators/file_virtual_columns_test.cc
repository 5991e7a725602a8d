#include "exec/operators/file_virtual_columns.h"

#include <gtest/gtest.h>

#include "common/exception.h"

namespace basalt {
namespace {

const std::vector<std::string> kFiles = {"d/year=2023/day=2024-01-01/f.csv",
                                         "d/year=2024/day=2024-01-02/f.csv",
                                         "d/year=__HIVE_DEFAULT_PARTITION__/day=x/f.csv"};

TEST(FileVirtualColumnsTest, InfersTypesFromEveryValue) {
  auto columns = BuildFileVirtualColumns(kFiles, {"id"}, std::nullopt, true);
  ASSERT_TRUE(columns);
  EXPECT_EQ(columns->file_column_count, 1u);
  EXPECT_EQ(columns->names, (std::vector<std::string>{"year", "day", "filename"}));
  EXPECT_EQ(columns->types[0].id(), TypeId::kBigint);
  // "x" is not a date, so the column is text.
  EXPECT_EQ(columns->types[1].id(), TypeId::kVarchar);
  EXPECT_EQ(columns->types[2].id(), TypeId::kVarchar);
  EXPECT_EQ(columns->values[1][0].GetInt64(), 2024);
  EXPECT_TRUE(columns->values[2][0].IsNull());
  EXPECT_EQ(columns->values[2][2].GetString(), kFiles[2]);
}

TEST(FileVirtualColumnsTest, NoColumnsWhenNothingAsked) {
  EXPECT_FALSE(BuildFileVirtualColumns({"a/f.csv", "b/f.csv"}, {"id"}, std::nullopt, false));
  EXPECT_FALSE(BuildFileVirtualColumns(kFiles, {"id"}, false, false));
}

TEST(FileVirtualColumnsTest, DifferingKeysAreDetectedOrRefused) {
  std::vector<std::string> mixed = {"d/year=2023/f.csv", "d/f.csv"};
  EXPECT_FALSE(BuildFileVirtualColumns(mixed, {"id"}, std::nullopt, false));
  try {
    BuildFileVirtualColumns(mixed, {"id"}, true, false);
    FAIL() << "expected 22023";
  } catch (const BasaltError& e) {
    EXPECT_EQ(e.code(), std::string_view(sqlstate::kInvalidParameterValue));
  }
}

TEST(FileVirtualColumnsTest, NameCollisionIsRefused) {
  try {
    BuildFileVirtualColumns(kFiles, {"YEAR"}, std::nullopt, false);
    FAIL() << "expected 42701";
  } catch (const BasaltError& e) {
    EXPECT_EQ(e.code(), std::string_view(sqlstate::kDuplicateColumn));
  }
}

}  // namespace
}  // namespace basalt
