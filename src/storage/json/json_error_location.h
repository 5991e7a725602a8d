// Where a top-level JSON array that simdjson refused goes wrong. simdjson's
// DOM parser reports what failed but not where, which for a large array
// file leaves the user searching; this looks again, on the error path only,
// element by element. Thread-safe: no shared state.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string_view>

namespace basalt {

struct JsonErrorLocation {
  size_t offset = 0;  // byte offset in the text given
  simdjson::error_code error = simdjson::TAPE_ERROR;
};

// `text` starts with the array's '['. Splits the array at its top-level
// commas (outside strings and nested brackets) and parses each element on
// its own: the first that fails is where the error is. A break in the
// array's own structure (it never closes, or text follows it) is reported
// where it is found. When every element parses (the failure was about the
// document as a whole), the offset is 0, the array's start.
JsonErrorLocation LocateJsonArrayError(std::string_view text);

}  // namespace basalt
