// Pieces shared by the cast kernels in exec/cast.cc and string_casts.cc.
#pragma once

#include <optional>
#include <string>

#include "common/decimal.h"
#include "common/types.h"
#include "exec/function.h"
#include "exec/functions/bind_helpers.h"
#include "exec/functions/kernel_helpers.h"

namespace basalt {

// What a cast kernel needs to know about its two types, decided at bind time.
struct CastData : FunctionData {
  LogicalType from;
  LogicalType to;
  // Decimal targets: the largest magnitude DECIMAL(to.precision) holds.
  int128_t limit = 0;
  // Decimal rescaling: multiply by `factor` when scaling up, else divide by it
  // (rounding half away from zero).
  int128_t factor = 1;
  bool scale_up = true;
};

// Casts between a type and VARCHAR (string_casts.cc).
std::optional<BoundScalarFunction> BindCastToVarchar(const LogicalType& from);
std::optional<BoundScalarFunction> BindCastFromVarchar(const LogicalType& to);

inline BoundScalarFunction MakeCast(const LogicalType& from, const LogicalType& to,
                                    ScalarKernel kernel) {
  auto data = std::make_shared<CastData>();
  data->from = from;
  data->to = to;
  if (to.id() == TypeId::kDecimal) data->limit = MaxDecimalValue(to.precision());
  int from_scale = from.id() == TypeId::kDecimal ? from.scale() : 0;
  int to_scale = to.id() == TypeId::kDecimal ? to.scale() : 0;
  data->scale_up = to_scale >= from_scale;
  data->factor = Pow10(data->scale_up ? to_scale - from_scale : from_scale - to_scale);
  return MakeScalar("cast", {from}, to, kernel, std::move(data));
}

// A cast whose per-value conversion is the functor Op: Op::Apply<Src, Dst>(v, data).
template <typename Src, typename Dst, typename Op>
void CastKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                const FunctionData* data, Vector& result) {
  const CastData& d = DataAs<CastData>(data);
  UnaryExecute<Src, Dst>(args[0], sel, count, result,
                         [&d](const Src& v) { return Op::template Apply<Src, Dst>(v, d); });
}

}  // namespace basalt
