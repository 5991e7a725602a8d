// The coordinator's ExecutionSite for a query it runs across the cluster:
// the root fragment runs here (through a ClusterSite for this node), every
// other fragment's instances are spread over the live executors, each of
// which gets the serialized plan and its placement in a RunQuery call
// (executor.proto) that lasts as long as its part of the query.
//
// A failed or unreachable executor fails the query with 08006 naming it;
// ending the query (done, failed or cancelled) cancels the calls still open,
// which stops the executors' parts.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/admission_controller.h"
#include "cluster/cluster_site.h"
#include "cluster/executor.grpc.pb.h"
#include "exec/serde/plan_serde.h"

namespace basalt::cluster {

class CoordinatorSite final : public ExecutionSite {
 public:
  // `executors`: the live executor nodes to use (at least one); `admission`:
  // the slots the query holds until this site is destroyed.
  CoordinatorSite(std::string query_id, NodeInfo self, std::vector<NodeInfo> executors,
                  ExchangeRegistry& registry, ChannelCache& channels,
                  std::unique_ptr<AdmissionController::Ticket> admission);
  ~CoordinatorSite() override;

  void Begin(QueryContext& query, const FragmentedPlan& plan) override;
  bool RunsHere(const PlanFragment& fragment, int instance) const override;
  void ExchangeCreated(int id, const std::shared_ptr<LocalExchange>& exchange,
                       const std::vector<LogicalType>& types) override;
  ExchangeSink& SinkFor(const PlanFragment& fragment, int instance,
                        const std::shared_ptr<LocalExchange>& local) override;
  std::optional<BasaltError> Finish() override;

  // Where each fragment's instances go: the root (the fragment sending to
  // the client) on node 0, this coordinator; the others' instance i on
  // executor node 1 + i % executors.
  static QueryPlacement Place(const FragmentedPlan& plan, std::string query_id,
                              const std::vector<std::string>& nodes);

 private:
  struct RemotePart {
    NodeInfo node;
    grpc::ClientContext context;
    std::thread thread;
    bool finished = false;  // guarded by mu_
  };

  void RunRemote(RemotePart& part, RunQueryRequest request);

  const std::string query_id_;
  const NodeInfo self_;
  const std::vector<NodeInfo> executors_;
  ExchangeRegistry& registry_;
  ChannelCache& channels_;
  QueryContext* query_ = nullptr;
  std::unique_ptr<ClusterSite> local_;
  std::vector<std::unique_ptr<RemotePart>> remotes_;
  // How long a part asked to stop has to report before its call is cut.
  static constexpr std::chrono::seconds kCancelGrace{5};

  std::mutex mu_;
  std::condition_variable part_done_;  // a RemotePart finished
  bool finished_ = false;
  std::unique_ptr<AdmissionController::Ticket> admission_;
  // The managed tables' versions the plan sent lists the segments of, held
  // while the query runs (set in Begin).
  TableSnapshots snapshots_;
};

}  // namespace basalt::cluster
