// What a Database owns: the catalog, the worker pool and the settings.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "exec/task_scheduler.h"
#include "main/database.h"

namespace basalt {

class DatabaseInstance {
 public:
  explicit DatabaseInstance(DatabaseOptions options);

  Catalog& catalog() { return catalog_; }
  TaskScheduler& scheduler() { return *scheduler_; }
  const DatabaseOptions& options() const { return options_; }
  // Fragment instances per partitioned fragment.
  int parallelism() const { return scheduler_->threads(); }
  // Serializes writers of one table (INSERT, COPY) so batches never interleave.
  std::mutex& write_mutex() { return write_mutex_; }

  // Session-style settings (SET name = value / SHOW name). Values are kept as
  // text; nothing reads them yet except SHOW, so unknown names are accepted
  // the way PostgreSQL accepts custom settings and client tools' SETs.
  void SetSetting(const std::string& name, std::string value);
  void ResetSetting(const std::string& name);
  // False when the setting is neither set nor built in.
  bool GetSetting(const std::string& name, std::string* value) const;
  // Every setting GetSetting knows (built-in and set), by name: what
  // pg_catalog.pg_settings lists (database_settings.cc).
  std::vector<std::pair<std::string, std::string>> Settings() const;

 private:
  DatabaseOptions options_;
  Catalog catalog_;
  std::unique_ptr<TaskScheduler> scheduler_;
  std::mutex write_mutex_;
  mutable std::mutex settings_mutex_;  // guards settings_
  std::map<std::string, std::string> settings_;
};

}  // namespace basalt
