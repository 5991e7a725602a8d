// One ORDER BY key as the planner hands it to Sort and TopN.
#pragma once

#include "exec/expression.h"

namespace basalt {

// NULL placement is explicit: the planner resolves SQL's defaults (NULLS
// LAST for ASC, NULLS FIRST for DESC) before building the node.
struct SortKey {
  ExpressionPtr expr;  // over the input columns
  bool descending = false;
  bool nulls_first = false;
};

}  // namespace basalt
