// The basalt program: parses the command line, opens the database, runs the
// scripts given and/or an interactive session, and returns the exit status.
#pragma once

namespace basalt {

int RunShell(int argc, const char* const* argv);

}  // namespace basalt
