// Errors raised while reading a segment file.
//
// Decoders see only bytes, not the file or column they came from: on bytes
// that cannot be a valid encoding they throw SegmentDecodeError, and the
// SegmentReader catches it where it knows the context and raises the
// user-facing BasaltError (XX001 data_corrupted) naming the file and column.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace basalt::segment {

class SegmentDecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename... Args>
[[noreturn]] void ThrowDecodeError(fmt::format_string<Args...> format, Args&&... args) {
  throw SegmentDecodeError(fmt::format(format, std::forward<Args>(args)...));
}

// Raises XX001: `segment file "<path>" is corrupt: <where>: <detail>`, where
// `where` names the part of the file ("footer", "column \"x\" block 3"), or is
// empty when the damage concerns the whole file.
[[noreturn]] void ThrowCorruptSegment(const std::string& path, std::string_view where,
                                      std::string_view detail);

}  // namespace basalt::segment
