#include "exec/operators/hash_join.h"

#include <gtest/gtest.h>

#include <random>

#include "exec/operators/operator_test_util.h"

namespace basalt::optest {
namespace {

const LogicalType kBigint(TypeId::kBigint);
const LogicalType kVarchar(TypeId::kVarchar);

constexpr JoinType kAllTypes[] = {JoinType::kInner, JoinType::kLeft, JoinType::kRight,
                                  JoinType::kFull,  JoinType::kSemi, JoinType::kAnti};

struct JoinInput {
  std::vector<LogicalType> probe_types;
  std::vector<Row> probe;
  std::vector<LogicalType> build_types;
  std::vector<Row> build;
};

struct SourceOptions {
  idx_t batch_size = kBatchSize;
  int blocks = 0;
  bool dictionary = false;
};

// A hash join on probe column `pk` = build column `bk` (BIGINT or VARCHAR).
std::unique_ptr<HashJoinNode> MakeJoin(JoinType type, const JoinInput& in,
                                       const std::vector<std::pair<idx_t, idx_t>>& keys,
                                       ExpressionPtr residual, SourceOptions options = {}) {
  auto node = std::make_unique<HashJoinNode>();
  node->join_type = type;
  node->children.push_back(
      MakeSource(in.probe_types, in.probe, options.batch_size, options.blocks, options.dictionary));
  node->children.push_back(
      MakeSource(in.build_types, in.build, options.batch_size, options.blocks, options.dictionary));
  for (auto [pk, bk] : keys) {
    node->probe_keys.push_back(Col(pk, in.probe_types[pk]));
    node->build_keys.push_back(Col(bk, in.build_types[bk]));
  }
  node->residual = std::move(residual);
  node->types = in.probe_types;
  if (JoinOutputsBuild(type)) {
    node->types.insert(node->types.end(), in.build_types.begin(), in.build_types.end());
  }
  return node;
}

// Key equality as SQL has it: NULL matches nothing.
std::function<bool(const Row&, const Row&)> KeysEqual(std::vector<std::pair<idx_t, idx_t>> keys) {
  return [keys](const Row& p, const Row& b) {
    for (auto [pk, bk] : keys) {
      if (p[pk].IsNull() || b[bk].IsNull() || !(p[pk] == b[bk])) return false;
    }
    return true;
  };
}

// Probe (key, id) and build (key, id) with duplicates and NULLs on both sides.
JoinInput SmallInput() {
  JoinInput in;
  in.probe_types = {kBigint, kBigint};
  in.build_types = {kBigint, kBigint};
  std::vector<std::optional<int64_t>> probe_keys = {1, 1, 2, 3, std::nullopt, 5, 7, std::nullopt,
                                                    2};
  std::vector<std::optional<int64_t>> build_keys = {1, 2, 2, std::nullopt, 4,
                                                    5, 5, 5, std::nullopt};
  for (size_t i = 0; i < probe_keys.size(); i++) {
    in.probe.push_back({OptInt(probe_keys[i]), Int(static_cast<int64_t>(i))});
  }
  for (size_t i = 0; i < build_keys.size(); i++) {
    in.build.push_back({OptInt(build_keys[i]), Int(static_cast<int64_t>(i) * 2)});
  }
  return in;
}

void ExpectJoin(JoinType type, const JoinInput& in, std::vector<std::pair<idx_t, idx_t>> keys,
                std::function<ExpressionPtr()> residual,
                std::function<bool(const Row&, const Row&)> residual_ref, SourceOptions options) {
  auto node = MakeJoin(type, in, keys, residual ? residual() : nullptr, options);
  RunResult result = RunOperator(*node);
  auto key_match = KeysEqual(keys);
  auto matches = [&](const Row& p, const Row& b) {
    return key_match(p, b) && (!residual_ref || residual_ref(p, b));
  };
  auto expected = ReferenceJoin(type, in.probe, in.build, in.probe_types, in.build_types, matches);
  EXPECT_EQ(Canonical(result.rows), Canonical(expected)) << JoinTypeName(type);
  if (options.blocks > 0) {
    EXPECT_GT(result.blocked, 0);
  }
}

TEST(HashJoinTest, EveryTypeWithDuplicatesAndNullKeys) {
  JoinInput in = SmallInput();
  for (JoinType type : kAllTypes) {
    ExpectJoin(type, in, {{0, 0}}, nullptr, nullptr, {});
  }
}

TEST(HashJoinTest, ManySmallBatchesBlockingAndDictionaryInput) {
  JoinInput in = SmallInput();
  for (JoinType type : kAllTypes) {
    ExpectJoin(type, in, {{0, 0}}, nullptr, nullptr,
               {.batch_size = 2, .blocks = 2, .dictionary = true});
  }
}

TEST(HashJoinTest, ResidualDecidesMatchesForEveryType) {
  JoinInput in = SmallInput();
  // probe.id > build.id: over probe columns (0, 1) then build columns (2, 3).
  auto residual = [] { return Greater(Col(1, kBigint), Col(3, kBigint)); };
  auto residual_ref = [](const Row& p, const Row& b) { return p[1].GetInt64() > b[1].GetInt64(); };
  for (JoinType type : kAllTypes) {
    ExpectJoin(type, in, {{0, 0}}, residual, residual_ref, {});
    ExpectJoin(type, in, {{0, 0}}, residual, residual_ref, {.batch_size = 3, .blocks = 1});
  }
}

TEST(HashJoinTest, ResidualThatIsNullIsNoMatch) {
  JoinInput in = SmallInput();
  in.build.push_back({Int(7), NullInt()});
  auto residual = [] { return Greater(Col(1, kBigint), Col(3, kBigint)); };
  auto residual_ref = [](const Row& p, const Row& b) {
    return !b[1].IsNull() && p[1].GetInt64() > b[1].GetInt64();
  };
  for (JoinType type : kAllTypes) ExpectJoin(type, in, {{0, 0}}, residual, residual_ref, {});
}

TEST(HashJoinTest, StringAndCompositeKeys) {
  JoinInput in;
  in.probe_types = {kVarchar, kBigint, kBigint};
  in.build_types = {kBigint, kVarchar, kVarchar};
  const std::vector<std::string> words = {
      "a",    "", "short", "a string longer than twelve bytes", "a string longer than twelve bytez",
      "short"};
  for (int i = 0; i < 60; i++) {
    Value word = i % 11 == 0 ? Value::Null(kVarchar) : Str(words[i % words.size()]);
    in.probe.push_back({word, Int(i % 3), Int(i)});
    if (i % 2 == 0) {
      in.build.push_back(
          {Int(i % 4), Str(words[(i / 2) % words.size()]), Str("payload" + std::to_string(i))});
    }
  }
  for (JoinType type : kAllTypes) {
    ExpectJoin(type, in, {{0, 1}}, nullptr, nullptr, {.batch_size = 7});
    ExpectJoin(type, in, {{0, 1}, {1, 0}}, nullptr, nullptr, {.batch_size = 7, .dictionary = true});
  }
}

TEST(HashJoinTest, EmptySides) {
  JoinInput in = SmallInput();
  JoinInput no_build = in;
  no_build.build.clear();
  JoinInput no_probe = in;
  no_probe.probe.clear();
  for (JoinType type : kAllTypes) {
    ExpectJoin(type, no_build, {{0, 0}}, nullptr, nullptr, {.blocks = 1});
    ExpectJoin(type, no_probe, {{0, 0}}, nullptr, nullptr, {.blocks = 1});
  }
}

TEST(HashJoinTest, NoKeysPairsEverything) {
  JoinInput in = SmallInput();
  for (JoinType type : {JoinType::kCross, JoinType::kInner, JoinType::kLeft, JoinType::kSemi}) {
    auto node = MakeJoin(type, in, {}, nullptr);
    RunResult result = RunOperator(*node);
    auto expected =
        ReferenceJoin(type == JoinType::kCross ? JoinType::kInner : type, in.probe, in.build,
                      in.probe_types, in.build_types, [](const Row&, const Row&) { return true; });
    EXPECT_EQ(Canonical(result.rows), Canonical(expected));
  }
}

// One key shared by thousands of build rows: a single probe batch produces
// many output batches and one probe row's matches span several of them.
TEST(HashJoinTest, HeavyDuplicatesSpanOutputBatches) {
  JoinInput in;
  in.probe_types = {kBigint, kBigint};
  in.build_types = {kBigint, kBigint};
  for (int i = 0; i < 5; i++) in.probe.push_back({Int(i % 2), Int(i)});
  for (int i = 0; i < 3000; i++) in.build.push_back({Int(0), Int(i)});
  for (JoinType type : kAllTypes) ExpectJoin(type, in, {{0, 0}}, nullptr, nullptr, {});
  auto node = MakeJoin(JoinType::kInner, in, {{0, 0}}, nullptr);
  RunResult result = RunOperator(*node);
  EXPECT_EQ(result.rows.size(), 9000u);
  EXPECT_GE(result.batches, 5);
}

struct Totals {
  int64_t rows = 0;
  int64_t batches = 0;
  int64_t probe_nulls = 0;
  int64_t build_nulls = 0;
  int64_t checksum = 0;
};

// Sums over the output without materializing Values (the big tests emit
// hundreds of thousands of rows).
Totals Summarize(const PhysicalNode& node, idx_t probe_id_col, std::optional<idx_t> build_id_col) {
  Totals t;
  t.batches = RunChunks(node, [&](DataChunk& out) {
                out.Flatten();
                for (idx_t r = 0; r < out.size(); r++) {
                  t.rows++;
                  const Vector& p = out.column(probe_id_col);
                  if (p.IsNull(r)) {
                    t.probe_nulls++;
                  } else {
                    t.checksum += p.Data<int64_t>()[r] * 7;
                  }
                  if (build_id_col) {
                    const Vector& b = out.column(*build_id_col);
                    if (b.IsNull(r)) {
                      t.build_nulls++;
                    } else {
                      t.checksum += b.Data<int64_t>()[r] * 13;
                    }
                  }
                }
              }).batches;
  return t;
}

TEST(HashJoinTest, BigInputsManyBatches) {
  // 100k probe rows with keys 0..1999, 10k build rows with keys 0..999 (10 each).
  JoinInput in;
  in.probe_types = {kBigint, kBigint};
  in.build_types = {kBigint, kBigint};
  std::mt19937_64 rng(42);
  for (int64_t i = 0; i < 100000; i++) {
    in.probe.push_back({Int(static_cast<int64_t>(rng() % 2000)), Int(i)});
  }
  for (int64_t i = 0; i < 10000; i++) in.build.push_back({Int(i % 1000), Int(i)});

  // Expected from per-key counts.
  std::vector<int64_t> build_count(2000, 0), build_sum(2000, 0), probe_count(2000, 0),
      probe_sum(2000, 0);
  for (const Row& b : in.build) {
    build_count[b[0].GetInt64()]++;
    build_sum[b[0].GetInt64()] += b[1].GetInt64();
  }
  for (const Row& p : in.probe) {
    probe_count[p[0].GetInt64()]++;
    probe_sum[p[0].GetInt64()] += p[1].GetInt64();
  }
  Totals inner;
  Totals unmatched_probe;
  int64_t matched_probe_rows = 0, matched_probe_sum = 0;
  for (int k = 0; k < 2000; k++) {
    inner.rows += probe_count[k] * build_count[k];
    inner.checksum += 7 * probe_sum[k] * build_count[k] + 13 * build_sum[k] * probe_count[k];
    if (build_count[k] == 0) {
      unmatched_probe.rows += probe_count[k];
      unmatched_probe.checksum += 7 * probe_sum[k];
    } else {
      matched_probe_rows += probe_count[k];
      matched_probe_sum += 7 * probe_sum[k];
    }
  }

  SourceOptions options{.batch_size = kBatchSize, .blocks = 1, .dictionary = false};
  {
    auto node = MakeJoin(JoinType::kInner, in, {{0, 0}}, nullptr, options);
    Totals t = Summarize(*node, 1, 3);
    EXPECT_EQ(t.rows, inner.rows);
    EXPECT_EQ(t.checksum, inner.checksum);
    EXPECT_EQ(t.probe_nulls + t.build_nulls, 0);
  }
  {
    auto node = MakeJoin(JoinType::kLeft, in, {{0, 0}}, nullptr, options);
    Totals t = Summarize(*node, 1, 3);
    EXPECT_EQ(t.rows, inner.rows + unmatched_probe.rows);
    EXPECT_EQ(t.build_nulls, unmatched_probe.rows);
    EXPECT_EQ(t.checksum, inner.checksum + unmatched_probe.checksum);
  }
  {
    auto node = MakeJoin(JoinType::kSemi, in, {{0, 0}}, nullptr, options);
    Totals t = Summarize(*node, 1, std::nullopt);
    EXPECT_EQ(t.rows, matched_probe_rows);
    EXPECT_EQ(t.checksum, matched_probe_sum);
  }
  {
    auto node = MakeJoin(JoinType::kAnti, in, {{0, 0}}, nullptr, options);
    Totals t = Summarize(*node, 1, std::nullopt);
    EXPECT_EQ(t.rows, unmatched_probe.rows);
    EXPECT_EQ(t.checksum, unmatched_probe.checksum);
  }
  {
    // Right join with swapped roles: build has 100k rows, half of them unmatched.
    JoinInput swapped{in.build_types, in.build, in.probe_types, in.probe};
    auto node = MakeJoin(JoinType::kRight, swapped, {{0, 0}}, nullptr, options);
    Totals t = Summarize(*node, 1, 3);
    EXPECT_EQ(t.rows, inner.rows + unmatched_probe.rows);
    EXPECT_EQ(t.probe_nulls, unmatched_probe.rows);
    int64_t expected = 0;
    for (int k = 0; k < 2000; k++) {
      expected += 7 * build_sum[k] * probe_count[k] + 13 * probe_sum[k] * build_count[k];
      if (build_count[k] == 0) expected += 13 * probe_sum[k];
    }
    EXPECT_EQ(t.checksum, expected);
  }
  {
    // A residual keeping a third of the pairs exercises the small-selection path.
    auto node = MakeJoin(JoinType::kInner, in, {{0, 0}},
                         Less(Mod(Col(1, kBigint), Expression::MakeConstant(Int(3))),
                              Expression::MakeConstant(Int(1))),
                         options);
    Totals t = Summarize(*node, 1, 3);
    int64_t rows = 0, checksum = 0;
    for (const Row& p : in.probe) {
      if (p[1].GetInt64() % 3 != 0) continue;
      int64_t k = p[0].GetInt64();
      rows += build_count[k];
      checksum += 7 * p[1].GetInt64() * build_count[k] + 13 * build_sum[k];
    }
    EXPECT_EQ(t.rows, rows);
    EXPECT_EQ(t.checksum, checksum);
  }
}

TEST(HashJoinTest, SelectiveResidualProducesFullBatches) {
  // Each probe row matches 100 build rows, of which the residual keeps about 1.
  JoinInput in;
  in.probe_types = {kBigint, kBigint};
  in.build_types = {kBigint, kBigint};
  for (int64_t i = 0; i < 20000; i++) in.probe.push_back({Int(i % 10), Int(i % 3)});
  for (int64_t i = 0; i < 1000; i++) in.build.push_back({Int(i % 10), Int(i / 10)});
  auto node = MakeJoin(JoinType::kInner, in, {{0, 0}}, Greater(Col(1, kBigint), Col(3, kBigint)));
  Totals t = Summarize(*node, 1, 3);
  int64_t rows = 0;
  for (const Row& p : in.probe) {
    for (const Row& b : in.build) rows += p[0] == b[0] && p[1].GetInt64() > b[1].GetInt64();
  }
  EXPECT_EQ(t.rows, rows);
  // Small selections are packed: batches are nearly all full.
  EXPECT_LE(t.batches, rows / static_cast<int64_t>(kBatchSize) + 2);
}

}  // namespace
}  // namespace basalt::optest
