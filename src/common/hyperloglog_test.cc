#include "common/hyperloglog.h"

#include <gtest/gtest.h>

#include "common/vector_hash.h"

namespace basalt {
namespace {

TEST(HyperLogLogTest, EstimatesWithinAFewPercent) {
  for (uint64_t n : {1ull, 10ull, 1000ull, 100000ull, 1000000ull}) {
    HyperLogLog hll;
    for (uint64_t i = 0; i < n; i++) {
      hll.Add(MixHash(i));
      hll.Add(MixHash(i));  // duplicates do not count
    }
    double estimate = hll.Estimate();
    EXPECT_NEAR(estimate, static_cast<double>(n), std::max(1.0, 0.05 * n)) << n;
  }
}

TEST(HyperLogLogTest, MergeEstimatesTheUnion) {
  HyperLogLog a, b;
  for (uint64_t i = 0; i < 50000; i++) a.Add(MixHash(i));
  for (uint64_t i = 25000; i < 75000; i++) b.Add(MixHash(i));
  a.Merge(b);
  EXPECT_NEAR(a.Estimate(), 75000, 0.05 * 75000);
}

TEST(HyperLogLogTest, EmptyIsZero) { EXPECT_NEAR(HyperLogLog().Estimate(), 0, 0.5); }

}  // namespace
}  // namespace basalt
