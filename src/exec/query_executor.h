// Runs a fragmented plan on the task scheduler and hands its result batches
// to the calling thread.
//
//   QueryExecution execution(std::move(plan), scheduler);
//   execution.Start();
//   DataChunk batch;
//   while (execution.Next(batch)) { ... }   // throws the query's first error
//
// Start() wires every exchange, creates each node's shared state once,
// builds one task per fragment instance and schedules them all. The root
// fragment (one instance) sends its rows into a client exchange that Next()
// reads, waiting on the calling thread. Once Next() has returned false or
// thrown, every task has finished and Profile() is complete.
//
// Thread safety: Start, Next and the destructor are for the owning thread;
// Cancel and Profile may be called from any thread. mutex_ guards tasks_ and
// started_ (Cancel must not race with Start filling them).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "exec/fragment.h"
#include "exec/query_context.h"

namespace basalt {

class CompletionLatch;
class ExecutionSite;
class FragmentInstanceTask;
class TaskScheduler;

class QueryExecution {
 public:
  // With a `site` (which must outlive this), only the instances the site
  // places here run, and exchanges cross nodes through it (execution_site.h).
  QueryExecution(FragmentedPlan plan, TaskScheduler& scheduler, ExecutionSite* site = nullptr);
  // Cancels the query and waits until every task has finished, so nothing
  // outlives the plan and the shared state the tasks use.
  ~QueryExecution();
  QueryExecution(const QueryExecution&) = delete;
  QueryExecution& operator=(const QueryExecution&) = delete;

  // Errors in building the instances (a bad plan) are thrown here, before any
  // task runs.
  void Start();
  // The next result batch; false after the last. Throws the query's first
  // error (after stopping every task), or 57014 when Cancel() was called.
  bool Next(DataChunk& out);
  // For a part of a distributed query without the root fragment: waits until
  // every local instance has finished and throws the first error.
  void Wait();
  // Stops the query; a Next() in progress or to come throws 57014.
  void Cancel();

  // Per fragment, instance and operator: rows, batches and time. Instances
  // still running are marked so.
  std::string Profile() const;
  // Per plan node, summed over instances, with the query's wall time and
  // rows returned (EXPLAIN ANALYZE). Complete once Next() returned false.
  const QueryProfile& query_profile() const { return query_.profile(); }
  // The most this process's part of the query may hold, 0 for no limit
  // (exec/memory_tracker.h). Call before Start().
  void set_memory_limit(uint64_t bytes) { query_.memory().set_limit(bytes); }
  uint64_t memory_limit() const { return query_.memory().limit(); }
  // EXPLAIN ANALYZE: count the bytes each operator returns (QueryContext::
  // count_bytes). Call before Start().
  void set_count_bytes(bool on) { query_.set_count_bytes(on); }
  // The most this process's operators held at once.
  uint64_t peak_memory() const { return query_.memory().peak(); }
  // How far the query has come (exec/query_progress.h); any thread.
  const QueryProgress& progress() const { return query_.progress(); }

  const FragmentedPlan& plan() const { return plan_; }
  const std::vector<LogicalType>& types() const { return plan_.column_types; }
  const std::vector<std::string>& names() const { return plan_.column_names; }

  // Batches each exchange queue holds before its senders must wait.
  static constexpr size_t kExchangeQueueCapacity = 8;

 private:
  // Cancels the query context and wakes every task so that each sees it.
  void StopTasks();
  // After the last local task: the site's streams end; their error, if any,
  // becomes the query's.
  void FinishSite();

  FragmentedPlan plan_;
  TaskScheduler& scheduler_;
  ExecutionSite* site_;
  QueryContext query_;
  int client_exchange_ = -1;
  std::shared_ptr<CompletionLatch> latch_;
  std::atomic<bool> user_cancelled_{false};
  bool finished_ = false;  // Next() returned false or threw
  uint64_t start_nanos_ = 0;    // when Start() began
  uint64_t rows_returned_ = 0;  // by Next()

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<FragmentInstanceTask>> tasks_;
  bool started_ = false;
};

}  // namespace basalt
