// Pieces shared by the binder's source files; not part of its interface.
#pragma once

#include <vector>

#include "plan/binder.h"

namespace basalt {

struct Binder::SelectContext {
  const BindScope* scope = nullptr;
  // Where aggregate calls go; nullptr where aggregates are not allowed.
  std::vector<LogicalAggregateCall>* aggregates = nullptr;
  uint32_t aggregate_index = 0;
  // Names the clause in the error when an aggregate appears where it may not.
  const char* aggregate_error_context = "this context";
  bool inside_aggregate = false;
};

// Appends the conjuncts of `expr` (flattening nested ANDs) to `out`.
void SplitConjunctions(ExpressionPtr expr, std::vector<ExpressionPtr>& out);

}  // namespace basalt
