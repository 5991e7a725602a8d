// The executor side of RunQuery (executor.proto): runs the part of a query a
// coordinator placed on this node, as a QueryExecution with a ClusterSite,
// for as long as the call lasts.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <mutex>

#include "cluster/cluster_site.h"
#include "cluster/executor.grpc.pb.h"
#include "cluster/exchange_registry.h"
#include "cluster/segment_cache.h"

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

  // Where scans of managed tables find their segments' files: a local
  // cache; null (the default) reads them in place in the warehouse. Set
  // before the service takes requests.
  void set_segment_cache(std::unique_ptr<SegmentCache> cache) { segment_cache_ = std::move(cache); }
  SegmentCache* segment_cache() const { return segment_cache_.get(); }

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
  std::unique_ptr<SegmentCache> segment_cache_;
};

// The placement a RunQueryRequest describes.
QueryPlacement PlacementFromRequest(const RunQueryRequest& request);

}  // namespace basalt::cluster
