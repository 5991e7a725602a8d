// Shell commands that are not SQL: a line that starts with `.` or `\` where a
// statement would start (`.mode csv`, `.timer on`, `\q`). They are recognised
// in every input, so scripts can switch formats too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace basalt {

struct MetaCommand {
  std::string name;  // as typed, e.g. ".mode" or "\q"
  std::vector<std::string> args;
};

// Whether `line` is a meta command (first non-blank character `.` or `\`).
bool IsMetaCommand(std::string_view line);

// Splits a meta command line at whitespace; one trailing `;` is ignored, since
// SQL habits put one there.
MetaCommand ParseMetaCommand(std::string_view line);

// The text `.help` prints.
std::string_view MetaCommandHelp();

}  // namespace basalt
