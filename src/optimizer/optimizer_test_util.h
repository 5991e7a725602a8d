// Helpers for the optimizer's tests: tables with a known row count, logical
// operators and bound expressions built by hand (what the binder would make),
// and a runner that executes a fragmented plan and returns its rows.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "common/data_chunk.h"
#include "exec/cast.h"
#include "exec/fragment.h"
#include "exec/function.h"
#include "exec/query_executor.h"
#include "exec/task_scheduler.h"
#include "plan/logical_operator.h"

namespace basalt {
namespace optimizer_test {

// A table whose column i holds (row * (i + 1)) % modulus[i] as INTEGER,
// `rows` rows.
inline std::shared_ptr<TableEntry> MakeTable(const std::string& name,
                                             const std::vector<std::string>& columns, idx_t rows,
                                             std::vector<int> moduli = {}) {
  auto table = std::make_shared<TableEntry>();
  table->schema = kDefaultSchema;
  table->name = name;
  for (const auto& c : columns) table->columns.push_back(TableColumn{c, TypeId::kInteger});
  table->storage = std::make_shared<DataTable>(table->Types());
  moduli.resize(columns.size(), 1 << 30);
  std::vector<LogicalType> types = table->Types();
  for (idx_t start = 0; start < rows; start += kBatchSize) {
    idx_t count = std::min<idx_t>(kBatchSize, rows - start);
    DataChunk chunk(types);
    for (size_t c = 0; c < columns.size(); c++) {
      auto* data = chunk.column(c).Data<int32_t>();
      for (idx_t r = 0; r < count; r++) {
        data[r] = static_cast<int32_t>(((start + r) * (c + 1)) % moduli[c]);
      }
    }
    chunk.SetSize(count);
    table->storage->Append(chunk);
  }
  return table;
}

inline std::unique_ptr<LogicalGet> Get(std::shared_ptr<TableEntry> table, uint32_t table_index) {
  auto get = std::make_unique<LogicalGet>();
  get->table_index = table_index;
  for (idx_t i = 0; i < table->columns.size(); i++) get->column_ids.push_back(i);
  get->table = std::move(table);
  return get;
}

inline ExpressionPtr Col(uint32_t table_index, uint32_t column,
                         LogicalType type = TypeId::kInteger) {
  return Expression::MakeColumnRef(ColumnBinding{table_index, column}, type);
}

inline ExpressionPtr Int(int32_t v) { return Expression::MakeConstant(Value::Integer(v)); }
inline ExpressionPtr Bool(bool v) { return Expression::MakeConstant(Value::Boolean(v)); }
inline bool IsFalseConstant(const Expression& e) {
  return e.IsConstant() && e.constant == Value::Boolean(false);
}

// A scalar function or operator over arguments of matching types.
// `e` converted to `type`, as the binder casts arguments to a function's
// bound argument types.
inline ExpressionPtr CastArg(ExpressionPtr e, const LogicalType& type) {
  if (e->type == type) return e;
  auto cast = BindCast(e->type, type);
  if (!cast) throw std::runtime_error("no cast to " + type.ToString());
  std::vector<ExpressionPtr> args;
  args.push_back(std::move(e));
  return Expression::MakeFunction(std::move(*cast), std::move(args));
}

inline ExpressionPtr Call(const std::string& name, ExpressionPtr a, ExpressionPtr b) {
  std::vector<LogicalType> types = {a->type, b->type};
  auto bound = FunctionRegistry::Get().BindScalar(name, types, {nullptr, nullptr});
  if (!bound) throw std::runtime_error("no function " + name);
  std::vector<ExpressionPtr> args;
  args.push_back(CastArg(std::move(a), bound->arg_types[0]));
  args.push_back(CastArg(std::move(b), bound->arg_types[1]));
  return Expression::MakeFunction(std::move(*bound), std::move(args));
}

inline ExpressionPtr And(ExpressionPtr a, ExpressionPtr b) {
  std::vector<ExpressionPtr> args;
  args.push_back(std::move(a));
  args.push_back(std::move(b));
  return Expression::MakeBoolean(ExprKind::kAnd, std::move(args));
}

inline LogicalOperatorPtr Filter(LogicalOperatorPtr child, ExpressionPtr condition) {
  auto filter = std::make_unique<LogicalFilter>();
  filter->conditions.push_back(std::move(condition));
  filter->children.push_back(std::move(child));
  return filter;
}

inline LogicalOperatorPtr Join(LogicalJoinType type, LogicalOperatorPtr left,
                               LogicalOperatorPtr right, std::vector<ExpressionPtr> conditions) {
  auto join = std::make_unique<LogicalJoin>();
  join->join_type = type;
  join->conditions = std::move(conditions);
  join->children.push_back(std::move(left));
  join->children.push_back(std::move(right));
  return join;
}

inline std::vector<ExpressionPtr> Exprs(ExpressionPtr a) {
  std::vector<ExpressionPtr> out;
  out.push_back(std::move(a));
  return out;
}
inline std::vector<ExpressionPtr> Exprs(ExpressionPtr a, ExpressionPtr b) {
  std::vector<ExpressionPtr> out = Exprs(std::move(a));
  out.push_back(std::move(b));
  return out;
}
inline std::vector<ExpressionPtr> Exprs(ExpressionPtr a, ExpressionPtr b, ExpressionPtr c) {
  std::vector<ExpressionPtr> out = Exprs(std::move(a), std::move(b));
  out.push_back(std::move(c));
  return out;
}

inline LogicalOperatorPtr Project(uint32_t table_index, LogicalOperatorPtr child,
                                  std::vector<ExpressionPtr> exprs) {
  auto projection = std::make_unique<LogicalProjection>();
  projection->table_index = table_index;
  projection->expressions = std::move(exprs);
  projection->children.push_back(std::move(child));
  return projection;
}

// An aggregate call bound through the registry; nullopt-safe for tests that
// skip when the aggregate library lacks the function.
inline bool HasAggregate(const std::string& name, const std::vector<LogicalType>& types) {
  return FunctionRegistry::Get().BindAggregate(name, types).has_value();
}

inline LogicalAggregateCall Aggregate(const std::string& name, std::vector<ExpressionPtr> args,
                                      bool distinct = false) {
  std::vector<LogicalType> types;
  for (const auto& a : args) types.push_back(a->type);
  auto bound = FunctionRegistry::Get().BindAggregate(name, types);
  if (!bound) throw std::runtime_error("no aggregate " + name);
  LogicalAggregateCall call;
  for (size_t i = 0; i < args.size(); i++)
    args[i] = CastArg(std::move(args[i]), bound->arg_types[i]);
  call.function = std::move(*bound);
  call.args = std::move(args);
  call.distinct = distinct;
  return call;
}

// Walks a logical plan depth-first, parents first.
template <typename F>
void VisitPlan(const LogicalOperator& op, F&& f) {
  f(op);
  for (const auto& child : op.children) VisitPlan(*child, f);
}

template <typename T>
std::vector<const T*> FindAll(const LogicalOperator& plan, LogicalOperatorType type) {
  std::vector<const T*> out;
  VisitPlan(plan, [&](const LogicalOperator& op) {
    if (op.type == type) out.push_back(static_cast<const T*>(&op));
  });
  return out;
}

// Every row of the result as text ("1|2|NULL"), sorted unless `keep_order`.
inline std::vector<std::string> RunPlan(FragmentedPlan plan, bool keep_order = false,
                                        int threads = 2) {
  TaskScheduler scheduler(threads);
  QueryExecution execution(std::move(plan), scheduler);
  execution.Start();
  std::vector<std::string> rows;
  DataChunk chunk;
  while (execution.Next(chunk)) {
    for (idx_t r = 0; r < chunk.size(); r++) {
      std::string row;
      for (idx_t c = 0; c < chunk.ColumnCount(); c++) {
        if (c > 0) row += "|";
        row += chunk.GetValue(c, r).ToString();
      }
      rows.push_back(std::move(row));
    }
  }
  if (!keep_order) std::sort(rows.begin(), rows.end());
  return rows;
}

template <typename F>
void VisitNodes(const PhysicalNode& node, F&& f) {
  f(node);
  for (const auto& child : node.children) VisitNodes(*child, f);
}

// The invariants the executor relies on.
inline void CheckWellFormed(const FragmentedPlan& plan) {
  ASSERT_FALSE(plan.fragments.empty());
  EXPECT_EQ(plan.fragments[0].parallelism, 1);
  EXPECT_EQ(plan.fragments[0].output_exchange, kClientExchange);
  ASSERT_EQ(plan.exchange_consumer.size(), static_cast<size_t>(plan.num_exchanges));
  std::set<int> node_ids;
  std::vector<int> producers(plan.num_exchanges, -1);
  for (size_t i = 0; i < plan.fragments.size(); i++) {
    const PlanFragment& f = plan.fragments[i];
    EXPECT_EQ(f.id, static_cast<int>(i));
    ASSERT_NE(f.root, nullptr);
    if (i > 0) {
      ASSERT_GE(f.output_exchange, 0);
      EXPECT_EQ(producers[f.output_exchange], -1) << "two producers for one exchange";
      producers[f.output_exchange] = f.id;
      if (f.output_type == ExchangeType::kHash) {
        for (idx_t c : f.hash_columns) EXPECT_LT(c, f.root->types.size());
      }
    }
    VisitNodes(*f.root, [&](const PhysicalNode& node) {
      EXPECT_TRUE(node_ids.insert(node.id).second) << "node id " << node.id << " repeats";
      if (auto* receiver = dynamic_cast<const ExchangeReceiverNode*>(&node)) {
        EXPECT_EQ(plan.exchange_consumer[receiver->exchange_id], f.id);
        const PlanFragment& source = plan.fragments[receiver->source_fragment];
        EXPECT_EQ(source.output_exchange, receiver->exchange_id);
        EXPECT_EQ(source.root->types, receiver->types);
        if (receiver->exchange_type == ExchangeType::kGather) {
          EXPECT_EQ(f.parallelism, 1);
        }
      }
    });
  }
  for (int e = 0; e < plan.num_exchanges; e++) EXPECT_GE(producers[e], 0);
  EXPECT_EQ(plan.column_types, plan.fragments[0].root->types);
}

inline int CountNodes(const FragmentedPlan& plan, const std::string& name) {
  int n = 0;
  for (const auto& f : plan.fragments) {
    VisitNodes(*f.root, [&](const PhysicalNode& node) { n += node.Name() == name; });
  }
  return n;
}

}  // namespace optimizer_test
}  // namespace basalt
