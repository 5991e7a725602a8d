#include "shell/run_shell.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cluster/cluster_command.h"
#include "cluster/server_command.h"
#include "common/exception.h"
#include "http/http_server.h"
#include "main/database.h"
#include "shell/line_editor.h"
#include "shell/line_source.h"
#include "shell/memory_limit.h"
#include "shell/remote_session.h"
#include "shell/session.h"
#include "shell/shell.h"
#include "shell/shell_options.h"
#include "shell/tpch_command.h"

namespace basalt {

namespace {

constexpr const char* kStdinName = "<stdin>";

// Why `path` cannot be run as a script, or nothing when it can.
std::optional<std::string> CheckReadable(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) return std::strerror(errno);
  if (S_ISDIR(info.st_mode)) return std::strerror(EISDIR);
  if (access(path.c_str(), R_OK) != 0) return std::strerror(errno);
  return std::nullopt;
}

void ReportUnreadable(const std::string& path, const std::string& reason) {
  std::cerr << fmt::format("basalt: cannot read \"{}\": {}\n", path, reason);
}

// Runs one script; returns the exit status when the shell should stop.
std::optional<int> RunSource(Shell& shell, const ScriptSource& source) {
  Shell::Outcome outcome;
  if (source.kind == ScriptSource::Kind::kCommand) {
    TextLineSource lines(source.value);
    outcome = shell.RunScript(lines, "");
  } else {
    bool is_stdin = source.kind == ScriptSource::Kind::kStdin;
    std::FILE* file = is_stdin ? stdin : std::fopen(source.value.c_str(), "r");
    if (file == nullptr) {
      ReportUnreadable(source.value, std::strerror(errno));
      return kExitUsage;
    }
    FileLineSource lines(file);
    outcome = shell.RunScript(lines, is_stdin ? kStdinName : source.value);
    bool read_failed = lines.failed();
    if (!is_stdin) std::fclose(file);
    if (read_failed) {
      ReportUnreadable(is_stdin ? kStdinName : source.value, "read error");
      return kExitUsage;
    }
  }
  if (outcome == Shell::Outcome::kFailed) return kExitStatementFailed;
  if (outcome == Shell::Outcome::kQuit) return kExitSuccess;
  return std::nullopt;
}

}  // namespace

int RunShell(int argc, const char* const* argv) {
  if (argc > 1 && std::strcmp(argv[1], "tpch") == 0) return RunTpchCommand(argc, argv);
  if (argc > 1 && std::strcmp(argv[1], "server") == 0) return RunServerCommand(argc, argv);
  if (argc > 1 && std::strcmp(argv[1], "cluster") == 0) return RunClusterCommand(argc, argv);
  ShellOptions options;
  if (auto status = ParseShellOptions(argc, argv, &options)) return *status;

  // Every file is checked before anything runs, so that a mistyped name does
  // not leave a script half applied.
  std::vector<std::string> paths;
  if (!options.init_file.empty()) paths.push_back(options.init_file);
  for (const ScriptSource& source : options.scripts) {
    if (source.kind == ScriptSource::Kind::kFile) paths.push_back(source.value);
  }
  for (const std::string& path : paths) {
    if (auto reason = CheckReadable(path)) {
      ReportUnreadable(path, *reason);
      return kExitUsage;
    }
  }

  const bool interactive = options.scripts.empty() && isatty(STDIN_FILENO);
  if (options.scripts.empty() && !interactive) {
    options.scripts.push_back({ScriptSource::Kind::kStdin, ""});
  }

  if (std::string error = ApplyMemoryLimit(options.memory_limit_mb); !error.empty()) {
    std::cerr << "ERROR:  " << error << "\n";
    return kExitUsage;
  }
  // The statements run on a server (--host) or on a database in this process.
  std::unique_ptr<Database> database;
  std::unique_ptr<Connection> connection;
  std::unique_ptr<Session> session;
  std::unique_ptr<http::HttpServer> http_server;  // stops before the database goes
  if (options.remote) {
    std::string error;
    std::unique_ptr<RemoteSession> remote = RemoteSession::Connect(options.remote_options, &error);
    if (remote == nullptr) {
      std::cerr << fmt::format("ERROR:  could not connect to the server: {}\n", error);
      return kExitUsage;
    }
    if (isatty(STDERR_FILENO)) remote->set_progress_output(&std::cerr);
    session = std::move(remote);
  } else {
    try {
      database = std::make_unique<Database>(options.database);
    } catch (const BasaltError& e) {
      std::cerr << fmt::format("ERROR:  could not open the database: {} (SQLSTATE {})\n", e.what(),
                               e.code());
      return kExitUsage;
    } catch (const std::exception& e) {
      std::cerr << fmt::format("ERROR:  could not open the database: {}\n", e.what());
      return kExitUsage;
    }
    connection = std::make_unique<Connection>(*database);
    ClientInfo client;
    if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') client.user = user;
    client.client = "shell";
    connection->set_client(client);
    session = std::make_unique<EmbeddedSession>(
        *connection,
        options.database.data_dir.empty() ? "in-memory database; --data-dir DIR keeps data"
                                          : "data directory " + options.database.data_dir,
        isatty(STDERR_FILENO) ? &std::cerr : nullptr);
    if (options.http_port > 0) {
      http::HttpServerOptions http_options;
      http_options.port = options.http_port;
      http_server = std::make_unique<http::HttpServer>(*database, http_options);
      if (std::string error = http_server->Start(); !error.empty()) {
        std::cerr << fmt::format("WARNING:  {}; going on without the web console\n", error);
        http_server.reset();
      }
    }
  }
  Shell shell(*session, ShellSettings{options.format, options.timer}, std::cout, std::cerr);

  if (interactive) {
    std::cout << fmt::format("basalt {} ({})\nEnter \".help\" for usage hints.\n", kBasaltVersion,
                             session->Description());
    if (http_server) {
      std::cout << fmt::format("Web console: http://127.0.0.1:{}/ (query profiles, running queries)\n",
                               http_server->port());
    }
  }
  if (!options.init_file.empty()) {
    ScriptSource init{ScriptSource::Kind::kFile, options.init_file};
    std::optional<int> status = RunSource(shell, init);
    // A failed init script is reported; a session still starts, since the
    // user is there to see the error and act on it.
    if (status && !(interactive && *status == kExitStatementFailed)) return *status;
  }
  for (const ScriptSource& source : options.scripts) {
    if (auto status = RunSource(shell, source)) return *status;
  }
  if (interactive) {
    LineEditor editor(LineEditor::DefaultHistoryPath());
    shell.RunInteractive(editor);
  }
  return kExitSuccess;
}

}  // namespace basalt
