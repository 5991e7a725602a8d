#include "exec/operators/window.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "common/exception.h"
#include "exec/function.h"
#include "exec/operators/operator_test_util.h"
#include "exec/operators/sort_test_util.h"

namespace basalt::optest {
namespace {

using K = WindowBoundKind;
using F = WindowFunctionKind;

const LogicalType kBigint(TypeId::kBigint);
const LogicalType kInteger(TypeId::kInteger);
const LogicalType kVarchar(TypeId::kVarchar);

Value I32(int32_t v) { return Value::Integer(v); }
Value NullI32() { return Value::Null(kInteger); }

WindowFrame Rows(K start, int64_t start_offset, K end, int64_t end_offset) {
  return WindowFrame{WindowFrameUnit::kRows, start, start_offset, end, end_offset};
}
WindowFrame Range(K start, K end) { return WindowFrame{WindowFrameUnit::kRange, start, 0, end, 0}; }

WindowFunction Ranking(F kind) {
  WindowFunction f;
  f.kind = kind;
  f.return_type = kBigint;
  return f;
}

WindowFunction Aggregate(const std::string& name, std::vector<ExpressionPtr> args,
                         WindowFrame frame = {}) {
  std::vector<LogicalType> types;
  for (const auto& a : args) types.push_back(a->type);
  auto bound = FunctionRegistry::Get().BindAggregate(name, types);
  EXPECT_TRUE(bound.has_value()) << name;
  WindowFunction f;
  f.kind = F::kAggregate;
  f.aggregate = *bound;
  f.aggregate.name = name;
  f.return_type = bound->return_type;
  f.args = std::move(args);
  f.frame = frame;
  return f;
}

WindowFunction Agg1(const std::string& name, idx_t column, LogicalType type, WindowFrame frame) {
  std::vector<ExpressionPtr> args;
  args.push_back(Col(column, type));
  return Aggregate(name, std::move(args), frame);
}

WindowFunction FrameValue(F kind, idx_t column, LogicalType type, WindowFrame frame = {}) {
  WindowFunction f;
  f.kind = kind;
  f.args.push_back(Col(column, type));
  f.return_type = type;
  f.frame = frame;
  return f;
}

WindowFunction LagLead(F kind, idx_t column, LogicalType type, std::optional<Value> offset = {},
                       std::optional<Value> default_value = {}) {
  WindowFunction f;
  f.kind = kind;
  f.args.push_back(Col(column, type));
  if (offset || default_value) {
    f.args.push_back(Expression::MakeConstant(offset ? *offset : Int(1)));
  }
  if (default_value) f.args.push_back(Expression::MakeConstant(*default_value));
  f.return_type = type;
  return f;
}

WindowFunction Ntile(Value buckets) {
  WindowFunction f;
  f.kind = F::kNtile;
  f.args.push_back(Expression::MakeConstant(std::move(buckets)));
  f.return_type = kBigint;
  return f;
}

std::unique_ptr<WindowNode> MakeWindow(std::unique_ptr<PhysicalNode> source,
                                       std::vector<ExpressionPtr> partition,
                                       std::vector<SortKey> order,
                                       std::vector<WindowFunction> functions) {
  auto node = std::make_unique<WindowNode>();
  node->types = source->types;
  for (const WindowFunction& f : functions) node->types.push_back(f.return_type);
  node->partition_by = std::move(partition);
  node->order_by = std::move(order);
  node->functions = std::move(functions);
  node->children.push_back(std::move(source));
  return node;
}

std::vector<ExpressionPtr> Cols(const std::vector<LogicalType>& types,
                                const std::vector<idx_t>& columns) {
  std::vector<ExpressionPtr> out;
  for (idx_t c : columns) out.push_back(Col(c, types[c]));
  return out;
}

template <typename... Fs>
std::vector<WindowFunction> Functions(Fs... fs) {
  std::vector<WindowFunction> out;
  (out.push_back(std::move(fs)), ...);
  return out;
}

// Output rows keyed by the BIGINT id in column 0, as strings for short failure messages.
std::map<int64_t, std::vector<std::string>> ById(const std::vector<Row>& rows) {
  std::map<int64_t, std::vector<std::string>> out;
  for (const Row& row : rows) {
    std::vector<std::string> values;
    for (const Value& v : row) values.push_back(v.ToString());
    EXPECT_TRUE(out.emplace(row[0].GetInt64(), values).second) << "duplicate id";
  }
  return out;
}

// The function column `column` for each id, in id order.
std::vector<std::string> Column(const std::vector<Row>& rows, idx_t column) {
  std::vector<std::string> out;
  for (const auto& [id, values] : ById(rows)) out.push_back(values.at(column));
  return out;
}

using Strings = std::vector<std::string>;

std::string ErrorCode(const PhysicalNode& node) {
  try {
    RunOperator(node);
  } catch (const BasaltError& e) {
    return e.code();
  }
  return "no error";
}

// --------------------------------------------------------------- ranking

TEST(WindowTest, RankingWithPartitionsAndPeers) {
  std::vector<LogicalType> types = {kBigint, kInteger, kInteger};  // id, p, o
  std::vector<Row> rows = {{Int(1), I32(1), I32(10)}, {Int(2), I32(1), I32(20)},
                           {Int(3), I32(1), I32(20)}, {Int(4), I32(1), I32(30)},
                           {Int(5), I32(2), I32(5)},  {Int(6), I32(2), I32(5)},
                           {Int(7), I32(2), I32(5)},  {Int(8), I32(2), I32(7)}};
  auto node = MakeWindow(
      MakeSource(types, rows, 3, 1), Cols(types, {1}), MakeSortKeys(types, {{2, false, false}}),
      Functions(Ranking(F::kRank), Ranking(F::kDenseRank), Ranking(F::kRowNumber),
                Aggregate("count_star", {}),
                Agg1("sum", 2, kInteger, Range(K::kUnboundedPreceding, K::kCurrentRow))));
  RunResult result = RunOperator(*node);
  ASSERT_EQ(result.rows.size(), rows.size());
  EXPECT_EQ(Column(result.rows, 3), (Strings{"1", "2", "2", "4", "1", "1", "1", "4"}));
  EXPECT_EQ(Column(result.rows, 4), (Strings{"1", "2", "2", "3", "1", "1", "1", "2"}));
  Strings row_numbers = Column(result.rows, 5);
  EXPECT_EQ(row_numbers[0], "1");
  EXPECT_EQ(row_numbers[3], "4");
  EXPECT_EQ(row_numbers[7], "4");
  EXPECT_EQ(std::set<std::string>(row_numbers.begin() + 1, row_numbers.begin() + 3),
            (std::set<std::string>{"2", "3"}));
  EXPECT_EQ(std::set<std::string>(row_numbers.begin() + 4, row_numbers.begin() + 7),
            (std::set<std::string>{"1", "2", "3"}));
  // The default frame (RANGE ... CURRENT ROW) reaches the last peer.
  EXPECT_EQ(Column(result.rows, 6), (Strings{"1", "3", "3", "4", "3", "3", "3", "4"}));
  EXPECT_EQ(Column(result.rows, 7), (Strings{"10", "50", "50", "80", "15", "15", "15", "22"}));
  // Partitions are contiguous and ordered inside.
  std::vector<int64_t> ids;
  for (const Row& r : result.rows) ids.push_back(r[0].GetInt64());
  const bool first_is_1 = ids[0] <= 4;
  for (int i = 0; i < 8; i++) EXPECT_EQ(ids[i] <= 4, (i < 4) == first_is_1) << i;
}

TEST(WindowTest, NoPartitionNoOrderMakesEveryRowAPeer) {
  std::vector<LogicalType> types = {kBigint, kInteger};
  std::vector<Row> rows;
  for (int i = 1; i <= 5; i++) rows.push_back({Int(i), i == 3 ? NullI32() : I32(i * 10)});
  auto node =
      MakeWindow(MakeSource(types, rows, 2), {}, {},
                 Functions(Ranking(F::kRowNumber), Ranking(F::kRank), Ranking(F::kDenseRank),
                           Aggregate("count_star", {}), Agg1("sum", 1, kInteger, {}),
                           Agg1("count", 1, kInteger, {}), Agg1("avg", 1, kInteger, {})));
  RunResult result = RunOperator(*node);
  ASSERT_EQ(result.rows.size(), 5u);
  Strings numbers = Column(result.rows, 2);
  std::sort(numbers.begin(), numbers.end());
  EXPECT_EQ(numbers, (Strings{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(Column(result.rows, 3), Strings(5, "1"));
  EXPECT_EQ(Column(result.rows, 4), Strings(5, "1"));
  EXPECT_EQ(Column(result.rows, 5), Strings(5, "5"));
  EXPECT_EQ(Column(result.rows, 6), Strings(5, "120"));
  EXPECT_EQ(Column(result.rows, 7), Strings(5, "4"));
  EXPECT_EQ(Column(result.rows, 8), Strings(5, "30"));
}

TEST(WindowTest, PartitionWithoutOrder) {
  std::vector<LogicalType> types = {kBigint, kInteger, kInteger};  // id, p, x
  std::vector<Row> rows = {{Int(1), I32(1), I32(1)},  {Int(2), I32(2), I32(10)},
                           {Int(3), I32(1), I32(2)},  {Int(4), NullI32(), I32(100)},
                           {Int(5), I32(2), I32(20)}, {Int(6), NullI32(), I32(200)}};
  auto node = MakeWindow(
      MakeSource(types, rows), Cols(types, {1}), {},
      Functions(Agg1("sum", 2, kInteger, {}), Ranking(F::kRank),
                Agg1("max", 2, kInteger, Rows(K::kCurrentRow, 0, K::kUnboundedFollowing, 0))));
  RunResult result = RunOperator(*node);
  EXPECT_EQ(Column(result.rows, 3), (Strings{"3", "30", "3", "300", "30", "300"}));
  EXPECT_EQ(Column(result.rows, 4), Strings(6, "1"));
}

TEST(WindowTest, NullsInPartitionAndOrderKeys) {
  std::vector<LogicalType> types = {kBigint, kInteger, kInteger};  // id, p, o
  std::vector<Row> rows = {{Int(1), NullI32(), I32(3)}, {Int(2), NullI32(), NullI32()},
                           {Int(3), I32(1), I32(1)},    {Int(4), NullI32(), NullI32()},
                           {Int(5), I32(1), NullI32()}, {Int(6), NullI32(), I32(1)}};
  struct Case {
    bool descending, nulls_first;
    Strings rank, count;
  };
  const std::vector<Case> cases = {
      {false, false, {"2", "3", "1", "3", "2", "1"}, {"2", "4", "1", "4", "2", "1"}},
      {false, true, {"4", "1", "2", "1", "1", "3"}, {"4", "2", "2", "2", "1", "3"}},
      {true, true, {"3", "1", "2", "1", "1", "4"}, {"3", "2", "2", "2", "1", "4"}},
      {true, false, {"1", "3", "1", "3", "2", "2"}, {"1", "4", "1", "4", "2", "2"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.descending ? "DESC" : "ASC") +
                 (c.nulls_first ? " NULLS FIRST" : " NULLS LAST"));
    auto node = MakeWindow(MakeSource(types, rows, 4, 0, true), Cols(types, {1}),
                           MakeSortKeys(types, {{2, c.descending, c.nulls_first}}),
                           Functions(Ranking(F::kRank), Aggregate("count_star", {})));
    RunResult result = RunOperator(*node);
    EXPECT_EQ(Column(result.rows, 3), c.rank);
    EXPECT_EQ(Column(result.rows, 4), c.count);
    // Output follows the order keys inside each partition.
    std::vector<Row> null_partition, one_partition;
    for (const Row& r : result.rows) (r[1].IsNull() ? null_partition : one_partition).push_back(r);
    ExpectOrdered(null_partition, {{2, c.descending, c.nulls_first}});
    ExpectOrdered(one_partition, {{2, c.descending, c.nulls_first}});
  }
}

TEST(WindowTest, ComputedPartitionAndOrderKeys) {
  // PARTITION BY id % 3 ORDER BY -id (as id * -1 via a computed key).
  std::vector<LogicalType> types = {kBigint};
  std::vector<Row> rows;
  for (int i = 0; i < 30; i++) rows.push_back({Int(i)});
  std::vector<ExpressionPtr> partition;
  partition.push_back(Mod(Col(0, kBigint), Expression::MakeConstant(Int(3))));
  std::vector<SortKey> order;
  order.push_back({Mod(Col(0, kBigint), Expression::MakeConstant(Int(1000))), true, true});
  auto node = MakeWindow(MakeSource(types, rows, 7, 1), std::move(partition), std::move(order),
                         Functions(Ranking(F::kRowNumber)));
  RunResult result = RunOperator(*node);
  ASSERT_EQ(result.rows.size(), 30u);
  for (const Row& r : result.rows) {
    const int64_t id = r[0].GetInt64();
    EXPECT_EQ(r[1].GetInt64(), (29 - id) / 3 + 1) << id;
  }
}

TEST(WindowTest, NtileSplitsUnevenPartitions) {
  std::vector<LogicalType> types = {kBigint, kInteger};  // id, p
  std::vector<Row> rows;
  int id = 0;
  for (int p = 1; p <= 3; p++) {
    const int size = p == 1 ? 7 : (p == 2 ? 2 : 1);
    for (int i = 0; i < size; i++) rows.push_back({Int(id++), I32(p)});
  }
  auto node = MakeWindow(MakeSource(types, rows), Cols(types, {1}),
                         MakeSortKeys(types, {{0, false, false}}),
                         Functions(Ntile(Int(3)), Ntile(Int(10)), Ntile(Value::Integer(1))));
  RunResult result = RunOperator(*node);
  EXPECT_EQ(Column(result.rows, 2), (Strings{"1", "1", "1", "2", "2", "3", "3", "1", "2", "1"}));
  EXPECT_EQ(Column(result.rows, 3), (Strings{"1", "2", "3", "4", "5", "6", "7", "1", "2", "1"}));
  EXPECT_EQ(Column(result.rows, 4), Strings(10, "1"));
}

// ------------------------------------------------------------ lag / lead

TEST(WindowTest, LagAndLeadWithOffsetAndDefault) {
  std::vector<LogicalType> types = {kBigint, kInteger, kVarchar};  // id (order), p, s
  const std::string long_value = "a value longer than any inlined string";
  const std::string long_default = "a default longer than any inlined string";
  std::vector<Row> rows = {{Int(1), I32(1), Str("a")},
                           {Int(2), I32(1), Str(long_value)},
                           {Int(3), I32(1), Value::Null(kVarchar)},
                           {Int(4), I32(1), Str("d")},
                           {Int(5), I32(2), Str("e")},
                           {Int(6), I32(2), Str("f")}};
  auto node = MakeWindow(
      MakeSource(types, rows, 4, 1), Cols(types, {1}), MakeSortKeys(types, {{0, false, false}}),
      Functions(
          LagLead(F::kLag, 2, kVarchar), LagLead(F::kLead, 2, kVarchar, Int(2), Str(long_default)),
          LagLead(F::kLag, 2, kVarchar, Int(0)), LagLead(F::kLead, 2, kVarchar, Int(-1)),
          LagLead(F::kLag, 2, kVarchar, NullInt()), LagLead(F::kLag, 0, kBigint, Int(1), Int(0)),
          LagLead(F::kLead, 0, kBigint, Int(INT64_MAX), Int(-7)),
          LagLead(F::kLag, 0, kBigint, Int(INT64_MIN), Int(-8))));
  RunResult result = RunOperator(*node);
  const std::string n = "NULL";
  EXPECT_EQ(Column(result.rows, 3), (Strings{n, "a", long_value, n, n, "e"}));
  EXPECT_EQ(Column(result.rows, 4),
            (Strings{n, "d", long_default, long_default, long_default, long_default}));
  EXPECT_EQ(Column(result.rows, 5), (Strings{"a", long_value, n, "d", "e", "f"}));
  EXPECT_EQ(Column(result.rows, 6), Column(result.rows, 3));
  EXPECT_EQ(Column(result.rows, 7), Strings(6, n));
  EXPECT_EQ(Column(result.rows, 8), (Strings{"0", "1", "2", "3", "0", "5"}));
  EXPECT_EQ(Column(result.rows, 9), Strings(6, "-7"));
  EXPECT_EQ(Column(result.rows, 10), Strings(6, "-8"));
}

// ------------------------------------------------------------- frames

TEST(WindowTest, RowsFrames) {
  std::vector<LogicalType> types = {kBigint, kInteger};  // id (order), x
  std::vector<Row> rows = {{Int(1), I32(1)}, {Int(2), I32(2)}, {Int(3), NullI32()},
                           {Int(4), I32(4)}, {Int(5), I32(5)}, {Int(6), I32(6)}};
  auto node = MakeWindow(
      MakeSource(types, rows, 4, 2), {}, MakeSortKeys(types, {{0, false, false}}),
      Functions(Agg1("sum", 1, kInteger, Rows(K::kPreceding, 1, K::kFollowing, 1)),
                Agg1("sum", 1, kInteger, Rows(K::kUnboundedPreceding, 0, K::kCurrentRow, 0)),
                Agg1("sum", 1, kInteger, Rows(K::kCurrentRow, 0, K::kUnboundedFollowing, 0)),
                Agg1("sum", 1, kInteger, Rows(K::kPreceding, 2, K::kPreceding, 1)),
                Agg1("count", 1, kInteger, Rows(K::kPreceding, 2, K::kPreceding, 1)),
                FrameValue(F::kFirstValue, 1, kInteger, Rows(K::kFollowing, 1, K::kFollowing, 2)),
                FrameValue(F::kLastValue, 1, kInteger),
                FrameValue(F::kLastValue, 1, kInteger,
                           Rows(K::kCurrentRow, 0, K::kUnboundedFollowing, 0)),
                Agg1("max", 1, kInteger, Rows(K::kPreceding, 1, K::kFollowing, 1)),
                Agg1("sum", 1, kInteger, Rows(K::kUnboundedPreceding, 0, K::kPreceding, 1)),
                Agg1("sum", 1, kInteger, Rows(K::kUnboundedPreceding, 0, K::kFollowing, 1)),
                Agg1("sum", 1, kInteger, Rows(K::kPreceding, 1, K::kPreceding, 2)),
                Agg1("sum", 1, kInteger, Rows(K::kFollowing, 5, K::kUnboundedFollowing, 0))));
  RunResult result = RunOperator(*node);
  const std::string n = "NULL";
  EXPECT_EQ(Column(result.rows, 2), (Strings{"3", "3", "6", "9", "15", "11"}));
  EXPECT_EQ(Column(result.rows, 3), (Strings{"1", "3", "3", "7", "12", "18"}));
  EXPECT_EQ(Column(result.rows, 4), (Strings{"18", "17", "15", "15", "11", "6"}));
  EXPECT_EQ(Column(result.rows, 5), (Strings{n, "1", "3", "2", "4", "9"}));
  EXPECT_EQ(Column(result.rows, 6), (Strings{"0", "1", "2", "1", "1", "2"}));
  EXPECT_EQ(Column(result.rows, 7), (Strings{"2", n, "4", "5", "6", n}));
  EXPECT_EQ(Column(result.rows, 8), (Strings{"1", "2", n, "4", "5", "6"}));
  EXPECT_EQ(Column(result.rows, 9), Strings(6, "6"));
  EXPECT_EQ(Column(result.rows, 10), (Strings{"2", "2", "4", "5", "6", "6"}));
  EXPECT_EQ(Column(result.rows, 11), (Strings{n, "1", "3", "3", "7", "12"}));
  EXPECT_EQ(Column(result.rows, 12), (Strings{"3", "3", "7", "12", "18", "18"}));
  EXPECT_EQ(Column(result.rows, 13), Strings(6, n));  // start after end: empty
  EXPECT_EQ(Column(result.rows, 14), (Strings{"6", n, n, n, n, n}));
}

TEST(WindowTest, RangeFramesReachWholePeerGroups) {
  std::vector<LogicalType> types = {kBigint, kInteger, kInteger};  // id, o, x
  std::vector<Row> rows = {{Int(1), I32(1), I32(1)},    {Int(2), I32(2), I32(10)},
                           {Int(3), I32(2), I32(20)},   {Int(4), I32(3), I32(100)},
                           {Int(5), I32(3), NullI32()}, {Int(6), I32(4), I32(1000)}};
  auto node = MakeWindow(
      MakeSource(types, rows, 5), {}, MakeSortKeys(types, {{1, false, false}}),
      Functions(
          Agg1("sum", 2, kInteger, Range(K::kUnboundedPreceding, K::kCurrentRow)),
          Agg1("sum", 2, kInteger, Range(K::kCurrentRow, K::kUnboundedFollowing)),
          Agg1("sum", 2, kInteger, Range(K::kCurrentRow, K::kCurrentRow)),
          Aggregate("count_star", {}, Range(K::kCurrentRow, K::kUnboundedFollowing)),
          Agg1("sum", 2, kInteger, Range(K::kUnboundedPreceding, K::kUnboundedFollowing)),
          FrameValue(F::kLastValue, 1, kInteger),
          FrameValue(F::kFirstValue, 1, kInteger, Range(K::kCurrentRow, K::kUnboundedFollowing)),
          Agg1("min", 2, kInteger, Range(K::kCurrentRow, K::kCurrentRow))));
  RunResult result = RunOperator(*node);
  EXPECT_EQ(Column(result.rows, 3), (Strings{"1", "31", "31", "131", "131", "1131"}));
  EXPECT_EQ(Column(result.rows, 4), (Strings{"1131", "1130", "1130", "1100", "1100", "1000"}));
  EXPECT_EQ(Column(result.rows, 5), (Strings{"1", "30", "30", "100", "100", "1000"}));
  EXPECT_EQ(Column(result.rows, 6), (Strings{"6", "5", "5", "3", "3", "1"}));
  EXPECT_EQ(Column(result.rows, 7), Strings(6, "1131"));
  EXPECT_EQ(Column(result.rows, 8), (Strings{"1", "2", "2", "3", "3", "4"}));
  EXPECT_EQ(Column(result.rows, 9), (Strings{"1", "2", "2", "3", "3", "4"}));
  EXPECT_EQ(Column(result.rows, 10), (Strings{"1", "10", "10", "100", "100", "1000"}));
}

TEST(WindowTest, StringMinMaxOverSlidingAndRunningFrames) {
  // Long strings make min/max states own heap memory (destroy must run).
  std::vector<LogicalType> types = {kBigint, kVarchar};
  std::vector<Row> rows;
  std::vector<std::string> values;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 3000; i++) {
    std::string s = "value-with-a-long-prefix-" + std::to_string(rng() % 1000);
    values.push_back(s);
    rows.push_back({Int(i), Str(s)});
  }
  auto node = MakeWindow(
      MakeSource(types, rows, 1000), {}, MakeSortKeys(types, {{0, false, false}}),
      Functions(Agg1("min", 1, kVarchar, Rows(K::kPreceding, 40, K::kFollowing, 3)),
                Agg1("max", 1, kVarchar, Rows(K::kUnboundedPreceding, 0, K::kCurrentRow, 0))));
  RunResult result = RunOperator(*node);
  ASSERT_EQ(result.rows.size(), rows.size());
  std::string running_max;
  for (int i = 0; i < 3000; i++) {
    const Row& r = result.rows[i];
    ASSERT_EQ(r[0].GetInt64(), i);
    std::string expected_min = values[std::max(0, i - 40)];
    for (int k = std::max(0, i - 40); k <= std::min(2999, i + 3); k++) {
      expected_min = std::min(expected_min, values[k]);
    }
    running_max = std::max(running_max, values[i]);
    EXPECT_EQ(r[2].GetString(), expected_min) << i;
    EXPECT_EQ(r[3].GetString(), running_max) << i;
  }
}

// ------------------------------------------------- batches and blocking

TEST(WindowTest, BlockedInputInManyBatchesGivesTheSameRows) {
  std::vector<LogicalType> types = {kBigint, kInteger, kInteger, kVarchar};  // id, p, x, s
  std::vector<Row> rows;
  std::mt19937_64 rng(17);
  for (int i = 0; i < 5000; i++) {
    rows.push_back({Int(i), I32(static_cast<int32_t>(rng() % 7)),
                    rng() % 9 == 0 ? NullI32() : I32(static_cast<int32_t>(rng() % 100)),
                    Str("s" + std::to_string(rng() % 50))});
  }
  auto make = [&](idx_t batch_size, int blocks, bool dictionary) {
    return MakeWindow(MakeSource(types, rows, batch_size, blocks, dictionary), Cols(types, {1}),
                      MakeSortKeys(types, {{0, true, false}}),
                      Functions(Ranking(F::kRowNumber), Agg1("sum", 2, kInteger, {}),
                                Agg1("avg", 2, kInteger, Rows(K::kPreceding, 3, K::kFollowing, 3)),
                                LagLead(F::kLead, 3, kVarchar, Int(2), Str("none")),
                                FrameValue(F::kFirstValue, 3, kVarchar,
                                           Rows(K::kPreceding, 1, K::kCurrentRow, 0))));
  };
  RunResult whole = RunOperator(*make(kBatchSize, 0, false));
  RunResult pieces = RunOperator(*make(37, 3, true));
  EXPECT_GT(pieces.blocked, 100);
  EXPECT_GT(whole.batches, 2);
  ASSERT_EQ(whole.rows.size(), rows.size());
  EXPECT_EQ(ById(whole.rows), ById(pieces.rows));
  // Rows come out ordered by id descending inside each partition.
  for (size_t i = 1; i < whole.rows.size(); i++) {
    if (whole.rows[i][1] == whole.rows[i - 1][1]) {
      EXPECT_LT(whole.rows[i][0].GetInt64(), whole.rows[i - 1][0].GetInt64());
    }
  }
}

TEST(WindowTest, EmptyInput) {
  std::vector<LogicalType> types = {kBigint};
  auto node =
      MakeWindow(MakeSource(types, {}), {}, {},
                 Functions(Ranking(F::kRank), Ntile(Int(0)),
                           Agg1("sum", 0, kBigint, Rows(K::kPreceding, 1, K::kFollowing, 1))));
  RunResult result = RunOperator(*node);
  EXPECT_TRUE(result.rows.empty());
}

// ----------------------------------------------------- large, differential

// A sliding-frame sum over 100k rows against prefix sums of the output order.
TEST(WindowTest, SlidingSumOver100kRowsMatchesNaive) {
  std::vector<LogicalType> types = {kBigint, kInteger, kInteger};  // id (unique order), p, x
  std::vector<Row> rows;
  std::mt19937_64 rng(99);
  const int kRows = 100000;
  for (int i = 0; i < kRows; i++) {
    // A few huge partitions and many tiny ones.
    const int32_t p =
        rng() % 4 == 0 ? static_cast<int32_t>(100 + rng() % 5000) : static_cast<int32_t>(rng() % 3);
    rows.push_back({Int(static_cast<int64_t>(rng() >> 1)), I32(p),
                    rng() % 10 == 0 ? NullI32() : I32(static_cast<int32_t>(rng() % 2001) - 1000)});
  }
  struct FrameCase {
    WindowFrame frame;
    const char* name;
  };
  const std::vector<FrameCase> frames = {
      {Rows(K::kPreceding, 50, K::kFollowing, 30), "50 PRECEDING AND 30 FOLLOWING"},
      {Rows(K::kPreceding, 5000, K::kFollowing, 3000), "5000 PRECEDING AND 3000 FOLLOWING"},
      {Rows(K::kCurrentRow, 0, K::kUnboundedFollowing, 0), "CURRENT ROW AND UNBOUNDED FOLLOWING"},
      {Rows(K::kUnboundedPreceding, 0, K::kCurrentRow, 0), "UNBOUNDED PRECEDING AND CURRENT ROW"},
      {Rows(K::kFollowing, 7, K::kFollowing, 700), "7 FOLLOWING AND 700 FOLLOWING"},
      {Rows(K::kUnboundedPreceding, 0, K::kFollowing, 1000),
       "UNBOUNDED PRECEDING AND 1000 FOLLOWING"},
  };
  std::vector<WindowFunction> functions;
  for (const FrameCase& f : frames) {
    functions.push_back(Agg1("sum", 2, kInteger, f.frame));
    functions.push_back(Agg1("count", 2, kInteger, f.frame));
  }
  auto node = MakeWindow(MakeSource(types, rows, 1500), Cols(types, {1}),
                         MakeSortKeys(types, {{0, false, false}}), std::move(functions));
  RunResult result = RunOperator(*node);
  ASSERT_EQ(result.rows.size(), rows.size());
  // Prefix sums and counts of x over the output order, partition by partition.
  const idx_t n = result.rows.size();
  std::vector<int64_t> sum(n + 1, 0), count(n + 1, 0);
  std::vector<idx_t> partition_begin(n), partition_end(n);
  std::set<int32_t> seen;
  for (idx_t i = 0, begin = 0; i < n; i++) {
    const Row& r = result.rows[i];
    sum[i + 1] = sum[i] + (r[2].IsNull() ? 0 : r[2].GetInt64());
    count[i + 1] = count[i] + !r[2].IsNull();
    if (i > 0 && r[1] != result.rows[i - 1][1]) begin = i;
    if (i == begin) {
      ASSERT_TRUE(seen.insert(static_cast<int32_t>(r[1].GetInt64())).second) << "split partition";
    } else {
      ASSERT_LT(result.rows[i - 1][0].GetInt64(), r[0].GetInt64());
    }
    partition_begin[i] = begin;
  }
  for (idx_t i = n; i-- > 0;) {
    partition_end[i] =
        (i + 1 == n || partition_begin[i + 1] != partition_begin[i]) ? i + 1 : partition_end[i + 1];
  }
  for (idx_t f = 0; f < frames.size(); f++) {
    SCOPED_TRACE(frames[f].name);
    const WindowFrame& frame = frames[f].frame;
    int mismatches = 0;
    for (idx_t i = 0; i < n && mismatches < 5; i++) {
      const int64_t ps = partition_begin[i], pe = partition_end[i], p = i;
      int64_t b = frame.start == K::kUnboundedPreceding ? ps
                  : frame.start == K::kPreceding        ? p - frame.start_offset
                  : frame.start == K::kCurrentRow       ? p
                                                        : p + frame.start_offset;
      int64_t e = frame.end == K::kUnboundedFollowing ? pe
                  : frame.end == K::kCurrentRow       ? p + 1
                                                      : p + frame.end_offset + 1;
      b = std::clamp(b, ps, pe);
      e = std::clamp(e, b, pe);
      const int64_t c = count[e] - count[b];
      const std::string expected_sum = c == 0 ? "NULL" : std::to_string(sum[e] - sum[b]);
      const Row& r = result.rows[i];
      if (r[3 + 2 * f].ToString() != expected_sum || r[4 + 2 * f].GetInt64() != c) {
        ADD_FAILURE() << "row " << i << ": sum " << r[3 + 2 * f].ToString() << " vs "
                      << expected_sum << ", count " << r[4 + 2 * f].ToString() << " vs " << c;
        mismatches++;
      }
    }
  }
}

// Every function over random rows with many ties and NULLs, against a naive
// evaluation of the operator's own output order (peers may come out in any
// order, and ROWS frames and row_number depend on it).
struct RefFunction {
  F kind;
  std::string aggregate;  // for kAggregate
  idx_t column = 0;       // argument column (in the output row)
  WindowFrame frame;
  int64_t offset = 1;  // lag/lead; ntile buckets
  Value default_value;
};

Value NaiveAggregate(const std::string& name, const std::vector<Value>& values,
                     const LogicalType& type) {
  std::vector<Value> present;
  for (const Value& v : values) {
    if (!v.IsNull()) present.push_back(v);
  }
  if (name == "count_star") return Int(static_cast<int64_t>(values.size()));
  if (name == "count") return Int(static_cast<int64_t>(present.size()));
  if (present.empty()) return Value::Null(type);
  if (name == "sum") {
    int64_t s = 0;
    for (const Value& v : present) s += v.GetInt64();
    return Int(s);
  }
  if (name == "avg") {
    int64_t s = 0;
    for (const Value& v : present) s += v.GetInt64();
    return Value::Double(static_cast<double>(s) / static_cast<double>(present.size()));
  }
  Value best = present[0];
  for (const Value& v : present) {
    const int c = ReferenceCompare(v, best);
    if ((name == "min" && c < 0) || (name == "max" && c > 0)) best = v;
  }
  return best;
}

bool InFrame(const WindowFrame& frame, int64_t row, int64_t other, int64_t row_peer,
             int64_t other_peer) {
  if (frame.unit == WindowFrameUnit::kRange) {
    const bool after_start = frame.start == K::kUnboundedPreceding || other_peer >= row_peer;
    const bool before_end = frame.end == K::kUnboundedFollowing || other_peer <= row_peer;
    return after_start && before_end;
  }
  const int64_t d = other - row;
  bool after_start = true, before_end = true;
  switch (frame.start) {
    case K::kPreceding:
      after_start = d >= -frame.start_offset;
      break;
    case K::kCurrentRow:
      after_start = d >= 0;
      break;
    case K::kFollowing:
      after_start = d >= frame.start_offset;
      break;
    default:
      break;
  }
  switch (frame.end) {
    case K::kPreceding:
      before_end = d <= -frame.end_offset;
      break;
    case K::kCurrentRow:
      before_end = d <= 0;
      break;
    case K::kFollowing:
      before_end = d <= frame.end_offset;
      break;
    default:
      break;
  }
  return after_start && before_end;
}

void CheckAgainstNaive(const std::vector<Row>& out, const std::vector<idx_t>& partition,
                       const std::vector<KeySpec>& order, const std::vector<RefFunction>& refs,
                       idx_t first_function_column) {
  const int64_t n = static_cast<int64_t>(out.size());
  auto same_partition = [&](const Row& a, const Row& b) {
    for (idx_t c : partition) {
      if (a[c] != b[c]) return false;
    }
    return true;
  };
  std::set<std::string> seen_partitions;
  int64_t i = 0;
  int failures = 0;
  while (i < n) {
    int64_t end = i + 1;
    while (end < n && same_partition(out[i], out[end])) end++;
    std::string key;
    for (idx_t c : partition) key += out[i][c].ToString() + "|";
    EXPECT_TRUE(seen_partitions.insert(key).second) << "partition split: " << key;
    std::vector<Row> part(out.begin() + i, out.begin() + end);
    ExpectOrdered(part, order);
    // Peer group ordinal of each row of the partition.
    std::vector<int64_t> peer(part.size(), 0);
    std::vector<int64_t> rank(part.size(), 1);
    for (size_t r = 1; r < part.size(); r++) {
      const bool tied = ReferenceCompareRows(part[r - 1], part[r], order) == 0;
      peer[r] = peer[r - 1] + !tied;
      rank[r] = tied ? rank[r - 1] : static_cast<int64_t>(r) + 1;
    }
    const int64_t size = static_cast<int64_t>(part.size());
    for (size_t f = 0; f < refs.size(); f++) {
      const RefFunction& ref = refs[f];
      const idx_t column = first_function_column + f;
      for (int64_t r = 0; r < size; r++) {
        Value expected;
        switch (ref.kind) {
          case F::kRowNumber:
            expected = Int(r + 1);
            break;
          case F::kRank:
            expected = Int(rank[r]);
            break;
          case F::kDenseRank:
            expected = Int(peer[r] + 1);
            break;
          case F::kNtile: {
            // Bucket b holds rows [start(b), start(b+1)) with the first size % n one larger.
            const int64_t buckets = ref.offset;
            int64_t b = 0, start = 0;
            while (true) {
              const int64_t len = size / buckets + (b < size % buckets ? 1 : 0);
              if (r < start + len) break;
              start += len;
              b++;
            }
            expected = Int(b + 1);
            break;
          }
          case F::kLag:
          case F::kLead: {
            const int64_t s = ref.kind == F::kLag ? r - ref.offset : r + ref.offset;
            expected = s >= 0 && s < size ? part[s][ref.column] : ref.default_value;
            break;
          }
          case F::kFirstValue:
          case F::kLastValue:
          case F::kAggregate: {
            std::vector<Value> members;
            for (int64_t o = 0; o < size; o++) {
              if (InFrame(ref.frame, r, o, peer[r], peer[o])) {
                members.push_back(ref.kind == F::kAggregate && ref.aggregate == "count_star"
                                      ? Int(0)
                                      : part[o][ref.column]);
              }
            }
            const LogicalType type = out[0][column].type();
            if (ref.kind == F::kAggregate) {
              expected = NaiveAggregate(ref.aggregate, members, type);
            } else if (members.empty()) {
              expected = Value::Null(type);
            } else {
              expected = ref.kind == F::kFirstValue ? members.front() : members.back();
            }
            break;
          }
        }
        const Value& actual = part[r][column];
        if (actual.ToString() != expected.ToString() && failures++ < 10) {
          ADD_FAILURE() << "function " << f << ", partition " << key << " row " << r << ": "
                        << actual.ToString() << " vs expected " << expected.ToString();
        }
      }
    }
    i = end;
  }
}

TEST(WindowTest, EveryFunctionMatchesNaiveOnRandomRows) {
  // id, p1, p2, o1, o2, x, s
  std::vector<LogicalType> types = {kBigint,  kInteger, kVarchar, kInteger,
                                    kVarchar, kInteger, kVarchar};
  std::mt19937_64 rng(4242);
  std::vector<Row> rows;
  const std::vector<std::string> words = {"a", "b", "long string number one, not inlined",
                                          "long string number two, not inlined"};
  for (int i = 0; i < 1500; i++) {
    auto maybe_null = [&](Value v, LogicalType t) { return rng() % 8 == 0 ? Value::Null(t) : v; };
    rows.push_back({Int(i), maybe_null(I32(static_cast<int32_t>(rng() % 4)), kInteger),
                    maybe_null(Str(words[rng() % 2]), kVarchar),
                    maybe_null(I32(static_cast<int32_t>(rng() % 6)), kInteger),
                    maybe_null(Str(words[rng() % 4]), kVarchar),
                    maybe_null(I32(static_cast<int32_t>(rng() % 201) - 100), kInteger),
                    maybe_null(Str(words[rng() % 4] + std::to_string(rng() % 5)), kVarchar)});
  }
  const std::vector<RefFunction> refs = {
      {F::kRowNumber, "", 0, {}, 1, {}},
      {F::kRank, "", 0, {}, 1, {}},
      {F::kDenseRank, "", 0, {}, 1, {}},
      {F::kNtile, "", 0, {}, 7, {}},
      {F::kLag, "", 6, {}, 1, Value::Null(kVarchar)},
      {F::kLead, "", 5, {}, 3, I32(-1)},
      {F::kFirstValue, "", 6, Rows(K::kPreceding, 2, K::kFollowing, 2), 1, {}},
      {F::kLastValue, "", 5, {}, 1, {}},
      {F::kLastValue, "", 6, Range(K::kCurrentRow, K::kUnboundedFollowing), 1, {}},
      {F::kAggregate, "sum", 5, {}, 1, {}},
      {F::kAggregate, "sum", 5, Rows(K::kPreceding, 1, K::kFollowing, 1), 1, {}},
      {F::kAggregate, "sum", 5, Rows(K::kPreceding, 40, K::kFollowing, 25), 1, {}},
      {F::kAggregate, "sum", 5, Range(K::kCurrentRow, K::kUnboundedFollowing), 1, {}},
      {F::kAggregate, "sum", 5, Range(K::kCurrentRow, K::kCurrentRow), 1, {}},
      {F::kAggregate, "count", 5, Rows(K::kPreceding, 3, K::kPreceding, 1), 1, {}},
      {F::kAggregate, "count_star", 5, Rows(K::kCurrentRow, 0, K::kFollowing, 300), 1, {}},
      {F::kAggregate, "avg", 5, Rows(K::kUnboundedPreceding, 0, K::kFollowing, 2), 1, {}},
      {F::kAggregate, "min", 6, Rows(K::kPreceding, 20, K::kCurrentRow, 0), 1, {}},
      {F::kAggregate, "max", 6, Range(K::kUnboundedPreceding, K::kCurrentRow), 1, {}},
      {F::kAggregate, "max", 5, Rows(K::kFollowing, 2, K::kFollowing, 100), 1, {}},
  };
  auto make_functions = [&]() {
    std::vector<WindowFunction> functions;
    for (const RefFunction& ref : refs) {
      switch (ref.kind) {
        case F::kNtile:
          functions.push_back(Ntile(Int(ref.offset)));
          break;
        case F::kLag:
        case F::kLead:
          functions.push_back(
              LagLead(ref.kind, ref.column, types[ref.column], Int(ref.offset), ref.default_value));
          break;
        case F::kFirstValue:
        case F::kLastValue:
          functions.push_back(FrameValue(ref.kind, ref.column, types[ref.column], ref.frame));
          break;
        case F::kAggregate:
          if (ref.aggregate == "count_star") {
            functions.push_back(Aggregate("count_star", {}, ref.frame));
          } else {
            functions.push_back(Agg1(ref.aggregate, ref.column, types[ref.column], ref.frame));
          }
          break;
        default:
          functions.push_back(Ranking(ref.kind));
      }
    }
    return functions;
  };
  struct Spec {
    std::vector<idx_t> partition;
    std::vector<KeySpec> order;
  };
  const std::vector<Spec> specs = {
      {{1}, {{3, false, false}}},
      {{1, 2}, {{3, true, true}, {4, false, true}}},
      {{}, {{4, true, false}}},
      {{2}, {}},
      {{}, {}},
      {{1}, {{0, false, false}}},
  };
  for (size_t s = 0; s < specs.size(); s++) {
    SCOPED_TRACE("spec " + std::to_string(s));
    auto node =
        MakeWindow(MakeSource(types, rows, 211, 1, s % 2 == 1), Cols(types, specs[s].partition),
                   MakeSortKeys(types, specs[s].order), make_functions());
    RunResult result = RunOperator(*node);
    ASSERT_EQ(result.rows.size(), rows.size());
    std::vector<Row> inputs;
    for (const Row& r : result.rows) inputs.emplace_back(r.begin(), r.begin() + types.size());
    EXPECT_EQ(Canonical(inputs), Canonical(rows));
    CheckAgainstNaive(result.rows, specs[s].partition, specs[s].order, refs, types.size());
  }
}

// ---------------------------------------------------------------- errors

TEST(WindowTest, NtileRejectsNonPositiveAndNullBuckets) {
  std::vector<LogicalType> types = {kBigint};
  for (const Value& buckets : {Int(0), Int(-3), NullInt()}) {
    SCOPED_TRACE(buckets.ToString());
    auto node =
        MakeWindow(MakeSource(types, {{Int(1)}, {Int(2)}}), {}, {}, Functions(Ntile(buckets)));
    try {
      RunOperator(*node);
      ADD_FAILURE() << "no error";
    } catch (const BasaltError& e) {
      EXPECT_STREQ(e.code(), "22014");
      EXPECT_STREQ(e.what(), "argument of ntile must be greater than zero");
    }
  }
}

TEST(WindowTest, InvalidFramesAreRejected) {
  std::vector<LogicalType> types = {kBigint};
  struct Case {
    WindowFrame frame;
    const char* code;
  };
  const std::vector<Case> cases = {
      {Rows(K::kUnboundedFollowing, 0, K::kUnboundedFollowing, 0), "42P20"},
      {Rows(K::kCurrentRow, 0, K::kUnboundedPreceding, 0), "42P20"},
      {Rows(K::kCurrentRow, 0, K::kPreceding, 1), "42P20"},
      {Rows(K::kFollowing, 1, K::kCurrentRow, 0), "42P20"},
      {Rows(K::kPreceding, -1, K::kCurrentRow, 0), "22013"},
      {Rows(K::kCurrentRow, 0, K::kFollowing, -2), "22013"},
      {WindowFrame{WindowFrameUnit::kRange, K::kPreceding, 0, K::kCurrentRow, 0, -1.0, 0}, "22013"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(WindowFrameToString(c.frame));
    auto node = MakeWindow(MakeSource(types, {{Int(1)}}), {}, {},
                           Functions(Agg1("sum", 0, kBigint, c.frame)));
    EXPECT_EQ(ErrorCode(*node), c.code);
  }
}

TEST(WindowTest, NonConstantLagOffsetIsRejected) {
  std::vector<LogicalType> types = {kBigint};
  WindowFunction lag = LagLead(F::kLag, 0, kBigint);
  lag.args.push_back(Col(0, kBigint));
  auto node = MakeWindow(MakeSource(types, {{Int(1)}}), {}, {}, Functions(std::move(lag)));
  EXPECT_EQ(ErrorCode(*node), sqlstate::kFeatureNotSupported);
}

TEST(WindowTest, Details) {
  std::vector<LogicalType> types = {kBigint, kInteger};
  auto node =
      MakeWindow(MakeSource(types, {}), Cols(types, {1}), MakeSortKeys(types, {{0, true, true}}),
                 Functions(Ranking(F::kRank),
                           Agg1("sum", 1, kInteger, Rows(K::kPreceding, 1, K::kFollowing, 2))));
  const std::string details = node->Details();
  EXPECT_NE(details.find("partition: "), std::string::npos) << details;
  EXPECT_NE(details.find("DESC"), std::string::npos) << details;
  EXPECT_NE(details.find("rank()"), std::string::npos) << details;
  EXPECT_NE(details.find("sum("), std::string::npos) << details;
  EXPECT_NE(details.find("ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING"), std::string::npos) << details;
}

}  // namespace
}  // namespace basalt::optest
