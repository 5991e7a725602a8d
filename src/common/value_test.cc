#include "common/value.h"

#include <gtest/gtest.h>

namespace basalt {
namespace {

// PostgreSQL's float4out and float8out: the shortest digits that read back as
// the same value, in fixed form for decimal exponents -4 to 5 (real) or -4 to
// 14 (double precision) and in exponent form beyond.
TEST(ValueTest, FormatsRealAsPostgreSQL) {
  EXPECT_EQ(FormatFloat(999999.0f), "999999");
  EXPECT_EQ(FormatFloat(123456.7f), "123456.7");
  EXPECT_EQ(FormatFloat(1e6f), "1e+06");
  EXPECT_EQ(FormatFloat(1234567.0f), "1.234567e+06");
  EXPECT_EQ(FormatFloat(1234567.5f), "1.2345675e+06");
  EXPECT_EQ(FormatFloat(16777216.0f), "1.6777216e+07");
  EXPECT_EQ(FormatFloat(-2.5e7f), "-2.5e+07");
  EXPECT_EQ(FormatFloat(1e15f), "1e+15");
  EXPECT_EQ(FormatFloat(1e16f), "1e+16");
  EXPECT_EQ(FormatFloat(3.4028235e38f), "3.4028235e+38");
  EXPECT_EQ(FormatFloat(0.0001f), "0.0001");
  EXPECT_EQ(FormatFloat(1e-5f), "1e-05");
  EXPECT_EQ(FormatFloat(0.1f), "0.1");
  EXPECT_EQ(FormatFloat(-0.0f), "-0");
}

TEST(ValueTest, FormatsDoubleAsPostgreSQL) {
  EXPECT_EQ(FormatDouble(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatDouble(123456789012345.6), "123456789012345.6");
  EXPECT_EQ(FormatDouble(1e15), "1e+15");
  EXPECT_EQ(FormatDouble(1.5e15), "1.5e+15");
  EXPECT_EQ(FormatDouble(1e16), "1e+16");
  EXPECT_EQ(FormatDouble(1e-5), "1e-05");
  EXPECT_EQ(FormatDouble(-2.5), "-2.5");
}

}  // namespace
}  // namespace basalt
