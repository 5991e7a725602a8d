#include "main/external_table_statements.h"

#include <cctype>
#include <exception>

#include "common/exception.h"
#include "exec/expression_executor.h"
#include "plan/binder.h"
#include "sql/keywords.h"

namespace basalt {

namespace {

std::string SchemaOf(const sql::QualifiedName& name) {
  return name.schema.empty() ? kDefaultSchema : name.schema;
}

std::string Lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

QueryResult CommandResult(std::string tag) {
  QueryResult r;
  r.tag = std::move(tag);
  return r;
}

// Runs `body`; an error without a position gets `position`.
template <typename F>
auto AtPosition(int32_t position, F&& body) {
  try {
    return body();
  } catch (const BasaltError& e) {
    if (e.HasPosition()) throw;
    throw BasaltError(e.code(), e.what(), position);
  }
}

std::shared_ptr<TableEntry> MakeEntry(const std::string& schema, const std::string& name,
                                      std::vector<TableColumn> columns,
                                      std::shared_ptr<const ExternalTableRecord> external) {
  auto table = std::make_shared<TableEntry>();
  table->schema = schema;
  table->name = name;
  table->columns = std::move(columns);
  table->external = std::move(external);
  // Never written: a scan of an empty location reads it (no rows).
  table->storage = std::make_shared<DataTable>(table->Types());
  return table;
}

// Re-reads what `table` caches of its files; see ExecuteRefresh.
void RefreshExternalTable(DatabaseInstance& db, const std::shared_ptr<TableEntry>& table,
                          int32_t position) {
  const ExternalTableRecord& external = *table->external;
  if (external.columns_declared) {
    AtPosition(position, [&] { Binder(db.catalog()).CheckExternalTable(table); });
    return;
  }
  std::vector<TableColumn> columns =
      AtPosition(position, [&] { return Binder::InferExternalColumns(external); });
  auto refreshed = MakeEntry(table->schema, table->name, std::move(columns), table->external);
  // The columns were inferred without the write lock (it would hold every
  // writer up during the files' I/O): the catalog refuses, with 40001, to
  // put them on a table of that name other than `table` (DROP and CREATE
  // EXTERNAL TABLE in between give a new oid).
  auto lock = db.LockForWriting();
  db.catalog().ReplaceExternalTable(std::move(refreshed), table->oid);
}

}  // namespace

QueryResult ExecuteCreateExternalTable(StatementContext& ctx,
                                       const sql::CreateExternalTableStatement& s) {
  DatabaseInstance& db = ctx.db;
  const std::string schema = SchemaOf(s.table);
  if (s.format != "parquet" && s.format != "csv" && s.format != "json") {
    ThrowErrorAt(sqlstate::kFeatureNotSupported, s.format_position,
                 "external tables cannot be STORED AS {}: Basalt reads PARQUET, CSV and JSON",
                 sql::ToUpperAscii(s.format));
  }
  if (s.location.empty()) {
    ThrowErrorAt(sqlstate::kInvalidParameterValue, s.location_position,
                 "the LOCATION of an external table must not be empty");
  }
  if (!db.catalog().SchemaExists(schema)) {
    ThrowErrorAt(sqlstate::kUndefinedSchema, s.table.position, "schema \"{}\" does not exist",
                 schema);
  }
  if (s.if_not_exists && (db.catalog().GetTable(schema, s.table.name) ||
                          db.catalog().GetView(schema, s.table.name))) {
    return CommandResult("CREATE EXTERNAL TABLE");
  }
  auto record = std::make_shared<ExternalTableRecord>();
  record->format = s.format;
  record->location = s.location;
  record->columns_declared = !s.columns.empty();
  for (const auto& option : s.options) {
    Value value = option.value ? ExpressionExecutor::EvaluateConstant(
                                     *Binder(db.catalog()).BindConstantExpression(*option.value))
                               : Value::Null();
    record->options.emplace_back(Lowercase(option.name), std::move(value));
    // Checked one by one, so that an error points at its option.
    AtPosition(option.position, [&] { return Binder::ParseExternalTableOptions(*record); });
  }
  AtPosition(s.location_position, [&] { Binder::PinExternalCsvDialect(*record); });
  std::vector<TableColumn> columns;
  for (const auto& c : s.columns) {
    for (const auto& earlier : columns) {
      if (earlier.name == c.name) {
        ThrowErrorAt(sqlstate::kDuplicateColumn, c.position,
                     "column \"{}\" specified more than once", c.name);
      }
    }
    columns.push_back({c.name, c.type.type, false});
  }
  if (columns.empty()) {
    columns =
        AtPosition(s.location_position, [&] { return Binder::InferExternalColumns(*record); });
  }
  auto table = MakeEntry(schema, s.table.name, std::move(columns), record);
  // Like a view, a table that cannot be read is refused now rather than at
  // its first query.
  AtPosition(s.location_position, [&] { Binder(db.catalog()).CheckExternalTable(table); });
  auto lock = db.LockForWriting();
  db.catalog().CreateTable(table, s.if_not_exists);
  return CommandResult("CREATE EXTERNAL TABLE");
}

QueryResult ExecuteRefresh(StatementContext& ctx, const sql::RefreshStatement& s) {
  DatabaseInstance& db = ctx.db;
  const char* tag = s.invalidate ? "INVALIDATE METADATA" : "REFRESH";
  if (s.table.empty()) {
    // Every external table; one whose files fail does not stop the others,
    // and the first failure is reported at the end.
    std::exception_ptr first_error;
    for (const auto& schema : db.catalog().Snapshot().schemas) {
      for (const auto& table : schema.tables) {
        if (!table->external) continue;
        try {
          RefreshExternalTable(db, table, s.position);
        } catch (const BasaltError&) {
          if (!first_error) first_error = std::current_exception();
        }
      }
    }
    if (first_error) std::rethrow_exception(first_error);
    return CommandResult(tag);
  }
  const std::string schema = SchemaOf(s.table);
  std::shared_ptr<TableEntry> table =
      AtPosition(s.table.position, [&] { return db.catalog().GetTable(schema, s.table.name); });
  if (!table) {
    if (db.catalog().GetView(schema, s.table.name)) {
      ThrowErrorAt(sqlstate::kWrongObjectType, s.table.position, "\"{}\" is a view, not a table",
                   s.table.name);
    }
    ThrowErrorAt(sqlstate::kUndefinedTable, s.table.position, "relation \"{}\" does not exist",
                 s.table.ToString());
  }
  // A managed or in-memory table has nothing cached from outside.
  if (table->external) RefreshExternalTable(db, table, s.table.position);
  return CommandResult(tag);
}

}  // namespace basalt
