// Computing one window function's output column, one output batch at a time.
//
// Evaluators are created once the window operator's input is sorted and see
// every batch exactly once, in sorted order, so they may carry state from a
// batch to the next (a running aggregate). The type switch and the per-kind
// dispatch happen once per batch (one virtual call); inside, every loop is
// typed and allocation-free.
#pragma once

#include <memory>
#include <vector>

#include "common/vector.h"
#include "exec/operators/window.h"
#include "exec/operators/window_frame.h"
#include "exec/operators/window_rows.h"

namespace basalt {

class WindowEvaluator {
 public:
  virtual ~WindowEvaluator() = default;
  // Writes the function's value for each row j < batch.count into row j of
  // `result`, a fresh flat vector of the function's return type.
  virtual void Evaluate(const WindowBatch& batch, Vector& result) = 0;
};

// Whether args[i] of a function of this kind is stored per row in the
// window's ColumnStore; the others (lag/lead's offset and default, ntile's
// bucket count) are constants read once.
bool IsStoredWindowArgument(WindowFunctionKind kind, idx_t arg);

// Checks the parts of `function` that do not depend on the data (frame,
// argument count, constant arguments, return type) and throws BasaltError.
void ValidateWindowFunction(const WindowFunction& function);

// `arg_columns[i]` is the store column of args[i] when IsStoredWindowArgument.
// May throw BasaltError for arguments only wrong with rows to apply them to
// (ntile of zero), so it is called only when `rows` is not empty.
std::unique_ptr<WindowEvaluator> MakeWindowEvaluator(const WindowFunction& function,
                                                     const WindowRows& rows,
                                                     const std::vector<idx_t>& arg_columns);

// Aggregates (window_aggregate.cc).
std::unique_ptr<WindowEvaluator> MakeWindowAggregateEvaluator(
    const WindowFunction& function, const WindowRows& rows, const std::vector<idx_t>& arg_columns);

}  // namespace basalt
