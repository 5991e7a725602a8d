// Scan predicates against zone maps and time chunks: what may be skipped, and
// (by brute force over random blocks) that nothing that matches ever is.

#include "storage/managed/scan_predicate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/date_time.h"
#include "storage/segment/segment_format.h"

namespace basalt {
namespace {

using Op = ScanPredicateOp;

ScanPredicate Cmp(Op op, Value v) { return MakeComparison(0, op, std::move(v)); }
ScanPredicate In(std::vector<Value> values) { return MakeInList(0, std::move(values)); }
ScanPredicate NullTest(Op op) {
  ScanPredicate p;
  p.op = op;
  return p;
}

ZoneMap Zone(Value min, Value max, idx_t nulls = 0) {
  ZoneMap z;
  z.null_count = nulls;
  z.has_min = z.has_max = true;
  z.min = std::move(min);
  z.max = std::move(max);
  return z;
}

ZoneMap IntZone(int64_t lo, int64_t hi, idx_t nulls = 0) {
  return Zone(Value::Bigint(lo), Value::Bigint(hi), nulls);
}

Value I(int64_t v) { return Value::Bigint(v); }
Value D(double v) { return Value::Double(v); }
Value S(std::string s) { return Value::Varchar(std::move(s)); }

TEST(ScanPredicateTest, ComparisonsAgainstIntegerBounds) {
  const ZoneMap z = IntZone(10, 20);
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kEqual, I(9)), z, 100));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kEqual, I(10)), z, 100));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kEqual, I(20)), z, 100));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kEqual, I(21)), z, 100));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kLess, I(10)), z, 100));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kLess, I(11)), z, 100));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kLessEqual, I(9)), z, 100));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kLessEqual, I(10)), z, 100));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kGreater, I(20)), z, 100));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kGreater, I(19)), z, 100));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kGreaterEqual, I(21)), z, 100));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kGreaterEqual, I(20)), z, 100));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kNotEqual, I(15)), z, 100));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kNotEqual, I(10)), z, 100));
  // Only a block holding nothing but the value fails <>.
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kNotEqual, I(7)), IntZone(7, 7), 100));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kNotEqual, I(8)), IntZone(7, 7), 100));
}

TEST(ScanPredicateTest, NegativeBounds) {
  const ZoneMap z = IntZone(-50, -10);
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kGreater, I(-10)), z, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kGreaterEqual, I(-10)), z, 10));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kLess, I(-50)), z, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kLess, I(-49)), z, 10));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kEqual, I(0)), z, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kEqual, I(-30)), z, 10));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kEqual, I(-51)), z, 10));
}

TEST(ScanPredicateTest, InLists) {
  const ZoneMap z = IntZone(10, 20);
  EXPECT_FALSE(ZoneMayMatch(In({I(1), I(2), I(30)}), z, 100));
  EXPECT_TRUE(ZoneMayMatch(In({I(30), I(1), I(15)}), z, 100));
  EXPECT_TRUE(ZoneMayMatch(In({I(20)}), z, 100));
  EXPECT_TRUE(ZoneMayMatch(In({I(10), I(99)}), z, 100));
  // NULL items never match; a list of only NULLs matches nothing.
  EXPECT_FALSE(ZoneMayMatch(In({Value::Null(TypeId::kBigint), I(5)}), z, 100));
  EXPECT_FALSE(ZoneMayMatch(In({Value::Null(TypeId::kBigint)}), z, 100));

  ScanPredicate p = In({I(3), Value::Null(TypeId::kBigint), I(1), I(3), I(2)});
  ASSERT_EQ(p.values.size(), 3u);
  EXPECT_EQ(p.values[0], I(1));
  EXPECT_EQ(p.values[2], I(3));
}

TEST(ScanPredicateTest, NullsAndAllNullBlocks) {
  const ZoneMap some_nulls = IntZone(1, 2, 5);
  EXPECT_TRUE(ZoneMayMatch(NullTest(Op::kIsNull), some_nulls, 10));
  EXPECT_TRUE(ZoneMayMatch(NullTest(Op::kIsNotNull), some_nulls, 10));
  EXPECT_FALSE(ZoneMayMatch(NullTest(Op::kIsNull), IntZone(1, 2), 10));

  ZoneMap all_null;  // no bounds, as the writer leaves an all-NULL block
  all_null.null_count = 10;
  for (Op op : {Op::kEqual, Op::kNotEqual, Op::kLess, Op::kLessEqual, Op::kGreater,
                Op::kGreaterEqual}) {
    EXPECT_FALSE(ZoneMayMatch(Cmp(op, I(0)), all_null, 10)) << static_cast<int>(op);
  }
  EXPECT_FALSE(ZoneMayMatch(In({I(0), I(1)}), all_null, 10));
  EXPECT_TRUE(ZoneMayMatch(NullTest(Op::kIsNull), all_null, 10));
  EXPECT_FALSE(ZoneMayMatch(NullTest(Op::kIsNotNull), all_null, 10));
}

TEST(ScanPredicateTest, NaNSortsAboveEveryNumber) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const ZoneMap with_nan = Zone(D(1), D(nan));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kGreater, D(1e300)), with_nan, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kGreater, D(inf)), with_nan, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kEqual, D(nan)), with_nan, 10));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kLess, D(1)), with_nan, 10));

  const ZoneMap numbers = Zone(D(1), D(5));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kEqual, D(nan)), numbers, 10));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kGreaterEqual, D(nan)), numbers, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kLess, D(nan)), numbers, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kNotEqual, D(nan)), numbers, 10));

  const ZoneMap only_nan = Zone(D(nan), D(nan));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kNotEqual, D(nan)), only_nan, 10));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kLess, D(inf)), only_nan, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kGreater, D(inf)), only_nan, 10));

  // 0.0 and -0.0 are one value.
  const ZoneMap zeros = Zone(D(-0.0), D(0.0));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kNotEqual, D(0.0)), zeros, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kEqual, D(-0.0)), zeros, 10));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kGreater, D(0.0)), zeros, 10));
}

TEST(ScanPredicateTest, LongStringBoundsAreInexactButStillBound) {
  const std::string lo(200, 'b');
  std::string hi(200, 'c');
  hi[150] = 'd';
  const ZoneMap z = segment::BuildStringZoneMap(true, lo, hi, 0);
  ASSERT_FALSE(z.min_exact);
  ASSERT_FALSE(z.max_exact);
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kEqual, S(lo)), z, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kEqual, S(hi)), z, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kGreaterEqual, S(hi)), z, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kLessEqual, S(lo)), z, 10));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kLess, S(std::string(128, 'b'))), z, 10));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kEqual, S("a")), z, 10));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kGreater, S("d")), z, 10));
  // A block of one long value: its inexact bounds never make <> skip it.
  const ZoneMap one = segment::BuildStringZoneMap(true, lo, lo, 0);
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kNotEqual, S(lo)), one, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kNotEqual, S(std::string(128, 'b'))), one, 10));

  // A maximum whose prefix is all 0xFF has no upper bound at all.
  const std::string ff(200, '\xff');
  const ZoneMap open = segment::BuildStringZoneMap(true, "a", ff, 0);
  ASSERT_FALSE(open.has_max);
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kEqual, S(ff)), open, 10));
  EXPECT_TRUE(ZoneMayMatch(Cmp(Op::kGreater, S(std::string(300, '\xff'))), open, 10));
  // Bytes compare unsigned: 0xFF sorts after 'z'.
  const ZoneMap ascii = Zone(S("a"), S("z"));
  EXPECT_FALSE(ZoneMayMatch(Cmp(Op::kEqual, S("\xff")), ascii, 10));
}

// Any value a block holds that satisfies a predicate keeps the block.
TEST(ScanPredicateTest, RandomBlocksNeverLoseAMatch) {
  std::mt19937_64 rng(7);
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const Op ops[] = {Op::kEqual, Op::kNotEqual, Op::kLess, Op::kLessEqual, Op::kGreater,
                    Op::kGreaterEqual};
  auto holds = [](Op op, int k) {
    switch (op) {
      case Op::kEqual: return k == 0;
      case Op::kNotEqual: return k != 0;
      case Op::kLess: return k < 0;
      case Op::kLessEqual: return k <= 0;
      case Op::kGreater: return k > 0;
      default: return k >= 0;
    }
  };
  int pruned = 0;
  for (int round = 0; round < 3000; round++) {
    // Strings from a small alphabet, some past the 128-byte bound limit.
    const bool strings = round % 2 == 0;
    std::vector<Value> values;
    const int n = static_cast<int>(uniform(1, 6));
    for (int i = 0; i < n; i++) {
      if (strings) {
        std::string s(static_cast<size_t>(uniform(0, 1) ? uniform(0, 4) : uniform(126, 131)),
                      'a');
        for (char& c : s) c = static_cast<char>(uniform(0, 1) ? 'a' : '\xff');
        values.push_back(S(s));
      } else {
        values.push_back(I(uniform(-5, 5)));
      }
    }
    const int nulls = static_cast<int>(uniform(0, 2));
    auto less = [](const Value& a, const Value& b) { return CompareScanValues(a, b) < 0; };
    const Value lo = *std::min_element(values.begin(), values.end(), less);
    const Value hi = *std::max_element(values.begin(), values.end(), less);
    const ZoneMap z = strings ? segment::BuildStringZoneMap(true, lo.GetString(),
                                                            hi.GetString(), nulls)
                              : Zone(lo, hi, nulls);
    const uint64_t rows = values.size() + nulls;
    const Value probe = values[static_cast<size_t>(uniform(0, n - 1))];
    std::vector<Value> probes = {probe};
    if (strings) {
      std::string s = probe.GetString();
      if (!s.empty() && uniform(0, 1)) s.pop_back();
      if (uniform(0, 1)) s.push_back(uniform(0, 1) ? 'a' : '\xff');
      probes.push_back(S(s));
    } else {
      probes.push_back(I(probe.GetInt64() + uniform(-2, 2)));
    }
    for (const Value& c : probes) {
      for (Op op : ops) {
        bool any = false;
        for (const Value& v : values) any = any || holds(op, CompareScanValues(v, c));
        const bool may = ZoneMayMatch(Cmp(op, c), z, rows);
        if (any) {
          ASSERT_TRUE(may) << "round " << round << " op " << static_cast<int>(op);
        }
        pruned += may ? 0 : 1;
      }
      bool any = false;
      for (const Value& v : values) any = any || CompareScanValues(v, c) == 0;
      if (any) {
        ASSERT_TRUE(ZoneMayMatch(In({c, strings ? S("zz") : I(99)}), z, rows));
      }
    }
  }
  EXPECT_GT(pruned, 1000);  // the bounds do prune
}

TEST(ScanPredicateTest, TimestampChunks) {
  const int64_t day = kMicrosPerDay;
  const TimeChunk chunk{10 * day, 11 * day};
  const LogicalType ts(TypeId::kTimestamp);
  auto at = [](int64_t micros) { return Value::Timestamp(micros); };
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kLess, at(10 * day)), chunk, ts));
  EXPECT_TRUE(ChunkMayMatch(Cmp(Op::kLessEqual, at(10 * day)), chunk, ts));
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kGreaterEqual, at(11 * day)), chunk, ts));
  EXPECT_TRUE(ChunkMayMatch(Cmp(Op::kGreaterEqual, at(11 * day - 1)), chunk, ts));
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kEqual, at(11 * day)), chunk, ts));
  EXPECT_TRUE(ChunkMayMatch(Cmp(Op::kEqual, at(10 * day + 5)), chunk, ts));
  EXPECT_FALSE(ChunkMayMatch(In({at(9 * day), at(11 * day)}), chunk, ts));
  // A chunk says nothing about NULLs.
  EXPECT_TRUE(ChunkMayMatch(NullTest(Op::kIsNull), chunk, ts));
  EXPECT_TRUE(ChunkMayMatch(NullTest(Op::kIsNotNull), chunk, ts));
  // The whole time line (no PARTITION BY) holds anything.
  EXPECT_TRUE(ChunkMayMatch(Cmp(Op::kLess, at(INT64_MIN + 1)), TimeChunk{}, ts));
  EXPECT_TRUE(ChunkMayMatch(Cmp(Op::kGreater, at(INT64_MAX - 1)), TimeChunk{}, ts));
}

TEST(ScanPredicateTest, DateChunks) {
  const int64_t day = kMicrosPerDay;
  const LogicalType date(TypeId::kDate);
  auto d = [](int32_t days) { return Value::Date(days); };
  const TimeChunk chunk{10 * day, 11 * day};
  EXPECT_TRUE(ChunkMayMatch(Cmp(Op::kEqual, d(10)), chunk, date));
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kEqual, d(11)), chunk, date));
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kLess, d(10)), chunk, date));
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kGreater, d(10)), chunk, date));
  EXPECT_TRUE(ChunkMayMatch(Cmp(Op::kGreaterEqual, d(10)), chunk, date));
  // Before 1970.
  const TimeChunk negative{-5 * day, -4 * day};
  EXPECT_TRUE(ChunkMayMatch(Cmp(Op::kEqual, d(-5)), negative, date));
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kEqual, d(-4)), negative, date));
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kEqual, d(-6)), negative, date));
  // A month: 2024-02 holds 29 days.
  const int32_t feb1 = DaysFromCivil(2024, 2, 1);
  const TimeChunk month{feb1 * day, (feb1 + 29) * day};
  EXPECT_TRUE(ChunkMayMatch(Cmp(Op::kEqual, d(feb1 + 28)), month, date));
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kEqual, d(feb1 + 29)), month, date));
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kLessEqual, d(feb1 - 1)), month, date));
  // An hour that holds no midnight holds no date.
  const TimeChunk hour{10 * day + 3600000000LL, 10 * day + 7200000000LL};
  EXPECT_FALSE(ChunkMayMatch(Cmp(Op::kNotEqual, d(10)), hour, date));
  EXPECT_TRUE(ChunkMayMatch(Cmp(Op::kEqual, d(10)), TimeChunk{10 * day, 10 * day + 1}, date));
}

TEST(ScanPredicateTest, ToStringForExplain) {
  EXPECT_EQ(MakeComparison(0, Op::kGreaterEqual, Value::Date(DaysFromCivil(1995, 1, 1)))
                .ToString("l_shipdate"),
            "l_shipdate >= 1995-01-01");
  EXPECT_EQ(MakeInList(0, {S("R"), S("A")}).ToString("l_returnflag"),
            "l_returnflag IN ('A','R')");
  EXPECT_EQ(Cmp(Op::kEqual, S("it's")).ToString("s"), "s = 'it''s'");
  EXPECT_EQ(NullTest(Op::kIsNotNull).ToString("x"), "x IS NOT NULL");
  EXPECT_EQ(Cmp(Op::kNotEqual, I(-3)).ToString("k"), "k <> -3");
}

}  // namespace
}  // namespace basalt
