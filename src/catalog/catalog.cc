#include "catalog/catalog.h"

#include <algorithm>

#include "catalog/system_table.h"
#include "common/exception.h"
#include "storage/managed/segment_timeline.h"
#include "storage/managed/warehouse.h"

namespace basalt {

namespace {
// SQLSTATE serialization_failure: not in common/exception.h's list; as in
// exec/serde/node_serde.cc.
constexpr const char* kSerializationFailure = "40001";
}  // namespace

std::vector<LogicalType> TableEntry::Types() const {
  std::vector<LogicalType> types;
  for (const auto& c : columns) types.push_back(c.type);
  return types;
}

int TableEntry::FindColumn(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); i++) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Catalog::Catalog() { schemas_[kDefaultSchema].oid = next_oid_++; }

namespace {

std::vector<ColumnRecord> ColumnRecords(const std::vector<TableColumn>& columns) {
  std::vector<ColumnRecord> records;
  for (const auto& c : columns) records.push_back({c.name, c.type, c.not_null});
  return records;
}

std::vector<TableColumn> TableColumns(const std::vector<ColumnRecord>& records) {
  std::vector<TableColumn> columns;
  for (const auto& r : records) columns.push_back({r.name, r.type, r.not_null});
  return columns;
}

TableRecord RecordOf(const TableEntry& table) {
  TableRecord record{table.oid, table.schema, table.name, ColumnRecords(table.columns),
                     table.partitioning, std::nullopt};
  if (table.external) record.external = *table.external;
  return record;
}

ViewRecord RecordOf(const ViewEntry& view) {
  return {view.oid, view.schema, view.name, view.query_text, view.column_names,
          ColumnRecords(view.columns)};
}

}  // namespace

void Catalog::AttachWarehouse(Warehouse* warehouse) {
  std::lock_guard<std::mutex> lock(mutex_);
  warehouse_ = warehouse;
  MetadataStore::Contents contents = warehouse->TakeInitialContents();
  next_oid_ = std::max(next_oid_, contents.next_oid);
  for (const auto& s : contents.schemas) schemas_[s.name].oid = s.oid;
  std::map<uint32_t, std::vector<SegmentRecord>> segments_of;
  for (auto& s : contents.segments) segments_of[s.table_oid].push_back(std::move(s));
  std::map<uint32_t, std::vector<HyperLogLog>> sketches_of;
  for (const auto& t : contents.tables) sketches_of[t.oid].resize(t.columns.size());
  for (const auto& k : contents.sketches) {
    auto it = sketches_of.find(k.table_oid);
    if (it == sketches_of.end() || k.column >= it->second.size()) continue;
    // A damaged sketch only costs estimates: start that column afresh.
    HyperLogLog::FromRegisters(k.registers, &it->second[k.column]);
  }
  std::map<uint32_t, TableStatisticsRecord> statistics_of;
  for (auto& st : contents.statistics) statistics_of[st.table_oid] = std::move(st);
  for (const auto& t : contents.tables) {
    auto table = std::make_shared<TableEntry>();
    table->schema = t.schema;
    table->name = t.name;
    table->oid = t.oid;
    table->columns = TableColumns(t.columns);
    table->partitioning = t.partitioning;
    if (t.external) table->external = std::make_shared<const ExternalTableRecord>(*t.external);
    table->storage = std::make_shared<DataTable>(table->Types());
    SegmentTimeline timeline = BuildTimeline(std::move(segments_of[t.oid]));
    auto data = std::make_shared<TableData>();
    for (const auto& r : timeline.visible) {
      data->segments.push_back(warehouse->MakeHandle(r));
      data->row_count += r.num_rows;
    }
    std::vector<std::shared_ptr<SegmentHandle>> overshadowed;
    for (const auto& r : timeline.overshadowed) overshadowed.push_back(warehouse->MakeHandle(r));
    warehouse->Retire(overshadowed);
    table->storage->Install(std::move(data), std::move(sketches_of[t.oid]));
    if (auto st = statistics_of.find(t.oid); st != statistics_of.end()) {
      table->statistics = MakeTableStatistics(std::move(st->second), table->Types());
    }
    schemas_[t.schema].tables[t.name] = std::move(table);
  }
  for (const auto& v : contents.views) {
    auto view = std::make_shared<ViewEntry>();
    view->schema = v.schema;
    view->name = v.name;
    view->oid = v.oid;
    view->query_text = v.query_text;
    view->column_names = v.column_names;
    view->columns = TableColumns(v.columns);
    schemas_[v.schema].views[v.name] = std::move(view);
  }
}

namespace {

// Once a table is gone from the catalog and the store, its segments' files
// go as soon as no query reads them.
void RetireSegments(Warehouse* warehouse, const TableEntry& table) {
  if (warehouse && table.storage) warehouse->Retire(table.storage->Snapshot()->segments);
}

}  // namespace

void Catalog::InstallReplica(std::vector<ReplicatedSchema> schemas, bool managed) {
  std::map<std::string, Schema> replaced;
  for (ReplicatedSchema& s : schemas) {
    Schema& schema = replaced[s.name];
    schema.oid = s.oid;
    for (auto& table : s.tables) schema.tables[table->name] = std::move(table);
    for (auto& view : s.views) schema.views[view->name] = std::move(view);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  // Queries hold the entries they bound; the old map goes when they are done.
  schemas_.swap(replaced);
  replica_ = true;
  replica_managed_ = managed;
}

bool Catalog::replica() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return replica_;
}

void Catalog::CheckWritable() const {
  if (replica_) {
    ThrowError(sqlstate::kReadOnlySqlTransaction,
               "this coordinator's catalog is a replica; changes are made by the catalog service");
  }
}

const Catalog::Schema& Catalog::GetSchema(const std::string& name) const {
  auto it = schemas_.find(name);
  if (it == schemas_.end()) ThrowError(sqlstate::kUndefinedSchema, "schema \"{}\" does not exist", name);
  return it->second;
}

Catalog::Schema& Catalog::GetSchema(const std::string& name) {
  auto it = schemas_.find(name);
  if (it == schemas_.end()) ThrowError(sqlstate::kUndefinedSchema, "schema \"{}\" does not exist", name);
  return it->second;
}

void Catalog::CreateSchema(const std::string& name, bool if_not_exists) {
  std::lock_guard<std::mutex> lock(mutex_);
  CheckWritable();
  // The system schemas (system_table.h) exist without being in schemas_.
  if (name.starts_with("pg_")) {
    ThrowError(sqlstate::kReservedName,
               "unacceptable schema name \"{}\": the prefix \"pg_\" is reserved for system schemas",
               name);
  }
  if (schemas_.count(name) || SystemTables::IsSystemSchema(name)) {
    if (if_not_exists) return;
    ThrowError(sqlstate::kDuplicateSchema, "schema \"{}\" already exists", name);
  }
  if (warehouse_) warehouse_->store().CreateSchema({next_oid_, name}, next_oid_ + 1);
  schemas_[name].oid = next_oid_++;
}

void Catalog::DropSchema(const std::string& name, bool if_exists, bool cascade) {
  std::lock_guard<std::mutex> lock(mutex_);
  CheckWritable();
  if (SystemTables::IsSystemSchema(name)) {
    ThrowError(sqlstate::kDependentObjects,
               "cannot drop schema {} because it is required by the database system", name);
  }
  auto it = schemas_.find(name);
  if (it == schemas_.end()) {
    if (if_exists) return;
    ThrowError(sqlstate::kUndefinedSchema, "schema \"{}\" does not exist", name);
  }
  if (name == kDefaultSchema) {
    ThrowError(sqlstate::kDependentObjects, "cannot drop the default schema \"{}\"", name);
  }
  if (!cascade && (!it->second.tables.empty() || !it->second.views.empty())) {
    ThrowError(sqlstate::kDependentObjects,
               "cannot drop schema \"{}\" because other objects depend on it (use DROP SCHEMA "
               "... CASCADE)",
               name);
  }
  if (warehouse_) {
    warehouse_->store().DropSchema(name);
    for (const auto& [_, table] : it->second.tables) RetireSegments(warehouse_, *table);
  }
  schemas_.erase(it);
}

bool Catalog::SchemaExists(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return schemas_.count(name) > 0;
}

std::vector<std::string> Catalog::SchemaNames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, _] : schemas_) names.push_back(name);
  return names;
}

bool Catalog::CreateTable(std::shared_ptr<TableEntry> table, bool if_not_exists, bool or_replace,
                          const TablePublisher& publish) {
  std::lock_guard<std::mutex> lock(mutex_);
  CheckWritable();
  Schema& schema = GetSchema(table->schema);
  if (schema.views.count(table->name)) {
    ThrowError(sqlstate::kDuplicateTable, "relation \"{}\" already exists", table->name);
  }
  if (schema.tables.count(table->name) && !or_replace) {
    if (if_not_exists) return false;
    ThrowError(sqlstate::kDuplicateTable, "relation \"{}\" already exists", table->name);
  }
  auto old = schema.tables.find(table->name);
  table->oid = next_oid_;
  uint32_t replaced_oid = old != schema.tables.end() ? old->second->oid : 0;
  if (publish) {
    publish(RecordOf(*table), next_oid_ + 1, replaced_oid);
  } else if (warehouse_) {
    warehouse_->store().CreateTable(RecordOf(*table), next_oid_ + 1, replaced_oid);
  }
  next_oid_++;
  if (old != schema.tables.end()) RetireSegments(warehouse_, *old->second);
  schema.tables[table->name] = std::move(table);
  return true;
}

void Catalog::CreateView(std::shared_ptr<ViewEntry> view, bool or_replace) {
  std::lock_guard<std::mutex> lock(mutex_);
  CheckWritable();
  Schema& schema = GetSchema(view->schema);
  if (schema.tables.count(view->name) || (schema.views.count(view->name) && !or_replace)) {
    ThrowError(sqlstate::kDuplicateTable, "relation \"{}\" already exists", view->name);
  }
  auto old = schema.views.find(view->name);
  // CREATE OR REPLACE VIEW keeps the view's identity, as in PostgreSQL.
  bool replacing = old != schema.views.end();
  view->oid = replacing ? old->second->oid : next_oid_;
  if (warehouse_) {
    warehouse_->store().CreateView(RecordOf(*view), replacing ? next_oid_ : next_oid_ + 1,
                                   replacing ? view->oid : 0);
  }
  if (!replacing) next_oid_++;
  schema.views[view->name] = std::move(view);
}

void Catalog::DropTable(const std::string& schema_name, const std::string& name, bool if_exists) {
  std::lock_guard<std::mutex> lock(mutex_);
  CheckWritable();
  Schema& schema = GetSchema(schema_name);
  auto it = schema.tables.find(name);
  if (it != schema.tables.end()) {
    if (warehouse_) warehouse_->store().DropTable(it->second->oid);
    RetireSegments(warehouse_, *it->second);
    schema.tables.erase(it);
  } else {
    if (schema.views.count(name)) {
      ThrowError(sqlstate::kWrongObjectType, "\"{}\" is not a table (use DROP VIEW)", name);
    }
    if (!if_exists) ThrowError(sqlstate::kUndefinedTable, "table \"{}\" does not exist", name);
  }
}

void Catalog::ReplaceExternalTable(std::shared_ptr<TableEntry> table, uint32_t expected_oid) {
  std::lock_guard<std::mutex> lock(mutex_);
  CheckWritable();
  Schema& schema = GetSchema(table->schema);
  auto it = schema.tables.find(table->name);
  if (it == schema.tables.end() || !it->second->external) {
    ThrowError(sqlstate::kUndefinedTable, "external table \"{}\" does not exist", table->name);
  }
  // The new entry was inferred from the table of `expected_oid`; a table
  // dropped and created again meanwhile (a new oid) must not get it.
  if (it->second->oid != expected_oid) {
    ThrowError(kSerializationFailure, "table \"{}\" changed during REFRESH; run REFRESH again",
               table->name);
  }
  table->oid = expected_oid;
  // Stored as a drop and create of the same oid in one transaction.
  if (warehouse_) warehouse_->store().CreateTable(RecordOf(*table), next_oid_, table->oid);
  it->second = std::move(table);
}

void Catalog::DropView(const std::string& schema_name, const std::string& name, bool if_exists) {
  std::lock_guard<std::mutex> lock(mutex_);
  CheckWritable();
  Schema& schema = GetSchema(schema_name);
  auto it = schema.views.find(name);
  if (it != schema.views.end()) {
    if (warehouse_) warehouse_->store().DropView(it->second->oid);
    schema.views.erase(it);
  } else {
    if (schema.tables.count(name)) {
      ThrowError(sqlstate::kWrongObjectType, "\"{}\" is not a view (use DROP TABLE)", name);
    }
    if (!if_exists) ThrowError(sqlstate::kUndefinedTable, "view \"{}\" does not exist", name);
  }
}

std::shared_ptr<TableEntry> Catalog::GetTable(const std::string& schema_name,
                                              const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Schema& schema = GetSchema(schema_name);
  auto it = schema.tables.find(name);
  return it == schema.tables.end() ? nullptr : it->second;
}

std::shared_ptr<ViewEntry> Catalog::GetView(const std::string& schema_name,
                                            const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Schema& schema = GetSchema(schema_name);
  auto it = schema.views.find(name);
  return it == schema.views.end() ? nullptr : it->second;
}

std::vector<std::string> Catalog::TableNames(const std::string& schema_name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Schema& schema = GetSchema(schema_name);
  std::vector<std::string> names;
  for (const auto& [n, _] : schema.tables) names.push_back(n);
  for (const auto& [n, _] : schema.views) names.push_back(n);
  std::sort(names.begin(), names.end());
  return names;
}

CatalogSnapshot Catalog::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  CatalogSnapshot snapshot;
  for (const auto& [name, schema] : schemas_) {
    CatalogSnapshot::Schema s;
    s.name = name;
    s.oid = schema.oid;
    for (const auto& [_, table] : schema.tables) {
      s.tables.push_back(table);
      s.table_data.push_back(table->storage ? table->storage->Snapshot() : nullptr);
    }
    for (const auto& [_, view] : schema.views) s.views.push_back(view);
    snapshot.schemas.push_back(std::move(s));
  }
  snapshot.managed = warehouse_ != nullptr || replica_managed_;
  // After the tables' rows: a write installs its table's next version, then
  // retires what it replaced, so a segment taken in both is listed once, as
  // visible (sys_tables.cc).
  if (warehouse_) snapshot.retired_segments = warehouse_->RetiredSegments();
  return snapshot;
}

}  // namespace basalt
