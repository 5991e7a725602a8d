// What a Database owns: the catalog and the worker pool. Settings belong to
// each connection (main/session_settings.h).
#pragma once

#include <memory>
#include <mutex>

#include "catalog/catalog.h"
#include "exec/task_scheduler.h"
#include "main/database.h"
#include "storage/managed/warehouse.h"

namespace basalt {

class DatabaseInstance {
 public:
  explicit DatabaseInstance(DatabaseOptions options);

  Catalog& catalog() { return catalog_; }
  // The data directory's storage; null for an in-memory database.
  Warehouse* warehouse() { return warehouse_.get(); }
  TaskScheduler& scheduler() { return *scheduler_; }
  const DatabaseOptions& options() const { return options_; }
  // Fragment instances per partitioned fragment.
  int parallelism() const { return scheduler_->threads(); }
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
  std::timed_mutex write_mutex_;
};

}  // namespace basalt
