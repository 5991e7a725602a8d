#include "shell/meta_command.h"

namespace basalt {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

bool IsMetaCommand(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsBlank(line[i])) ++i;
  return i < line.size() && (line[i] == '.' || line[i] == '\\');
}

MetaCommand ParseMetaCommand(std::string_view line) {
  while (!line.empty() && IsBlank(line.back())) line.remove_suffix(1);
  if (!line.empty() && line.back() == ';') line.remove_suffix(1);
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    size_t start = i;
    while (i < line.size() && !IsBlank(line[i])) ++i;
    if (i > start) words.emplace_back(line.substr(start, i - start));
  }
  MetaCommand command;
  if (!words.empty()) {
    command.name = std::move(words.front());
    command.args.assign(words.begin() + 1, words.end());
  }
  return command;
}

std::string_view MetaCommandHelp() {
  return "SQL statements end with ';' and may span lines.\n"
         "\n"
         ".help                     show this help\n"
         ".mode table|csv|json      set the output format (without an argument: show it)\n"
         ".timer on|off             print each statement's run time\n"
         ".quit, .exit, \\q          leave the shell (so does Ctrl-D)\n";
}

}  // namespace basalt
