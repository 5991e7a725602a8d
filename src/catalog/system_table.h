// System tables: relations whose rows Basalt makes from its own state when a
// query reads them, so PostgreSQL tools' catalog queries (pg_catalog,
// information_schema) and, later, Basalt's own `sys` schema work like
// queries over ordinary tables. Design: docs/system_tables.md.
//
// A system table is a name, a column list and a function that produces its
// rows from a CatalogSnapshot and the SessionInfo. The binder calls the
// function once per reference, at bind time, and scans the rows like a
// table's; so a query sees the catalog as it was when it was bound.
//
// Thread safety: the registry is built once and read-only afterwards.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "common/data_chunk.h"
#include "common/value.h"

namespace basalt {

inline constexpr const char* kPgCatalogSchema = "pg_catalog";
inline constexpr const char* kInformationSchema = "information_schema";
// Basalt's own system tables: tables, columns, segments (sys_tables.cc).
inline constexpr const char* kSysSchema = "sys";
// PostgreSQL's fixed oid of pg_catalog; information_schema's is assigned at
// initdb in PostgreSQL, here it is fixed.
inline constexpr uint32_t kPgCatalogOid = 11;
inline constexpr uint32_t kInformationSchemaOid = 13000;
inline constexpr uint32_t kSysSchemaOid = 13100;
// The one role and database Basalt has (no authentication, one database).
inline constexpr uint32_t kBasaltRoleOid = 10;
inline constexpr uint32_t kBasaltDatabaseOid = 16300;

// One query of sys.queries (the database's QueryRegistry fills them).
struct QueryLogRow {
  std::string id, sql, user, client, state, error_code, error_message;
  int64_t start_micros = 0;
  int64_t end_micros = 0;  // 0 while running
  uint64_t rows = 0;
  uint64_t rows_scanned = 0;
  uint64_t peak_memory = 0;
};

// What a session contributes to the system tables and catalog functions.
struct SessionInfo {
  std::string user = "basalt";
  std::string database = "basalt";
  // The schemas unqualified names are looked up in, after the implicit
  // pg_catalog (PostgreSQL's rule).
  std::vector<std::string> search_path = {kDefaultSchema};
  // Every setting SHOW knows, by name (pg_settings).
  std::vector<std::pair<std::string, std::string>> settings;
  // sys.queries: running and recent queries, newest first; unset: none.
  std::function<std::vector<QueryLogRow>()> queries;
};

// A column of a system table: its Basalt type and the PostgreSQL type it
// stands for (pg_attribute.atttypid): relname is VARCHAR here and `name`
// there, oids are BIGINT here and `oid` there.
struct SystemColumn {
  std::string name;
  LogicalType type;
  int32_t pg_type;
};

// Collects a system table's rows into batches.
class SystemRows {
 public:
  explicit SystemRows(std::vector<LogicalType> types) : types_(std::move(types)) {}
  // One row, a value per column in order (NULLs as Value::Null()).
  void Add(const std::vector<Value>& row);
  std::vector<DataChunk> TakeChunks() { return std::move(chunks_); }

 private:
  std::vector<LogicalType> types_;
  std::vector<DataChunk> chunks_;
};

struct SystemTableInputs {
  const CatalogSnapshot& catalog;
  const SessionInfo& session;
};

struct SystemTable {
  std::string schema;
  std::string name;
  uint32_t oid = 0;
  char relkind = 'r';  // pg_class.relkind: 'r' table, 'v' view (as PostgreSQL has them)
  std::vector<SystemColumn> columns;
  void (*produce)(const SystemTableInputs& inputs, SystemRows& rows) = nullptr;

  // The rows, as a table entry the binder scans like any table's.
  std::shared_ptr<TableEntry> Materialize(const SystemTableInputs& inputs) const;
};

class SystemTables {
 public:
  static const SystemTables& Get();

  // nullptr when `schema` has no system table `name`.
  const SystemTable* Find(const std::string& schema, const std::string& name) const;
  static bool IsSystemSchema(const std::string& schema) {
    return schema == kPgCatalogSchema || schema == kInformationSchema || schema == kSysSchema;
  }
  // The fixed oid of a system schema (pg_namespace.oid).
  static uint32_t SchemaOid(const std::string& schema);
  const std::vector<SystemTable>& All() const { return tables_; }

  void Add(SystemTable table) { tables_.push_back(std::move(table)); }

 private:
  SystemTables();
  std::vector<SystemTable> tables_;
};

// Registration, one function per system schema (pg_catalog_tables.cc,
// information_schema_tables.cc, sys_tables.cc).
void RegisterPgCatalogTables(SystemTables& tables);
void RegisterInformationSchemaTables(SystemTables& tables);
void RegisterSysTables(SystemTables& tables);

// Column helpers spelling the PostgreSQL type each column stands for.
SystemColumn OidColumn(std::string name);
SystemColumn NameColumn(std::string name);
SystemColumn TextColumn(std::string name);
SystemColumn CharColumn(std::string name);  // "char"
SystemColumn BoolColumn(std::string name);
SystemColumn Int2Column(std::string name);
SystemColumn Int4Column(std::string name);
SystemColumn Int8Column(std::string name);
SystemColumn Float4Column(std::string name);
// Array-typed catalog columns (aclitem[], int2vector, oid[], text[]):
// Basalt has no arrays yet, so they are text in PostgreSQL's array syntax
// and NULL or empty in every row Basalt makes.
SystemColumn ArrayColumn(std::string name, int32_t pg_type);

// The PostgreSQL type oid a column of a user table has in pg_attribute.
int32_t PgTypeOfColumn(const LogicalType& type);

}  // namespace basalt
