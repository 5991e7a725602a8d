// Text to value conversions shared by casts, CSV reading and literals.
// Each returns false when the text is not a valid value of the type (the
// caller raises the error, naming the text and the type). Leading and
// trailing blanks are ignored, as PostgreSQL does.
#pragma once

#include <cstdint>
#include <string_view>

namespace basalt {

bool ParseBool(std::string_view text, bool* out);
// Fails on overflow of [min, max] as well as on malformed text.
bool ParseInteger(std::string_view text, int64_t min, int64_t max, int64_t* out);
bool ParseDouble(std::string_view text, double* out);

}  // namespace basalt
