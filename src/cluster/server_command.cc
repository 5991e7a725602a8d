#include "cluster/server_command.h"

#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cluster/cluster_node.h"
#include "cluster/node_file.h"
#include "cluster/node_identity.h"
#include "common/exception.h"
#include "main/database.h"
#include "server/pg_server.h"
#include "server/pg_socket.h"
#include "server/server_log.h"
#include "server/user_table.h"

namespace basalt {

namespace {

// The shell's exit codes (shell/shell_options.h), repeated here because the
// server layer sits below the shell.
constexpr int kExitSuccess = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

constexpr const char* kUsage =
    "usage: basalt server [--port P] [--listen ADDR] [--data-dir DIR] [--threads N]\n"
    "                     [--max-connections N] [--tls-cert FILE --tls-key FILE]\n"
    "                     [--users-file FILE]\n"
    "                     [--roles coordinator,executor,statestore,catalog] [--rpc-port P]\n"
    "                     [--statestore HOST:PORT] [--heartbeat-interval-ms N]\n"
    "                     [--failure-timeout-ms N] [--slots-per-thread N] [--max-slices N]\n"
    "                     [--admission-timeout-ms N] [--max-queued-queries N] [--config FILE]\n";

}  // namespace

int RunServerCommand(int argc, const char* const* argv) {
  CLI::App app{"basalt server: serve a database over the PostgreSQL wire protocol.",
               "basalt server"};
  PgServerOptions server_options;
  DatabaseOptions database_options;
  app.add_option("--port", server_options.port, "TCP port (default 5433)")
      ->type_name("P")
      ->check(CLI::Range(0, 65535));
  app.add_option("--listen", server_options.listen_address, "Address to listen on")
      ->type_name("ADDR");
  app.add_option("--data-dir", database_options.data_dir, "Data directory (default: in memory)")
      ->type_name("DIR");
  app.add_option("--threads", database_options.threads, "Query threads (0: one per core)")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--max-connections", server_options.max_connections,
                 "Clients served at once; more get 53300 (default 200)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000));
  std::string tls_cert;
  std::string tls_key;
  std::string users_file;
  auto* cert_option =
      app.add_option("--tls-cert", tls_cert, "PEM certificate (chain): accept TLS (SSLRequest)")
          ->type_name("FILE");
  auto* key_option =
      app.add_option("--tls-key", tls_key, "PEM private key of --tls-cert")->type_name("FILE");
  cert_option->needs(key_option);
  key_option->needs(cert_option);
  app.add_option("--users-file", users_file,
                 "Users and passwords for SCRAM-SHA-256 (default: trust every user)")
      ->type_name("FILE");
  std::string roles_text = "coordinator,executor,statestore,catalog";
  cluster::ClusterNodeOptions cluster_options;
  app.add_option("--roles", roles_text,
                 "What this node does (default: all four, a single node)")
      ->type_name("ROLES");
  auto* rpc_port_option =
      app.add_option("--rpc-port", cluster_options.rpc_port,
                     "Port of the node's gRPC services (default: none for a single node)")
          ->type_name("P")
          ->check(CLI::Range(0, 65535));
  app.add_option("--statestore", cluster_options.statestore_address,
                 "The statestore's HOST:PORT (default: this node)")
      ->type_name("HOST:PORT");
  app.add_option("--heartbeat-interval-ms", cluster_options.statestore.heartbeat_interval_ms,
                 "Statestore heartbeats, both ways (default 500)")
      ->type_name("N")
      ->check(CLI::Range(10, 60000));
  app.add_option("--failure-timeout-ms", cluster_options.statestore.failure_timeout_ms,
                 "Silence after which a node is declared failed (default 3000)")
      ->type_name("N")
      ->check(CLI::Range(100, 600000));
  int admission_timeout_ms = 60000;
  app.add_option("--max-slices", cluster_options.max_slices,
                 "Coordinator: fragment instances per fragment at most (default: one per "
                 "executor thread)")
      ->type_name("N")
      ->check(CLI::Range(0, 4096));
  app.add_option("--slots-per-thread", cluster_options.admission.slots_per_thread,
                 "Coordinator: fragment instances admitted per executor thread (default 8)")
      ->type_name("N")
      ->check(CLI::Range(1, 1000));
  app.add_option("--admission-timeout-ms", admission_timeout_ms,
                 "Coordinator: how long a query waits for slots before 53000 (default 60000)")
      ->type_name("N")
      ->check(CLI::Range(0, 3600000));
  app.add_option("--max-queued-queries", cluster_options.admission.max_queued,
                 "Coordinator: queries waiting for slots at most; more get 53000 (default 100)")
      ->type_name("N")
      ->check(CLI::Range(0, 100000));
  std::string node_file;
  app.add_option("--node-file", node_file,
                 "Write this node's pid and ports here once it listens (basalt cluster)")
      ->type_name("FILE");
  app.set_config("--config", "", "Read options from a TOML or INI file (keys as the long flags)");
  try {
    app.parse(argc - 1, argv + 1);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::cerr << fmt::format("basalt server: {}\n{}", e.what(), kUsage);
    return kExitUsage;
  }
  cluster_options.admission.timeout = std::chrono::milliseconds(admission_timeout_ms);
  if (std::string error = cluster::ParseRoles(roles_text, &cluster_options.roles); !error.empty()) {
    std::cerr << fmt::format("basalt server: --roles: {}\n{}", error, kUsage);
    return kExitUsage;
  }
  // A node is part of a cluster (and serves gRPC) when it was given an RPC
  // port, a statestore to join, or fewer than all roles; otherwise it is the
  // single-node server, which needs no second port.
  bool cluster_mode = *rpc_port_option || !cluster_options.statestore_address.empty() ||
                      cluster_options.roles.size() < 4;

  // SIGTERM and SIGINT are blocked in every thread, including the ones the
  // Database and the server start, and taken synchronously by sigwait below:
  // the stop then runs as ordinary code rather than inside a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<TlsContext> tls;
  std::unique_ptr<UserTable> users;
  try {
    if (!database_options.data_dir.empty()) {
      std::string log_path =
          (std::filesystem::path(database_options.data_dir) / "log" / "basalt.log").string();
      std::string error;
      if (!OpenServerLogFile(log_path, &error)) {
        ServerLog(error);
        return kExitFailed;
      }
    }
    std::string error;
    if (!tls_cert.empty()) {
      tls = TlsContext::Create(tls_cert, tls_key, &error);
      if (!tls) {
        ServerLog(error);
        return kExitFailed;
      }
      server_options.tls = tls.get();
    }
    if (!users_file.empty()) {
      users = UserTable::Load(users_file, &error);
      if (!users) {
        ServerLog(error);
        return kExitFailed;
      }
      server_options.users = users.get();
      ServerLog(
          fmt::format("{} users from {}: SCRAM-SHA-256 authentication", users->size(), users_file));
    }
    int signal_number = 0;
    if (cluster_mode) {
      cluster_options.host = server_options.listen_address;
      cluster_options.database = database_options;
      cluster_options.pg = server_options;
      cluster::ClusterNode node(cluster_options);
      error = node.Start();
      if (!error.empty()) {
        ServerLog(error);
        return kExitFailed;
      }
      std::string roles;
      for (const auto& role : cluster_options.roles) roles += (roles.empty() ? "" : ",") + role;
      if (!node_file.empty()) {
        cluster::NodeFile entry{cluster::NodeName(cluster_options.host, node.rpc_port()), roles,
                                int64_t(getpid()), cluster_options.host, node.rpc_port(),
                                node.sql_port()};
        error = cluster::WriteNodeFile(node_file, entry);
        if (!error.empty()) {
          ServerLog(error);
          return kExitFailed;
        }
      }
      ServerLog(fmt::format("node {}:{} with roles {}{}", cluster_options.host, node.rpc_port(),
                            roles,
                            node.sql_port() ? fmt::format("; SQL clients on port {}", node.sql_port())
                                            : std::string()));
      sigwait(&stop_signals, &signal_number);
      ServerLog(fmt::format("received {}, shutting down",
                            signal_number == SIGINT ? "SIGINT" : "SIGTERM"));
      node.Stop();
    } else {
      Database db(database_options);
      PgServer server(db, server_options);
      error = server.Start();
      if (!error.empty()) {
        ServerLog(error);
        return kExitFailed;
      }
      ServerLog(fmt::format("listening on {}:{}{}", server_options.listen_address, server.port(),
                            tls ? " (TLS available)" : ""));
      sigwait(&stop_signals, &signal_number);
      ServerLog(fmt::format("received {}, shutting down",
                            signal_number == SIGINT ? "SIGINT" : "SIGTERM"));
      server.Stop();
    }
  } catch (const BasaltError& e) {
    ServerLog(fmt::format("fatal: {} (SQLSTATE {})", e.what(), e.code()));
    CloseServerLogFile();
    return kExitFailed;
  } catch (const std::exception& e) {
    ServerLog(fmt::format("fatal: {}", e.what()));
    CloseServerLogFile();
    return kExitFailed;
  }
  ServerLog("stopped");
  CloseServerLogFile();
  return kExitSuccess;
}

}  // namespace basalt
