// MD5 digest for the md5() SQL function (checksums, not security).
#pragma once

#include <string_view>

namespace basalt {

// Writes the 32 lowercase hex digits of MD5(data) to `out` (no terminator).
void Md5Hex(std::string_view data, char* out);

}  // namespace basalt
