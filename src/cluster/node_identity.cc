#include "cluster/node_identity.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

namespace basalt::cluster {

std::string ParseRoles(const std::string& text, std::vector<std::string>* roles) {
  static const char* const kKnown[] = {kRoleCoordinator, kRoleExecutor, kRoleStatestore,
                                       kRoleCatalog};
  roles->clear();
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string role = text.substr(start, comma - start);
    if (std::find(std::begin(kKnown), std::end(kKnown), role) == std::end(kKnown)) {
      return fmt::format(
          "unknown role \"{}\" (roles are coordinator, executor, statestore and catalog)", role);
    }
    if (std::find(roles->begin(), roles->end(), role) != roles->end()) {
      return fmt::format("role \"{}\" given twice", role);
    }
    roles->push_back(role);
    start = comma + 1;
  }
  return "";
}

bool HasRole(const NodeInfo& node, const char* role) {
  return std::find(node.roles().begin(), node.roles().end(), role) != node.roles().end();
}

std::string NodeName(const std::string& host, uint32_t port) {
  return fmt::format("{}:{}", host, port);
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

NodeInfo MakeLocalNode(const std::string& host, uint32_t rpc_port, uint32_t sql_port,
                       const std::vector<std::string>& roles) {
  NodeInfo node;
  node.mutable_id()->set_name(NodeName(host, rpc_port));
  // Random rather than the pid or the clock: a restarted process can get the
  // same pid, and two processes can start in the same millisecond.
  std::random_device entropy;
  uint64_t incarnation = 0;
  while (incarnation == 0) incarnation = (uint64_t{entropy()} << 32) | entropy();
  node.mutable_id()->set_incarnation(incarnation);
  for (const auto& role : roles) node.add_roles(role);
  node.set_host(host);
  node.set_rpc_port(rpc_port);
  node.set_sql_port(sql_port);
  node.set_cores(std::max(1u, std::thread::hardware_concurrency()));
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0) node.set_memory_bytes(uint64_t(pages) * uint64_t(page_size));
  node.set_pid(uint32_t(getpid()));
  node.set_start_time_ms(NowMillis());
  return node;
}

}  // namespace basalt::cluster
