// What a Database owns: the catalog and the worker pool. Settings belong to
// each connection (main/session_settings.h).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include "catalog/catalog.h"
#include "exec/execution_site.h"
#include "exec/task_scheduler.h"
#include "main/database.h"
#include "main/query_registry.h"
#include "main/session_settings.h"
#include "plan/statement_parameters.h"
#include "storage/managed/warehouse.h"

namespace basalt {

class DatabaseInstance {
 public:
  explicit DatabaseInstance(DatabaseOptions options);

  Catalog& catalog() { return catalog_; }
  // The data directory's storage; null for an in-memory database.
  Warehouse* warehouse() { return warehouse_.get(); }
  TaskScheduler& scheduler() { return *scheduler_; }
  // Every statement run, running and finished (main/query_registry.h).
  QueryRegistry& queries() { return *queries_; }
  const DatabaseOptions& options() const { return options_; }
  // Fragment instances per partitioned fragment: this process's threads, or,
  // on a coordinator that places fragments on executors, what it set.
  int parallelism() const {
    int cluster = cluster_parallelism_.load(std::memory_order_relaxed);
    return cluster > 0 ? cluster : scheduler_->threads();
  }
  void set_cluster_parallelism(int instances) { cluster_parallelism_ = instances; }

  // On a coordinator of a cluster: makes the site that runs a query's
  // fragments on the executors, or null to run it in this process. Set once
  // at start-up, before any statement runs.
  using SiteFactory = std::function<std::unique_ptr<ExecutionSite>(const FragmentedPlan& plan)>;
  void set_site_factory(SiteFactory factory) { site_factory_ = std::move(factory); }
  std::unique_ptr<ExecutionSite> MakeSite(const FragmentedPlan& plan) const {
    return site_factory_ ? site_factory_(plan) : nullptr;
  }
  // Also on a coordinator: writes where each fragment would run into the
  // plan (PlanFragment::hosts), for EXPLAIN.
  using PlacementDescriber = std::function<void(FragmentedPlan& plan)>;
  void set_placement_describer(PlacementDescriber describer) {
    placement_describer_ = std::move(describer);
  }
  void DescribePlacement(FragmentedPlan& plan) const {
    if (placement_describer_) placement_describer_(plan);
  }
  // On a coordinator of a cluster without the catalog role: runs a statement
  // that changes the catalog or a table's rows (RunsOnCatalogService) on the
  // catalog service, and returns once this coordinator's replica holds the
  // change. Set once at start-up.
  using StatementForwarder = std::function<QueryResult(
      const sql::Statement& statement, const StatementParameters* parameters,
      const SessionSettings& settings)>;
  void set_statement_forwarder(StatementForwarder forwarder) {
    statement_forwarder_ = std::move(forwarder);
  }
  const StatementForwarder& statement_forwarder() const { return statement_forwarder_; }
  // On the catalog node of a cluster: called after every statement that may
  // have changed the catalog or a table's rows, to publish the change. Set
  // once at start-up; must not throw.
  using ChangeListener = std::function<void()>;
  void set_change_listener(ChangeListener listener) { change_listener_ = std::move(listener); }
  void NotifyChanged() const {
    if (change_listener_) change_listener_();
  }

  // Serializes the statements that change tables (INSERT, COPY FROM, CREATE
  // TABLE, DROP, ANALYZE's store): a writer looks its table up and commits
  // under it, so no DROP or CREATE OR REPLACE can swap the table in between.
  // Lock order: this mutex, then the catalog's, then a DataTable's or the
  // warehouse's, then the metadata store's.
  // Takes the write lock, giving up with 57014 if the statement is
  // cancelled while it waits behind another writer.
  std::unique_lock<std::timed_mutex> LockForWriting();

 private:
  DatabaseOptions options_;
  std::unique_ptr<Warehouse> warehouse_;  // declared before catalog_, which points into it
  Catalog catalog_;
  std::unique_ptr<TaskScheduler> scheduler_;
  std::unique_ptr<QueryRegistry> queries_;
  std::timed_mutex write_mutex_;
  std::atomic<int> cluster_parallelism_{0};
  SiteFactory site_factory_;
  PlacementDescriber placement_describer_;
  StatementForwarder statement_forwarder_;
  ChangeListener change_listener_;
};

}  // namespace basalt
