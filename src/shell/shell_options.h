// The basalt command line (see docs/shell.md), parsed with CLI11.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "main/database.h"
#include "shell/remote_session.h"
#include "shell/result_printer.h"

namespace basalt {

inline constexpr std::string_view kBasaltVersion = "0.1.0";

// Exit statuses; scripts and CI rely on them.
inline constexpr int kExitSuccess = 0;
inline constexpr int kExitStatementFailed = 1;  // a statement or meta command failed
inline constexpr int kExitUsage = 2;            // bad flags, unreadable file, no database

// One input to run without a terminal.
struct ScriptSource {
  enum class Kind { kCommand, kFile, kStdin };
  Kind kind = Kind::kCommand;
  std::string value;  // the SQL for kCommand, the path for kFile
};

struct ShellOptions {
  DatabaseOptions database;
  // With --host, statements run on that server instead of an embedded
  // database (`database` is then unused).
  bool remote = false;
  RemoteOptions remote_options;
  OutputFormat format = OutputFormat::kTable;
  bool timer = false;
  // Run before anything else; the session goes on after it.
  std::string init_file;
  // -c, -f and `-` in command-line order. Empty: interactive, or standard
  // input when it is not a terminal.
  std::vector<ScriptSource> scripts;
  // Cap on the process's memory in MiB (0: none); default three quarters
  // of physical memory. See ApplyMemoryLimit.
  int64_t memory_limit_mb = -1;
  // Serve the REST API and web console on 127.0.0.1:http_port while the
  // shell runs (embedded database only); 0: not.
  int http_port = 0;
};

// Parses argv. Returns an exit status when the shell should stop at once,
// having printed why: 0 for --help and --version, kExitUsage for bad flags.
std::optional<int> ParseShellOptions(int argc, const char* const* argv, ShellOptions* options);

}  // namespace basalt
