#include "catalog/system_table.h"

#include "common/exception.h"
#include "common/pg_types.h"

namespace basalt {

void SystemRows::Add(const std::vector<Value>& row) {
  BASALT_CHECK_EQ(row.size(), types_.size());
  if (chunks_.empty() || chunks_.back().size() == kBatchSize) chunks_.emplace_back(types_);
  DataChunk& chunk = chunks_.back();
  for (size_t c = 0; c < row.size(); c++) chunk.column(c).SetValue(chunk.size(), row[c]);
  chunk.SetSize(chunk.size() + 1);
}

std::shared_ptr<TableEntry> SystemTable::Materialize(const SystemTableInputs& inputs) const {
  auto table = std::make_shared<TableEntry>();
  table->schema = schema;
  table->name = name;
  table->oid = oid;
  for (const auto& c : columns) table->columns.push_back({c.name, c.type, false});
  table->storage = std::make_shared<DataTable>(table->Types());
  SystemRows rows(table->Types());
  produce(inputs, rows);
  table->storage->AppendAll(rows.TakeChunks());
  return table;
}

SystemTables::SystemTables() {
  RegisterPgCatalogTables(*this);
  RegisterInformationSchemaTables(*this);
  RegisterSysTables(*this);
}

const SystemTables& SystemTables::Get() {
  // Built once on first use (thread-safe static initialization), then read-only.
  static const SystemTables* tables = new SystemTables();
  return *tables;
}

uint32_t SystemTables::SchemaOid(const std::string& schema) {
  if (schema == kPgCatalogSchema) return kPgCatalogOid;
  if (schema == kInformationSchema) return kInformationSchemaOid;
  BASALT_CHECK(schema == kSysSchema);
  return kSysSchemaOid;
}

const SystemTable* SystemTables::Find(const std::string& schema, const std::string& name) const {
  for (const auto& t : tables_) {
    if (t.schema == schema && t.name == name) return &t;
  }
  return nullptr;
}

SystemColumn OidColumn(std::string name) {
  return {std::move(name), TypeId::kBigint, pg_oid::kOid};
}
SystemColumn NameColumn(std::string name) {
  return {std::move(name), TypeId::kVarchar, pg_oid::kName};
}
SystemColumn TextColumn(std::string name) {
  return {std::move(name), TypeId::kVarchar, pg_oid::kText};
}
SystemColumn CharColumn(std::string name) {
  return {std::move(name), TypeId::kVarchar, pg_oid::kChar};
}
SystemColumn BoolColumn(std::string name) {
  return {std::move(name), TypeId::kBoolean, pg_oid::kBool};
}
SystemColumn Int2Column(std::string name) {
  return {std::move(name), TypeId::kSmallint, pg_oid::kInt2};
}
SystemColumn Int4Column(std::string name) {
  return {std::move(name), TypeId::kInteger, pg_oid::kInt4};
}
SystemColumn Int8Column(std::string name) {
  return {std::move(name), TypeId::kBigint, pg_oid::kInt8};
}
SystemColumn Float4Column(std::string name) {
  return {std::move(name), TypeId::kReal, pg_oid::kFloat4};
}
SystemColumn ArrayColumn(std::string name, int32_t pg_type) {
  return {std::move(name), TypeId::kVarchar, pg_type};
}

int32_t PgTypeOfColumn(const LogicalType& type) { return PgTypeOf(type).oid; }

}  // namespace basalt
