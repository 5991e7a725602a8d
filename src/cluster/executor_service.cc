#include "cluster/executor_service.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "common/exception.h"
#include "exec/query_executor.h"
#include "exec/serde/plan_serde.h"
#include "main/database.h"
#include "main/database_instance.h"

namespace basalt::cluster {

QueryPlacement PlacementFromRequest(const RunQueryRequest& request) {
  QueryPlacement placement;
  placement.query_id = request.query_id();
  placement.nodes.assign(request.nodes().begin(), request.nodes().end());
  for (const auto& fragment : request.fragments()) {
    placement.instance_nodes[fragment.fragment_id()].assign(fragment.instance_nodes().begin(),
                                                            fragment.instance_nodes().end());
  }
  placement.scan_nodes.assign(request.scan_nodes().begin(), request.scan_nodes().end());
  return placement;
}

namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(500);

void SetProgress(const ProgressFigures& figures, PartProgress* out) {
  out->set_instances_done(figures.instances_done);
  out->set_rows_scanned(figures.rows_scanned);
  out->set_bytes_scanned(figures.bytes_scanned);
  out->set_exchange_bytes(figures.exchange_bytes);
}

QueryPartStatus Finished(const std::string& code, const std::string& message) {
  QueryPartStatus status;
  status.set_state(QueryPartStatus::FINISHED);
  status.set_error_code(code);
  status.set_error_message(message);
  return status;
}

}  // namespace

grpc::Status ExecutorService::RunQuery(grpc::ServerContext* context,
                                       const RunQueryRequest* request,
                                       grpc::ServerWriter<QueryPartStatus>* writer) {
  const NodeId self = Self();
  if (self.incarnation() == 0 || request->executor().incarnation() != self.incarnation()) {
    return {grpc::StatusCode::FAILED_PRECONDITION,
            fmt::format("{} is incarnation {:x}, not {:x} (it restarted)", self.name(),
                        self.incarnation(), request->executor().incarnation())};
  }
  if (!is_live_coordinator_(request->coordinator())) {
    return {grpc::StatusCode::PERMISSION_DENIED,
            fmt::format("{} (incarnation {:x}) is not a live coordinator of this cluster",
                        request->coordinator().name(), request->coordinator().incarnation())};
  }
  if (request->self() < 0 || request->self() >= request->nodes_size()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "the request's node index is out of range"};
  }

  DatabaseInstance& db = database_.instance();
  std::unique_ptr<QueryExecution> part;
  std::unique_ptr<ClusterSite> site;
  try {
    DeserializeContext deserialize;
    deserialize.catalog = &db.catalog();
    deserialize.executor_plan = true;
    // Managed tables: the plan's segments, read through the segment cache
    // (or in place without one); executors have no catalog tables.
    deserialize.segment_source = [cache = segment_cache_.get()](const SegmentRecord& record,
                                                                const std::string& directory) {
      return std::make_shared<CachedSegmentHandle>(record, directory, cache);
    };
    FragmentedPlan plan = PlanFromBinary(request->plan(), deserialize);
    site = std::make_unique<ClusterSite>(PlacementFromRequest(*request), request->self(), self,
                                         registry_, channels_);
    part = std::make_unique<QueryExecution>(std::move(plan), db.scheduler(), site.get());
    part->set_memory_limit(request->memory_limit());
    part->set_count_bytes(request->count_bytes());
    part->Start();
  } catch (const BasaltError& e) {
    part.reset();
    writer->Write(Finished(e.code(), e.what()));
    return grpc::Status::OK;
  }
  {
    std::lock_guard lock(mu_);
    running_[request->query_id()] = part.get();
  }
  QueryPartStatus started;
  started.set_state(QueryPartStatus::STARTED);
  writer->Write(started);

  // The coordinator cancels the part by cancelling the call (or is gone).
  // It also reports the part's progress now and then (the main thread
  // writes again only after joining it).
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    auto next_report = std::chrono::steady_clock::now() + kProgressInterval;
    while (!done) {
      if (context->IsCancelled()) {
        part->Cancel();
        return;
      }
      if (std::chrono::steady_clock::now() >= next_report) {
        QueryPartStatus progress;
        progress.set_state(QueryPartStatus::PROGRESS);
        SetProgress(part->progress().Get(), progress.mutable_progress());
        writer->Write(progress);
        next_report += kProgressInterval;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  QueryPartStatus outcome = Finished("", "");
  try {
    part->Wait();
  } catch (const BasaltError& e) {
    outcome = Finished(e.code(), e.what());
  }
  done = true;
  watcher.join();
  {
    std::lock_guard lock(mu_);
    running_.erase(request->query_id());
  }
  for (const auto& [node_id, figures] : part->query_profile().nodes()) {
    NodeProfile* p = outcome.add_profiles();
    p->set_node_id(node_id);
    p->set_instances(figures.instances);
    p->set_rows_out(figures.rows_out);
    p->set_batches_out(figures.batches_out);
    p->set_total_nanos(figures.total_nanos);
    p->set_max_total_nanos(figures.max_total_nanos);
    p->set_self_nanos(figures.self_nanos);
    p->set_max_self_nanos(figures.max_self_nanos);
    for (const auto& [name, value] : figures.counters) (*p->mutable_counters())[name] = value;
    p->set_bytes_out(figures.bytes_out);
    p->set_peak_memory(figures.peak_memory);
    for (const InstanceProfileFigures& i : figures.per_instance) {
      InstanceFigures* out = p->add_per_instance();
      out->set_instance(i.instance);
      out->set_host(i.host);
      out->set_rows_out(i.rows_out);
      out->set_bytes_out(i.bytes_out);
      out->set_total_nanos(i.total_nanos);
      out->set_peak_memory(i.peak_memory);
    }
  }
  outcome.set_peak_memory(part->peak_memory());
  SetProgress(part->progress().Get(), outcome.mutable_progress());
  part.reset();
  site.reset();
  writer->Write(outcome);
  return grpc::Status::OK;
}

grpc::Status ExecutorService::CancelQuery(grpc::ServerContext*, const CancelQueryRequest* request,
                                          CancelQueryResponse* response) {
  if (!is_live_coordinator_(request->coordinator())) {
    return {grpc::StatusCode::PERMISSION_DENIED,
            fmt::format("{} is not a live coordinator of this cluster",
                        request->coordinator().name())};
  }
  std::lock_guard lock(mu_);
  auto it = running_.find(request->query_id());
  response->set_found(it != running_.end());
  // Cancel only flags the query and wakes its tasks; it is safe under mu_,
  // which RunQuery takes before the part goes away.
  if (it != running_.end()) it->second->Cancel();
  return grpc::Status::OK;
}

}  // namespace basalt::cluster
