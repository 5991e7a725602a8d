// The server's log: one line per event on stderr and, once OpenServerLogFile
// has been called, appended to a file too (`<data-dir>/log/basalt.log`).
// Lines from concurrent sessions are written whole, never interleaved.
#pragma once

#include <string>
#include <string_view>

namespace basalt {

// Writes "basalt server: <line>\n" to stderr and, with a timestamp in front,
// to the log file if one is open. Thread safe.
void ServerLog(std::string_view line);

// Appends every later line to `path` as well, creating its directory. False
// (and `error`) when it cannot be opened. Thread safe.
bool OpenServerLogFile(const std::string& path, std::string* error);
// Closes the log file; later lines go to stderr only. Thread safe.
void CloseServerLogFile();

}  // namespace basalt
