// Bound expressions: typed trees the binder produces and the executor runs.
//
// In logical plans a column is named by a ColumnBinding (the producing
// operator's table index and the column's number in it), which survives plan
// rewrites. Physical planning resolves each binding to the position of the
// column in the operator's input chunk (kInputRef).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "exec/function.h"

namespace basalt {

struct ColumnBinding {
  uint32_t table_index = 0;
  uint32_t column_index = 0;
  bool operator==(const ColumnBinding& o) const {
    return table_index == o.table_index && column_index == o.column_index;
  }
  bool operator<(const ColumnBinding& o) const {
    return table_index != o.table_index ? table_index < o.table_index
                                        : column_index < o.column_index;
  }
};

enum class ExprKind : uint8_t {
  kColumnRef,  // binding; logical plans only
  kInputRef,   // input_index; physical plans only
  kConstant,
  kFunction,   // scalar function, operator or cast: function.kernel over children
  kAnd,        // n-ary, three-valued
  kOr,         // n-ary, three-valued
  kNot,
  kIsNull,
  kIsNotNull,
  kCase,       // children: when0, then0, when1, then1, ..., else (always present)
  kCoalesce,
  kInList,     // children[0] IN (children[1..]); all list items are constants
  kParameter,  // $n, bound later by the server (not yet executable)
};

struct Expression {
  ExprKind kind = ExprKind::kConstant;
  LogicalType type;
  ColumnBinding binding;  // kColumnRef
  idx_t input_index = 0;  // kInputRef
  Value constant;         // kConstant
  BoundScalarFunction function;  // kFunction
  std::vector<std::unique_ptr<Expression>> children;
  // How the expression was written (column names, EXPLAIN); may be empty.
  std::string alias;
  // A string literal whose type is still open (PostgreSQL's "unknown"): the
  // binder casts it to whatever type it is compared or combined with.
  bool untyped_literal = false;

  std::unique_ptr<Expression> Copy() const;
  // A readable rendering for EXPLAIN.
  std::string ToString() const;
  bool IsConstant() const { return kind == ExprKind::kConstant; }
  // True when no column reference or non-deterministic function appears.
  bool IsFoldable() const;
  bool Equals(const Expression& other) const;

  static std::unique_ptr<Expression> MakeConstant(Value v);
  static std::unique_ptr<Expression> MakeColumnRef(ColumnBinding b, LogicalType type,
                                                   std::string alias = "");
  static std::unique_ptr<Expression> MakeInputRef(idx_t index, LogicalType type);
  static std::unique_ptr<Expression> MakeFunction(BoundScalarFunction fn,
                                                  std::vector<std::unique_ptr<Expression>> args);
  static std::unique_ptr<Expression> MakeBoolean(ExprKind kind,
                                                 std::vector<std::unique_ptr<Expression>> args);
};

using ExpressionPtr = std::unique_ptr<Expression>;

// The expressions' ToString()s joined by `separator`, for EXPLAIN.
std::string JoinExpressions(const std::vector<ExpressionPtr>& exprs, const char* separator = ", ");

// Calls f on every node of the tree, parents before children.
template <typename F>
void VisitExpression(const Expression& e, F&& f) {
  f(e);
  for (const auto& c : e.children) VisitExpression(*c, f);
}
template <typename F>
void VisitExpressionMutable(Expression& e, F&& f) {
  f(e);
  for (auto& c : e.children) VisitExpressionMutable(*c, f);
}

}  // namespace basalt
