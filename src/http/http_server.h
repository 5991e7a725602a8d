// The HTTP port of a coordinator (docs/http_api.md): the REST API, the web
// console's files and /metrics, served by cpp-httplib's thread pool.
//
//   HttpServer server(db, options);
//   std::string error = server.Start();   // binds, then serves on a thread
//   ...
//   server.Stop();                        // also in the destructor
//
// What the server knows of the cluster comes from callbacks its owner
// fills (the cluster node's membership and admission control); without
// them it describes this process alone.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "main/database.h"

namespace httplib {
class Server;
}

namespace basalt::http {

class QueryApi;

// One node as GET /api/v1/cluster/nodes and /metrics show it.
struct NodeStatus {
  std::string name;
  std::vector<std::string> roles;
  std::string address;
  int rpc_port = 0;
  int sql_port = 0;
  int http_port = 0;
  bool healthy = true;
  int cores = 0;
  uint64_t memory_bytes = 0;
  int64_t last_heartbeat_micros = 0;  // since 1970; 0 = unknown
};

// Admission control's counters (cluster/admission_controller.h).
struct AdmissionStatus {
  uint64_t admitted = 0;
  uint64_t queued = 0;
  uint64_t rejected = 0;
};

struct HttpServerOptions {
  std::string listen_address = "127.0.0.1";
  int port = 8090;  // 0 = any free port (see HttpServer::port)
  size_t max_body_bytes = size_t{1} << 20;
  // This process's PostgreSQL port, for the single-node listing.
  int sql_port = 0;
  // Unset: this process is the whole cluster.
  std::function<std::vector<NodeStatus>()> nodes;
  std::function<AdmissionStatus()> admission;
  // The memory this node offers queries (basalt_memory_limit_bytes); 0 = none set.
  uint64_t memory_limit_bytes = 0;
};

class HttpServer {
 public:
  // Requests served at once; a waiting POST /api/v1/query holds one.
  static constexpr size_t kWorkerThreads = 64;

  HttpServer(Database& db, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving; "" on success, else why not.
  std::string Start();
  // Stops serving and waits for running REST queries (cancelled) to end.
  void Stop();
  int port() const { return bound_port_; }

 private:
  std::vector<NodeStatus> Nodes() const;
  std::string Metrics() const;

  Database& db_;
  HttpServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<QueryApi> queries_;
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};
  int bound_port_ = 0;
};

}  // namespace basalt::http
