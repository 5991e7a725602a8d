// Pieces shared by the binder's source files; not part of its interface.
#pragma once

#include <vector>

#include "plan/binder.h"

namespace basalt {

// A join to put on top of the plan once the clause being bound is done.
struct PendingJoin {
  LogicalJoinType type;
  LogicalOperatorPtr right;
  std::vector<ExpressionPtr> conditions;
};

// A window function call waiting for its LogicalWindow.
struct PendingWindow {
  LogicalWindowCall call;
  std::vector<ExpressionPtr> partition_by;
  std::vector<LogicalOrderKey> order_by;
};

struct Binder::SelectContext {
  const BindScope* scope = nullptr;
  // Where aggregate calls go; nullptr where aggregates are not allowed.
  std::vector<LogicalAggregateCall>* aggregates = nullptr;
  uint32_t aggregate_index = 0;
  // Names the clause in the error when an aggregate appears where it may not.
  const char* aggregate_error_context = "this context";
  bool inside_aggregate = false;
  // Joins that bring scalar subquery values into the plan; nullptr where
  // subqueries are not allowed (GROUP BY, JOIN conditions).
  std::vector<PendingJoin>* pending_joins = nullptr;
  // References to the enclosing query are allowed (a subquery's WHERE) and
  // whether the expression being bound made one.
  bool allow_correlated = false;
  bool saw_correlated = false;
  // The FROM clause (with WHERE) is known at bind time to give no rows
  // (system tables are filled when bound): then a subquery Basalt cannot
  // plan yet (0A000) is never evaluated, and binds as NULL.
  bool from_is_empty = false;
  // Where window function calls go; nullptr where they are not allowed.
  std::vector<PendingWindow>* windows = nullptr;
  bool inside_window = false;
};

// Expressions may nest this deep (a chain a + b + c + ... counts one level
// per operator); beyond it the statement fails with 54000 rather than
// risking the stack in a later recursive pass.
inline constexpr int kMaxExpressionDepth = 3000;
// Stack the binder keeps in reserve for the passes after it.
inline constexpr size_t kBinderStackReserve = 512 * 1024;

class Binder::NestingGuard {
 public:
  NestingGuard(SharedState& state, int32_t position);
  ~NestingGuard() { state_.expression_depth--; }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;

 private:
  SharedState& state_;
};

// Throws 54000 when the thread's stack is nearly used up (deeply nested
// subqueries and views).
void CheckBinderStack(int32_t position);

// Whether `plan` produces no rows whatever happens after binding: it reads
// an empty system table (whose rows were made when it was bound) through
// operators that keep an empty input empty.
bool PlanIsKnownEmpty(const LogicalOperator& plan);

// Appends the conjuncts of `expr` (flattening nested ANDs) to `out`.
void SplitConjunctions(ExpressionPtr expr, std::vector<ExpressionPtr>& out);

}  // namespace basalt
