#include "cluster/cluster_command.h"

#include <fcntl.h>
#include <sched.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "cluster/node_file.h"
#include "cluster/node_identity.h"
#include "cluster/statestore.grpc.pb.h"
#include "cluster/statestore_subscriber.h"

namespace basalt {

namespace {

namespace fs = std::filesystem;
using cluster::NodeFile;

constexpr int kExitSuccess = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// How long `start` waits for every node to listen and register.
constexpr auto kStartTimeout = std::chrono::seconds(30);
// How long `stop` waits for a node to exit after SIGTERM before SIGKILL.
constexpr auto kStopTimeout = std::chrono::seconds(10);

constexpr const char* kUsage =
    "usage: basalt cluster start --dir DIR [--executors N] [--port P] [--threads N] [--pin]\n"
    "       basalt cluster status --dir DIR\n"
    "       basalt cluster stop --dir DIR\n";

fs::path NodesDir(const std::string& dir) { return fs::path(dir) / "nodes"; }

bool ProcessAlive(int64_t pid) { return pid > 0 && (kill(pid_t(pid), 0) == 0 || errno == EPERM); }

// The node files of a cluster directory, coordinator first.
std::vector<std::pair<std::string, NodeFile>> ReadNodes(const std::string& dir) {
  std::vector<std::pair<std::string, NodeFile>> nodes;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(NodesDir(dir), ec)) {
    if (entry.path().extension() != ".node") continue;
    if (auto node = cluster::ReadNodeFile(entry.path())) {
      nodes.emplace_back(entry.path().stem().string(), *node);
    }
  }
  std::sort(nodes.begin(), nodes.end(), [](const auto& a, const auto& b) {
    bool a_main = a.first == "coordinator";
    bool b_main = b.first == "coordinator";
    if (a_main != b_main) return a_main;
    return a.first.size() != b.first.size() ? a.first.size() < b.first.size() : a.first < b.first;
  });
  return nodes;
}

// Starts `basalt server args...` detached from this terminal, its output
// appended to `log_path`, on CPU `cpu` alone when it is not negative.
// Returns the pid, or -1.
pid_t SpawnNode(const std::vector<std::string>& args, const fs::path& log_path, int cpu = -1) {
  std::vector<std::string> argv_strings = {"/proc/self/exe", "server"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid != 0) return pid;
  // Child: a session of its own, so the terminal's ^C does not reach it.
  setsid();
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof(set), &set);
  }
  int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log >= 0) {
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
  }
  if (null >= 0) dup2(null, STDIN_FILENO);
  execv("/proc/self/exe", argv.data());
  _exit(127);
}

// Waits for a spawned node to write its node file; reaps it if it exits.
std::optional<NodeFile> WaitForNodeFile(pid_t pid, const fs::path& path,
                                        std::chrono::steady_clock::time_point deadline) {
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto node = cluster::ReadNodeFile(path); node && node->pid == pid) return node;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::nullopt;
}

// The statestore's address: the node whose roles include it.
std::string StatestoreAddress(const std::vector<std::pair<std::string, NodeFile>>& nodes) {
  for (const auto& [label, node] : nodes) {
    if (node.roles.find(cluster::kRoleStatestore) != std::string::npos) {
      return cluster::NodeName(node.host, node.rpc_port);
    }
  }
  return "";
}

int StopNodes(const std::string& dir, bool quiet) {
  auto nodes = ReadNodes(dir);
  // Executors first: the coordinator and statestore go last, so the others
  // leave cleanly instead of losing their statestore.
  std::reverse(nodes.begin(), nodes.end());
  int failures = 0;
  for (const auto& [label, node] : nodes) {
    if (ProcessAlive(node.pid)) {
      kill(pid_t(node.pid), SIGTERM);
      auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
      while (ProcessAlive(node.pid) && std::chrono::steady_clock::now() < deadline) {
        waitpid(pid_t(node.pid), nullptr, WNOHANG);  // reaps it when it is our child
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (ProcessAlive(node.pid)) {
        std::cerr << fmt::format("basalt cluster: {} (pid {}) ignored SIGTERM; killing it\n",
                                 label, node.pid);
        kill(pid_t(node.pid), SIGKILL);
        ++failures;
      }
      if (!quiet) std::cout << fmt::format("stopped {} (pid {})\n", label, node.pid);
    }
    fs::remove(NodesDir(dir) / (label + ".node"));
  }
  if (!quiet && nodes.empty()) std::cout << "no nodes are running in " << dir << "\n";
  return failures == 0 ? kExitSuccess : kExitFailed;
}

int Start(const std::string& dir, int executors, int port, int http_port, int threads, bool pin) {
  for (const auto& [label, node] : ReadNodes(dir)) {
    if (ProcessAlive(node.pid)) {
      std::cerr << fmt::format(
          "basalt cluster: {} is already running in {} (pid {}); run `basalt cluster stop --dir "
          "{}` first\n",
          label, dir, node.pid, dir);
      return kExitFailed;
    }
  }
  std::error_code ec;
  fs::create_directories(NodesDir(dir), ec);
  if (ec) {
    std::cerr << fmt::format("basalt cluster: cannot create {}: {}\n", NodesDir(dir).string(),
                             ec.message());
    return kExitFailed;
  }
  for (const auto& entry : fs::directory_iterator(NodesDir(dir))) {
    if (entry.path().extension() == ".node") fs::remove(entry.path());
  }
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::vector<std::string> common = {"--threads", std::to_string(threads)};

  // The node clients talk to; it is also the statestore the executors join.
  std::vector<std::string> main_args = {
      "--roles", "statestore,catalog,coordinator", "--rpc-port", "0", "--port",
      std::to_string(port), "--http-port", std::to_string(http_port), "--data-dir", (fs::path(dir) / "data").string(), "--node-file",
      (NodesDir(dir) / "coordinator.node").string()};
  main_args.insert(main_args.end(), common.begin(), common.end());
  pid_t main_pid = SpawnNode(main_args, NodesDir(dir) / "coordinator.log");
  auto main_node = WaitForNodeFile(main_pid, NodesDir(dir) / "coordinator.node", deadline);
  if (!main_node) {
    std::cerr << fmt::format("basalt cluster: the coordinator did not start; see {}\n",
                             (NodesDir(dir) / "coordinator.log").string());
    StopNodes(dir, true);
    if (main_pid > 0) kill(main_pid, SIGKILL);
    return kExitFailed;
  }
  std::string statestore = cluster::NodeName(main_node->host, main_node->rpc_port);

  for (int i = 1; i <= executors; ++i) {
    std::string label = fmt::format("executor-{}", i);
    std::vector<std::string> args = {
        "--roles", "executor", "--rpc-port", "0", "--statestore", statestore, "--data-dir",
        (fs::path(dir) / label).string(), "--node-file", (NodesDir(dir) / (label + ".node")).string()};
    args.insert(args.end(), common.begin(), common.end());
    int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    pid_t pid = SpawnNode(args, NodesDir(dir) / (label + ".log"), pin ? (i - 1) % cores : -1);
    if (!WaitForNodeFile(pid, NodesDir(dir) / (label + ".node"), deadline)) {
      std::cerr << fmt::format("basalt cluster: {} did not start; see {}\n", label,
                               (NodesDir(dir) / (label + ".log")).string());
      if (pid > 0) kill(pid, SIGKILL);
      StopNodes(dir, true);
      return kExitFailed;
    }
  }

  // Ready when every node has registered with the statestore.
  size_t expected = size_t(executors) + 1;
  while (true) {
    auto membership = cluster::FetchMembership(statestore, 1000);
    if (membership && size_t(membership->live_size()) >= expected) break;
    if (std::chrono::steady_clock::now() > deadline) {
      std::cerr << "basalt cluster: not every node registered with the statestore in time\n";
      StopNodes(dir, true);
      return kExitFailed;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::cout << fmt::format(
      "started a coordinator (statestore, catalog) and {} executor{} in {}\n"
      "connect with: basalt --host 127.0.0.1 --port {}   or   psql -h 127.0.0.1 -p {} -U basalt\n",
      executors, executors == 1 ? "" : "s", dir, main_node->sql_port, main_node->sql_port);
  if (main_node->http_port > 0) {
    std::cout << fmt::format("web console: http://127.0.0.1:{}/\n", main_node->http_port);
  }
  return kExitSuccess;
}

int Status(const std::string& dir) {
  auto nodes = ReadNodes(dir);
  if (nodes.empty()) {
    std::cout << "no nodes in " << dir << "\n";
    return kExitFailed;
  }
  std::string statestore = StatestoreAddress(nodes);
  auto membership = statestore.empty() ? std::nullopt : cluster::FetchMembership(statestore, 2000);
  std::map<std::string, std::string> health;  // by node name
  if (membership) {
    for (const auto& node : membership->live()) health[node.id().name()] = "live";
    for (const auto& failed : membership->failed()) {
      health.emplace(failed.node().id().name(), "failed: " + failed.reason());
    }
  }
  std::cout << fmt::format("{:<12} {:<31} {:>7} {:<16} {:>6} {:>6} {:>6}  {}\n", "node", "roles",
                           "pid", "address", "rpc", "sql", "http", "health");
  bool all_live = true;
  for (const auto& [label, node] : nodes) {
    // What the statestore says, checked against the process itself.
    auto it = health.find(node.name);
    bool alive = ProcessAlive(node.pid);
    std::string state;
    if (!membership) {
      state = alive ? "running; statestore unreachable" : "down (process gone)";
    } else if (it == health.end()) {
      state = alive ? "running; not registered" : "down (process gone)";
    } else if (it->second == "live" && !alive) {
      state = "down (process gone); the statestore has not noticed yet";
    } else {
      state = it->second;
    }
    all_live &= state == "live";
    std::cout << fmt::format("{:<12} {:<31} {:>7} {:<16} {:>6} {:>6} {:>6}  {}\n", label,
                             node.roles, node.pid, node.host, node.rpc_port,
                             node.sql_port ? std::to_string(node.sql_port) : "-",
                             node.http_port ? std::to_string(node.http_port) : "-", state);
  }
  return all_live ? kExitSuccess : kExitFailed;
}

}  // namespace

int RunClusterCommand(int argc, const char* const* argv) {
  CLI::App app{"basalt cluster: a local cluster on loopback ports.", "basalt cluster"};
  app.require_subcommand(1);
  std::string dir;
  int executors = 2;
  int port = 5433;
  int threads = 0;
  auto* start = app.add_subcommand("start", "Start a coordinator and N executors");
  start->add_option("--dir", dir, "Cluster directory (data, logs, node files)")->required();
  start->add_option("--executors", executors, "Executor nodes (default 2)")
      ->check(CLI::Range(0, 64));
  start->add_option("--port", port, "The coordinator's SQL port (default 5433)")
      ->check(CLI::Range(0, 65535));
  int http_port = 8090;
  start->add_option("--http-port", http_port,
                    "The coordinator's HTTP port: REST API, web console (default 8090; 0: none)")
      ->check(CLI::Range(0, 65535));
  start->add_option("--threads", threads, "Query threads per node (0: one per core)")
      ->check(CLI::NonNegativeNumber);
  bool pin = false;
  start->add_flag("--pin", pin, "Run executor i on CPU i-1 alone (for scale-out measurements)");
  auto* status = app.add_subcommand("status", "List the nodes with their roles and health");
  status->add_option("--dir", dir, "Cluster directory")->required();
  auto* stop = app.add_subcommand("stop", "Stop every node");
  stop->add_option("--dir", dir, "Cluster directory")->required();
  try {
    app.parse(argc - 1, argv + 1);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << fmt::format("basalt cluster: {}\n{}", e.what(), kUsage);
    return kExitUsage;
  }
  if (*start) return Start(dir, executors, port, http_port, threads, pin);
  if (*status) return Status(dir);
  return StopNodes(dir, false);
}

}  // namespace basalt
