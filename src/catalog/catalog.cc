#include "catalog/catalog.h"

#include <algorithm>

#include "catalog/system_table.h"
#include "common/exception.h"

namespace basalt {

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
  // The system schemas (system_table.h) exist without being in schemas_.
  if (name.starts_with("pg_")) {
    ThrowError(sqlstate::kReservedName,
               "unacceptable schema name \"{}\": the prefix \"pg_\" is reserved for system schemas",
               name);
  }
  if (schemas_.count(name) || name == kInformationSchema) {
    if (if_not_exists) return;
    ThrowError(sqlstate::kDuplicateSchema, "schema \"{}\" already exists", name);
  }
  schemas_[name].oid = next_oid_++;
}

void Catalog::DropSchema(const std::string& name, bool if_exists, bool cascade) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (name == kPgCatalogSchema || name == kInformationSchema) {
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

bool Catalog::CreateTable(std::shared_ptr<TableEntry> table, bool if_not_exists, bool or_replace) {
  std::lock_guard<std::mutex> lock(mutex_);
  Schema& schema = GetSchema(table->schema);
  if (schema.views.count(table->name)) {
    ThrowError(sqlstate::kDuplicateTable, "relation \"{}\" already exists", table->name);
  }
  if (schema.tables.count(table->name) && !or_replace) {
    if (if_not_exists) return false;
    ThrowError(sqlstate::kDuplicateTable, "relation \"{}\" already exists", table->name);
  }
  table->oid = next_oid_++;
  schema.tables[table->name] = std::move(table);
  return true;
}

void Catalog::CreateView(std::shared_ptr<ViewEntry> view, bool or_replace) {
  std::lock_guard<std::mutex> lock(mutex_);
  Schema& schema = GetSchema(view->schema);
  if (schema.tables.count(view->name) || (schema.views.count(view->name) && !or_replace)) {
    ThrowError(sqlstate::kDuplicateTable, "relation \"{}\" already exists", view->name);
  }
  auto old = schema.views.find(view->name);
  // CREATE OR REPLACE VIEW keeps the view's identity, as in PostgreSQL.
  view->oid = old != schema.views.end() ? old->second->oid : next_oid_++;
  schema.views[view->name] = std::move(view);
}

void Catalog::DropTable(const std::string& schema_name, const std::string& name, bool if_exists) {
  std::lock_guard<std::mutex> lock(mutex_);
  Schema& schema = GetSchema(schema_name);
  if (schema.tables.erase(name) == 0) {
    if (schema.views.count(name)) {
      ThrowError(sqlstate::kWrongObjectType, "\"{}\" is not a table (use DROP VIEW)", name);
    }
    if (!if_exists) ThrowError(sqlstate::kUndefinedTable, "table \"{}\" does not exist", name);
  }
}

void Catalog::DropView(const std::string& schema_name, const std::string& name, bool if_exists) {
  std::lock_guard<std::mutex> lock(mutex_);
  Schema& schema = GetSchema(schema_name);
  if (schema.views.erase(name) == 0) {
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
    for (const auto& [_, table] : schema.tables) s.tables.push_back(table);
    for (const auto& [_, view] : schema.views) s.views.push_back(view);
    snapshot.schemas.push_back(std::move(s));
  }
  return snapshot;
}

}  // namespace basalt
