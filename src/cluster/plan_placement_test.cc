#include "cluster/plan_placement.h"

#include <gtest/gtest.h>

namespace basalt::cluster {
namespace {

NodeInfo Executor(uint32_t threads) {
  NodeInfo node;
  node.set_threads(threads);
  return node;
}

TEST(PlanPlacementTest, OneInstancePerExecutorThreadCappedByMaxSlices) {
  EXPECT_EQ(ClusterParallelism({Executor(4), Executor(4)}), 8);
  EXPECT_EQ(ClusterParallelism({Executor(4), Executor(4)}, 3), 3);
  // At least two, so that scans leave the root fragment.
  EXPECT_EQ(ClusterParallelism({Executor(1)}), 2);
  EXPECT_EQ(ClusterParallelism({}), 2);
  EXPECT_EQ(ClusterParallelism({Executor(4)}, 1), 2);
  // A node that did not say counts as one thread.
  EXPECT_EQ(ClusterParallelism({Executor(0), Executor(2)}), 3);
}

}  // namespace
}  // namespace basalt::cluster
