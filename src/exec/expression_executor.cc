#include "exec/expression_executor.h"

#include "common/exception.h"
#include "exec/cast.h"
#include "exec/functions/compare_ops.h"

namespace basalt {

namespace {

inline uint32_t RowAt(const SelectionVector* sel, idx_t i) {
  return sel ? sel->Get(i) : static_cast<uint32_t>(i);
}

// Copies the selected rows of `source` into the flat vector `target` at the
// same row indices.
void ScatterRows(const Vector& source, const SelectionVector& rows, idx_t count, Vector& target) {
  UnifiedFormat in;
  source.ToUnified(count, &in);
  target.KeepAlive(source);
  DispatchPhysical(target.type().physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* src = in.Data<T>();
    T* dst = target.Data<T>();
    for (idx_t i = 0; i < count; i++) {
      uint32_t row = rows.Get(i);
      uint32_t src_row = in.sel->Get(row);
      if (in.validity->IsValid(src_row)) {
        dst[row] = src[src_row];
        target.validity().SetValid(row);
      } else {
        target.validity().SetInvalid(row);
      }
    }
  });
}

}  // namespace

void ExpressionExecutor::Execute(const Expression& expr, const DataChunk& input,
                                 const SelectionVector* sel, idx_t count, Vector& result) {
  switch (expr.kind) {
    case ExprKind::kInputRef:
      result.Reference(input.column(expr.input_index));
      return;
    case ExprKind::kConstant:
      result = Vector(expr.constant.IsNull() ? Value::Null(expr.type) : expr.constant);
      return;
    case ExprKind::kFunction:
      ExecuteFunction(expr, input, sel, count, result);
      return;
    case ExprKind::kAnd:
    case ExprKind::kOr:
      ExecuteAndOr(expr, input, sel, count, result);
      return;
    case ExprKind::kNot: {
      Vector child;
      Execute(*expr.children[0], input, sel, count, child);
      UnifiedFormat in;
      child.ToUnified(count, &in);
      result = Vector(LogicalType(TypeId::kBoolean), std::max<idx_t>(input.size(), 1));
      bool* out = result.Data<bool>();
      const bool* v = in.Data<bool>();
      for (idx_t i = 0; i < count; i++) {
        uint32_t row = RowAt(sel, i);
        uint32_t src = in.sel->Get(row);
        if (in.validity->IsValid(src)) {
          out[row] = !v[src];
        } else {
          result.validity().SetInvalid(row);
        }
      }
      return;
    }
    case ExprKind::kIsNull:
    case ExprKind::kIsNotNull: {
      Vector child;
      Execute(*expr.children[0], input, sel, count, child);
      UnifiedFormat in;
      child.ToUnified(count, &in);
      result = Vector(LogicalType(TypeId::kBoolean), std::max<idx_t>(input.size(), 1));
      bool* out = result.Data<bool>();
      bool want_null = expr.kind == ExprKind::kIsNull;
      for (idx_t i = 0; i < count; i++) {
        uint32_t row = RowAt(sel, i);
        out[row] = in.validity->IsValid(in.sel->Get(row)) != want_null;
      }
      return;
    }
    case ExprKind::kCase:
      ExecuteCase(expr, input, sel, count, result);
      return;
    case ExprKind::kCoalesce:
      ExecuteCoalesce(expr, input, sel, count, result);
      return;
    case ExprKind::kInList:
      ExecuteInList(expr, input, sel, count, result);
      return;
    case ExprKind::kColumnRef:
      throw BasaltError(sqlstate::kInternalError,
                        "internal error: unresolved column reference " + expr.ToString());
    case ExprKind::kParameter:
      throw BasaltError(sqlstate::kFeatureNotSupported,
                        "parameters ($n) are not supported in this context");
  }
}

void ExpressionExecutor::ExecuteFunction(const Expression& expr, const DataChunk& input,
                                         const SelectionVector* sel, idx_t count, Vector& result) {
  std::vector<Vector> args(expr.children.size());
  bool all_constant = true;
  for (size_t i = 0; i < expr.children.size(); i++) {
    Execute(*expr.children[i], input, sel, count, args[i]);
    all_constant &= args[i].kind() == VectorKind::kConstant;
  }
  if (all_constant && expr.function.deterministic && count > 0) {
    // One evaluation stands for every row.
    Vector single(expr.type, 1);
    expr.function.kernel(args, nullptr, 1, expr.function.data.get(), single);
    result = Vector(single.GetValue(0));
    return;
  }
  result = Vector(expr.type, std::max<idx_t>(input.size(), 1));
  expr.function.kernel(args, sel, count, expr.function.data.get(), result);
}

void ExpressionExecutor::ExecuteAndOr(const Expression& expr, const DataChunk& input,
                                      const SelectionVector* sel, idx_t count, Vector& result) {
  // Three-valued: AND is FALSE if any child is FALSE, else NULL if any is
  // NULL, else TRUE (OR symmetrically). Rows already decided are not handed to
  // later children, which is both faster and keeps errors from rows that do
  // not need the later children (x <> 0 AND 1 / x > 1).
  const bool is_and = expr.kind == ExprKind::kAnd;
  idx_t capacity = std::max<idx_t>(input.size(), 1);
  result = Vector(LogicalType(TypeId::kBoolean), capacity);
  bool* out = result.Data<bool>();
  for (idx_t i = 0; i < count; i++) out[RowAt(sel, i)] = is_and;
  SelectionVector pending(capacity);
  idx_t pending_count = count;
  for (idx_t i = 0; i < count; i++) pending.Set(i, RowAt(sel, i));
  std::vector<uint8_t> has_null(capacity, 0);
  for (const auto& child_expr : expr.children) {
    if (pending_count == 0) break;
    Vector child;
    Execute(*child_expr, input, &pending, pending_count, child);
    UnifiedFormat in;
    child.ToUnified(pending_count, &in);
    const bool* v = in.Data<bool>();
    idx_t next = 0;
    for (idx_t i = 0; i < pending_count; i++) {
      uint32_t row = pending.Get(i);
      uint32_t src = in.sel->Get(row);
      if (!in.validity->IsValid(src)) {
        has_null[row] = 1;
        pending.Set(next++, row);
      } else if (v[src] != is_and) {
        out[row] = !is_and;  // decided
      } else {
        pending.Set(next++, row);
      }
    }
    pending_count = next;
  }
  for (idx_t i = 0; i < pending_count; i++) {
    uint32_t row = pending.Get(i);
    if (has_null[row]) result.validity().SetInvalid(row);
  }
}

void ExpressionExecutor::ExecuteCase(const Expression& expr, const DataChunk& input,
                                     const SelectionVector* sel, idx_t count, Vector& result) {
  idx_t capacity = std::max<idx_t>(input.size(), 1);
  result = Vector(expr.type, capacity);
  SelectionVector remaining(capacity);
  idx_t remaining_count = count;
  for (idx_t i = 0; i < count; i++) remaining.Set(i, RowAt(sel, i));
  SelectionVector matched(capacity);
  SelectionVector unmatched(capacity);
  size_t n = expr.children.size();
  for (size_t w = 0; w + 1 < n && remaining_count > 0; w += 2) {
    idx_t match_count = Select(*expr.children[w], input, &remaining, remaining_count, matched);
    if (match_count > 0) {
      Vector branch;
      Execute(*expr.children[w + 1], input, &matched, match_count, branch);
      ScatterRows(branch, matched, match_count, result);
    }
    // Rows not matched go on to the next WHEN.
    idx_t u = 0, m = 0;
    for (idx_t i = 0; i < remaining_count; i++) {
      uint32_t row = remaining.Get(i);
      if (m < match_count && matched.Get(m) == row) {
        m++;
      } else {
        unmatched.Set(u++, row);
      }
    }
    std::swap(remaining, unmatched);
    remaining_count = u;
  }
  if (remaining_count > 0) {
    Vector branch;
    Execute(*expr.children[n - 1], input, &remaining, remaining_count, branch);
    ScatterRows(branch, remaining, remaining_count, result);
  }
}

void ExpressionExecutor::ExecuteCoalesce(const Expression& expr, const DataChunk& input,
                                         const SelectionVector* sel, idx_t count, Vector& result) {
  idx_t capacity = std::max<idx_t>(input.size(), 1);
  result = Vector(expr.type, capacity);
  SelectionVector remaining(capacity);
  idx_t remaining_count = count;
  for (idx_t i = 0; i < count; i++) remaining.Set(i, RowAt(sel, i));
  for (const auto& child_expr : expr.children) {
    if (remaining_count == 0) break;
    Vector child;
    Execute(*child_expr, input, &remaining, remaining_count, child);
    ScatterRows(child, remaining, remaining_count, result);
    UnifiedFormat in;
    child.ToUnified(remaining_count, &in);
    idx_t next = 0;
    for (idx_t i = 0; i < remaining_count; i++) {
      uint32_t row = remaining.Get(i);
      if (!in.validity->IsValid(in.sel->Get(row))) remaining.Set(next++, row);
    }
    remaining_count = next;
  }
}

void ExpressionExecutor::ExecuteInList(const Expression& expr, const DataChunk& input,
                                       const SelectionVector* sel, idx_t count, Vector& result) {
  // x IN (a, b, ...): TRUE on a match, else NULL if x or any item is NULL, else
  // FALSE. A match is what `=` calls equal (NaN = NaN, '1 day' = '24 hours').
  idx_t capacity = std::max<idx_t>(input.size(), 1);
  Vector value;
  Execute(*expr.children[0], input, sel, count, value);
  UnifiedFormat in;
  value.ToUnified(count, &in);
  result = Vector(LogicalType(TypeId::kBoolean), capacity);
  bool* out = result.Data<bool>();
  bool list_has_null = false;
  for (size_t i = 1; i < expr.children.size(); i++) {
    list_has_null |= expr.children[i]->constant.IsNull();
  }
  DispatchPhysical(expr.children[0]->type.physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    std::vector<T> items;
    // Keep the constants' bytes alive while comparing strings.
    std::vector<Vector> holders;
    for (size_t i = 1; i < expr.children.size(); i++) {
      if (expr.children[i]->constant.IsNull()) continue;
      holders.emplace_back(expr.children[i]->constant);
      items.push_back(holders.back().template Data<T>()[0]);
    }
    const T* v = in.Data<T>();
    for (idx_t i = 0; i < count; i++) {
      uint32_t row = RowAt(sel, i);
      uint32_t src = in.sel->Get(row);
      if (!in.validity->IsValid(src)) {
        result.validity().SetInvalid(row);
        continue;
      }
      bool found = false;
      for (const T& item : items) {
        if (ValueEquals(item, v[src])) {
          found = true;
          break;
        }
      }
      if (found) {
        out[row] = true;
      } else if (list_has_null) {
        result.validity().SetInvalid(row);
      } else {
        out[row] = false;
      }
    }
  });
}

idx_t ExpressionExecutor::Select(const Expression& predicate, const DataChunk& input,
                                 SelectionVector& true_sel) {
  return Select(predicate, input, nullptr, input.size(), true_sel);
}

idx_t ExpressionExecutor::Select(const Expression& predicate, const DataChunk& input,
                                 const SelectionVector* sel, idx_t count,
                                 SelectionVector& true_sel) {
  if (predicate.kind == ExprKind::kAnd) {
    // Each conjunct only sees the rows the previous ones kept.
    idx_t capacity = std::max<idx_t>(input.size(), 1);
    SelectionVector current(capacity);
    idx_t current_count = count;
    for (idx_t i = 0; i < count; i++) current.Set(i, RowAt(sel, i));
    for (const auto& child : predicate.children) {
      if (current_count == 0) break;
      SelectionVector next(capacity);
      current_count = Select(*child, input, &current, current_count, next);
      current = next;
    }
    for (idx_t i = 0; i < current_count; i++) true_sel.Set(i, current.Get(i));
    return current_count;
  }
  Vector v;
  Execute(predicate, input, sel, count, v);
  UnifiedFormat in;
  v.ToUnified(count, &in);
  const bool* data = in.Data<bool>();
  idx_t n = 0;
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    uint32_t src = in.sel->Get(row);
    if (in.validity->IsValid(src) && data[src]) true_sel.Set(n++, row);
  }
  return n;
}

Value ExpressionExecutor::EvaluateConstant(const Expression& expr) {
  DataChunk empty;
  empty.SetSize(1);
  ExpressionExecutor executor;
  Vector result;
  executor.Execute(expr, empty, nullptr, 1, result);
  return result.GetValue(0);
}

}  // namespace basalt
