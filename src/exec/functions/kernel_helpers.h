// Loops shared by every scalar kernel, so that no kernel handles NULLs,
// selections or vector forms by hand.
//
// A kernel computes the rows i < count at row index RowAt(sel, i): it reads
// each argument's value at that row (through UnifiedFormat, so flat, constant
// and dictionary inputs all work), and writes the result at the same index of
// a flat `result`. Unless a helper says otherwise, the result is NULL when any
// input is NULL and `op` is not called for that row (so an op may throw on
// values it cannot handle without tripping on the garbage behind a NULL).
//
// Ops are lambdas or functors taken by template parameter, so they inline into
// the loops: no per-row indirect call and no allocation. The common case - no
// selection, flat inputs without NULLs, or one side a constant - runs as a
// plain indexed loop the compiler can vectorize when the op allows it.
#pragma once

#include <cstdint>
#include <vector>

#include "common/vector.h"

namespace basalt {

// The row index of the i-th computed row.
inline uint32_t RowAt(const SelectionVector* sel, idx_t i) {
  return sel ? sel->Get(i) : static_cast<uint32_t>(i);
}

// Flat with no NULL among rows [0, count): the precondition of the fast loops.
inline bool IsFlatAllValid(const Vector& v, idx_t count) {
  return v.kind() == VectorKind::kFlat && v.validity().CheckAllValid(count);
}

inline bool IsConstantVector(const Vector& v) { return v.kind() == VectorKind::kConstant; }

inline bool IsConstantNull(const Vector& v) {
  return v.kind() == VectorKind::kConstant && !v.validity().IsValid(0);
}

// Marks every computed row NULL.
inline void SetAllNull(const SelectionVector* sel, idx_t count, Vector& result) {
  ValidityMask& validity = result.validity();
  for (idx_t i = 0; i < count; i++) validity.SetInvalid(RowAt(sel, i));
}

// result[row] = op(in[row]).
template <typename In, typename Out, typename Op>
inline void UnaryExecute(const Vector& in, const SelectionVector* sel, idx_t count, Vector& result,
                         Op&& op) {
  Out* out = result.Data<Out>();
  ValidityMask& out_validity = result.validity();
  if (in.kind() == VectorKind::kConstant) {
    if (!in.validity().IsValid(0)) return SetAllNull(sel, count, result);
    if (count == 0) return;
    // Deterministic ops only reach this helper, so one evaluation serves all rows.
    const Out value = op(in.Data<In>()[0]);
    for (idx_t i = 0; i < count; i++) out[RowAt(sel, i)] = value;
    return;
  }
  if (sel == nullptr && IsFlatAllValid(in, count)) {
    const In* data = in.Data<In>();
    for (idx_t i = 0; i < count; i++) out[i] = op(data[i]);
    return;
  }
  UnifiedFormat f;
  in.ToUnified(count, &f);
  const In* data = f.Data<In>();
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    uint32_t index = f.sel->Get(row);
    if (f.validity->IsValid(index)) {
      out[row] = op(data[index]);
    } else {
      out_validity.SetInvalid(row);
    }
  }
}

// Like UnaryExecute, but op(value, &out) returns false to make the row NULL
// (functions such as nullif or a cast of an empty string that yield NULL).
template <typename In, typename Out, typename Op>
inline void UnaryExecuteNullable(const Vector& in, const SelectionVector* sel, idx_t count,
                                 Vector& result, Op&& op) {
  Out* out = result.Data<Out>();
  ValidityMask& out_validity = result.validity();
  UnifiedFormat f;
  in.ToUnified(count, &f);
  const In* data = f.Data<In>();
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    uint32_t index = f.sel->Get(row);
    if (!f.validity->IsValid(index) || !op(data[index], &out[row])) out_validity.SetInvalid(row);
  }
}

// result[row] = op(left[row], right[row]).
template <typename L, typename R, typename Out, typename Op>
inline void BinaryExecute(const Vector& left, const Vector& right, const SelectionVector* sel,
                          idx_t count, Vector& result, Op&& op) {
  if (IsConstantNull(left) || IsConstantNull(right)) return SetAllNull(sel, count, result);
  Out* out = result.Data<Out>();
  if (sel == nullptr) {
    const bool left_const = IsConstantVector(left);
    const bool right_const = IsConstantVector(right);
    if (left_const && right_const) {
      if (count == 0) return;
      const Out value = op(left.Data<L>()[0], right.Data<R>()[0]);
      for (idx_t i = 0; i < count; i++) out[i] = value;
      return;
    }
    if ((left_const || IsFlatAllValid(left, count)) &&
        (right_const || IsFlatAllValid(right, count))) {
      const L* l = left.Data<L>();
      const R* r = right.Data<R>();
      if (right_const) {
        const R rv = r[0];
        for (idx_t i = 0; i < count; i++) out[i] = op(l[i], rv);
      } else if (left_const) {
        const L lv = l[0];
        for (idx_t i = 0; i < count; i++) out[i] = op(lv, r[i]);
      } else {
        for (idx_t i = 0; i < count; i++) out[i] = op(l[i], r[i]);
      }
      return;
    }
  }
  UnifiedFormat lf, rf;
  left.ToUnified(count, &lf);
  right.ToUnified(count, &rf);
  const L* l = lf.Data<L>();
  const R* r = rf.Data<R>();
  ValidityMask& out_validity = result.validity();
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    uint32_t li = lf.sel->Get(row);
    uint32_t ri = rf.sel->Get(row);
    if (lf.validity->IsValid(li) && rf.validity->IsValid(ri)) {
      out[row] = op(l[li], r[ri]);
    } else {
      out_validity.SetInvalid(row);
    }
  }
}

// Like BinaryExecute, but op(l, r, &out) returns false to make the row NULL.
template <typename L, typename R, typename Out, typename Op>
inline void BinaryExecuteNullable(const Vector& left, const Vector& right,
                                  const SelectionVector* sel, idx_t count, Vector& result,
                                  Op&& op) {
  UnifiedFormat lf, rf;
  left.ToUnified(count, &lf);
  right.ToUnified(count, &rf);
  const L* l = lf.Data<L>();
  const R* r = rf.Data<R>();
  Out* out = result.Data<Out>();
  ValidityMask& out_validity = result.validity();
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    uint32_t li = lf.sel->Get(row);
    uint32_t ri = rf.sel->Get(row);
    if (!lf.validity->IsValid(li) || !rf.validity->IsValid(ri) || !op(l[li], r[ri], &out[row])) {
      out_validity.SetInvalid(row);
    }
  }
}

// For functions that see NULL inputs themselves (IS DISTINCT FROM, concat):
// op(l, l_valid, r, r_valid, &out) returns whether the result is valid. The
// value behind an invalid input is unspecified and must not be used.
template <typename L, typename R, typename Out, typename Op>
inline void BinaryExecuteNullAware(const Vector& left, const Vector& right,
                                   const SelectionVector* sel, idx_t count, Vector& result,
                                   Op&& op) {
  UnifiedFormat lf, rf;
  left.ToUnified(count, &lf);
  right.ToUnified(count, &rf);
  const L* l = lf.Data<L>();
  const R* r = rf.Data<R>();
  Out* out = result.Data<Out>();
  ValidityMask& out_validity = result.validity();
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    uint32_t li = lf.sel->Get(row);
    uint32_t ri = rf.sel->Get(row);
    if (!op(l[li], lf.validity->IsValid(li), r[ri], rf.validity->IsValid(ri), &out[row])) {
      out_validity.SetInvalid(row);
    }
  }
}

// result[row] = op(a[row], b[row], c[row]).
template <typename A, typename B, typename C, typename Out, typename Op>
inline void TernaryExecute(const Vector& a, const Vector& b, const Vector& c,
                           const SelectionVector* sel, idx_t count, Vector& result, Op&& op) {
  if (IsConstantNull(a) || IsConstantNull(b) || IsConstantNull(c)) {
    return SetAllNull(sel, count, result);
  }
  UnifiedFormat af, bf, cf;
  a.ToUnified(count, &af);
  b.ToUnified(count, &bf);
  c.ToUnified(count, &cf);
  const A* ad = af.Data<A>();
  const B* bd = bf.Data<B>();
  const C* cd = cf.Data<C>();
  Out* out = result.Data<Out>();
  ValidityMask& out_validity = result.validity();
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    uint32_t ai = af.sel->Get(row);
    uint32_t bi = bf.sel->Get(row);
    uint32_t ci = cf.sel->Get(row);
    if (af.validity->IsValid(ai) && bf.validity->IsValid(bi) && cf.validity->IsValid(ci)) {
      out[row] = op(ad[ai], bd[bi], cd[ci]);
    } else {
      out_validity.SetInvalid(row);
    }
  }
}

// Unified views of every argument, for variadic functions (concat, greatest)
// that loop over the rows themselves.
class ArgumentReader {
 public:
  ArgumentReader(const std::vector<Vector>& args, idx_t count) : formats_(args.size()) {
    for (size_t k = 0; k < args.size(); k++) args[k].ToUnified(count, &formats_[k]);
  }
  size_t size() const { return formats_.size(); }
  bool IsValid(size_t arg, uint32_t row) const {
    const UnifiedFormat& f = formats_[arg];
    return f.validity->IsValid(f.sel->Get(row));
  }
  template <typename T>
  const T& Get(size_t arg, uint32_t row) const {
    const UnifiedFormat& f = formats_[arg];
    return f.Data<T>()[f.sel->Get(row)];
  }

 private:
  std::vector<UnifiedFormat> formats_;
};

// Calls op(row) for every computed row; for kernels with no per-row input
// (random, now) and for variadic ones reading through ArgumentReader.
template <typename Op>
inline void ForEachRow(const SelectionVector* sel, idx_t count, Op&& op) {
  if (sel == nullptr) {
    for (idx_t i = 0; i < count; i++) op(static_cast<uint32_t>(i));
  } else {
    for (idx_t i = 0; i < count; i++) op(sel->Get(i));
  }
}

}  // namespace basalt
