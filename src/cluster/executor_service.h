// The executor side of RunQuery (executor.proto): runs the part of a query a
// coordinator placed on this node, as a QueryExecution with a ClusterSite,
// for as long as the call lasts.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <mutex>

#include "cluster/cluster_site.h"
#include "cluster/executor.grpc.pb.h"
#include "cluster/exchange_registry.h"

namespace basalt {
class Database;
class QueryExecution;
}

namespace basalt::cluster {

class ExecutorService final : public Executor::Service {
 public:
  // `is_live_coordinator` says whether a node id is a live coordinator in
  // the membership this node knows.
  ExecutorService(Database& database, ExchangeRegistry& registry, ChannelCache& channels,
                  std::function<bool(const NodeId&)> is_live_coordinator)
      : database_(database),
        registry_(registry),
        channels_(channels),
        is_live_coordinator_(std::move(is_live_coordinator)) {}

  // This node's id, known once it listens; requests before it are refused.
  void set_self(NodeId self) {
    std::lock_guard lock(mu_);
    self_ = std::move(self);
  }

  grpc::Status RunQuery(grpc::ServerContext* context, const RunQueryRequest* request,
                        grpc::ServerWriter<QueryPartStatus>* writer) override;
  grpc::Status CancelQuery(grpc::ServerContext* context, const CancelQueryRequest* request,
                           CancelQueryResponse* response) override;

 private:
  NodeId Self() const {
    std::lock_guard lock(mu_);
    return self_;
  }

  Database& database_;
  mutable std::mutex mu_;  // guards self_ and running_
  NodeId self_;
  // The parts running here, by query id, so CancelQuery finds them.
  std::map<std::string, QueryExecution*> running_;
  ExchangeRegistry& registry_;
  ChannelCache& channels_;
  std::function<bool(const NodeId&)> is_live_coordinator_;
};

// The placement a RunQueryRequest describes.
QueryPlacement PlacementFromRequest(const RunQueryRequest& request);

}  // namespace basalt::cluster
