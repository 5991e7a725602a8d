// Exact decimals are scaled integers: DECIMAL(p,s) value v is stored as
// v * 10^s in an int64 (p <= 18) or an int128 (p <= 38).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/types.h"

namespace basalt {

// 10^i for i in [0, 38].
int128_t Pow10(int i);
inline int64_t Pow10Int64(int i) { return static_cast<int64_t>(Pow10(i)); }

// Largest magnitude a DECIMAL of this precision holds: 10^p - 1.
inline int128_t MaxDecimalValue(int precision) { return Pow10(precision) - 1; }

std::string Int128ToString(int128_t v);
// Renders a scaled integer with `scale` digits after the point: (12345, 2) -> "123.45".
std::string DecimalToString(int128_t v, int scale);

// Parses decimal text ("-12.5", "3", ".25", "1e3") into a scaled integer at
// `scale` digits, rounding half away from zero. Returns false when the text is
// not a number or the value does not fit `precision`.
bool ParseDecimal(std::string_view text, int precision, int scale, int128_t* out);

// The precision and scale that a literal needs exactly: "12.50" -> (4, 2).
// Returns false when the text is not a plain decimal or needs more than 38 digits.
bool DecimalLiteralShape(std::string_view text, int* precision, int* scale);

// Changes scale; rounding half away from zero when reducing.
int128_t RescaleDecimal(int128_t v, int from_scale, int to_scale);

}  // namespace basalt
