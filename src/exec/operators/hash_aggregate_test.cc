#include "exec/operators/hash_aggregate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>

#include "exec/function.h"
#include "exec/operators/operator_test_util.h"

namespace basalt::optest {
namespace {

const LogicalType kBigint(TypeId::kBigint);
const LogicalType kVarchar(TypeId::kVarchar);

// --- Test-local aggregate functions, so these tests do not depend on the
// function library. They follow the BoundAggregateFunction contract. ---

int g_misaligned_states = 0;
int g_live_heap_states = 0;

template <typename T>
T& State(uint8_t* p) {
  return *reinterpret_cast<T*>(p);
}

BoundAggregateFunction CountStar() {
  BoundAggregateFunction f;
  f.name = "count_star";
  f.return_type = kBigint;
  f.state_size = sizeof(int64_t);
  f.initialize = [](uint8_t* s) { State<int64_t>(s) = 0; };
  f.update = [](const std::vector<Vector>&, idx_t count, uint8_t** states, const FunctionData*) {
    for (idx_t i = 0; i < count; i++) State<int64_t>(states[i])++;
  };
  f.finalize = [](uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
    for (idx_t i = 0; i < count; i++) result.Data<int64_t>()[i] = State<int64_t>(states[i]);
  };
  return f;
}

BoundAggregateFunction Count(LogicalType arg) {
  BoundAggregateFunction f = CountStar();
  f.name = "count";
  f.arg_types = {arg};
  f.update = [](const std::vector<Vector>& args, idx_t count, uint8_t** states,
                const FunctionData*) {
    UnifiedFormat in;
    args[0].ToUnified(count, &in);
    for (idx_t i = 0; i < count; i++) {
      if (in.validity->IsValid(in.sel->Get(i))) State<int64_t>(states[i])++;
    }
  };
  return f;
}

struct SumState {
  int64_t sum;
  bool seen;
};

BoundAggregateFunction SumBigint() {
  BoundAggregateFunction f;
  f.name = "sum";
  f.arg_types = {kBigint};
  f.return_type = kBigint;
  f.state_size = sizeof(SumState);
  f.initialize = [](uint8_t* s) { State<SumState>(s) = SumState{0, false}; };
  f.update = [](const std::vector<Vector>& args, idx_t count, uint8_t** states,
                const FunctionData*) {
    UnifiedFormat in;
    args[0].ToUnified(count, &in);
    for (idx_t i = 0; i < count; i++) {
      const uint32_t row = in.sel->Get(i);
      if (!in.validity->IsValid(row)) continue;
      State<SumState>(states[i]).sum += in.Data<int64_t>()[row];
      State<SumState>(states[i]).seen = true;
    }
  };
  f.finalize = [](uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
    for (idx_t i = 0; i < count; i++) {
      const SumState& s = State<SumState>(states[i]);
      if (s.seen) {
        result.Data<int64_t>()[i] = s.sum;
      } else {
        result.SetNull(i);
      }
    }
  };
  return f;
}

struct WideSumState {
  int128_t sum;
  bool seen;
};

// sum over DECIMAL(38,2): a state that needs 16-byte alignment.
BoundAggregateFunction SumWideDecimal() {
  BoundAggregateFunction f;
  f.name = "sum";
  f.arg_types = {LogicalType::Decimal(38, 2)};
  f.return_type = LogicalType::Decimal(38, 2);
  f.state_size = sizeof(WideSumState);
  f.initialize = [](uint8_t* s) {
    if (reinterpret_cast<uintptr_t>(s) % alignof(WideSumState) != 0) g_misaligned_states++;
    State<WideSumState>(s) = WideSumState{0, false};
  };
  f.update = [](const std::vector<Vector>& args, idx_t count, uint8_t** states,
                const FunctionData*) {
    UnifiedFormat in;
    args[0].ToUnified(count, &in);
    for (idx_t i = 0; i < count; i++) {
      const uint32_t row = in.sel->Get(i);
      if (!in.validity->IsValid(row)) continue;
      State<WideSumState>(states[i]).sum += in.Data<int128_t>()[row];
      State<WideSumState>(states[i]).seen = true;
    }
  };
  f.finalize = [](uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
    for (idx_t i = 0; i < count; i++) {
      const WideSumState& s = State<WideSumState>(states[i]);
      if (s.seen) {
        result.Data<int128_t>()[i] = s.sum;
      } else {
        result.SetNull(i);
      }
    }
  };
  return f;
}

// max over VARCHAR keeping a heap string: checks that states are destroyed.
BoundAggregateFunction MaxVarchar() {
  BoundAggregateFunction f;
  f.name = "max";
  f.arg_types = {kVarchar};
  f.return_type = kVarchar;
  f.state_size = sizeof(std::string*);
  f.initialize = [](uint8_t* s) { State<std::string*>(s) = nullptr; };
  f.update = [](const std::vector<Vector>& args, idx_t count, uint8_t** states,
                const FunctionData*) {
    UnifiedFormat in;
    args[0].ToUnified(count, &in);
    for (idx_t i = 0; i < count; i++) {
      const uint32_t row = in.sel->Get(i);
      if (!in.validity->IsValid(row)) continue;
      std::string_view v = in.Data<StringRef>()[row].view();
      std::string*& s = State<std::string*>(states[i]);
      if (s == nullptr) {
        s = new std::string(v);
        g_live_heap_states++;
      } else if (v > *s) {
        *s = v;
      }
    }
  };
  f.finalize = [](uint8_t** states, idx_t count, Vector& result, const FunctionData*) {
    for (idx_t i = 0; i < count; i++) {
      std::string* s = State<std::string*>(states[i]);
      if (s) {
        result.SetString(i, *s);
      } else {
        result.SetNull(i);
      }
    }
  };
  f.destroy = [](uint8_t** states, idx_t count) {
    for (idx_t i = 0; i < count; i++) {
      std::string*& s = State<std::string*>(states[i]);
      if (s) g_live_heap_states--;
      delete s;
      s = nullptr;
    }
  };
  return f;
}

AggregateCall Call(BoundAggregateFunction f, std::vector<ExpressionPtr> args, bool distinct = false,
                   ExpressionPtr filter = nullptr) {
  AggregateCall call;
  call.function = std::move(f);
  call.args = std::move(args);
  call.distinct = distinct;
  call.filter = std::move(filter);
  return call;
}

std::vector<ExpressionPtr> Args(ExpressionPtr a) {
  std::vector<ExpressionPtr> v;
  v.push_back(std::move(a));
  return v;
}

std::unique_ptr<HashAggregateNode> MakeAggregate(std::unique_ptr<PhysicalNode> source,
                                                 std::vector<ExpressionPtr> groups,
                                                 std::vector<AggregateCall> aggregates) {
  auto node = std::make_unique<HashAggregateNode>();
  for (const auto& g : groups) node->types.push_back(g->type);
  for (const auto& a : aggregates) node->types.push_back(a.function.return_type);
  node->groups = std::move(groups);
  node->aggregates = std::move(aggregates);
  node->children.push_back(std::move(source));
  return node;
}

template <typename... E>
std::vector<ExpressionPtr> Exprs(E... e) {
  std::vector<ExpressionPtr> v;
  (v.push_back(std::move(e)), ...);
  return v;
}

template <typename... A>
std::vector<AggregateCall> Calls(A... a) {
  std::vector<AggregateCall> v;
  (v.push_back(std::move(a)), ...);
  return v;
}

TEST(HashAggregateTest, NullGroupsFormOneGroup) {
  std::vector<Row> rows = {{Int(1), Int(10)},   {Int(2), Int(20)},   {NullInt(), Int(5)},
                           {Int(1), NullInt()}, {NullInt(), Int(7)}, {Int(3), NullInt()}};
  for (bool dictionary : {false, true}) {
    auto node = MakeAggregate(
        MakeSource({kBigint, kBigint}, rows, 2, 1, dictionary), Exprs(Col(0, kBigint)),
        Calls(Call(CountStar(), {}), Call(Count(kBigint), Args(Col(1, kBigint))),
              Call(SumBigint(), Args(Col(1, kBigint)))));
    RunResult result = RunOperator(*node);
    std::vector<Row> expected = {{Int(1), Int(2), Int(1), Int(10)},
                                 {Int(2), Int(1), Int(1), Int(20)},
                                 {NullInt(), Int(2), Int(2), Int(12)},
                                 {Int(3), Int(1), Int(0), NullInt()}};
    EXPECT_EQ(Canonical(result.rows), Canonical(expected));
    EXPECT_GT(result.blocked, 0);
  }
}

TEST(HashAggregateTest, EmptyInput) {
  // Without groups: exactly one row (count 0, sum NULL).
  auto global =
      MakeAggregate(MakeSource({kBigint}, {}, kBatchSize, 2), {},
                    Calls(Call(CountStar(), {}), Call(Count(kBigint), Args(Col(0, kBigint))),
                          Call(SumBigint(), Args(Col(0, kBigint))),
                          Call(SumBigint(), Args(Col(0, kBigint)), true)));
  RunResult result = RunOperator(*global);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(RowToString(result.rows[0]), RowToString({Int(0), Int(0), NullInt(), NullInt()}));

  // With groups: no rows.
  auto grouped = MakeAggregate(MakeSource({kBigint}, {}), Exprs(Col(0, kBigint)),
                               Calls(Call(CountStar(), {})));
  EXPECT_TRUE(RunOperator(*grouped).rows.empty());

  // Groups but no aggregates (SELECT DISTINCT).
  auto distinct_rows =
      MakeAggregate(MakeSource({kBigint}, {{Int(1)}, {Int(1)}, {NullInt()}, {Int(2)}, {NullInt()}}),
                    Exprs(Col(0, kBigint)), {});
  EXPECT_EQ(Canonical(RunOperator(*distinct_rows).rows),
            Canonical({{Int(1)}, {Int(2)}, {NullInt()}}));
}

TEST(HashAggregateTest, GlobalAggregate) {
  std::vector<Row> rows;
  for (int i = 0; i < 5000; i++) rows.push_back({i % 10 == 0 ? NullInt() : Int(i % 100)});
  auto node =
      MakeAggregate(MakeSource({kBigint}, rows, 1000, 1), {},
                    Calls(Call(CountStar(), {}), Call(Count(kBigint), Args(Col(0, kBigint))),
                          Call(SumBigint(), Args(Col(0, kBigint))),
                          Call(Count(kBigint), Args(Col(0, kBigint)), true),
                          Call(SumBigint(), Args(Col(0, kBigint)), true)));
  RunResult result = RunOperator(*node);
  int64_t count = 0, sum = 0;
  std::set<int64_t> distinct;
  for (const Row& r : rows) {
    if (r[0].IsNull()) continue;
    count++;
    sum += r[0].GetInt64();
    distinct.insert(r[0].GetInt64());
  }
  int64_t distinct_sum = 0;
  for (int64_t v : distinct) distinct_sum += v;
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(RowToString(result.rows[0]),
            RowToString({Int(5000), Int(count), Int(sum),
                         Int(static_cast<int64_t>(distinct.size())), Int(distinct_sum)}));
}

TEST(HashAggregateTest, StringGroupsAndStringArguments) {
  const std::vector<std::string> words = {"",
                                          "a",
                                          "b",
                                          "twelve bytes",
                                          "thirteen bytes",
                                          "a rather long string that lives on the heap",
                                          "a rather long string that lives on the heaq"};
  std::vector<Row> rows;
  std::map<std::string, std::pair<int64_t, std::string>> expected_by_key;
  for (int i = 0; i < 3000; i++) {
    Value key = i % 13 == 0 ? Value::Null(kVarchar) : Str(words[i % words.size()]);
    Value k2 = Int(i % 2);
    std::string payload = "p" + std::to_string((i * 7919) % 1000) + words[i % 3];
    rows.push_back({key, k2, Str(payload)});
    auto& e = expected_by_key[RowToString({key, k2})];
    e.first++;
    if (payload > e.second) e.second = payload;
  }
  g_live_heap_states = 0;
  {
    auto node =
        MakeAggregate(MakeSource({kVarchar, kBigint, kVarchar}, rows, 500, 0, true),
                      Exprs(Col(0, kVarchar), Col(1, kBigint)),
                      Calls(Call(CountStar(), {}), Call(MaxVarchar(), Args(Col(2, kVarchar)))));
    RunResult result = RunOperator(*node);
    std::vector<Row> expected;
    for (const Row& r : result.rows) {
      auto it = expected_by_key.find(RowToString({r[0], r[1]}));
      ASSERT_NE(it, expected_by_key.end()) << RowToString(r);
      EXPECT_EQ(r[2], Int(it->second.first));
      EXPECT_EQ(r[3], Str(it->second.second));
    }
    EXPECT_EQ(result.rows.size(), expected_by_key.size());
  }
  EXPECT_EQ(g_live_heap_states, 0) << "aggregate states were not destroyed";
}

TEST(HashAggregateTest, DistinctAndFilter) {
  // (group, value): duplicates within and across groups, NULL values.
  std::vector<Row> rows;
  for (int i = 0; i < 4000; i++) {
    rows.push_back({Int(i % 5), i % 17 == 0 ? NullInt() : Int((i * 31) % 23)});
  }
  auto filter = [] { return Greater(Col(1, kBigint), Expression::MakeConstant(Int(10))); };
  auto node =
      MakeAggregate(MakeSource({kBigint, kBigint}, rows, 300, 1), Exprs(Col(0, kBigint)),
                    Calls(Call(Count(kBigint), Args(Col(1, kBigint)), true),
                          Call(SumBigint(), Args(Col(1, kBigint)), true),
                          Call(SumBigint(), Args(Col(1, kBigint))),
                          Call(Count(kBigint), Args(Col(1, kBigint)), true, filter()),
                          Call(SumBigint(), Args(Col(1, kBigint)), false, filter()),
                          Call(CountStar(), {}, false,
                               Greater(Col(1, kBigint), Expression::MakeConstant(Int(100))))));
  RunResult result = RunOperator(*node);
  std::vector<Row> expected;
  for (int g = 0; g < 5; g++) {
    std::set<int64_t> distinct, distinct_filtered;
    int64_t sum = 0, sum_filtered = 0;
    bool any_filtered = false;
    for (const Row& r : rows) {
      if (r[0].GetInt64() != g || r[1].IsNull()) continue;
      int64_t v = r[1].GetInt64();
      distinct.insert(v);
      sum += v;
      if (v > 10) {
        distinct_filtered.insert(v);
        sum_filtered += v;
        any_filtered = true;
      }
    }
    int64_t distinct_sum = 0;
    for (int64_t v : distinct) distinct_sum += v;
    expected.push_back({Int(g), Int(static_cast<int64_t>(distinct.size())), Int(distinct_sum),
                        Int(sum), Int(static_cast<int64_t>(distinct_filtered.size())),
                        any_filtered ? Int(sum_filtered) : NullInt(), Int(0)});
  }
  EXPECT_EQ(Canonical(result.rows), Canonical(expected));
}

TEST(HashAggregateTest, ComputedGroupExpression) {
  std::vector<Row> rows;
  for (int i = 0; i < 10000; i++) rows.push_back({Int(i)});
  auto node = MakeAggregate(MakeSource({kBigint}, rows),
                            Exprs(Mod(Col(0, kBigint), Expression::MakeConstant(Int(7)))),
                            Calls(Call(CountStar(), {}), Call(SumBigint(), Args(Col(0, kBigint)))));
  RunResult result = RunOperator(*node);
  std::vector<Row> expected;
  for (int g = 0; g < 7; g++) {
    int64_t count = 0, sum = 0;
    for (int i = g; i < 10000; i += 7) {
      count++;
      sum += i;
    }
    expected.push_back({Int(g), Int(count), Int(sum)});
  }
  EXPECT_EQ(Canonical(result.rows), Canonical(expected));
}

// The group a value belongs to, as text: 0.0 and -0.0 are one group.
std::string GroupText(const Value& v) {
  if (!v.IsNull() && v.type().IsFloat() && v.GetDouble() == 0) return "0";
  return v.ToString();
}

// Every key type, each with NULLs; doubles group NaNs together and 0.0 with -0.0.
TEST(HashAggregateTest, KeysOfEveryType) {
  const LogicalType wide = LogicalType::Decimal(38, 2);
  const LogicalType narrow = LogicalType::Decimal(10, 2);
  std::vector<LogicalType> types = {TypeId::kBoolean,
                                    TypeId::kSmallint,
                                    TypeId::kInteger,
                                    TypeId::kReal,
                                    TypeId::kDouble,
                                    narrow,
                                    wide,
                                    TypeId::kDate,
                                    TypeId::kTimestamp,
                                    TypeId::kInterval};
  std::vector<std::vector<Value>> domains = {
      {Value::Boolean(true), Value::Boolean(false)},
      {Value::Smallint(-3), Value::Smallint(7), Value::Smallint(32767)},
      {Value::Integer(-1), Value::Integer(0), Value::Integer(1 << 30)},
      {Value::Real(1.5f), Value::Real(-0.0f), Value::Real(0.0f)},
      {Value::Double(0.0), Value::Double(-0.0), Value::Double(NAN), Value::Double(-NAN),
       Value::Double(INFINITY), Value::Double(2.5)},
      {Value::Decimal(12345, 10, 2), Value::Decimal(-1, 10, 2)},
      {Value::Decimal(int128_t{1} << 100, 38, 2), Value::Decimal(-(int128_t{1} << 90), 38, 2),
       Value::Decimal(7, 38, 2)},
      {Value::Date(0), Value::Date(19000)},
      {Value::Timestamp(0), Value::Timestamp(1700000000000000)},
      // No two of equal length: '1 month' = '30 days' depends on HashVector.
      {Value::FromInterval({1, 2, 3}), Value::FromInterval({0, 30, 1}),
       Value::FromInterval({2, 0, 0})},
  };
  for (size_t t = 0; t < types.size(); t++) {
    std::vector<Row> rows;
    std::map<std::string, int64_t> counts;
    for (int i = 0; i < 500; i++) {
      Value key = i % 9 == 0 ? Value::Null(types[t]) : domains[t][i % domains[t].size()];
      Value amount = Value::Decimal(i, 38, 2);
      rows.push_back({key, amount});
      counts[GroupText(key)]++;
    }
    auto node =
        MakeAggregate(MakeSource({types[t], wide}, rows, 64), Exprs(Col(0, types[t])),
                      Calls(Call(CountStar(), {}), Call(SumWideDecimal(), Args(Col(1, wide)))));
    RunResult result = RunOperator(*node);
    EXPECT_EQ(result.rows.size(), counts.size()) << types[t].ToString();
    for (const Row& r : result.rows) {
      EXPECT_EQ(r[1], Int(counts[GroupText(r[0])])) << types[t].ToString() << " " << RowToString(r);
    }
  }
  EXPECT_EQ(g_misaligned_states, 0);
}

TEST(HashAggregateTest, BigInputManyGroupsAndBatches) {
  std::mt19937_64 rng(7);
  std::vector<Row> rows;
  struct Expected {
    int64_t count = 0;
    int64_t sum = 0;
    std::set<int64_t> distinct;
  };
  std::map<int64_t, Expected> expected;
  for (int i = 0; i < 100000; i++) {
    int64_t key = static_cast<int64_t>(rng() % 10000);
    int64_t value = static_cast<int64_t>(rng() % 1000);
    rows.push_back({Int(key), Int(value)});
    auto& e = expected[key];
    e.count++;
    e.sum += value;
    e.distinct.insert(value % 7);
  }
  auto node = MakeAggregate(
      MakeSource({kBigint, kBigint}, rows, kBatchSize, 1), Exprs(Col(0, kBigint)),
      Calls(Call(CountStar(), {}), Call(SumBigint(), Args(Col(1, kBigint))),
            Call(Count(kBigint), Args(Mod(Col(1, kBigint), Expression::MakeConstant(Int(7)))),
                 true)));
  RunResult result = RunOperator(*node);
  ASSERT_EQ(result.rows.size(), expected.size());
  EXPECT_GE(result.batches, 5);
  for (const Row& r : result.rows) {
    const Expected& e = expected.at(r[0].GetInt64());
    EXPECT_EQ(r[1].GetInt64(), e.count);
    EXPECT_EQ(r[2].GetInt64(), e.sum);
    EXPECT_EQ(r[3].GetInt64(), static_cast<int64_t>(e.distinct.size()));
  }
}

TEST(HashAggregateTest, AllRowsDistinctGrowsTheTable) {
  std::vector<Row> rows;
  for (int i = 0; i < 100000; i++) rows.push_back({Str("key-number-" + std::to_string(i)), Int(i)});
  auto node = MakeAggregate(MakeSource({kVarchar, kBigint}, rows), Exprs(Col(0, kVarchar)),
                            Calls(Call(SumBigint(), Args(Col(1, kBigint)))));
  int64_t groups = 0, total = 0;
  RunChunks(*node, [&](DataChunk& out) {
    for (idx_t r = 0; r < out.size(); r++) {
      groups++;
      total += out.GetValue(1, r).GetInt64();
      EXPECT_EQ(out.GetValue(0, r).GetString(), "key-number-" + out.GetValue(1, r).ToString());
    }
  });
  EXPECT_EQ(groups, 100000);
  EXPECT_EQ(total, int64_t{99999} * 100000 / 2);
}

// The same operator over the function library's aggregates (the others use
// test-local fakes so that they test the operator alone).
TEST(HashAggregateTest, RegistryAggregates) {
  const FunctionRegistry& registry = FunctionRegistry::Get();
  const LogicalType kInteger(TypeId::kInteger);
  auto bind = [&](const char* name, std::vector<LogicalType> args) {
    std::optional<BoundAggregateFunction> f = registry.BindAggregate(name, args);
    EXPECT_TRUE(f.has_value()) << name;
    return f ? *f : CountStar();
  };
  std::vector<Row> rows;
  const std::vector<std::string> names = {"x", "a longer name for the heap", ""};
  for (int i = 0; i < 7000; i++) {
    rows.push_back({i % 11 == 0 ? Value::Null(kVarchar) : Str(names[i % 3]),
                    i % 13 == 0 ? NullInt() : Int(int64_t{i} * 1000000007), Value::Integer(i % 17),
                    Str("v" + std::to_string(i % 101))});
  }
  auto node = MakeAggregate(
      MakeSource({kVarchar, kBigint, kInteger, kVarchar}, rows, 1000, 1), Exprs(Col(0, kVarchar)),
      Calls(Call(bind("count_star", {}), {}), Call(bind("count", {kBigint}), Args(Col(1, kBigint))),
            Call(bind("sum", {kBigint}), Args(Col(1, kBigint))),
            Call(bind("sum", {kInteger}), Args(Col(2, kInteger)), true),
            Call(bind("min", {kVarchar}), Args(Col(3, kVarchar))),
            Call(bind("max", {kVarchar}), Args(Col(3, kVarchar)), true)));
  RunResult result = RunOperator(*node);
  struct Expected {
    int64_t count = 0, count_x = 0;
    int128_t sum = 0;
    std::set<int32_t> distinct;
    std::string min = "~", max;
  };
  std::map<std::string, Expected> by_group;
  for (const Row& r : rows) {
    Expected& e = by_group[r[0].ToString()];
    e.count++;
    if (!r[1].IsNull()) {
      e.count_x++;
      e.sum += r[1].GetInt64();
    }
    e.distinct.insert(static_cast<int32_t>(r[2].GetInt64()));
    e.min = std::min(e.min, r[3].GetString());
    e.max = std::max(e.max, r[3].GetString());
  }
  std::vector<Row> expected;
  for (const auto& [key, e] : by_group) {
    int64_t distinct_sum = 0;
    for (int32_t v : e.distinct) distinct_sum += v;
    expected.push_back({key == "NULL" ? Value::Null(kVarchar) : Str(key), Int(e.count),
                        Int(e.count_x), Value::Decimal(e.sum, kMaxDecimalPrecision, 0),
                        Int(distinct_sum), Str(e.min), Str(e.max)});
  }
  EXPECT_EQ(Canonical(result.rows), Canonical(expected));
}

}  // namespace
}  // namespace basalt::optest
