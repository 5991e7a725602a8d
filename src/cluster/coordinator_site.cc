#include "cluster/coordinator_site.h"

#include <fmt/format.h>

#include "cluster/node_identity.h"
#include "cluster/wire_error.h"
#include "exec/query_context.h"
#include "exec/serde/plan_serde.h"
#include "server/server_log.h"

namespace basalt::cluster {


CoordinatorSite::CoordinatorSite(std::string query_id, NodeInfo self,
                                 std::vector<NodeInfo> executors, ExchangeRegistry& registry,
                                 ChannelCache& channels,
                                 std::unique_ptr<AdmissionController::Ticket> admission)
    : query_id_(std::move(query_id)),
      self_(std::move(self)),
      executors_(std::move(executors)),
      registry_(registry),
      channels_(channels),
      admission_(std::move(admission)) {}

CoordinatorSite::~CoordinatorSite() {
  if (!finished_) Finish();
}

QueryPlacement CoordinatorSite::Place(const FragmentedPlan& plan, std::string query_id,
                                      const std::vector<std::string>& nodes) {
  QueryPlacement placement;
  placement.query_id = std::move(query_id);
  placement.nodes = nodes;
  const int executors = int(nodes.size()) - 1;
  for (int e = 1; e <= executors; e++) placement.scan_nodes.push_back(e);
  for (const PlanFragment& f : plan.fragments) {
    auto& where = placement.instance_nodes[f.id];
    for (int i = 0; i < f.parallelism; i++) {
      where.push_back(f.output_exchange == kClientExchange ? 0 : 1 + i % executors);
    }
  }
  return placement;
}

void CoordinatorSite::Begin(QueryContext& query, const FragmentedPlan& plan) {
  query_ = &query;
  std::vector<std::string> nodes = {NodeName(self_.host(), self_.rpc_port())};
  for (const NodeInfo& e : executors_) nodes.push_back(NodeName(e.host(), e.rpc_port()));
  QueryPlacement placement = Place(plan, query_id_, nodes);
  local_ = std::make_unique<ClusterSite>(placement, 0, self_.id(), registry_, channels_);
  local_->Begin(query, plan);

  // Serialized once; every executor gets the same plan and placement.
  RunQueryRequest request;
  request.set_query_id(query_id_);
  *request.mutable_coordinator() = self_.id();
  // The managed tables' snapshots whose segments the plan lists are held
  // until the query ends, so none of those segments is removed under the
  // executors (an overwrite or DROP retires them meanwhile).
  if (!PlanToProto(plan, &snapshots_).SerializeToString(request.mutable_plan())) {
    ThrowError(sqlstate::kInternalError, "internal error: the plan does not serialize");
  }
  for (const auto& node : nodes) request.add_nodes(node);
  for (const auto& [fragment_id, instance_nodes] : placement.instance_nodes) {
    FragmentPlacement* f = request.add_fragments();
    f->set_fragment_id(fragment_id);
    for (int n : instance_nodes) f->add_instance_nodes(n);
  }
  for (int n : placement.scan_nodes) request.add_scan_nodes(n);
  // Each executor holds its part to the memory admission reserved for the
  // query there; the session's mem_limit (set before Start) may only lower it.
  uint64_t limit = query.memory().limit();
  const uint64_t reserved = admission_ ? admission_->memory() : 0;
  if (reserved > 0 && (limit == 0 || limit > reserved)) limit = reserved;
  request.set_memory_limit(limit);
  request.set_count_bytes(query.count_bytes());
  int instances = 0;
  for (const PlanFragment& f : plan.fragments) {
    if (f.output_exchange != kClientExchange) instances += f.parallelism;
  }
  ServerLog(fmt::format("query {}: {} fragment instances placed on {} executors", query_id_,
                        instances, executors_.size()));
  for (size_t e = 0; e < executors_.size(); e++) {
    auto part = std::make_unique<RemotePart>();
    part->node = executors_[e];
    RunQueryRequest mine = request;
    *mine.mutable_executor() = executors_[e].id();
    mine.set_self(int(e) + 1);
    RemotePart* raw = part.get();
    part->thread = std::thread([this, raw, mine = std::move(mine)]() mutable {
      RunRemote(*raw, std::move(mine));
    });
    remotes_.push_back(std::move(part));
  }
}

void CoordinatorSite::RunRemote(RemotePart& part, RunQueryRequest request) {
  auto stub = Executor::NewStub(channels_.Get(NodeName(part.node.host(), part.node.rpc_port())));
  auto reader = stub->RunQuery(&part.context, request);
  QueryPartStatus status;
  std::string error_code;
  std::string error_message;
  bool finished = false;
  const std::string part_name = NodeName(part.node.host(), part.node.rpc_port());
  while (reader->Read(&status)) {
    if (status.has_progress()) {
      ProgressFigures progress;
      progress.instances_done = status.progress().instances_done();
      progress.rows_scanned = status.progress().rows_scanned();
      progress.bytes_scanned = status.progress().bytes_scanned();
      progress.exchange_bytes = status.progress().exchange_bytes();
      query_->progress().SetPart(part_name, progress);
    }
    if (status.state() == QueryPartStatus::FINISHED) {
      finished = true;
      error_code = status.error_code();
      error_message = status.error_message();
      // What the executor's instances did joins the query's profile
      // (EXPLAIN ANALYZE), however the part ended.
      for (const auto& p : status.profiles()) {
        basalt::NodeProfile figures;
        figures.instances = p.instances();
        figures.rows_out = p.rows_out();
        figures.batches_out = p.batches_out();
        figures.total_nanos = p.total_nanos();
        figures.max_total_nanos = p.max_total_nanos();
        figures.self_nanos = p.self_nanos();
        figures.max_self_nanos = p.max_self_nanos();
        for (const auto& [name, value] : p.counters()) figures.counters[name] = value;
        figures.bytes_out = p.bytes_out();
        figures.peak_memory = p.peak_memory();
        for (const auto& i : p.per_instance()) {
          figures.per_instance.push_back(InstanceProfileFigures{
              i.instance(), i.host(), i.rows_out(), i.bytes_out(), i.total_nanos(),
              i.peak_memory()});
        }
        query_->profile().MergeNode(p.node_id(), figures);
      }
      query_->profile().SetHostPeakMemory(NodeName(part.node.host(), part.node.rpc_port()),
                                          status.peak_memory());
    }
  }
  grpc::Status call = reader->Finish();
  bool stopped;
  {
    std::lock_guard lock(mu_);
    part.finished = true;
    stopped = finished_;
    part_done_.notify_all();
  }
  if (stopped) return;  // cancelled by Finish: the query no longer needs this part
  const std::string& name = part.node.id().name();
  if (!call.ok()) {
    query_->Fail(BasaltError(sqlstate::kConnectionFailure,
                             fmt::format("executor {} failed: {}", name, call.error_message())));
  } else if (!finished) {
    query_->Fail(BasaltError(sqlstate::kConnectionFailure,
                             fmt::format("executor {} ended its part without an outcome", name)));
  } else if (!error_code.empty()) {
    // The executor's own error (a bad value, a lost stream), with its code.
    query_->Fail(BasaltError(InternSqlstate(error_code),
                             fmt::format("on executor {}: {}", name, error_message)));
  }
}

bool CoordinatorSite::RunsHere(const PlanFragment& fragment, int instance) const {
  return local_->RunsHere(fragment, instance);
}

void CoordinatorSite::ExchangeCreated(int id, const std::shared_ptr<LocalExchange>& exchange,
                                      const std::vector<LogicalType>& types) {
  local_->ExchangeCreated(id, exchange, types);
}

ExchangeSink& CoordinatorSite::SinkFor(const PlanFragment& fragment, int instance,
                                       const std::shared_ptr<LocalExchange>& local) {
  return local_->SinkFor(fragment, instance, local);
}

std::optional<BasaltError> CoordinatorSite::Finish() {
  std::vector<RemotePart*> running;
  {
    std::lock_guard lock(mu_);
    if (finished_) return std::nullopt;
    finished_ = true;
    for (auto& part : remotes_) {
      if (!part->finished) running.push_back(part.get());
    }
  }
  // Whatever still runs remotely is no longer needed: the root is done (or
  // the query failed). Parts are asked to stop, so they still report what
  // they did; a part that does not answer in time is cut off.
  for (RemotePart* part : running) {
    auto stub = Executor::NewStub(channels_.Get(NodeName(part->node.host(), part->node.rpc_port())));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kCancelGrace);
    CancelQueryRequest request;
    request.set_query_id(query_id_);
    *request.mutable_coordinator() = self_.id();
    CancelQueryResponse response;
    stub->CancelQuery(&context, request, &response);
  }
  {
    std::unique_lock lock(mu_);
    auto deadline = std::chrono::steady_clock::now() + kCancelGrace;
    for (RemotePart* part : running) {
      if (!part_done_.wait_until(lock, deadline, [&] { return part->finished; })) {
        part->context.TryCancel();
      }
    }
  }
  for (auto& part : remotes_) {
    if (part->thread.joinable()) part->thread.join();
  }
  return local_ ? local_->Finish() : std::nullopt;
}

}  // namespace basalt::cluster
