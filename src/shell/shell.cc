#include "shell/shell.h"

#include <fmt/format.h>

#include <chrono>

#include "shell/error_printer.h"
#include "shell/meta_command.h"

namespace basalt {

Shell::Shell(Session& session, ShellSettings settings, std::ostream& out, std::ostream& err)
    : session_(session), settings_(settings), out_(out), err_(err) {}

Shell::Outcome Shell::RunScript(LineSource& source, const std::string& name) {
  StatementSplitter splitter;
  while (auto line = source.ReadLine()) {
    Outcome outcome = FeedLine(*line, splitter, name, /*interactive=*/false);
    if (outcome != Outcome::kOk) return outcome;
  }
  // The last statement needs no `;`, as with psql -c and -f.
  if (auto statement = splitter.Finish()) {
    if (!RunStatement(*statement, name)) return Outcome::kFailed;
  }
  return Outcome::kOk;
}

void Shell::RunInteractive(LineEditor& editor) {
  StatementSplitter splitter;
  std::string line;
  while (true) {
    out_.flush();
    std::string prompt(splitter.AtStatementStart() ? kPrompt : kContinuationPrompt);
    LineEditor::ReadStatus status = editor.ReadLine(prompt, &line);
    if (status == LineEditor::ReadStatus::kEnd) {
      // Ends the prompt's line; an unfinished statement is dropped, as psql does.
      out_ << '\n';
      break;
    }
    if (status == LineEditor::ReadStatus::kInterrupted) {
      // Ctrl-C abandons the statement being typed.
      splitter.Clear();
      out_ << '\n';
      continue;
    }
    editor.AddHistory(line);
    line += '\n';
    if (FeedLine(line, splitter, "", /*interactive=*/true) == Outcome::kQuit) break;
  }
  out_.flush();
}

Shell::Outcome Shell::FeedLine(std::string_view line, StatementSplitter& splitter,
                               const std::string& name, bool interactive) {
  if (splitter.AtStatementStart() && IsMetaCommand(line)) {
    splitter.SkipLine();
    return RunMetaCommand(line);
  }
  splitter.Append(line);
  while (auto statement = splitter.Next()) {
    if (!RunStatement(*statement, name) && !interactive) return Outcome::kFailed;
  }
  return Outcome::kOk;
}

bool Shell::RunStatement(const SplitStatement& statement, const std::string& name) {
  auto start = std::chrono::steady_clock::now();
  QueryResult result = session_.Run(statement.text);
  std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;

  // Warnings (BEGIN inside a block, ...) come first, in psql's layout, as
  // libpq prints a server's notices for the remote shell.
  if (!result.notices.empty()) {
    out_.flush();
    for (const QueryResult::Notice& notice : result.notices) {
      err_ << "WARNING:  " << notice.message << '\n';
    }
    err_.flush();
  }
  if (result.ok) {
    PrintResult(result, settings_.format, out_);
    out_.flush();
  } else {
    // Results printed so far must reach the terminal before the error does.
    out_.flush();
    std::string report;
    if (!name.empty()) {
      ErrorLocation location = LocateError(statement.text, result.error_position);
      int line = statement.line + (location.line > 0 ? location.line - 1 : 0);
      report = fmt::format("basalt:{}:{}: ", name, line);
    }
    report +=
        FormatError(result.error_code, result.error_message, result.error_position, statement.text);
    err_ << report;
  }
  if (settings_.timer) err_ << fmt::format("Time: {:.3f} ms\n", elapsed.count());
  err_.flush();
  return result.ok;
}

Shell::Outcome Shell::RunMetaCommand(std::string_view line) {
  MetaCommand command = ParseMetaCommand(line);
  const std::string& name = command.name;
  const auto& args = command.args;
  if (name == ".quit" || name == ".exit" || name == "\\q") {
    return Outcome::kQuit;
  }
  if (name == ".help") {
    out_ << MetaCommandHelp();
  } else if (name == ".timer") {
    if (args.size() != 1 || (args[0] != "on" && args[0] != "off")) {
      ReportMetaError("usage: .timer on|off");
      return Outcome::kFailed;
    }
    settings_.timer = args[0] == "on";
  } else if (name == ".mode") {
    if (args.empty()) {
      out_ << OutputFormatName(settings_.format) << '\n';
    } else if (auto format = ParseOutputFormat(args[0]); format && args.size() == 1) {
      settings_.format = *format;
    } else {
      ReportMetaError("usage: .mode table|csv|json");
      return Outcome::kFailed;
    }
  } else {
    ReportMetaError(fmt::format("unknown command \"{}\"; enter .help for the list", name));
    return Outcome::kFailed;
  }
  out_.flush();
  return Outcome::kOk;
}

void Shell::ReportMetaError(std::string_view message) {
  out_.flush();
  err_ << "ERROR:  " << message << '\n';
  err_.flush();
}

}  // namespace basalt
