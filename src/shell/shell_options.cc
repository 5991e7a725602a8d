#include "shell/shell_options.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <system_error>

namespace basalt {

std::optional<int> ParseShellOptions(int argc, const char* const* argv, ShellOptions* options) {
  CLI::App app{
      "basalt: the Basalt SQL shell. Without -c, -f or '-' it is interactive, or "
      "reads statements from standard input when that is not a terminal.",
      "basalt"};
  app.set_version_flag("--version", fmt::format("basalt {}", kBasaltVersion));

  std::vector<std::string> commands;
  std::vector<std::string> files;
  std::string format = "table";
  std::string dash;
  auto* data_dir_option = app.add_option("--data-dir", options->database.data_dir,
                                         "Data directory to open (default: a database in memory)")
                              ->type_name("DIR");
  // Client mode: the statements run on a server (docs/shell.md). -h stays
  // --help, so only --host is the host; -p is free and matches psql.
  auto* host_option = app.add_option("--host", options->remote_options.host,
                                     "Run the statements on the PostgreSQL-protocol server at HOST")
                          ->type_name("HOST");
  app.add_option("-p,--port", options->remote_options.port, "Server port (default: 5432)")
      ->type_name("PORT")
      ->check(CLI::Range(1, 65535))
      ->needs(host_option);
  app.add_option("--user", options->remote_options.user,
                 "User name on the server (default: the login name)")
      ->type_name("USER")
      ->needs(host_option);
  app.add_option("--dbname", options->remote_options.dbname,
                 "Database on the server (default: the user name)")
      ->type_name("NAME")
      ->needs(host_option);
  // One value per flag (CLI11 lets a vector option take several by default,
  // which would swallow a following `-`).
  auto* command_option =
      app.add_option("-c,--command", commands, "Run SQL (repeatable; with -f, in given order)")
          ->allow_extra_args(false)
          ->type_name("SQL");
  auto* file_option =
      app.add_option("-f,--file", files, "Run the SQL in FILE, '-' for standard input (repeatable)")
          ->allow_extra_args(false)
          ->type_name("FILE");
  app.add_option("--init", options->init_file,
                 "Run FILE first, then go on (interactive unless -c/-f/'-' given)")
      ->type_name("FILE");
  app.add_option("--format", format, "Output format (default: table)")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  app.add_flag("--timer", options->timer, "Print each statement's run time to stderr");
  app.add_option("--memory-limit-mb", options->memory_limit_mb,
                 "Memory cap in MiB; a query that needs more fails with SQLSTATE 53200 "
                 "(default: 3/4 of physical memory; 0: none)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  auto* http_port_option =
      app.add_option("--http-port", options->http_port,
                     "Serve the web console and REST API on 127.0.0.1:P while the shell runs")
          ->type_name("P")
          ->check(CLI::Range(1, 65535));
  auto* threads_option =
      app.add_option("--threads", options->database.threads, "Worker threads (0: one per core)")
          ->type_name("N")
          ->check(CLI::Validator(
              [](std::string& text) -> std::string {
                int value = -1;
                auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
                if (error != std::errc() || end != text.data() + text.size() || value < 0) {
                  return "expected a whole number >= 0, got " + text;
                }
                return "";
              },
              ""));
  // The server has its own data directory and threads.
  host_option->excludes(data_dir_option)->excludes(threads_option)->excludes(http_port_option);
  auto* dash_option =
      app.add_option("input", dash, "'-': read statements from standard input")
          ->type_name("")
          ->check(CLI::Validator(
              [](std::string& text) -> std::string {
                return text == "-" ? "" : "unexpected argument " + text + " (only '-' is accepted)";
              },
              ""));
  app.footer(
      "Exit status: 0 success, 1 a statement failed (scripts stop at the first failure), "
      "2 bad flags, an unreadable file, or no database or server.\nSee docs/shell.md.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? kExitSuccess : kExitUsage;
  }

  options->format = *ParseOutputFormat(format);
  options->remote = host_option->count() > 0;
  // CLI11 records every value in the order it was given, which lets -c and -f
  // interleave as written (`-c A -f B -c C` runs A, B, C).
  size_t next_command = 0;
  size_t next_file = 0;
  for (const CLI::Option* option : app.parse_order()) {
    if (option == command_option && next_command < commands.size()) {
      options->scripts.push_back({ScriptSource::Kind::kCommand, commands[next_command++]});
    } else if (option == file_option && next_file < files.size()) {
      const std::string& path = files[next_file++];
      if (path == "-") {
        options->scripts.push_back({ScriptSource::Kind::kStdin, ""});
      } else {
        options->scripts.push_back({ScriptSource::Kind::kFile, path});
      }
    } else if (option == dash_option) {
      options->scripts.push_back({ScriptSource::Kind::kStdin, ""});
    }
  }
  return std::nullopt;
}

}  // namespace basalt
