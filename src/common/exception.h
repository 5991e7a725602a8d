// Errors. Policy (docs/errors.md): inside the engine an error is a thrown
// BasaltError carrying a SQLSTATE code, a message a user can act on and, for
// errors tied to the query text, the byte offset of the offending token.
// Public entry points (Connection::Query, the shell) catch it and turn it into
// a result; nothing else escapes to a client.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace basalt {

// SQLSTATE codes used by Basalt; the same codes reach PostgreSQL clients later.
namespace sqlstate {
inline constexpr const char* kSyntaxError = "42601";
inline constexpr const char* kUndefinedTable = "42P01";
inline constexpr const char* kUndefinedColumn = "42703";
inline constexpr const char* kUndefinedFunction = "42883";
inline constexpr const char* kUndefinedSchema = "3F000";
inline constexpr const char* kAmbiguousColumn = "42702";
inline constexpr const char* kDuplicateTable = "42P07";
inline constexpr const char* kDuplicateSchema = "42P06";
inline constexpr const char* kReservedName = "42939";
inline constexpr const char* kDuplicateColumn = "42701";
inline constexpr const char* kDuplicateAlias = "42712";
inline constexpr const char* kDatatypeMismatch = "42804";
inline constexpr const char* kCannotCoerce = "42846";
inline constexpr const char* kGroupingError = "42803";
inline constexpr const char* kInvalidColumnReference = "42P10";
inline constexpr const char* kWrongObjectType = "42809";
inline constexpr const char* kUndefinedObject = "42704";
inline constexpr const char* kUndefinedParameter = "42P02";
inline constexpr const char* kIndeterminateDatatype = "42P18";
inline constexpr const char* kInvalidSqlStatementName = "26000";
inline constexpr const char* kInvalidCursorName = "34000";
inline constexpr const char* kDuplicatePreparedStatement = "42P05";
inline constexpr const char* kDuplicateCursor = "42P03";
inline constexpr const char* kProtocolViolation = "08P01";
// A node of the cluster (or the network to it) failed during the query.
inline constexpr const char* kConnectionFailure = "08006";
inline constexpr const char* kDependentObjects = "2BP01";
inline constexpr const char* kNumericOutOfRange = "22003";
inline constexpr const char* kDivisionByZero = "22012";
inline constexpr const char* kInvalidTextRepresentation = "22P02";
inline constexpr const char* kInvalidBinaryRepresentation = "22P03";
inline constexpr const char* kInvalidDatetimeFormat = "22007";
inline constexpr const char* kDatetimeFieldOverflow = "22008";
inline constexpr const char* kStringDataRightTruncation = "22001";
inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kBadCopyFileFormat = "22P04";
inline constexpr const char* kInvalidRegularExpression = "2201B";
inline constexpr const char* kInvalidEscapeSequence = "22025";
inline constexpr const char* kNullValueNotAllowed = "23502";
inline constexpr const char* kCardinalityViolation = "21000";
inline constexpr const char* kFeatureNotSupported = "0A000";
inline constexpr const char* kInFailedSqlTransaction = "25P02";
inline constexpr const char* kReadOnlySqlTransaction = "25006";
inline constexpr const char* kUndefinedFile = "58P01";
inline constexpr const char* kIoError = "58030";
inline constexpr const char* kObjectInUse = "55006";
inline constexpr const char* kQueryCanceled = "57014";
inline constexpr const char* kInsufficientResources = "53000";
inline constexpr const char* kOutOfMemory = "53200";
inline constexpr const char* kProgramLimitExceeded = "54000";
inline constexpr const char* kInternalError = "XX000";
inline constexpr const char* kDataCorrupted = "XX001";
}  // namespace sqlstate

// Offset into the statement text; kNoPosition when the error has none.
inline constexpr int32_t kNoPosition = -1;

class BasaltError : public std::runtime_error {
 public:
  BasaltError(const char* code, std::string message, int32_t position = kNoPosition)
      : std::runtime_error(message), code_(code), position_(position) {}

  const char* code() const { return code_; }
  int32_t position() const { return position_; }
  bool HasPosition() const { return position_ >= 0; }

 private:
  const char* code_;
  int32_t position_;
};

// Throws a BasaltError with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void ThrowError(const char* code, fmt::format_string<Args...> format, Args&&... args) {
  throw BasaltError(code, fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
[[noreturn]] void ThrowErrorAt(const char* code, int32_t position, fmt::format_string<Args...> format,
                               Args&&... args) {
  throw BasaltError(code, fmt::format(format, std::forward<Args>(args)...), position);
}

// Invariant checks that stay on in release builds: they are cheap and an engine
// that silently continues past a broken invariant returns wrong rows.
#define BASALT_CHECK(cond)                                                                  \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      throw ::basalt::BasaltError(::basalt::sqlstate::kInternalError,                       \
                                  ::fmt::format("internal error: check failed: {} ({}:{})", \
                                                #cond, __FILE__, __LINE__));                \
    }                                                                                       \
  } while (0)

#define BASALT_CHECK_EQ(a, b)                                                                  \
  do {                                                                                         \
    auto&& basalt_a_ = (a);                                                                    \
    auto&& basalt_b_ = (b);                                                                    \
    if (!(basalt_a_ == basalt_b_)) {                                                           \
      throw ::basalt::BasaltError(                                                             \
          ::basalt::sqlstate::kInternalError,                                                  \
          ::fmt::format("internal error: check failed: {} == {} ({} vs {}) ({}:{})", #a, #b,   \
                        basalt_a_, basalt_b_, __FILE__, __LINE__));                            \
    }                                                                                          \
  } while (0)

}  // namespace basalt
