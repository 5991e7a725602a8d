// Evaluates bound expressions a batch at a time.
//
// Execute() computes an expression for the rows named by a selection (or all
// rows of the input) and leaves each row's value at the row's own index in
// the result, so CASE branches and AND/OR short-circuits evaluate only the
// rows that need them (and never raise errors for rows they skip).
// One executor per thread; expressions are shared read-only.
#pragma once

#include "common/data_chunk.h"
#include "exec/expression.h"

namespace basalt {

class ExpressionExecutor {
 public:
  // `result` becomes a vector holding the value of every row in `sel`
  // (nullptr = rows 0..count-1) at its index; other rows are unspecified.
  void Execute(const Expression& expr, const DataChunk& input, const SelectionVector* sel,
               idx_t count, Vector& result);
  // All rows of `input`.
  void Execute(const Expression& expr, const DataChunk& input, Vector& result) {
    Execute(expr, input, nullptr, input.size(), result);
  }
  // Writes the indices of rows of `input` for which `predicate` is TRUE (not
  // FALSE, not NULL) into `true_sel`; returns how many.
  idx_t Select(const Expression& predicate, const DataChunk& input, SelectionVector& true_sel);

  // Evaluates an expression with no column references (constant folding).
  static Value EvaluateConstant(const Expression& expr);

 private:
  // Rows of `sel` whose boolean value in `v` is TRUE / not TRUE (FALSE or NULL).
  idx_t Select(const Expression& predicate, const DataChunk& input, const SelectionVector* sel,
               idx_t count, SelectionVector& true_sel);
  void ExecuteFunction(const Expression& expr, const DataChunk& input, const SelectionVector* sel,
                       idx_t count, Vector& result);
  void ExecuteAndOr(const Expression& expr, const DataChunk& input, const SelectionVector* sel,
                    idx_t count, Vector& result);
  void ExecuteCase(const Expression& expr, const DataChunk& input, const SelectionVector* sel,
                   idx_t count, Vector& result);
  void ExecuteCoalesce(const Expression& expr, const DataChunk& input, const SelectionVector* sel,
                       idx_t count, Vector& result);
  void ExecuteInList(const Expression& expr, const DataChunk& input, const SelectionVector* sel,
                     idx_t count, Vector& result);
};

}  // namespace basalt
