// `basalt server [--port P] [--listen ADDR] [--data-dir DIR] [--threads N] ...`:
// serves one Database over the PostgreSQL wire protocol until SIGTERM or
// SIGINT. The options are in docs/server.md.
#pragma once

namespace basalt {

// argv[1] is "server". Returns the exit status: 0 after a clean stop,
// 1 when the server could not start, 2 for bad arguments.
int RunServerCommand(int argc, const char* const* argv);

}  // namespace basalt
