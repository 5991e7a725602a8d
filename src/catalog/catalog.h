// The catalog: schemas holding tables and views. With a data directory it
// is backed by the warehouse's metadata store: loaded from it at start, and
// every change is stored there (one transaction) before it is made in memory,
// so a failed store leaves both unchanged.
//
// Thread safety: one mutex guards the whole map of schemas; entries are
// shared_ptrs, so a query keeps the entries it bound even if they are
// dropped meanwhile.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/table_statistics.h"
#include "common/types.h"
#include "storage/data_table.h"
#include "storage/managed/metadata_store.h"
#include "storage/managed/time_chunk.h"

namespace basalt {

struct TableColumn {
  std::string name;
  LogicalType type;
  bool not_null = false;
};

struct TableEntry {
  std::string schema;
  std::string name;
  // Set by Catalog::CreateTable: unique while the process lives (pg_class.oid).
  uint32_t oid = 0;
  std::vector<TableColumn> columns;
  // PARTITION BY day(ts) and the like: rows are split into time chunks of
  // this column (managed tables only).
  TablePartitioning partitioning;
  std::shared_ptr<DataTable> storage;
  // Set for an external table (CREATE EXTERNAL TABLE): its rows are files
  // read in place at each query (plan/binder_external_table.cc), and
  // `storage` stays empty. Never changed once the entry is in the catalog:
  // REFRESH installs a new entry.
  std::shared_ptr<const ExternalTableRecord> external;
  // What ANALYZE last computed; null before. ANALYZE stores a new set while
  // queries read the old one, hence atomic (load once per use).
  std::atomic<std::shared_ptr<const TableStatistics>> statistics;

  std::vector<LogicalType> Types() const;
  // Column number by (lowercase) name, or -1.
  int FindColumn(const std::string& name) const;
};

struct ViewEntry {
  std::string schema;
  std::string name;
  uint32_t oid = 0;  // set by Catalog::CreateView, kept by CREATE OR REPLACE
  std::string query_text;                 // re-bound at each use
  std::vector<std::string> column_names;  // empty: the query's own names
  // The output columns as bound at CREATE VIEW (what pg_attribute and
  // information_schema.columns list); a use binds the text afresh.
  std::vector<TableColumn> columns;
};

inline constexpr const char* kDefaultSchema = "main";

// Object ids for user objects start where PostgreSQL's do
// (FirstNormalObjectId), below it are the system objects' fixed ids.
inline constexpr uint32_t kFirstUserOid = 16384;

// What the system tables list (catalog/system_table.h): every schema with
// its oid and its tables and views, taken under the catalog's lock at once,
// so that one query sees one consistent catalog. Each table's rows (its
// segments, for sys.tables and sys.segments) are taken with it.
struct CatalogSnapshot {
  struct Schema {
    std::string name;
    uint32_t oid = 0;
    std::vector<std::shared_ptr<TableEntry>> tables;  // sorted by name
    // The version of each table's rows, in the order of `tables`.
    std::vector<std::shared_ptr<const TableData>> table_data;
    std::vector<std::shared_ptr<ViewEntry>> views;  // sorted by name
  };
  std::vector<Schema> schemas;  // sorted by name
  // Whether the tables are managed (a data directory) rather than in memory.
  bool managed = false;
  // Segments an overwrite or DROP replaced that running queries still hold
  // (Warehouse::RetiredSegments), for sys.segments.
  std::vector<std::shared_ptr<SegmentHandle>> retired_segments;
};

class Warehouse;

// One schema of a replicated catalog (Catalog::InstallReplica).
struct ReplicatedSchema {
  std::string name;
  uint32_t oid = 0;
  std::vector<std::shared_ptr<TableEntry>> tables;
  std::vector<std::shared_ptr<ViewEntry>> views;
};

class Catalog {
 public:
  Catalog();

  // Loads the warehouse's schemas, tables (with their segments) and views,
  // and stores every later change there. Call once, before any use.
  void AttachWarehouse(Warehouse* warehouse);
  // Null for an in-memory database.
  Warehouse* warehouse() const { return warehouse_; }

  // On a coordinator of a cluster without the catalog role: replaces every
  // schema, table and view with the catalog service's, as published on the
  // catalog topic (cluster/catalog_replica.h). From the first call on this
  // catalog is a replica: the statements that would change it are sent to
  // the catalog service, and a change tried here anyway fails with 25006.
  // `managed`: the tables are the warehouse's segments.
  void InstallReplica(std::vector<ReplicatedSchema> schemas, bool managed);
  bool replica() const;

  void CreateSchema(const std::string& name, bool if_not_exists);
  void DropSchema(const std::string& name, bool if_exists, bool cascade);
  bool SchemaExists(const std::string& name) const;
  std::vector<std::string> SchemaNames() const;

  // Stores a new table (with its rows): gets the table's record, its oid
  // set, and the next_oid / replaced oid for the metadata store.
  using TablePublisher =
      std::function<void(const TableRecord& table, uint32_t next_oid, uint32_t replaced_oid)>;

  // Throws 42P07 when a table or view of that name exists (unless
  // if_not_exists, then returns false). With `publish` (CREATE TABLE ... AS)
  // that function stores the table and its rows at once, under the catalog's
  // lock, instead of MetadataStore::CreateTable.
  bool CreateTable(std::shared_ptr<TableEntry> table, bool if_not_exists, bool or_replace = false,
                   const TablePublisher& publish = nullptr);
  void CreateView(std::shared_ptr<ViewEntry> view, bool or_replace);
  void DropTable(const std::string& schema, const std::string& name, bool if_exists);
  void DropView(const std::string& schema, const std::string& name, bool if_exists);
  // Replaces the external table of `table`'s schema and name (REFRESH: new
  // columns) keeping its oid; stored first. 42P01 when it is gone, 40001
  // when its oid is no longer `expected_oid` (the oid of the entry `table`
  // was made from: dropped and created again since).
  void ReplaceExternalTable(std::shared_ptr<TableEntry> table, uint32_t expected_oid);

  // nullptr when absent; throws 3F000 for an unknown schema.
  std::shared_ptr<TableEntry> GetTable(const std::string& schema, const std::string& name) const;
  std::shared_ptr<ViewEntry> GetView(const std::string& schema, const std::string& name) const;
  // Table and view names of a schema, sorted.
  std::vector<std::string> TableNames(const std::string& schema) const;

  CatalogSnapshot Snapshot() const;

 private:
  struct Schema {
    uint32_t oid = 0;
    std::map<std::string, std::shared_ptr<TableEntry>> tables;
    std::map<std::string, std::shared_ptr<ViewEntry>> views;
  };
  const Schema& GetSchema(const std::string& name) const;  // mutex_ held
  Schema& GetSchema(const std::string& name);

  // Throws 25006 on a replica (mutex_ held).
  void CheckWritable() const;

  Warehouse* warehouse_ = nullptr;
  mutable std::mutex mutex_;  // guards schemas_, next_oid_ and the replica flags
  bool replica_ = false;
  bool replica_managed_ = false;
  std::map<std::string, Schema> schemas_;
  // Never reused, so an oid a client cached keeps naming the same object
  // (or none) while the process lives.
  uint32_t next_oid_ = kFirstUserOid;
};

}  // namespace basalt
