#include "exec/operators/nested_loop_join.h"

#include <gtest/gtest.h>

#include "exec/operators/operator_test_util.h"

namespace basalt::optest {
namespace {

const LogicalType kBigint(TypeId::kBigint);
const LogicalType kVarchar(TypeId::kVarchar);

constexpr JoinType kAllTypes[] = {JoinType::kInner, JoinType::kLeft, JoinType::kRight,
                                  JoinType::kFull,  JoinType::kSemi, JoinType::kAnti,
                                  JoinType::kCross};

std::unique_ptr<NestedLoopJoinNode> MakeJoin(JoinType type, const std::vector<Row>& probe,
                                             const std::vector<Row>& build, ExpressionPtr condition,
                                             idx_t batch_size = kBatchSize, int blocks = 0) {
  auto node = std::make_unique<NestedLoopJoinNode>();
  node->join_type = type;
  node->condition = std::move(condition);
  node->children.push_back(MakeSource({kBigint, kVarchar}, probe, batch_size, blocks));
  node->children.push_back(MakeSource({kBigint, kBigint}, build, batch_size, blocks));
  node->types = {kBigint, kVarchar};
  if (JoinOutputsBuild(type)) node->types.insert(node->types.end(), {kBigint, kBigint});
  return node;
}

std::vector<Row> ProbeRows(int n) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) {
    rows.push_back(
        {i % 7 == 3 ? NullInt() : Int(i % 50), Str("probe row number " + std::to_string(i))});
  }
  return rows;
}

std::vector<Row> BuildRows(int n) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) rows.push_back({i % 5 == 1 ? NullInt() : Int((i * 7) % 60), Int(i)});
  return rows;
}

// probe.x < build.y: columns 0 (probe) and 2 (build).
bool LessRef(const Row& p, const Row& b) {
  return !p[0].IsNull() && !b[0].IsNull() && p[0].GetInt64() < b[0].GetInt64();
}

void ExpectJoin(JoinType type, const std::vector<Row>& probe, const std::vector<Row>& build,
                bool with_condition, idx_t batch_size, int blocks) {
  SCOPED_TRACE(JoinTypeName(type));
  auto node = MakeJoin(type, probe, build,
                       with_condition ? Less(Col(0, kBigint), Col(2, kBigint)) : nullptr,
                       batch_size, blocks);
  RunResult result = RunOperator(*node);
  const JoinType ref_type = type == JoinType::kCross ? JoinType::kInner : type;
  auto expected =
      ReferenceJoin(ref_type, probe, build, {kBigint, kVarchar}, {kBigint, kBigint},
                    [&](const Row& p, const Row& b) { return !with_condition || LessRef(p, b); });
  EXPECT_EQ(Canonical(result.rows), Canonical(expected));
}

TEST(NestedLoopJoinTest, EveryTypeWithCondition) {
  for (JoinType type : kAllTypes) {
    ExpectJoin(type, ProbeRows(40), BuildRows(30), true, kBatchSize, 0);
    ExpectJoin(type, ProbeRows(40), BuildRows(30), true, 7, 2);
  }
}

TEST(NestedLoopJoinTest, EveryTypeWithoutCondition) {
  for (JoinType type : kAllTypes) ExpectJoin(type, ProbeRows(25), BuildRows(9), false, 4, 1);
}

TEST(NestedLoopJoinTest, EmptySides) {
  for (JoinType type : kAllTypes) {
    ExpectJoin(type, ProbeRows(10), {}, true, kBatchSize, 1);
    ExpectJoin(type, {}, BuildRows(10), true, kBatchSize, 1);
    ExpectJoin(type, ProbeRows(10), {}, false, kBatchSize, 0);
  }
}

TEST(NestedLoopJoinTest, LargeSidesFillOutputBatches) {
  // 600 x 700 pairs; the condition keeps about half.
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kFull, JoinType::kAnti}) {
    ExpectJoin(type, ProbeRows(600), BuildRows(700), true, 1000, 1);
  }
  // Cross join: every output batch but the last is full.
  auto node = MakeJoin(JoinType::kCross, ProbeRows(300), BuildRows(100), nullptr);
  int64_t rows = 0;
  RunResult result = RunChunks(*node, [&](DataChunk& out) { rows += out.size(); });
  EXPECT_EQ(rows, 30000);
  EXPECT_EQ(result.batches, (30000 + 2047) / 2048);
}

}  // namespace
}  // namespace basalt::optest
