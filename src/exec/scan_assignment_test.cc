#include "exec/scan_assignment.h"

#include <gtest/gtest.h>

#include <map>

namespace basalt {
namespace {

std::vector<std::string> Ranges(const std::string& prefix, int count) {
  std::vector<std::string> ids;
  for (int i = 0; i < count; i++) ids.push_back(prefix + std::to_string(i));
  return ids;
}

TEST(ScanAssignmentTest, EveryRangeOnceAndBalanced) {
  ScanAssignment assignment({"a:1", "b:1", "c:1"});
  auto ranges = Ranges("lineitem.parquet#", 300);
  std::vector<int> owner = assignment.Assign(ranges);
  std::map<int, int> load;
  for (int node : owner) {
    ASSERT_GE(node, 0);
    ASSERT_LT(node, 3);
    load[node]++;
  }
  for (auto [node, count] : load) {
    EXPECT_LE(count, 125) << node;  // fair share 100, plus a quarter
    EXPECT_GE(count, 50) << node;
  }
  // Every node computes the same answer.
  EXPECT_EQ(owner, ScanAssignment({"a:1", "b:1", "c:1"}).Assign(ranges));
}

TEST(ScanAssignmentTest, LosingANodeMovesOnlyItsRanges) {
  auto ranges = Ranges("segment-", 1000);
  std::vector<int> before = ScanAssignment({"a", "b", "c", "d"}).Assign(ranges);
  std::vector<int> after = ScanAssignment({"a", "b", "c"}).Assign(ranges);
  int moved = 0;
  for (size_t r = 0; r < ranges.size(); r++) {
    if (before[r] != 3 && before[r] != after[r]) moved++;
  }
  // Only the capacity fallback moves ranges of the nodes that stayed.
  EXPECT_LT(moved, 150);
}

TEST(ScanAssignmentTest, FewRangesStillSpread) {
  std::vector<int> owner = ScanAssignment({"a", "b"}).Assign(Ranges("rg", 2));
  EXPECT_NE(owner[0], owner[1]);  // a fair share of 1 leaves no slack
  // One node alone gets everything.
  for (int node : ScanAssignment({"a"}).Assign(Ranges("rg", 5))) EXPECT_EQ(node, 0);
}

}  // namespace
}  // namespace basalt
