// Type conversion: which casts exist, which are implicit, and their kernels.
#pragma once

#include <optional>

#include "common/types.h"
#include "common/value.h"
#include "exec/function.h"

namespace basalt {

// The kernel converting `from` to `to`, or nullopt when no cast exists.
// Value-dependent failures (overflow, text that is not a number or a date)
// throw from the kernel: 22003, 22P02, 22007, 22008.
std::optional<BoundScalarFunction> BindCast(const LogicalType& from, const LogicalType& to);

// PostgreSQL's implicit casts: numeric widening (smallint -> integer -> bigint
// -> decimal -> real -> double), date -> timestamp, NULL -> anything.
bool CanImplicitCast(const LogicalType& from, const LogicalType& to);

// The type both sides convert to implicitly (for comparisons, CASE, UNION,
// COALESCE, IN lists); TypeId::kInvalid when there is none. Decimals widen to
// hold both: DECIMAL(10,2) and DECIMAL(5,4) -> DECIMAL(12,4); integers join
// decimals at the precision they need (INTEGER = DECIMAL(10,0)).
LogicalType CommonSupertype(const LogicalType& a, const LogicalType& b);

// Casts one value (for constant folding and the binder).
Value CastValue(const Value& value, const LogicalType& to);

}  // namespace basalt
