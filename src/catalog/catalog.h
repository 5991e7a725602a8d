// The catalog: schemas holding tables and views. In memory for now; the
// storage issue backs it with the metadata store.
//
// Thread safety: one mutex guards the whole map of schemas; entries are
// shared_ptrs, so a query keeps the entries it bound even if they are
// dropped meanwhile.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/types.h"
#include "storage/data_table.h"

namespace basalt {

struct TableColumn {
  std::string name;
  LogicalType type;
  bool not_null = false;
};

struct TableEntry {
  std::string schema;
  std::string name;
  std::vector<TableColumn> columns;
  std::shared_ptr<DataTable> storage;

  std::vector<LogicalType> Types() const;
  // Column number by (lowercase) name, or -1.
  int FindColumn(const std::string& name) const;
};

struct ViewEntry {
  std::string schema;
  std::string name;
  std::string query_text;                 // re-bound at each use
  std::vector<std::string> column_names;  // empty: the query's own names
};

inline constexpr const char* kDefaultSchema = "main";

class Catalog {
 public:
  Catalog();

  void CreateSchema(const std::string& name, bool if_not_exists);
  void DropSchema(const std::string& name, bool if_exists, bool cascade);
  bool SchemaExists(const std::string& name) const;
  std::vector<std::string> SchemaNames() const;

  // Throws 42P07 when a table or view of that name exists (unless
  // if_not_exists, then returns false).
  bool CreateTable(std::shared_ptr<TableEntry> table, bool if_not_exists, bool or_replace = false);
  void CreateView(std::shared_ptr<ViewEntry> view, bool or_replace);
  void DropTable(const std::string& schema, const std::string& name, bool if_exists);
  void DropView(const std::string& schema, const std::string& name, bool if_exists);

  // nullptr when absent; throws 3F000 for an unknown schema.
  std::shared_ptr<TableEntry> GetTable(const std::string& schema, const std::string& name) const;
  std::shared_ptr<ViewEntry> GetView(const std::string& schema, const std::string& name) const;
  // Table and view names of a schema, sorted.
  std::vector<std::string> TableNames(const std::string& schema) const;

 private:
  struct Schema {
    std::map<std::string, std::shared_ptr<TableEntry>> tables;
    std::map<std::string, std::shared_ptr<ViewEntry>> views;
  };
  const Schema& GetSchema(const std::string& name) const;  // mutex_ held
  Schema& GetSchema(const std::string& name);

  mutable std::mutex mutex_;  // guards schemas_
  std::map<std::string, Schema> schemas_;
};

}  // namespace basalt
