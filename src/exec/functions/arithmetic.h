// Internal interface between the arithmetic binder (arithmetic_functions.cc)
// and the decimal and date/time operator families it dispatches to.
#pragma once

#include <optional>

#include "exec/function.h"

namespace basalt {

enum class ArithmeticOp { kAdd, kSubtract, kMultiply, kDivide, kModulo };

// Both operands DECIMAL (integers arrive already as DECIMAL(IntegerDecimalPrecision, 0)).
// Result types:
//   + -  DECIMAL(min(38, max(p1-s1, p2-s2) + max(s1,s2) + 1), max(s1, s2))
//   *    DECIMAL(min(38, p1+p2), s1+s2); a scale above 38 is an error
//   /    DECIMAL(min(38, p1-s1+s2+s), s) with s = max(s1, 6), rounded half away from zero
//   %    DECIMAL(min(38, max(p1-s1, p2-s2) + s), s) with s = max(s1, s2)
std::optional<BoundScalarFunction> BindDecimalArithmetic(ArithmeticOp op, const LogicalType& left,
                                                         const LogicalType& right);
std::optional<BoundScalarFunction> BindDecimalNegate(const LogicalType& type);

// Operators where a DATE, TIMESTAMP or INTERVAL takes part (either side may
// also be an untyped NULL); nullopt for pairs that have no meaning.
std::optional<BoundScalarFunction> BindTemporalArithmetic(ArithmeticOp op, const LogicalType& left,
                                                          const LogicalType& right);
std::optional<BoundScalarFunction> BindIntervalNegate();

}  // namespace basalt
