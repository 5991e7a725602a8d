// The server's log: one line per event on stderr. Lines from concurrent
// sessions are written whole, never interleaved.
#pragma once

#include <string_view>

namespace basalt {

// Writes "basalt server: <line>\n" to stderr. Thread safe.
void ServerLog(std::string_view line);

}  // namespace basalt
