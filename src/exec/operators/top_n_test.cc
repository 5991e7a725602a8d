#include "exec/operators/top_n.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "exec/operators/operator_test_util.h"
#include "exec/operators/sort_test_util.h"

namespace basalt::optest {
namespace {

std::unique_ptr<TopNNode> MakeTopN(std::unique_ptr<PhysicalNode> source, std::vector<SortKey> keys,
                                   idx_t limit, idx_t offset) {
  auto node = std::make_unique<TopNNode>();
  node->types = source->types;
  node->keys = std::move(keys);
  node->limit = limit;
  node->offset = offset;
  node->children.push_back(std::move(source));
  return node;
}

// The rows a full sort puts at positions [offset, offset + limit).
std::vector<Row> ReferenceWindow(std::vector<Row> rows, const std::vector<KeySpec>& specs,
                                 idx_t limit, idx_t offset) {
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    return ReferenceCompareRows(a, b, specs) < 0;
  });
  if (offset >= rows.size()) return {};
  const idx_t end = limit > rows.size() - offset ? rows.size() : offset + limit;
  return std::vector<Row>(rows.begin() + offset, rows.begin() + end);
}

// With ties among the keys, which tied rows make the cut is unspecified: the
// check compares only the key columns, position by position, and that every
// returned row comes from the input.
void ExpectTopN(const std::vector<LogicalType>& types, const std::vector<Row>& rows,
                const std::vector<KeySpec>& specs, idx_t limit, idx_t offset,
                idx_t batch_size = kBatchSize) {
  SCOPED_TRACE(::testing::Message() << "limit " << limit << " offset " << offset);
  auto node =
      MakeTopN(MakeSource(types, rows, batch_size, 1), MakeSortKeys(types, specs), limit, offset);
  RunResult result = RunOperator(*node);
  std::vector<Row> expected = ReferenceWindow(rows, specs, limit, offset);
  ASSERT_EQ(result.rows.size(), expected.size());
  for (size_t i = 0; i < expected.size(); i++) {
    ASSERT_EQ(ReferenceCompareRows(result.rows[i], expected[i], specs), 0)
        << "position " << i << ": " << RowToString(result.rows[i]) << " vs "
        << RowToString(expected[i]);
  }
  auto all = Canonical(rows);
  for (const Row& r : result.rows) {
    EXPECT_TRUE(std::binary_search(all.begin(), all.end(), RowToString(r))) << RowToString(r);
  }
}

TEST(TopNTest, LimitsAndOffsetsOverEveryType) {
  std::vector<LogicalType> types = AllSortTypes();
  std::vector<Row> rows = RandomRows(types, 20000, 99);
  const std::vector<std::vector<KeySpec>> orders = {
      {{3, false, false}, {12, false, false}},
      {{8, true, true}, {5, false, false}, {12, true, false}},
      {{11, false, true}, {7, true, false}},
      {{4, true, false}},
      {{0, false, false}, {6, false, true}, {9, true, true}, {10, false, false}},
  };
  for (const auto& specs : orders) {
    for (auto [limit, offset] : std::vector<std::pair<idx_t, idx_t>>{{1, 0},
                                                                     {10, 0},
                                                                     {10, 5},
                                                                     {100, 2000},
                                                                     {3000, 17},
                                                                     {30000, 0},
                                                                     {5, 19998},
                                                                     {5, 20000}}) {
      ExpectTopN(types, rows, specs, limit, offset, 1500);
    }
  }
}

TEST(TopNTest, UniqueKeysGiveExactRows) {
  const LogicalType kBigint(TypeId::kBigint);
  std::vector<Row> rows;
  std::mt19937_64 rng(1);
  std::vector<int64_t> values(100000);
  for (int i = 0; i < 100000; i++) values[i] = i;
  std::shuffle(values.begin(), values.end(), rng);
  for (int64_t v : values) rows.push_back({Int(v), Str("row " + std::to_string(v))});
  auto node = MakeTopN(MakeSource({kBigint, TypeId::kVarchar}, rows, kBatchSize, 1),
                       MakeSortKeys({kBigint, TypeId::kVarchar}, {{0, true, false}}), 2500, 7);
  RunResult result = RunOperator(*node);
  ASSERT_EQ(result.rows.size(), 2500u);
  EXPECT_EQ(result.batches, 2);
  for (size_t i = 0; i < result.rows.size(); i++) {
    const int64_t v = 99999 - 7 - static_cast<int64_t>(i);
    EXPECT_EQ(RowToString(result.rows[i]), RowToString({Int(v), Str("row " + std::to_string(v))}));
  }
}

TEST(TopNTest, LimitZeroAndEmptyInput) {
  const LogicalType kBigint(TypeId::kBigint);
  std::vector<Row> rows = {{Int(3)}, {Int(1)}, {Int(2)}};
  auto zero =
      MakeTopN(MakeSource({kBigint}, rows), MakeSortKeys({kBigint}, {{0, false, false}}), 0, 0);
  EXPECT_TRUE(RunOperator(*zero).rows.empty());
  auto empty = MakeTopN(MakeSource({kBigint}, {}, kBatchSize, 3),
                        MakeSortKeys({kBigint}, {{0, false, false}}), 10, 0);
  RunResult r = RunOperator(*empty);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_GT(r.blocked, 0);
  auto huge = MakeTopN(MakeSource({kBigint}, rows), MakeSortKeys({kBigint}, {{0, false, false}}),
                       ~idx_t{0}, 1);
  EXPECT_EQ(Canonical(RunOperator(*huge).rows), Canonical({{Int(2)}, {Int(3)}}));
}

TEST(TopNTest, NullPlacement) {
  const LogicalType kBigint(TypeId::kBigint);
  std::vector<Row> rows;
  for (int i = 0; i < 10000; i++) rows.push_back({i % 3 == 0 ? NullInt() : Int(i % 100), Int(i)});
  for (bool desc : {false, true}) {
    for (bool nulls_first : {false, true}) {
      ExpectTopN({kBigint, kBigint}, rows, {{0, desc, nulls_first}, {1, false, false}}, 50, 3300);
      ExpectTopN({kBigint, kBigint}, rows, {{0, desc, nulls_first}, {1, true, false}}, 20, 0, 100);
    }
  }
}

}  // namespace
}  // namespace basalt::optest
