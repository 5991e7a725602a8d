// A shell session: runs statements and meta commands from scripts or a
// terminal through one Session (embedded or on a server, session.h) and
// prints what they return.
//
// Scripts (-c, -f, --init, piped input) stop at the first failing statement,
// like psql with ON_ERROR_STOP; at a terminal errors are reported and the
// session goes on. Statements run as soon as their `;` has been read.
//
// Not thread-safe; one session per process.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "shell/line_editor.h"
#include "shell/line_source.h"
#include "shell/result_printer.h"
#include "shell/session.h"
#include "shell/statement_splitter.h"

namespace basalt {

inline constexpr std::string_view kPrompt = "basalt> ";
inline constexpr std::string_view kContinuationPrompt = "   ...> ";

// What meta commands can change during a session.
struct ShellSettings {
  OutputFormat format = OutputFormat::kTable;
  bool timer = false;
};

class Shell {
 public:
  enum class Outcome { kOk, kFailed, kQuit };

  // Results go to `out`; errors and timings to `err`.
  Shell(Session& session, ShellSettings settings, std::ostream& out, std::ostream& err);

  // Runs a script to its end, its first failure or a quit command. Errors
  // from a named script (a file) are prefixed with "basalt:NAME:LINE: ".
  Outcome RunScript(LineSource& source, const std::string& name);

  // Reads statements from the terminal until Ctrl-D or a quit command.
  void RunInteractive(LineEditor& editor);

  const ShellSettings& settings() const { return settings_; }

 private:
  // Handles one input line: a meta command, or SQL that may complete statements.
  Outcome FeedLine(std::string_view line, StatementSplitter& splitter, const std::string& name,
                   bool interactive);
  // Returns whether the statement succeeded.
  bool RunStatement(const SplitStatement& statement, const std::string& name);
  Outcome RunMetaCommand(std::string_view line);
  void ReportMetaError(std::string_view message);

  Session& session_;
  ShellSettings settings_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace basalt
