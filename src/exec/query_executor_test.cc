// End-to-end tests of fragmented execution: exchanges between fragments with
// several instances, exact row counts, errors and cancellation.

#include "exec/query_executor.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "catalog/catalog.h"
#include "exec/exchange/exchange_sender.h"
#include "exec/expression.h"
#include "exec/operators/filter.h"
#include "exec/operators/limit.h"
#include "exec/operators/table_scan.h"
#include "exec/operators/union_all.h"
#include "exec/query_context.h"
#include "exec/task_scheduler.h"
#include "common/vector_hash.h"

namespace basalt {
namespace {

const LogicalType kBigint(TypeId::kBigint);
const LogicalType kInteger(TypeId::kInteger);
const LogicalType kVarchar(TypeId::kVarchar);

// Long enough not to be stored inline, so hash exchanges must copy the bytes.
std::string RowText(int64_t k) { return fmt::format("row-number-{:08d}", k); }

// A table (k BIGINT, s VARCHAR) with k = 0 .. rows-1 and s = RowText(k).
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
      int64_t k = static_cast<int64_t>(start + i);
      chunk.column(0).Data<int64_t>()[i] = k;
      chunk.column(1).SetString(i, RowText(k));
    }
    chunk.SetSize(n);
    table->storage->Append(chunk);
  }
  return table;
}

// k % 3 == 0 as a scalar function, so the tests do not depend on the
// function registry.
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
  fn.return_type = LogicalType(TypeId::kBoolean);
  fn.kernel = MultipleOfThreeKernel;
  std::vector<ExpressionPtr> args;
  args.push_back(Expression::MakeInputRef(column, kBigint));
  return Expression::MakeFunction(std::move(fn), std::move(args));
}

// Emits `batches` full batches of BIGINT per instance (forever when
// negative): instance * 1e9 + 0, 1, 2, ...
class GeneratorNode : public PhysicalNode {
 public:
  int64_t batches = -1;
  std::string Name() const override { return "Generator"; }
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

class GeneratorOperator : public Operator {
 public:
  GeneratorOperator(const GeneratorNode& node, int instance)
      : Operator(node), batches_(node.batches), next_(int64_t{instance} * 1'000'000'000) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    if (batches_ == 0) return OperatorResult::kFinished;
    if (batches_ > 0) batches_--;
    out.Initialize({kBigint});
    for (idx_t i = 0; i < kBatchSize; i++) out.column(0).Data<int64_t>()[i] = next_++;
    out.SetSize(kBatchSize);
    return OperatorResult::kHaveData;
  }

 private:
  int64_t batches_;
  int64_t next_;
};

std::unique_ptr<Operator> GeneratorNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<GeneratorOperator>(*this, ctx.instance);
}

// Reads all of its child, then emits one row: (instance INTEGER, rows BIGINT).
class CountRowsNode : public PhysicalNode {
 public:
  CountRowsNode() { types = {kInteger, kBigint}; }
  std::string Name() const override { return "CountRows"; }
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

class CountRowsOperator : public Operator {
 public:
  CountRowsOperator(const CountRowsNode& node, int instance)
      : Operator(node), instance_(instance) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    if (done_) return OperatorResult::kFinished;
    while (true) {
      DataChunk input;
      OperatorResult r = children_[0]->Next(input);
      if (r == OperatorResult::kBlocked) return r;
      if (r == OperatorResult::kFinished) break;
      rows_ += static_cast<int64_t>(input.size());
    }
    done_ = true;
    out.Initialize({kInteger, kBigint});
    out.column(0).Data<int32_t>()[0] = instance_;
    out.column(1).Data<int64_t>()[0] = rows_;
    out.SetSize(1);
    return OperatorResult::kHaveData;
  }

 private:
  int instance_;
  int64_t rows_ = 0;
  bool done_ = false;
};

std::unique_ptr<Operator> CountRowsNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<CountRowsOperator>(*this, ctx.instance);
}

// Passes its child's columns on and appends the instance number (INTEGER).
class TagInstanceNode : public PhysicalNode {
 public:
  std::string Name() const override { return "TagInstance"; }
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

class TagInstanceOperator : public Operator {
 public:
  TagInstanceOperator(const TagInstanceNode& node, int instance)
      : Operator(node), instance_(instance) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    OperatorResult r = children_[0]->Next(out);
    if (r == OperatorResult::kHaveData) out.AddColumn(Vector(Value::Integer(instance_)));
    return r;
  }

 private:
  int instance_;
};

std::unique_ptr<Operator> TagInstanceNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<TagInstanceOperator>(*this, ctx.instance);
}

enum class FailKind { kBasalt, kStd, kBadAlloc };

// Passes batches through; instance `fail_instance` throws instead of
// returning its batch number `after_batches`.
class ThrowingNode : public PhysicalNode {
 public:
  int fail_instance = 0;
  int after_batches = 0;
  FailKind kind = FailKind::kBasalt;
  std::string Name() const override { return "Throwing"; }
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

class ThrowingOperator : public Operator {
 public:
  ThrowingOperator(const ThrowingNode& node, int instance)
      : Operator(node), plan_(node), instance_(instance) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    OperatorResult r = children_[0]->Next(out);
    if (r != OperatorResult::kHaveData || instance_ != plan_.fail_instance) return r;
    if (batches_++ < plan_.after_batches) return r;
    switch (plan_.kind) {
      case FailKind::kBasalt:
        ThrowError(sqlstate::kDivisionByZero, "division by zero");
      case FailKind::kStd:
        throw std::runtime_error("broken invariant");
      case FailKind::kBadAlloc:
        throw std::bad_alloc();
    }
    return r;
  }

 private:
  const ThrowingNode& plan_;
  int instance_;
  int batches_ = 0;
};

std::unique_ptr<Operator> ThrowingNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<ThrowingOperator>(*this, ctx.instance);
}

// Blocked forever without registering anywhere: only cancellation ends it.
class StuckNode : public PhysicalNode {
 public:
  StuckNode() { types = {kBigint}; }
  std::string Name() const override { return "Stuck"; }
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

class StuckOperator : public Operator {
 public:
  explicit StuckOperator(const StuckNode& node) : Operator(node) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override { return OperatorResult::kBlocked; }
};

std::unique_ptr<Operator> StuckNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<StuckOperator>(*this);
}

// Builds plans with unique node ids.
class PlanBuilder {
 public:
  template <typename T>
  std::unique_ptr<T> Node(std::vector<LogicalType> types = {}) {
    auto node = std::make_unique<T>();
    node->id = next_id_++;
    if (!types.empty()) node->types = std::move(types);
    return node;
  }

  template <typename T>
  std::unique_ptr<T> Over(std::unique_ptr<T> parent, std::unique_ptr<PhysicalNode> child) {
    if (parent->types.empty()) parent->types = child->types;
    parent->children.push_back(std::move(child));
    return parent;
  }

  std::unique_ptr<PhysicalNode> Scan(std::shared_ptr<TableEntry> table,
                                     std::vector<idx_t> column_ids,
                                     ExpressionPtr filter = nullptr) {
    auto scan = Node<TableScanNode>();
    scan->table = table;
    for (idx_t id : column_ids) scan->types.push_back(table->columns[id].type);
    scan->column_ids = std::move(column_ids);
    scan->filter = std::move(filter);
    return scan;
  }

  std::unique_ptr<PhysicalNode> Receiver(int exchange, ExchangeType type, int source,
                                         std::vector<LogicalType> types) {
    auto r = Node<ExchangeReceiverNode>(std::move(types));
    r->exchange_id = exchange;
    r->exchange_type = type;
    r->source_fragment = source;
    return r;
  }

  static PlanFragment Fragment(int id, std::unique_ptr<PhysicalNode> root, int parallelism,
                               int output_exchange = kClientExchange,
                               ExchangeType type = ExchangeType::kGather,
                               std::vector<idx_t> hash_columns = {}) {
    PlanFragment f;
    f.id = id;
    f.root = std::move(root);
    f.parallelism = parallelism;
    f.output_exchange = output_exchange;
    f.output_type = type;
    f.hash_columns = std::move(hash_columns);
    return f;
  }

 private:
  int next_id_ = 1;
};

FragmentedPlan MakePlan(std::vector<PlanFragment> fragments, std::vector<int> exchange_consumer) {
  FragmentedPlan plan;
  plan.fragments = std::move(fragments);
  plan.num_exchanges = static_cast<int>(exchange_consumer.size());
  plan.exchange_consumer = std::move(exchange_consumer);
  plan.column_types = plan.fragments[0].root->types;
  for (size_t i = 0; i < plan.column_types.size(); i++) {
    plan.column_names.push_back(fmt::format("c{}", i));
  }
  return plan;
}

using Rows = std::vector<std::vector<Value>>;

Rows Collect(QueryExecution& execution) {
  Rows rows;
  DataChunk chunk;
  while (execution.Next(chunk)) {
    EXPECT_GT(chunk.size(), 0u);
    for (idx_t r = 0; r < chunk.size(); r++) {
      std::vector<Value> row;
      for (idx_t c = 0; c < chunk.ColumnCount(); c++) row.push_back(chunk.GetValue(c, r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

Rows RunPlan(FragmentedPlan plan, TaskScheduler& scheduler) {
  QueryExecution execution(std::move(plan), scheduler);
  execution.Start();
  return Collect(execution);
}

// The receiver a hash exchange with `receivers` instances sends key k to.
int ExpectedReceiver(int64_t k, int receivers) {
  Vector v(kBigint, 1);
  v.Data<int64_t>()[0] = k;
  uint64_t h;
  HashVector(v, 1, &h, false);
  return HashPartition(h, receivers);
}

// Runs `f` and expects it to throw a BasaltError with `code`; returns its message.
template <typename F>
std::string ExpectError(F&& f, const char* code) {
  try {
    f();
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), code) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected error " << code;
  return "";
}

// scan (100k rows) -> filter -> hash exchange -> count rows per instance ->
// gather -> client, with exact per-instance counts.
FragmentedPlan ScanFilterHashCountPlan(std::shared_ptr<TableEntry> table, int scanners,
                                       int counters, bool filter_in_scan) {
  PlanBuilder b;
  std::unique_ptr<PhysicalNode> scan;
  if (filter_in_scan) {
    scan = b.Scan(table, {0, 1}, MultipleOfThree(0));
  } else {
    auto filter = b.Node<FilterNode>();
    filter->predicate = MultipleOfThree(0);
    scan = b.Over(std::move(filter), b.Scan(table, {0, 1}));
  }
  auto count =
      b.Over(b.Node<CountRowsNode>(), b.Receiver(0, ExchangeType::kHash, 1, {kBigint, kVarchar}));
  std::vector<PlanFragment> fragments;
  fragments.push_back(
      PlanBuilder::Fragment(0, b.Receiver(1, ExchangeType::kGather, 2, {kInteger, kBigint}), 1));
  fragments.push_back(
      PlanBuilder::Fragment(1, std::move(scan), scanners, 0, ExchangeType::kHash, {0}));
  fragments.push_back(PlanBuilder::Fragment(2, std::move(count), counters, 1));
  return MakePlan(std::move(fragments), {2, 0});
}

TEST(QueryExecutionTest, TwoFragmentsExactCountsPerInstance) {
  constexpr int64_t kRows = 100'000;
  auto table = MakeTable(kRows);
  for (int threads = 2; threads <= 4; threads++) {
    for (int counters = 2; counters <= 4; counters++) {
      std::vector<int64_t> expected(counters, 0);
      for (int64_t k = 0; k < kRows; k += 3) expected[ExpectedReceiver(k, counters)]++;
      TaskScheduler scheduler(threads);
      Rows rows = RunPlan(
          ScanFilterHashCountPlan(table, 3, counters, (threads + counters) % 2 == 0), scheduler);
      ASSERT_EQ(rows.size(), static_cast<size_t>(counters));
      std::vector<int64_t> actual(counters, -1);
      for (const auto& row : rows) actual[row[0].GetInt64()] = row[1].GetInt64();
      EXPECT_EQ(actual, expected) << "threads " << threads << " counters " << counters;
    }
  }
}

TEST(QueryExecutionTest, HashExchangeSendsEachKeyToOneInstance) {
  constexpr int64_t kRows = 50'000;
  auto table = MakeTable(kRows);
  TaskScheduler scheduler(3);
  for (int receivers = 2; receivers <= 4; receivers++) {
    PlanBuilder b;
    auto tag = b.Over(b.Node<TagInstanceNode>({kBigint, kVarchar, kInteger}),
                      b.Receiver(0, ExchangeType::kHash, 1, {kBigint, kVarchar}));
    std::vector<PlanFragment> fragments;
    fragments.push_back(PlanBuilder::Fragment(
        0, b.Receiver(1, ExchangeType::kGather, 2, {kBigint, kVarchar, kInteger}), 1));
    fragments.push_back(
        PlanBuilder::Fragment(1, b.Scan(table, {0, 1}), 2, 0, ExchangeType::kHash, {0}));
    fragments.push_back(PlanBuilder::Fragment(2, std::move(tag), receivers, 1));
    Rows rows = RunPlan(MakePlan(std::move(fragments), {2, 0}), scheduler);
    ASSERT_EQ(rows.size(), static_cast<size_t>(kRows));
    std::vector<int> seen(kRows, 0);
    for (const auto& row : rows) {
      int64_t k = row[0].GetInt64();
      ASSERT_GE(k, 0);
      ASSERT_LT(k, kRows);
      seen[k]++;
      EXPECT_EQ(row[1].GetString(), RowText(k));
      EXPECT_EQ(row[2].GetInt64(), ExpectedReceiver(k, receivers)) << "key " << k;
    }
    for (int64_t k = 0; k < kRows; k++) ASSERT_EQ(seen[k], 1) << "key " << k;
  }
}

TEST(QueryExecutionTest, HashExchangeOnTwoColumnsKeepsEqualKeysTogether) {
  // Keys repeat (k % 100 and its text), so equal keys from different senders
  // must meet in the same instance.
  constexpr int64_t kRows = 30'000;
  auto table = std::make_shared<TableEntry>();
  table->schema = "main";
  table->name = "r";
  table->columns = {{"k", kBigint}, {"s", kVarchar}};
  table->storage = std::make_shared<DataTable>(std::vector<LogicalType>{kBigint, kVarchar});
  for (int64_t start = 0; start < kRows; start += kBatchSize) {
    DataChunk chunk({kBigint, kVarchar});
    idx_t n = std::min<idx_t>(kBatchSize, kRows - start);
    for (idx_t i = 0; i < n; i++) {
      int64_t k = (start + static_cast<int64_t>(i)) % 100;
      chunk.column(0).Data<int64_t>()[i] = k;
      chunk.column(1).SetString(i, RowText(k));
    }
    chunk.SetSize(n);
    table->storage->Append(chunk);
  }
  TaskScheduler scheduler(4);
  PlanBuilder b;
  auto tag = b.Over(b.Node<TagInstanceNode>({kVarchar, kBigint, kInteger}),
                    b.Receiver(0, ExchangeType::kHash, 1, {kVarchar, kBigint}));
  std::vector<PlanFragment> fragments;
  fragments.push_back(PlanBuilder::Fragment(
      0, b.Receiver(1, ExchangeType::kGather, 2, {kVarchar, kBigint, kInteger}), 1));
  fragments.push_back(
      PlanBuilder::Fragment(1, b.Scan(table, {1, 0}), 3, 0, ExchangeType::kHash, {0, 1}));
  fragments.push_back(PlanBuilder::Fragment(2, std::move(tag), 3, 1));
  Rows rows = RunPlan(MakePlan(std::move(fragments), {2, 0}), scheduler);
  ASSERT_EQ(rows.size(), static_cast<size_t>(kRows));
  std::map<int64_t, std::set<int64_t>> instances_of_key;
  std::map<int64_t, int> count_of_key;
  for (const auto& row : rows) {
    int64_t k = row[1].GetInt64();
    EXPECT_EQ(row[0].GetString(), RowText(k));
    instances_of_key[k].insert(row[2].GetInt64());
    count_of_key[k]++;
  }
  ASSERT_EQ(instances_of_key.size(), 100u);
  std::set<int64_t> used;
  for (const auto& [k, instances] : instances_of_key) {
    EXPECT_EQ(instances.size(), 1u) << "key " << k << " reached several instances";
    EXPECT_EQ(count_of_key[k], kRows / 100);
    used.insert(*instances.begin());
  }
  EXPECT_EQ(used.size(), 3u) << "100 keys should spread over all 3 instances";
}

TEST(QueryExecutionTest, BroadcastSendsEveryRowToEveryInstance) {
  constexpr int64_t kRows = 20'000;
  auto table = MakeTable(kRows);
  for (int receivers = 2; receivers <= 4; receivers++) {
    TaskScheduler scheduler(receivers);
    PlanBuilder b;
    auto tag = b.Over(b.Node<TagInstanceNode>({kBigint, kVarchar, kInteger}),
                      b.Receiver(0, ExchangeType::kBroadcast, 1, {kBigint, kVarchar}));
    std::vector<PlanFragment> fragments;
    fragments.push_back(PlanBuilder::Fragment(
        0, b.Receiver(1, ExchangeType::kGather, 2, {kBigint, kVarchar, kInteger}), 1));
    fragments.push_back(
        PlanBuilder::Fragment(1, b.Scan(table, {0, 1}), 3, 0, ExchangeType::kBroadcast));
    fragments.push_back(PlanBuilder::Fragment(2, std::move(tag), receivers, 1));
    Rows rows = RunPlan(MakePlan(std::move(fragments), {2, 0}), scheduler);
    ASSERT_EQ(rows.size(), static_cast<size_t>(kRows * receivers));
    std::vector<std::vector<int>> seen(receivers, std::vector<int>(kRows, 0));
    for (const auto& row : rows) {
      int64_t k = row[0].GetInt64();
      EXPECT_EQ(row[1].GetString(), RowText(k));
      seen[row[2].GetInt64()][k]++;
    }
    for (int r = 0; r < receivers; r++) {
      for (int64_t k = 0; k < kRows; k++) ASSERT_EQ(seen[r][k], 1) << r << " " << k;
    }
  }
}

TEST(QueryExecutionTest, GatherCollectsAllInstances) {
  constexpr int64_t kRows = 100'000;
  auto table = MakeTable(kRows);
  TaskScheduler scheduler(2);
  PlanBuilder b;
  auto count =
      b.Over(b.Node<CountRowsNode>(), b.Receiver(0, ExchangeType::kGather, 1, {kBigint, kVarchar}));
  std::vector<PlanFragment> fragments;
  fragments.push_back(PlanBuilder::Fragment(0, std::move(count), 1));
  fragments.push_back(PlanBuilder::Fragment(1, b.Scan(table, {0, 1}), 4, 0));
  Rows rows = RunPlan(MakePlan(std::move(fragments), {0}), scheduler);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].GetInt64(), 0);
  EXPECT_EQ(rows[0][1].GetInt64(), kRows);
}

TEST(QueryExecutionTest, TwoFragmentsFeedOneExchange) {
  auto table = MakeTable(10'000);
  TaskScheduler scheduler(3);
  PlanBuilder b;
  std::vector<PlanFragment> fragments;
  fragments.push_back(
      PlanBuilder::Fragment(0, b.Receiver(0, ExchangeType::kGather, 1, {kBigint}), 1));
  fragments.push_back(PlanBuilder::Fragment(1, b.Scan(table, {0}), 2, 0));
  auto gen = b.Node<GeneratorNode>({kBigint});
  gen->batches = 3;
  fragments.push_back(PlanBuilder::Fragment(2, std::move(gen), 3, 0));
  Rows rows = RunPlan(MakePlan(std::move(fragments), {0}), scheduler);
  EXPECT_EQ(rows.size(), 10'000u + 3 * 3 * kBatchSize);
}

TEST(QueryExecutionTest, UnionOfTwoReceivers) {
  auto table = MakeTable(7'000);
  TaskScheduler scheduler(2);
  PlanBuilder b;
  auto gen = b.Node<GeneratorNode>({kBigint});
  gen->batches = 2;
  auto union_all = b.Node<UnionAllNode>({kBigint});
  union_all->children.push_back(b.Receiver(0, ExchangeType::kGather, 1, {kBigint}));
  union_all->children.push_back(b.Receiver(1, ExchangeType::kGather, 2, {kBigint}));
  std::vector<PlanFragment> fragments;
  fragments.push_back(PlanBuilder::Fragment(0, std::move(union_all), 1));
  fragments.push_back(PlanBuilder::Fragment(1, b.Scan(table, {0}), 2, 0));
  fragments.push_back(PlanBuilder::Fragment(2, std::move(gen), 2, 1));
  Rows rows = RunPlan(MakePlan(std::move(fragments), {0, 0}), scheduler);
  EXPECT_EQ(rows.size(), 7'000u + 2 * 2 * kBatchSize);
}

// A LIMIT in a consumer fragment stops reading while its producers still have
// rows queued for it; the instance drains its input so they can finish.
TEST(QueryExecutionTest, LimitInConsumerFragmentDoesNotStallProducers) {
  auto table = MakeTable(100'000);
  TaskScheduler scheduler(3);
  PlanBuilder b;
  auto limit = b.Node<LimitNode>();
  limit->limit = 10;
  auto limited = b.Over(std::move(limit), b.Receiver(0, ExchangeType::kHash, 1, {kBigint}));
  std::vector<PlanFragment> fragments;
  fragments.push_back(
      PlanBuilder::Fragment(0, b.Receiver(1, ExchangeType::kGather, 2, {kBigint}), 1));
  fragments.push_back(PlanBuilder::Fragment(1, b.Scan(table, {0}), 3, 0, ExchangeType::kHash, {0}));
  fragments.push_back(PlanBuilder::Fragment(2, std::move(limited), 2, 1));
  Rows rows = RunPlan(MakePlan(std::move(fragments), {2, 0}), scheduler);
  EXPECT_EQ(rows.size(), 20u);
}

// A LIMIT in the root ends the query even though the producers never finish.
TEST(QueryExecutionTest, LimitInRootStopsEndlessProducers) {
  TaskScheduler scheduler(2);
  PlanBuilder b;
  auto limit = b.Node<LimitNode>();
  limit->limit = 5;
  limit->offset = 3;
  auto root = b.Over(std::move(limit), b.Receiver(0, ExchangeType::kGather, 1, {kBigint}));
  std::vector<PlanFragment> fragments;
  fragments.push_back(PlanBuilder::Fragment(0, std::move(root), 1));
  fragments.push_back(PlanBuilder::Fragment(1, b.Node<GeneratorNode>({kBigint}), 3, 0));
  QueryExecution execution(MakePlan(std::move(fragments), {0}), scheduler);
  execution.Start();
  Rows rows = Collect(execution);
  EXPECT_EQ(rows.size(), 5u);
  // Next() has returned false, so every instance has finished.
  std::string profile = execution.Profile();
  EXPECT_EQ(profile.find("running"), std::string::npos) << profile;
}

FragmentedPlan FailingPlan(FailKind kind, int producers) {
  PlanBuilder b;
  auto throwing = b.Node<ThrowingNode>();
  throwing->fail_instance = producers - 1;
  throwing->after_batches = 2;
  throwing->kind = kind;
  auto failing = b.Over(std::move(throwing), b.Node<GeneratorNode>({kBigint}));
  std::vector<PlanFragment> fragments;
  fragments.push_back(
      PlanBuilder::Fragment(0, b.Receiver(0, ExchangeType::kGather, 1, {kBigint}), 1));
  fragments.push_back(PlanBuilder::Fragment(1, std::move(failing), producers, 0));
  return MakePlan(std::move(fragments), {0});
}

TEST(QueryExecutionTest, ErrorInOneInstanceFailsTheQuery) {
  for (int threads = 2; threads <= 4; threads++) {
    TaskScheduler scheduler(threads);
    std::string message = ExpectError(
        [&] { RunPlan(FailingPlan(FailKind::kBasalt, 4), scheduler); }, sqlstate::kDivisionByZero);
    EXPECT_EQ(message, "division by zero");
  }
}

TEST(QueryExecutionTest, NonBasaltExceptionsBecomeSqlErrors) {
  TaskScheduler scheduler(2);
  std::string message = ExpectError([&] { RunPlan(FailingPlan(FailKind::kStd, 2), scheduler); },
                                    sqlstate::kInternalError);
  EXPECT_EQ(message, "internal error: broken invariant");
  ExpectError([&] { RunPlan(FailingPlan(FailKind::kBadAlloc, 3), scheduler); },
              sqlstate::kOutOfMemory);
}

// The failing instance consumes a hash exchange whose producers are blocked
// on full queues: the failure must still unblock and end all of them.
TEST(QueryExecutionTest, ErrorInConsumerUnblocksProducers) {
  auto table = MakeTable(100'000);
  TaskScheduler scheduler(3);
  PlanBuilder b;
  auto throwing = b.Node<ThrowingNode>();
  throwing->fail_instance = 1;
  throwing->after_batches = 1;
  auto failing = b.Over(std::move(throwing), b.Receiver(0, ExchangeType::kHash, 1, {kBigint}));
  std::vector<PlanFragment> fragments;
  fragments.push_back(
      PlanBuilder::Fragment(0, b.Receiver(1, ExchangeType::kGather, 2, {kBigint}), 1));
  fragments.push_back(PlanBuilder::Fragment(1, b.Scan(table, {0}), 3, 0, ExchangeType::kHash, {0}));
  fragments.push_back(PlanBuilder::Fragment(2, std::move(failing), 2, 1));
  ExpectError(
      [&] {
        RunPlan(MakePlan(std::move(fragments), {2, 0}), scheduler);
      },
      sqlstate::kDivisionByZero);
}

TEST(QueryExecutionTest, CancelWhileReading) {
  TaskScheduler scheduler(2);
  PlanBuilder b;
  std::vector<PlanFragment> fragments;
  fragments.push_back(
      PlanBuilder::Fragment(0, b.Receiver(0, ExchangeType::kGather, 1, {kBigint}), 1));
  fragments.push_back(PlanBuilder::Fragment(1, b.Node<GeneratorNode>({kBigint}), 3, 0));
  QueryExecution execution(MakePlan(std::move(fragments), {0}), scheduler);
  execution.Start();
  DataChunk chunk;
  for (int i = 0; i < 10; i++) ASSERT_TRUE(execution.Next(chunk));
  execution.Cancel();
  ExpectError(
      [&] {
        while (execution.Next(chunk)) {
        }
      },
      sqlstate::kQueryCanceled);
  EXPECT_FALSE(execution.Next(chunk));
}

TEST(QueryExecutionTest, CancelFromAnotherThreadWakesBlockedNext) {
  TaskScheduler scheduler(2);
  PlanBuilder b;
  std::vector<PlanFragment> fragments;
  fragments.push_back(
      PlanBuilder::Fragment(0, b.Receiver(0, ExchangeType::kGather, 1, {kBigint}), 1));
  fragments.push_back(PlanBuilder::Fragment(1, b.Node<StuckNode>(), 2, 0));
  QueryExecution execution(MakePlan(std::move(fragments), {0}), scheduler);
  execution.Start();
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    execution.Cancel();
  });
  DataChunk chunk;
  ExpectError([&] { execution.Next(chunk); }, sqlstate::kQueryCanceled);
  canceller.join();
}

TEST(QueryExecutionTest, CancelBeforeStart) {
  TaskScheduler scheduler(2);
  QueryExecution execution(FailingPlan(FailKind::kBasalt, 2), scheduler);
  execution.Cancel();
  execution.Start();
  DataChunk chunk;
  ExpectError([&] { execution.Next(chunk); }, sqlstate::kQueryCanceled);
}

// Destroying an execution mid-query cancels it and waits for every task; the
// plan and the table may go right after.
TEST(QueryExecutionTest, DestroyMidQueryWaitsForTasks) {
  TaskScheduler scheduler(3);
  for (int round = 0; round < 20; round++) {
    auto table = MakeTable(30'000);
    PlanBuilder b;
    auto count = b.Over(b.Node<CountRowsNode>(), b.Receiver(0, ExchangeType::kHash, 1, {kBigint}));
    std::vector<PlanFragment> fragments;
    fragments.push_back(
        PlanBuilder::Fragment(0, b.Receiver(2, ExchangeType::kGather, 2, {kInteger, kBigint}), 1));
    auto union_all = b.Node<UnionAllNode>({kBigint});
    union_all->children.push_back(b.Scan(table, {0}));
    union_all->children.push_back(b.Node<GeneratorNode>({kBigint}));
    fragments.push_back(
        PlanBuilder::Fragment(1, std::move(union_all), 3, 0, ExchangeType::kHash, {0}));
    fragments.push_back(PlanBuilder::Fragment(2, std::move(count), 2, 2));
    // Exchange 1 is unused: no sender, no reader.
    auto execution =
        std::make_unique<QueryExecution>(MakePlan(std::move(fragments), {2, 0, 0}), scheduler);
    execution->Start();
    if (round % 2 == 1) std::this_thread::sleep_for(std::chrono::milliseconds(round));
    execution.reset();
  }
}

TEST(QueryExecutionTest, ExplainText) {
  auto table = MakeTable(10);
  FragmentedPlan plan = ScanFilterHashCountPlan(table, 4, 2, false);
  plan.fragments[1].root->estimated_rows = 33333.4;
  EXPECT_EQ(plan.ToString(),
            "Fragment 0 [1 instance] -> client\n"
            "  ExchangeReceiver from fragment 2 (gather)\n"
            "Fragment 1 [4 instances] -> hash exchange 0 on (#0)\n"
            "  Filter predicate: multiple_of_three(#0) (~33334 rows)\n"
            "    TableScan main.t columns: k, s\n"
            "Fragment 2 [2 instances] -> gather exchange 1\n"
            "  CountRows\n"
            "    ExchangeReceiver from fragment 1 (hash)\n");
}

TEST(QueryExecutionTest, ProfileCountsRowsPerOperator) {
  auto table = MakeTable(100'000);
  TaskScheduler scheduler(2);
  QueryExecution execution(ScanFilterHashCountPlan(table, 2, 2, false), scheduler);
  execution.Start();
  Rows rows = Collect(execution);
  ASSERT_EQ(rows.size(), 2u);
  std::string profile = execution.Profile();
  EXPECT_NE(profile.find("Fragment 1 [2 instances] -> exchange 0"), std::string::npos) << profile;
  EXPECT_NE(profile.find("  Instance 1: "), std::string::npos) << profile;
  EXPECT_NE(profile.find("CountRows: 1 row in 1 batch"), std::string::npos) << profile;
  // The two scan instances together read every row once.
  int64_t scanned = 0;
  size_t pos = 0;
  while ((pos = profile.find("TableScan: ", pos)) != std::string::npos) {
    pos += 11;
    scanned += std::stoll(profile.substr(pos));
  }
  EXPECT_EQ(scanned, 100'000) << profile;
}

}  // namespace
}  // namespace basalt
