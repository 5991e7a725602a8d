// Scalar functions computed a row at a time on Values, for functions whose
// cost is in what they look up, not in the loop: the catalog functions
// (pg_table_is_visible, format_type, regclass, ...) that clients call on a
// few hundred catalog rows. Hot functions use the batch kernels of
// kernel_helpers.h instead.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/value.h"
#include "exec/function.h"

namespace basalt {

// Computes one row from the row's argument values (already cast to the bound
// argument types, NULLs included: the function decides what NULL gives).
using RowFunction = std::function<Value(const std::vector<Value>& args)>;

// A bound function calling `fn` per row. `fn` may keep what it captured for
// as long as the plan lives; it is called from several threads at once, so it
// must not mutate what it captured.
BoundScalarFunction MakeRowFunction(std::string name, std::vector<LogicalType> arg_types,
                                    LogicalType return_type, RowFunction fn);

// As above, NULL when any argument is NULL (SQL's STRICT functions).
BoundScalarFunction MakeStrictRowFunction(std::string name, std::vector<LogicalType> arg_types,
                                          LogicalType return_type, RowFunction fn);

}  // namespace basalt
