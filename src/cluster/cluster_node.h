// One node of a cluster: the roles it was started with, its gRPC server (the
// statestore service when it has that role), its statestore subscription and,
// for a coordinator, the database and the PostgreSQL server clients reach.
// See docs/cluster.md.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cluster/admission_controller.h"
#include "cluster/catalog_replica.h"
#include "cluster/catalog_service.h"
#include "cluster/data_stream_service.h"
#include "cluster/exchange_registry.h"
#include "cluster/executor_service.h"
#include "cluster/node.grpc.pb.h"
#include "cluster/statestore.h"
#include "cluster/statestore_subscriber.h"
#include "http/http_server.h"
#include "main/database.h"
#include "server/pg_server.h"

namespace basalt::cluster {

struct ClusterNodeOptions {
  std::vector<std::string> roles;
  std::string host = "127.0.0.1";  // listened on and advertised
  int rpc_port = 0;                // 0: any free port
  std::string statestore_address;  // "": this node (it must have the statestore role)
  StatestoreOptions statestore;    // heartbeat interval and failure timeout
  AdmissionOptions admission;      // coordinators
  // Memory this node offers to queries (NodeInfo.memory_bytes, what
  // admission control counts for executors); 0: 80% of physical memory.
  uint64_t memory_bytes = 0;
  int max_slices = 0;              // coordinators: instances per fragment at most (0: no cap)
  DatabaseOptions database;        // coordinators and catalogs
  PgServerOptions pg;              // coordinators
  // Executors: the segment cache (docs/cluster.md). "" is <data dir>/cache,
  // or no cache (segments read in place) when there is no data directory.
  std::string cache_dir;
  uint64_t cache_bytes = uint64_t(10) << 30;  // 10 GiB
  // Coordinators: the HTTP port (REST API, console, /metrics); -1: none.
  int http_port = -1;
};

// Answers Describe with this node's NodeInfo, which is complete only once
// the node knows its ports.
class NodeService final : public Node::Service {
 public:
  void set_self(NodeInfo self) {
    std::lock_guard lock(mu_);
    self_ = std::move(self);
  }
  grpc::Status Describe(grpc::ServerContext*, const DescribeRequest*, NodeInfo* response) override {
    std::lock_guard lock(mu_);
    if (self_.id().name().empty()) return {grpc::StatusCode::UNAVAILABLE, "the node is starting"};
    *response = self_;
    return grpc::Status::OK;
  }

 private:
  std::mutex mu_;
  NodeInfo self_;
};

class ClusterNode {
 public:
  explicit ClusterNode(ClusterNodeOptions options);
  ~ClusterNode();

  // Returns "" or why the node cannot start (a port in use, ...).
  std::string Start();
  void Stop();

  int rpc_port() const { return rpc_port_; }
  int sql_port() const { return pg_server_ ? pg_server_->port() : 0; }
  int http_port() const { return http_server_ ? http_server_->port() : 0; }
  StatestoreSubscriber* subscriber() { return subscriber_.get(); }
  // The exchanges whose receivers run here (executors and coordinators).
  ExchangeRegistry& exchanges() { return exchanges_; }

 private:
  bool Has(const char* role) const;
  // The live nodes with `role`, as this node last heard from the statestore.
  std::vector<NodeInfo> LiveNodesWith(const char* role) const;
  bool IsLiveCoordinator(const NodeId& id) const;
  // A coordinator's site for a query: its fragments go to the live
  // executors, when the plan can run there.
  std::unique_ptr<ExecutionSite> MakeCoordinatorSite(const FragmentedPlan& plan);
  // For EXPLAIN on a coordinator: where each fragment would run.
  void DescribePlacement(FragmentedPlan& plan) const;
  // The cluster's nodes as the statestore knows them, for the HTTP API.
  std::vector<http::NodeStatus> HttpNodes() const;

  ClusterNodeOptions options_;
  std::unique_ptr<NodeService> node_service_;
  std::unique_ptr<StatestoreService> statestore_;
  ExchangeRegistry exchanges_;
  ChannelCache channels_;
  std::unique_ptr<DataStreamService> data_streams_;
  std::unique_ptr<ExecutorService> executor_service_;
  std::unique_ptr<AdmissionController> admission_;
  NodeInfo self_;
  std::unique_ptr<grpc::Server> rpc_server_;
  int rpc_port_ = 0;
  std::atomic<uint64_t> next_query_{0};
  // Set once Start has filled self_ and subscriber_, which queries then use.
  std::atomic<bool> ready_{false};
  std::unique_ptr<Database> database_;
  std::unique_ptr<PgServer> pg_server_;
  std::unique_ptr<http::HttpServer> http_server_;
  std::string statestore_address_;
  std::unique_ptr<StatestoreSubscriber> subscriber_;
  // The catalog role: its service and what publishes the catalog topic.
  std::unique_ptr<CatalogServiceImpl> catalog_service_;
  std::unique_ptr<CatalogPublisher> catalog_publisher_;
  // A coordinator without the catalog role: its replica of the catalog.
  std::unique_ptr<CatalogReplica> catalog_replica_;
};

}  // namespace basalt::cluster
