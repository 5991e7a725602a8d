#include "cluster/node_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace basalt::cluster {

std::string WriteNodeFile(const std::string& path, const NodeFile& node) {
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << "name=" << node.name << "\nroles=" << node.roles << "\npid=" << node.pid
        << "\nhost=" << node.host << "\nrpc_port=" << node.rpc_port
        << "\nsql_port=" << node.sql_port << "\nhttp_port=" << node.http_port << "\n";
    if (!out.flush()) return fmt::format("cannot write {}", temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return fmt::format("cannot rename {} to {}: {}", temp, path, std::strerror(errno));
  }
  return "";
}

std::optional<NodeFile> ReadNodeFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  NodeFile node;
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    try {
      if (key == "name") node.name = value;
      if (key == "roles") node.roles = value;
      if (key == "pid") node.pid = std::stoll(value);
      if (key == "host") node.host = value;
      if (key == "rpc_port") node.rpc_port = std::stoi(value);
      if (key == "sql_port") node.sql_port = std::stoi(value);
      if (key == "http_port") node.http_port = std::stoi(value);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (node.name.empty() || node.pid <= 0 || node.rpc_port <= 0) return std::nullopt;
  return node;
}

}  // namespace basalt::cluster
