// The part of a distributed query that runs on one node (an ExecutionSite,
// exec/execution_site.h): which fragment instances are placed here, this
// node's share of each table scan, the exchanges whose receivers run here
// (registered so that data streams from other nodes find them) and, for each
// local sending instance, a sink that routes each receiver's batches to the
// local exchange or to a data stream to the receiver's node.
#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cluster/data_stream_sender.h"
#include "cluster/exchange_registry.h"
#include "cluster/statestore.pb.h"
#include "exec/execution_site.h"

namespace basalt::cluster {

// Where every instance of a query runs.
struct QueryPlacement {
  std::string query_id;
  // Data stream address (host:rpc_port) of each node taking part; a node is
  // known by its position here.
  std::vector<std::string> nodes;
  // For each fragment id, the node of each of its instances.
  std::map<int, std::vector<int>> instance_nodes;
  // The nodes that split the table scans between them, in order: the i-th
  // reads the ranges whose position modulo their count is i.
  std::vector<int> scan_nodes;
};

// One channel per peer address, shared by every stream to it (HTTP/2
// multiplexes them over one connection).
class ChannelCache {
 public:
  std::shared_ptr<grpc::Channel> Get(const std::string& address);

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

class ClusterSite final : public ExecutionSite {
 public:
  ClusterSite(QueryPlacement placement, int self, NodeId self_id, ExchangeRegistry& registry,
              ChannelCache& channels);
  ~ClusterSite() override;

  void Begin(QueryContext& query, const FragmentedPlan& plan) override;
  bool RunsHere(const PlanFragment& fragment, int instance) const override;
  void ExchangeCreated(int id, const std::shared_ptr<LocalExchange>& exchange,
                       const std::vector<LogicalType>& types) override;
  ExchangeSink& SinkFor(const PlanFragment& fragment, int instance,
                        const std::shared_ptr<LocalExchange>& local) override;
  std::optional<BasaltError> Finish() override;

 private:
  class RoutingSink;

  int NodeOf(int fragment_id, int instance) const;

  const QueryPlacement placement_;
  const int self_;
  const NodeId self_id_;
  ExchangeRegistry& registry_;
  ChannelCache& channels_;
  QueryContext* query_ = nullptr;
  // For each exchange id, the fragment that reads it (from the plan).
  std::vector<int> exchange_consumer_;
  std::vector<std::unique_ptr<RoutingSink>> sinks_;
  bool finished_ = false;
};

}  // namespace basalt::cluster
