// Tests of the scan, values, filter, projection, limit and union operators,
// each run as a small plan through QueryExecution.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "catalog/catalog.h"
#include "exec/expression.h"
#include "exec/fragment.h"
#include "exec/operators/file_scan.h"
#include "exec/operators/filter.h"
#include "exec/operators/limit.h"
#include "exec/operators/projection.h"
#include "exec/operators/table_scan.h"
#include "exec/operators/union_all.h"
#include "exec/operators/values.h"
#include "exec/query_executor.h"
#include "exec/task_scheduler.h"
#include "storage/csv_test_util.h"

namespace basalt {
namespace {

const LogicalType kBigint(TypeId::kBigint);
const LogicalType kInteger(TypeId::kInteger);
const LogicalType kVarchar(TypeId::kVarchar);
const LogicalType kBoolean(TypeId::kBoolean);

// x % 3 == 0 over BIGINT, NULL for NULL: a predicate that needs no registry.
void MultipleOfThreeKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                           const FunctionData* data, Vector& result) {
  UnifiedFormat in;
  args[0].ToUnified(count, &in);
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = sel ? sel->Get(i) : static_cast<uint32_t>(i);
    uint32_t src = in.sel->Get(row);
    if (in.validity->IsValid(src)) {
      result.Data<bool>()[row] = in.Data<int64_t>()[src] % 3 == 0;
    } else {
      result.SetNull(row);
    }
  }
}

ExpressionPtr MultipleOfThree(idx_t column) {
  BoundScalarFunction fn;
  fn.name = "multiple_of_three";
  fn.arg_types = {kBigint};
  fn.return_type = kBoolean;
  fn.kernel = MultipleOfThreeKernel;
  std::vector<ExpressionPtr> args;
  args.push_back(Expression::MakeInputRef(column, kBigint));
  return Expression::MakeFunction(std::move(fn), std::move(args));
}

std::string Text(int64_t k) { return fmt::format("text-of-row-{}", k); }

// (k BIGINT, s VARCHAR): k = 0 .. rows-1, s = Text(k).
std::shared_ptr<TableEntry> MakeTable(idx_t rows) {
  auto table = std::make_shared<TableEntry>();
  table->schema = "main";
  table->name = "t";
  table->columns = {{"k", kBigint}, {"s", kVarchar}};
  table->storage = std::make_shared<DataTable>(std::vector<LogicalType>{kBigint, kVarchar});
  for (idx_t start = 0; start < rows; start += kBatchSize) {
    DataChunk chunk({kBigint, kVarchar});
    idx_t n = std::min(kBatchSize, rows - start);
    for (idx_t i = 0; i < n; i++) {
      chunk.column(0).Data<int64_t>()[i] = static_cast<int64_t>(start + i);
      chunk.column(1).SetString(i, Text(static_cast<int64_t>(start + i)));
    }
    chunk.SetSize(n);
    table->storage->Append(chunk);
  }
  return table;
}

class Plans {
 public:
  template <typename T>
  std::unique_ptr<T> Node(std::vector<LogicalType> types = {}) {
    auto node = std::make_unique<T>();
    node->id = next_id_++;
    node->types = std::move(types);
    return node;
  }
  template <typename T>
  std::unique_ptr<T> Over(std::unique_ptr<T> parent, std::unique_ptr<PhysicalNode> child) {
    if (parent->types.empty()) parent->types = child->types;
    parent->children.push_back(std::move(child));
    return parent;
  }
  std::unique_ptr<TableScanNode> Scan(std::shared_ptr<TableEntry> table,
                                      std::vector<idx_t> column_ids) {
    auto scan = Node<TableScanNode>();
    for (idx_t id : column_ids) scan->types.push_back(table->columns[id].type);
    scan->table = std::move(table);
    scan->column_ids = std::move(column_ids);
    return scan;
  }

  // One fragment: the root runs alone and feeds the client.
  static FragmentedPlan Single(std::unique_ptr<PhysicalNode> root) {
    FragmentedPlan plan;
    PlanFragment f;
    f.root = std::move(root);
    plan.column_types = f.root->types;
    plan.fragments.push_back(std::move(f));
    return plan;
  }

  // `node` runs in `parallelism` instances whose rows are gathered.
  FragmentedPlan Parallel(std::unique_ptr<PhysicalNode> node, int parallelism) {
    std::vector<LogicalType> types = node->types;
    FragmentedPlan plan;
    auto receiver = Node<ExchangeReceiverNode>(types);
    receiver->source_fragment = 1;
    PlanFragment root;
    root.root = std::move(receiver);
    PlanFragment leaf;
    leaf.id = 1;
    leaf.root = std::move(node);
    leaf.parallelism = parallelism;
    leaf.output_exchange = 0;
    plan.fragments.push_back(std::move(root));
    plan.fragments.push_back(std::move(leaf));
    plan.num_exchanges = 1;
    plan.exchange_consumer = {0};
    plan.column_types = types;
    return plan;
  }

 private:
  int next_id_ = 1;
};

using Rows = std::vector<std::vector<Value>>;

class BasicOperatorsTest : public ::testing::Test {
 protected:
  Rows Execute(FragmentedPlan plan) {
    QueryExecution execution(std::move(plan), scheduler_);
    execution.Start();
    Rows rows;
    DataChunk chunk;
    while (execution.Next(chunk)) {
      EXPECT_GT(chunk.size(), 0u);
      EXPECT_LE(chunk.size(), kBatchSize);
      for (idx_t r = 0; r < chunk.size(); r++) {
        std::vector<Value> row;
        for (idx_t c = 0; c < chunk.ColumnCount(); c++) row.push_back(chunk.GetValue(c, r));
        rows.push_back(std::move(row));
      }
    }
    return rows;
  }

  static std::vector<int64_t> FirstColumn(const Rows& rows) {
    std::vector<int64_t> out;
    for (const auto& row : rows) out.push_back(row[0].GetInt64());
    return out;
  }

  TaskScheduler scheduler_{3};
  Plans plans_;
};

TEST_F(BasicOperatorsTest, TableScanReadsEveryRowOnceInParallel) {
  auto table = MakeTable(50'000);
  Rows rows = Execute(plans_.Parallel(plans_.Scan(table, {1, 0}), 4));
  ASSERT_EQ(rows.size(), 50'000u);
  std::vector<int> seen(50'000, 0);
  for (const auto& row : rows) {
    int64_t k = row[1].GetInt64();
    EXPECT_EQ(row[0].GetString(), Text(k));
    seen[k]++;
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), 50'000);
}

TEST_F(BasicOperatorsTest, TableScanWithFilterAndNoRows) {
  auto table = MakeTable(10'000);
  auto scan = plans_.Scan(table, {0});
  scan->filter = MultipleOfThree(0);
  std::vector<int64_t> ks = FirstColumn(Execute(plans_.Parallel(std::move(scan), 3)));
  std::sort(ks.begin(), ks.end());
  ASSERT_EQ(ks.size(), 3334u);
  for (size_t i = 0; i < ks.size(); i++) ASSERT_EQ(ks[i], static_cast<int64_t>(3 * i));

  auto empty = MakeTable(0);
  EXPECT_TRUE(Execute(Plans::Single(plans_.Scan(empty, {0, 1}))).empty());
}

TEST_F(BasicOperatorsTest, TableScanSeesTheSnapshotTakenAtStart) {
  auto table = MakeTable(3000);
  QueryExecution execution(Plans::Single(plans_.Scan(table, {0})), scheduler_);
  execution.Start();
  DataChunk more({kBigint, kVarchar});
  more.SetSize(100);
  for (idx_t i = 0; i < 100; i++) {
    more.column(0).Data<int64_t>()[i] = -1;
    more.column(1).SetString(i, "late");
  }
  table->storage->Append(more);
  idx_t rows = 0;
  DataChunk chunk;
  while (execution.Next(chunk)) rows += chunk.size();
  EXPECT_EQ(rows, 3000u);
}

TEST_F(BasicOperatorsTest, ValuesEmitOnceAcrossInstances) {
  auto values = plans_.Node<ValuesNode>({kBigint, kVarchar});
  for (int64_t i = 0; i < 5000; i++) {
    values->rows.push_back(
        {Value::Bigint(i), i % 7 == 0 ? Value::Null(kVarchar) : Value::Varchar(Text(i))});
  }
  Rows rows = Execute(plans_.Parallel(std::move(values), 3));
  ASSERT_EQ(rows.size(), 5000u);
  // One instance emits them all, in order.
  for (int64_t i = 0; i < 5000; i++) {
    ASSERT_EQ(rows[i][0].GetInt64(), i);
    if (i % 7 == 0) {
      EXPECT_TRUE(rows[i][1].IsNull());
    } else {
      EXPECT_EQ(rows[i][1].GetString(), Text(i));
    }
  }
}

TEST_F(BasicOperatorsTest, ValuesWithoutColumns) {
  auto values = plans_.Node<ValuesNode>();
  values->rows.resize(3);
  Rows rows = Execute(Plans::Single(std::move(values)));
  EXPECT_EQ(rows.size(), 3u);
}

TEST_F(BasicOperatorsTest, FilterDropsFalseAndNull) {
  auto values = plans_.Node<ValuesNode>({kBigint});
  for (int64_t i = 0; i < 3000; i++) {
    values->rows.push_back({i % 2 == 0 ? Value::Null(kBigint) : Value::Bigint(i)});
  }
  auto filter = plans_.Node<FilterNode>();
  filter->predicate = MultipleOfThree(0);
  std::vector<int64_t> ks =
      FirstColumn(Execute(Plans::Single(plans_.Over(std::move(filter), std::move(values)))));
  std::vector<int64_t> expected;
  for (int64_t i = 3; i < 3000; i += 6) expected.push_back(i);
  EXPECT_EQ(ks, expected);
}

TEST_F(BasicOperatorsTest, ProjectionComputesColumns) {
  auto table = MakeTable(5000);
  auto projection = plans_.Node<ProjectionNode>({kBoolean, kVarchar, kInteger, kBigint});
  projection->expressions.push_back(MultipleOfThree(0));
  projection->expressions.push_back(Expression::MakeInputRef(1, kVarchar));
  projection->expressions.push_back(Expression::MakeConstant(Value::Integer(42)));
  projection->expressions.push_back(Expression::MakeInputRef(0, kBigint));
  auto filter = plans_.Node<FilterNode>();
  filter->predicate = MultipleOfThree(0);
  // Projection over a filtered (sliced) input.
  auto plan = plans_.Over(std::move(projection),
                          plans_.Over(std::move(filter), plans_.Scan(table, {0, 1})));
  Rows rows = Execute(Plans::Single(std::move(plan)));
  ASSERT_EQ(rows.size(), 1667u);
  for (size_t i = 0; i < rows.size(); i++) {
    int64_t k = static_cast<int64_t>(3 * i);
    ASSERT_EQ(rows[i][3].GetInt64(), k);
    EXPECT_TRUE(rows[i][0].GetBool());
    EXPECT_EQ(rows[i][1].GetString(), Text(k));
    EXPECT_EQ(rows[i][2].GetInt64(), 42);
  }
}

TEST_F(BasicOperatorsTest, LimitAndOffsetAcrossBatches) {
  auto table = MakeTable(10'000);
  struct Case {
    idx_t limit, offset;
    int64_t first;
    size_t count;
  };
  for (Case c : {Case{2500, 2047, 2047, 2500}, Case{10, 0, 0, 10}, Case{0, 0, 0, 0},
                 Case{kNoLimit, 9990, 9990, 10}, Case{5, 20'000, 0, 0},
                 Case{kBatchSize, kBatchSize, static_cast<int64_t>(kBatchSize), kBatchSize},
                 Case{100'000, 1, 1, 9999}}) {
    auto limit = plans_.Node<LimitNode>();
    limit->limit = c.limit;
    limit->offset = c.offset;
    // A single-instance scan returns the table in order.
    std::vector<int64_t> ks =
        FirstColumn(Execute(Plans::Single(plans_.Over(std::move(limit), plans_.Scan(table, {0})))));
    ASSERT_EQ(ks.size(), c.count) << c.limit << " " << c.offset;
    for (size_t i = 0; i < ks.size(); i++) ASSERT_EQ(ks[i], c.first + static_cast<int64_t>(i));
  }
}

TEST_F(BasicOperatorsTest, LimitPerInstance) {
  auto table = MakeTable(100'000);
  auto limit = plans_.Node<LimitNode>();
  limit->limit = 7;
  Rows rows = Execute(plans_.Parallel(plans_.Over(std::move(limit), plans_.Scan(table, {0})), 3));
  EXPECT_EQ(rows.size(), 21u);
}

TEST_F(BasicOperatorsTest, UnionAllConcatenatesChildren) {
  auto table = MakeTable(4000);
  auto values = plans_.Node<ValuesNode>({kBigint});
  values->rows = {{Value::Bigint(-1)}, {Value::Bigint(-2)}};
  auto empty = plans_.Node<ValuesNode>({kBigint});
  auto union_all = plans_.Node<UnionAllNode>({kBigint});
  union_all->children.push_back(std::move(values));
  union_all->children.push_back(std::move(empty));
  union_all->children.push_back(plans_.Scan(table, {0}));
  std::vector<int64_t> ks = FirstColumn(Execute(plans_.Parallel(std::move(union_all), 2)));
  std::sort(ks.begin(), ks.end());
  ASSERT_EQ(ks.size(), 4002u);
  EXPECT_EQ(ks[0], -2);
  EXPECT_EQ(ks[1], -1);
  for (int64_t i = 0; i < 4000; i++) ASSERT_EQ(ks[i + 2], i);
}

TEST_F(BasicOperatorsTest, FileScanReadsWholeFilesInParallel) {
  testing::TempDir dir;
  auto options = std::make_shared<CsvOptions>();
  auto scan = plans_.Node<FileScanNode>({kBigint, kInteger});
  int id = 0;
  for (int f = 0; f < 5; f++) {
    std::string content;
    for (int r = 0; r < 3000; r++, id++) content += fmt::format("{},{},{}\n", id, Text(id), id * 2);
    scan->files.push_back(dir.Write(fmt::format("part{}.csv", f), content));
  }
  scan->options = options;
  scan->names = {"a", "b", "c"};
  scan->file_types = {kInteger, kVarchar, kBigint};
  scan->column_ids = {2, 0};
  scan->filter = MultipleOfThree(0);  // over output column 0: file column c
  Rows rows = Execute(plans_.Parallel(std::move(scan), 2));
  ASSERT_EQ(rows.size(), 5000u);  // c = 2a is a multiple of 3 when a is
  std::set<int64_t> seen;
  for (const auto& row : rows) {
    EXPECT_EQ(row[0].GetInt64(), 2 * row[1].GetInt64());
    seen.insert(row[1].GetInt64());
  }
  EXPECT_EQ(seen.size(), 5000u);
}

TEST_F(BasicOperatorsTest, FileScanMissingFileFailsTheQuery) {
  testing::TempDir dir;
  auto scan = plans_.Node<FileScanNode>({kInteger});
  scan->files = {dir.Write("ok.csv", "1\n2\n"), dir.path() + "/missing.csv"};
  scan->options = std::make_shared<CsvOptions>();
  scan->names = {"a"};
  scan->file_types = {kInteger};
  scan->column_ids = {0};
  try {
    Execute(plans_.Parallel(std::move(scan), 2));
    ADD_FAILURE() << "expected an error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kUndefinedFile) << e.what();
  }
}

TEST_F(BasicOperatorsTest, ExplainDetails) {
  auto table = MakeTable(1);
  auto scan = plans_.Scan(table, {1, 0});
  scan->filter = MultipleOfThree(1);
  EXPECT_EQ(scan->Details(), "main.t columns: s, k filter: multiple_of_three(#1)");
  auto limit = plans_.Node<LimitNode>();
  limit->limit = 10;
  EXPECT_EQ(limit->Details(), "10");
  limit->offset = 5;
  EXPECT_EQ(limit->Details(), "10 offset: 5");
  limit->limit = kNoLimit;
  EXPECT_EQ(limit->Details(), "offset: 5");
  auto values = plans_.Node<ValuesNode>({kBigint});
  values->rows = {{Value::Bigint(1)}};
  EXPECT_EQ(values->Details(), "1 row");
}

}  // namespace
}  // namespace basalt
