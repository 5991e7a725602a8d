// The file a node started by `basalt cluster start` writes once it listens
// (`basalt server --node-file F`): how `cluster status` and `cluster stop`
// find the node's process and ports. One `key=value` per line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace basalt::cluster {

struct NodeFile {
  std::string name;   // host:rpc_port
  std::string roles;  // comma-separated
  int64_t pid = 0;
  std::string host;
  int rpc_port = 0;
  int sql_port = 0;   // 0 unless a coordinator
  int http_port = 0;  // 0 unless a coordinator serving HTTP
};

// Written to a temporary name and renamed, so a reader never sees half a file.
// Returns "" or the error.
std::string WriteNodeFile(const std::string& path, const NodeFile& node);
std::optional<NodeFile> ReadNodeFile(const std::string& path);

}  // namespace basalt::cluster
