// Casts and implicit conversions between LIST and STRUCT types
// (docs/types_and_functions.md, "Lists and structs").
#pragma once

#include <optional>

#include "common/types.h"
#include "exec/function.h"

namespace basalt {

// LIST(a) -> LIST(b) when a -> b casts, STRUCT -> STRUCT with the same number
// of fields (field by field, names taken from the target); nullopt otherwise.
std::optional<BoundScalarFunction> BindNestedCast(const LogicalType& from, const LogicalType& to);

// LIST(a) -> LIST(b) when a -> b is implicit; STRUCTs alike with equal names.
bool CanImplicitNestedCast(const LogicalType& from, const LogicalType& to);

// LIST(common(a, b)), or the field-wise common STRUCT; kInvalid when none.
LogicalType NestedCommonSupertype(const LogicalType& a, const LogicalType& b);

}  // namespace basalt
