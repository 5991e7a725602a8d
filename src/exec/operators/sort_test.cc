#include "exec/operators/sort.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "exec/operators/operator_test_util.h"
#include "exec/operators/sort_test_util.h"

namespace basalt::optest {
namespace {

std::unique_ptr<SortNode> MakeSort(std::unique_ptr<PhysicalNode> source,
                                   std::vector<SortKey> keys) {
  auto node = std::make_unique<SortNode>();
  node->types = source->types;
  node->keys = std::move(keys);
  node->children.push_back(std::move(source));
  return node;
}

void ExpectSorted(const std::vector<LogicalType>& types, const std::vector<Row>& rows,
                  const std::vector<KeySpec>& specs, idx_t batch_size = kBatchSize,
                  bool dictionary = false) {
  auto node =
      MakeSort(MakeSource(types, rows, batch_size, 1, dictionary), MakeSortKeys(types, specs));
  RunResult result = RunOperator(*node);
  EXPECT_EQ(Canonical(result.rows), Canonical(rows));
  ExpectOrdered(result.rows, specs);
}

TEST(SortTest, EveryKeyTypeEveryNullPlacement) {
  std::vector<LogicalType> types = AllSortTypes();
  std::vector<Row> rows = RandomRows(types, 3000, 11);
  for (idx_t c = 0; c + 1 < types.size(); c++) {
    for (bool desc : {false, true}) {
      for (bool nulls_first : {false, true}) {
        SCOPED_TRACE(types[c].ToString() + (desc ? " DESC" : " ASC") +
                     (nulls_first ? " NULLS FIRST" : " NULLS LAST"));
        ExpectSorted(types, rows, {{c, desc, nulls_first}}, 500);
      }
    }
  }
}

TEST(SortTest, SeveralKeysBreakTies) {
  std::vector<LogicalType> types = AllSortTypes();
  std::vector<Row> rows = RandomRows(types, 5000, 3);
  ExpectSorted(types, rows, {{0, false, false}, {9, true, true}, {4, false, true}}, 700, true);
  ExpectSorted(types, rows,
               {{10, true, false}, {1, false, false}, {7, true, true}, {11, false, false}});
  ExpectSorted(types, rows,
               {{8, false, false},
                {6, true, false},
                {2, false, true},
                {3, true, false},
                {5, false, false},
                {11, true, false}});
}

TEST(SortTest, DoublesAndStrings) {
  const LogicalType kDouble(TypeId::kDouble);
  const LogicalType kVarchar(TypeId::kVarchar);
  std::vector<double> doubles = {NAN, 1.0,    -INFINITY, INFINITY, -0.0,
                                 0.0, -1e300, 1e-300,    NAN,      3.5};
  std::vector<std::string> strings = {
      "abc",  "ab", "", "abd", "\xc3\xa9t\xc3\xa9", "z", "abcdefghijklmnop", "abcdefghijklmnoq",
      "abcd", "ABC"};
  std::vector<Row> rows;
  for (size_t i = 0; i < doubles.size(); i++) {
    rows.push_back({Value::Double(doubles[i]), Str(strings[i])});
  }
  rows.push_back({Value::Null(kDouble), Value::Null(kVarchar)});
  auto run = [&](idx_t column, bool desc) {
    auto node = MakeSort(MakeSource({kDouble, kVarchar}, rows),
                         MakeSortKeys({kDouble, kVarchar}, {{column, desc, false}}));
    std::vector<std::string> out;
    for (const Row& r : RunOperator(*node).rows) out.push_back(r[column].ToString());
    return out;
  };
  std::vector<std::string> asc = run(0, false);
  ASSERT_EQ(asc.size(), rows.size());
  EXPECT_EQ(asc.front(), "-Infinity");
  EXPECT_EQ(asc[asc.size() - 3], "NaN");  // NaN above every number, below NULLS LAST
  EXPECT_EQ(asc[asc.size() - 2], "NaN");
  EXPECT_EQ(asc.back(), "NULL");
  std::vector<std::string> strs = run(1, false);
  EXPECT_EQ(strs, (std::vector<std::string>{"", "ABC", "ab", "abc", "abcd", "abcdefghijklmnop",
                                            "abcdefghijklmnoq", "abd", "z", "\xc3\xa9t\xc3\xa9",
                                            "NULL"}));
  std::vector<std::string> desc = run(1, true);
  EXPECT_EQ(desc.front(), "\xc3\xa9t\xc3\xa9");
  EXPECT_EQ(desc.back(), "NULL");  // as told: NULLS LAST even when descending
}

TEST(SortTest, ComputedKeyAndEmptyInput) {
  const LogicalType kBigint(TypeId::kBigint);
  std::vector<Row> rows;
  for (int i = 0; i < 5000; i++) rows.push_back({Int(i)});
  std::vector<SortKey> keys;
  keys.push_back({Mod(Col(0, kBigint), Expression::MakeConstant(Int(10))), true, false});
  keys.push_back({Col(0, kBigint), false, false});
  auto node = MakeSort(MakeSource({kBigint}, rows, 999), std::move(keys));
  RunResult result = RunOperator(*node);
  ASSERT_EQ(result.rows.size(), rows.size());
  for (size_t i = 1; i < result.rows.size(); i++) {
    int64_t a = result.rows[i - 1][0].GetInt64(), b = result.rows[i][0].GetInt64();
    EXPECT_TRUE(a % 10 > b % 10 || (a % 10 == b % 10 && a < b)) << a << " then " << b;
  }
  auto empty = MakeSort(MakeSource({kBigint}, {}, kBatchSize, 2),
                        MakeSortKeys({kBigint}, {{0, false, false}}));
  RunResult r = RunOperator(*empty);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_GT(r.blocked, 0);
}

TEST(SortTest, BigInput) {
  std::vector<LogicalType> types = {TypeId::kBigint, TypeId::kVarchar, TypeId::kInteger};
  std::vector<Row> rows;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 100000; i++) {
    rows.push_back({Int(static_cast<int64_t>(rng() % 1000)),
                    Str("s" + std::to_string(rng() % 100000)), Value::Integer(i)});
  }
  auto node = MakeSort(MakeSource(types, rows, kBatchSize, 1),
                       MakeSortKeys(types, {{0, true, false}, {1, false, false}}));
  std::vector<Row> out;
  RunResult result = RunChunks(*node, [&](DataChunk& chunk) {
    for (idx_t r = 0; r < chunk.size(); r++) {
      out.push_back({chunk.GetValue(0, r), chunk.GetValue(1, r), chunk.GetValue(2, r)});
    }
  });
  EXPECT_EQ(out.size(), rows.size());
  EXPECT_GE(result.batches, 49);
  ExpectOrdered(out, {{0, true, false}, {1, false, false}});
  EXPECT_EQ(Canonical(out), Canonical(rows));
}

}  // namespace
}  // namespace basalt::optest
