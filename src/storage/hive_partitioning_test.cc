#include "storage/hive_partitioning.h"

#include <gtest/gtest.h>

namespace basalt {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(HivePartitioningTest, ReadsKeyValueDirectoriesOutermostFirst) {
  EXPECT_EQ(ParseHivePartitions("data/year=2024/month=03/part0.parquet"),
            (Pairs{{"year", "2024"}, {"month", "03"}}));
  EXPECT_EQ(ParseHivePartitions("/abs/k=/f.csv"), (Pairs{{"k", ""}}));
}

TEST(HivePartitioningTest, IgnoresFileNamesAndComponentsWithoutKey) {
  EXPECT_TRUE(ParseHivePartitions("data/a=1.csv").empty());
  EXPECT_TRUE(ParseHivePartitions("data/=1/f.csv").empty());
  EXPECT_TRUE(ParseHivePartitions("f.csv").empty());
}

TEST(HivePartitioningTest, RepeatedKeyKeepsInnermostValue) {
  EXPECT_EQ(ParseHivePartitions("a=1/b=2/a=3/f.json"), (Pairs{{"a", "3"}, {"b", "2"}}));
}

}  // namespace
}  // namespace basalt
