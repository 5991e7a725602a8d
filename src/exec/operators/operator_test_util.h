// Test-only helpers for operator unit tests (included by *_test.cc only): a
// source operator that replays given batches and can report kBlocked before
// each of them, a driver that runs an operator tree to its end, builders for
// chunks and expressions, and fake aggregate and scalar functions so that
// operator tests do not depend on the function library.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "exec/expression.h"
#include "exec/operators/join_type.h"
#include "exec/physical_node.h"

namespace basalt::optest {

// Replays `batches`; before each batch (and before finishing) it returns
// kBlocked `blocks_before_each` times, as a source waiting on an exchange
// does. With `as_dictionary`, each batch is handed out as a dictionary over
// its rows in reverse order (same rows, another vector form).
class TestSourceNode : public PhysicalNode {
 public:
  std::vector<DataChunk> batches;
  int blocks_before_each = 0;
  bool as_dictionary = false;

  std::string Name() const override { return "TestSource"; }
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

class TestSourceOperator : public Operator {
 public:
  explicit TestSourceOperator(const TestSourceNode& node) : Operator(node), source_(node) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    if (blocked_ < source_.blocks_before_each) {
      blocked_++;
      return OperatorResult::kBlocked;
    }
    blocked_ = 0;
    if (next_ >= source_.batches.size()) return OperatorResult::kFinished;
    const DataChunk& batch = source_.batches[next_++];
    out.Reference(batch);
    if (source_.as_dictionary && batch.size() > 0) {
      SelectionVector sel(batch.size());
      for (idx_t i = 0; i < batch.size(); i++) {
        sel.Set(i, static_cast<uint32_t>(batch.size() - 1 - i));
      }
      out.Slice(sel, batch.size());
    }
    return OperatorResult::kHaveData;
  }

 private:
  const TestSourceNode& source_;
  int blocked_ = 0;
  size_t next_ = 0;
};

inline std::unique_ptr<Operator> TestSourceNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<TestSourceOperator>(*this);
}

using Row = std::vector<Value>;

// Cuts rows into batches of `batch_size` rows of the given types.
inline std::vector<DataChunk> MakeBatches(const std::vector<LogicalType>& types,
                                          const std::vector<Row>& rows,
                                          idx_t batch_size = kBatchSize) {
  std::vector<DataChunk> batches;
  for (idx_t start = 0; start < rows.size(); start += batch_size) {
    const idx_t count = std::min(batch_size, rows.size() - start);
    DataChunk chunk(types);
    for (idx_t r = 0; r < count; r++) {
      for (idx_t c = 0; c < types.size(); c++) chunk.column(c).SetValue(r, rows[start + r][c]);
    }
    chunk.SetSize(count);
    batches.push_back(std::move(chunk));
  }
  return batches;
}

inline std::unique_ptr<TestSourceNode> MakeSource(const std::vector<LogicalType>& types,
                                                  const std::vector<Row>& rows,
                                                  idx_t batch_size = kBatchSize,
                                                  int blocks_before_each = 0,
                                                  bool as_dictionary = false) {
  auto node = std::make_unique<TestSourceNode>();
  node->types = types;
  node->batches = MakeBatches(types, rows, batch_size);
  node->blocks_before_each = blocks_before_each;
  node->as_dictionary = as_dictionary;
  return node;
}

// Builds the operator tree of a node tree (what the fragment runner does).
inline std::unique_ptr<Operator> Instantiate(const PhysicalNode& node, InstanceContext& ctx) {
  return CreateOperatorTree(node, ctx);
}

struct RunResult {
  std::vector<Row> rows;
  int batches = 0;
  int blocked = 0;
};

// Pulls every batch of the node's operator, checking the batch contract, and
// hands each to `visit`. Returns {batches, blocked} in a RunResult without rows.
template <typename Visit>
RunResult RunChunks(const PhysicalNode& node, Visit&& visit) {
  InstanceContext ctx;
  auto op = Instantiate(node, ctx);
  RunResult result;
  while (true) {
    DataChunk out;
    OperatorResult r = op->Next(out);
    if (r == OperatorResult::kFinished) break;
    if (r == OperatorResult::kBlocked) {
      result.blocked++;
      if (result.blocked >= 10'000'000) {
        ADD_FAILURE() << "operator never finishes";
        break;
      }
      continue;
    }
    result.batches++;
    EXPECT_GT(out.size(), 0u);
    EXPECT_LE(out.size(), kBatchSize);
    EXPECT_EQ(out.ColumnCount(), node.types.size());
    for (idx_t c = 0; c < out.ColumnCount() && c < node.types.size(); c++) {
      EXPECT_EQ(out.column(c).type(), node.types[c]) << "column " << c;
    }
    visit(out);
  }
  // Finished operators stay finished.
  DataChunk out;
  EXPECT_EQ(op->Next(out), OperatorResult::kFinished);
  return result;
}

// Runs the node to its end and collects its rows as Values.
inline RunResult RunOperator(const PhysicalNode& node) {
  std::vector<Row> rows;
  RunResult result = RunChunks(node, [&](const DataChunk& out) {
    for (idx_t r = 0; r < out.size(); r++) {
      Row row;
      for (idx_t c = 0; c < out.ColumnCount(); c++) row.push_back(out.GetValue(c, r));
      rows.push_back(std::move(row));
    }
  });
  result.rows = std::move(rows);
  return result;
}

inline std::string RowToString(const Row& row) {
  std::string s;
  for (size_t i = 0; i < row.size(); i++) {
    if (i > 0) s += "|";
    s += row[i].ToString();
  }
  return s;
}

// Rows as sorted strings: compares results whose order is unspecified.
inline std::vector<std::string> Canonical(const std::vector<Row>& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(RowToString(r));
  std::sort(out.begin(), out.end());
  return out;
}

// What a join of the given type must output, by trying every pair with
// `matches` (which includes key equality and any residual).
inline std::vector<Row> ReferenceJoin(JoinType type, const std::vector<Row>& probe,
                                      const std::vector<Row>& build,
                                      const std::vector<LogicalType>& probe_types,
                                      const std::vector<LogicalType>& build_types,
                                      const std::function<bool(const Row&, const Row&)>& matches) {
  std::vector<Row> out;
  std::vector<bool> build_matched(build.size(), false);
  auto concat = [](const Row& a, const Row& b) {
    Row r = a;
    r.insert(r.end(), b.begin(), b.end());
    return r;
  };
  Row null_probe, null_build;
  for (const auto& t : probe_types) null_probe.push_back(Value::Null(t));
  for (const auto& t : build_types) null_build.push_back(Value::Null(t));
  for (const Row& p : probe) {
    bool matched = false;
    for (size_t b = 0; b < build.size(); b++) {
      if (!matches(p, build[b])) continue;
      matched = true;
      build_matched[b] = true;
      if (JoinOutputsBuild(type)) out.push_back(concat(p, build[b]));
    }
    if (type == JoinType::kSemi && matched) out.push_back(p);
    if (type == JoinType::kAnti && !matched) out.push_back(p);
    if ((type == JoinType::kLeft || type == JoinType::kFull) && !matched) {
      out.push_back(concat(p, null_build));
    }
  }
  if (type == JoinType::kRight || type == JoinType::kFull) {
    for (size_t b = 0; b < build.size(); b++) {
      if (!build_matched[b]) out.push_back(concat(null_probe, build[b]));
    }
  }
  return out;
}

inline ExpressionPtr Col(idx_t index, LogicalType type) {
  return Expression::MakeInputRef(index, type);
}

inline Value Int(int64_t v) { return Value::Bigint(v); }
inline Value NullInt() { return Value::Null(LogicalType(TypeId::kBigint)); }
inline Value OptInt(std::optional<int64_t> v) { return v ? Int(*v) : NullInt(); }
inline Value Str(std::string s) { return Value::Varchar(std::move(s)); }

// --- Fake scalar functions over BIGINT (NULL in, NULL out). ---

template <typename Op>
void BinaryBigintKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                        Vector& result, Op op) {
  UnifiedFormat a, b;
  args[0].ToUnified(count, &a);
  args[1].ToUnified(count, &b);
  for (idx_t i = 0; i < count; i++) {
    const uint32_t row = sel ? sel->Get(i) : static_cast<uint32_t>(i);
    const uint32_t ra = a.sel->Get(row);
    const uint32_t rb = b.sel->Get(row);
    if (!a.validity->IsValid(ra) || !b.validity->IsValid(rb)) {
      result.SetNull(row);
      continue;
    }
    op(a.Data<int64_t>()[ra], b.Data<int64_t>()[rb], result, row);
  }
}

inline void GreaterKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                          const FunctionData*, Vector& result) {
  BinaryBigintKernel(args, sel, count, result, [](int64_t x, int64_t y, Vector& r, uint32_t row) {
    r.Data<bool>()[row] = x > y;
  });
}

inline void LessKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                       const FunctionData*, Vector& result) {
  BinaryBigintKernel(args, sel, count, result, [](int64_t x, int64_t y, Vector& r, uint32_t row) {
    r.Data<bool>()[row] = x < y;
  });
}

inline void ModKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                      const FunctionData*, Vector& result) {
  BinaryBigintKernel(args, sel, count, result, [](int64_t x, int64_t y, Vector& r, uint32_t row) {
    r.Data<int64_t>()[row] = x % y;
  });
}

inline ExpressionPtr Binary(const char* name, ScalarKernel kernel, LogicalType return_type,
                            ExpressionPtr left, ExpressionPtr right) {
  BoundScalarFunction fn;
  fn.name = name;
  fn.arg_types = {LogicalType(TypeId::kBigint), LogicalType(TypeId::kBigint)};
  fn.return_type = return_type;
  fn.kernel = kernel;
  std::vector<ExpressionPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  return Expression::MakeFunction(std::move(fn), std::move(args));
}

inline ExpressionPtr Greater(ExpressionPtr l, ExpressionPtr r) {
  return Binary(">", GreaterKernel, TypeId::kBoolean, std::move(l), std::move(r));
}
inline ExpressionPtr Less(ExpressionPtr l, ExpressionPtr r) {
  return Binary("<", LessKernel, TypeId::kBoolean, std::move(l), std::move(r));
}
inline ExpressionPtr Mod(ExpressionPtr l, ExpressionPtr r) {
  return Binary("%", ModKernel, TypeId::kBigint, std::move(l), std::move(r));
}

}  // namespace basalt::optest
