#include "cluster/server_command.h"

#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <tuple>

#include "cluster/cluster_node.h"
#include "cluster/node_file.h"
#include "cluster/node_identity.h"
#include "http/http_server.h"
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
    "usage: basalt server [--port P] [--http-port P] [--listen ADDR] [--data-dir DIR] [--threads N]\n"
    "                     [--query-history N]\n"
    "                     [--max-connections N] [--tls-cert FILE --tls-key FILE]\n"
    "                     [--users-file FILE]\n"
    "                     [--roles coordinator,executor,statestore,catalog] [--rpc-port P]\n"
    "                     [--statestore HOST:PORT] [--heartbeat-interval-ms N]\n"
    "                     [--failure-timeout-ms N] [--slots-per-thread N] [--max-slices N]\n"
    "                     [--admission-timeout-ms N] [--max-queued-queries N]\n"
    "                     [--cache-dir DIR] [--cache-size BYTES] [--memory BYTES]\n"
    "                     [--query-memory BYTES] [--config FILE]\n";

// "10G", "512M", "1048576": bytes, with an optional binary suffix K, M, G or
// T (KiB ... TiB; "GB" and "GiB" read the same). False when malformed.
bool ParseByteSize(const std::string& text, uint64_t* out) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') digits++;
  if (digits == 0 || digits > 18) return false;
  uint64_t value = std::stoull(text.substr(0, digits));
  std::string suffix = text.substr(digits);
  for (char& c : suffix) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (suffix.size() > 1 && (suffix.ends_with("IB") || suffix.ends_with("B"))) {
    suffix = suffix.substr(0, suffix.size() - (suffix.ends_with("IB") ? 2 : 1));
  }
  int shift = 0;
  if (suffix == "K") {
    shift = 10;
  } else if (suffix == "M") {
    shift = 20;
  } else if (suffix == "G") {
    shift = 30;
  } else if (suffix == "T") {
    shift = 40;
  } else if (!suffix.empty() && suffix != "B") {
    return false;
  }
  if (shift > 0 && value > (UINT64_MAX >> shift)) return false;
  *out = value << shift;
  return true;
}

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
  app.add_option("--cache-dir", cluster_options.cache_dir,
                 "Executor: the segment cache's directory (default: DATA-DIR/cache; none "
                 "without a data directory)")
      ->type_name("DIR");
  std::string cache_size = "10G";
  app.add_option("--cache-size", cache_size,
                 "Executor: the segment cache's capacity in bytes, K/M/G/T suffixes allowed "
                 "(default 10G)")
      ->type_name("BYTES");
  std::string memory;
  app.add_option("--memory", memory,
                 "Executor: memory offered to queries, K/M/G/T suffixes allowed (default 80% of "
                 "physical memory)")
      ->type_name("BYTES");
  std::string query_memory;
  app.add_option("--query-memory", query_memory,
                 "Coordinator: memory a query reserves on each executor (default an eighth of "
                 "the smallest executor's --memory)")
      ->type_name("BYTES");
  int http_port = 8090;
  app.add_option("--http-port", http_port,
                 "Coordinator: HTTP port for the REST API, web console and /metrics (default "
                 "8090; 0: none)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--query-history", database_options.query_history,
                 "Finished queries kept in the data directory (default 10000; 0: none)");
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
  if (!ParseByteSize(cache_size, &cluster_options.cache_bytes)) {
    std::cerr << fmt::format(
        "basalt server: --cache-size: \"{}\" is not a size in bytes (like 10G)\n{}", cache_size,
        kUsage);
    return kExitUsage;
  }
  for (auto [flag, text, out] : {std::tuple{"--memory", &memory, &cluster_options.memory_bytes},
                                 std::tuple{"--query-memory", &query_memory,
                                            &cluster_options.admission.query_memory}}) {
    if (!text->empty() && (!ParseByteSize(*text, out) || *out == 0)) {
      std::cerr << fmt::format("basalt server: {}: \"{}\" is not a size in bytes (like 4G)\n{}",
                               flag, *text, kUsage);
      return kExitUsage;
    }
  }
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
      cluster_options.http_port = http_port == 0 ? -1 : http_port;
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
                                node.sql_port(), node.http_port()};
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
      if (node.http_port() > 0) {
        ServerLog(fmt::format("web console and REST API on http://{}:{}/", cluster_options.host,
                              node.http_port()));
      }
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
      std::unique_ptr<http::HttpServer> http_server;
      if (http_port > 0) {
        http::HttpServerOptions http_options;
        http_options.listen_address = server_options.listen_address;
        http_options.port = http_port;
        http_options.sql_port = server.port();
        http_server = std::make_unique<http::HttpServer>(db, http_options);
        error = http_server->Start();
        if (error.empty()) {
          server.set_http_port(http_server->port());
          ServerLog(fmt::format("web console and REST API on http://{}:{}/",
                                server_options.listen_address, http_server->port()));
        } else {
          // The console is a convenience: SQL clients are served all the same.
          ServerLog(error + "; going on without the HTTP API");
          http_server.reset();
        }
      }
      sigwait(&stop_signals, &signal_number);
      ServerLog(fmt::format("received {}, shutting down",
                            signal_number == SIGINT ? "SIGINT" : "SIGTERM"));
      if (http_server) http_server->Stop();
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
