// Errors raised by function and cast kernels.
//
// SQLSTATE codes that common/exception.h does not list yet live here so the
// kernels can report PostgreSQL's exact codes; they belong in exception.h
// once more than the function library needs them.
#pragma once

#include <string_view>

#include "common/exception.h"

namespace basalt {

namespace sqlstate {
inline constexpr const char* kSubstringError = "22011";
inline constexpr const char* kInvalidEscapeCharacter = "22019";
inline constexpr const char* kInvalidArgumentForLogarithm = "2201E";
inline constexpr const char* kInvalidArgumentForPower = "2201F";
}  // namespace sqlstate

// PostgreSQL names integer types this way in its range errors.
template <typename T>
constexpr const char* IntegerTypeName() {
  if constexpr (sizeof(T) == 2) {
    return "smallint";
  } else if constexpr (sizeof(T) == 4) {
    return "integer";
  } else {
    return "bigint";
  }
}

template <typename T>
[[noreturn]] void ThrowIntegerOutOfRange() {
  throw BasaltError(sqlstate::kNumericOutOfRange,
                    std::string(IntegerTypeName<T>()) + " out of range");
}

[[noreturn]] inline void ThrowDivisionByZero() {
  throw BasaltError(sqlstate::kDivisionByZero, "division by zero");
}

[[noreturn]] inline void ThrowNumericOverflow() {
  throw BasaltError(sqlstate::kNumericOutOfRange, "numeric field overflow");
}

[[noreturn]] inline void ThrowFloatOverflow() {
  throw BasaltError(sqlstate::kNumericOutOfRange, "value out of range: overflow");
}

[[noreturn]] inline void ThrowFloatUnderflow() {
  throw BasaltError(sqlstate::kNumericOutOfRange, "value out of range: underflow");
}

[[noreturn]] inline void ThrowDateOutOfRange() {
  throw BasaltError(sqlstate::kDatetimeFieldOverflow, "date out of range");
}

[[noreturn]] inline void ThrowTimestampOutOfRange() {
  throw BasaltError(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
}

[[noreturn]] inline void ThrowIntervalOutOfRange() {
  throw BasaltError(sqlstate::kDatetimeFieldOverflow, "interval out of range");
}

}  // namespace basalt
