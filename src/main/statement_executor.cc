#include "main/statement_executor.h"

#include <fmt/format.h>

#include "common/exception.h"
#include "exec/cast.h"
#include "exec/expression_executor.h"
#include "exec/query_executor.h"
#include "main/external_table_statements.h"
#include "main/plan_roundtrip.h"
#include "main/running_statement.h"
#include "main/table_statistics_statements.h"
#include "optimizer/expression_rewriting.h"
#include "optimizer/optimizer.h"
#include "optimizer/physical_planner.h"
#include "plan/binder.h"
#include "sql/parser.h"
#include "storage/copy_options.h"
#include "storage/csv_options.h"
#include "storage/csv_reader.h"
#include "storage/csv_writer.h"
#include "storage/file_glob.h"
#include "storage/json/json_read_type.h"
#include "storage/managed/table_writer.h"
#include "storage/parquet/parquet_reader.h"
#include "storage/parquet/parquet_writer.h"

namespace basalt {

namespace {

// What the system tables and catalog functions show of this database's
// session: its settings. The search path stays SessionInfo's default (main):
// the binder resolves unqualified names there whatever `search_path` says,
// and pg_table_is_visible / current_schema() must agree with it.
std::shared_ptr<const SessionInfo> SessionOf(const StatementContext& ctx) {
  auto session = std::make_shared<SessionInfo>();
  session->settings = ctx.settings.All();
  session->queries = [registry = &ctx.db.queries()] {
    std::vector<QueryLogRow> rows;
    for (const QueryInfo& info : registry->List(10000)) {
      const QueryHistoryRecord& r = info.record;
      rows.push_back({r.id, r.sql, r.user, r.client, r.state, r.error_code, r.error_message,
                      r.start_micros, r.end_micros, r.rows, info.progress.rows_scanned,
                      r.peak_memory});
    }
    return rows;
  };
  return session;
}

struct PlannedQuery {
  FragmentedPlan plan;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  // The session's mem_limit (0 = none) and explain_instance_lines.
  uint64_t memory_limit = 0;
  int explain_instance_lines = FragmentedPlan::kInstanceLines;
};

PlannedQuery PlanQuery(StatementContext& ctx, const sql::QueryNode& query,
                       const StatementParameters* parameters) {
  DatabaseInstance& db = ctx.db;
  Binder binder(db.catalog(), parameters);
  binder.SetSession(SessionOf(ctx));
  BoundQuery bound = binder.BindQuery(query);
  LogicalOperatorPtr optimized = Optimize(std::move(bound.plan));
  PlannedQuery planned;
  planned.plan = CreateFragmentedPlan(*optimized, db.parallelism(), bound.names);
  MaybeRoundTripPlan(planned.plan, ctx);  // BASALT_PLAN_ROUNDTRIP: run a serialized copy
  planned.names = std::move(bound.names);
  planned.types = std::move(bound.types);
  planned.memory_limit = ctx.settings.MemoryLimit();
  planned.explain_instance_lines = ctx.settings.ExplainInstanceLines();
  return planned;
}

// Runs a planned query to completion, handing each result batch to `sink`.
// Connection::Cancel reaches the execution through the running statement.
template <typename Sink>
void RunPlan(DatabaseInstance& db, PlannedQuery& planned, Sink&& sink) {
  // On a coordinator, the site places the fragments on the executors; the
  // plan names where, for the query's profile.
  std::unique_ptr<ExecutionSite> site = db.MakeSite(planned.plan);
  if (site) db.DescribePlacement(planned.plan);
  QueryExecution execution(std::move(planned.plan), db.scheduler(), site.get());
  // On a coordinator, the site sends the limit on to the executors.
  execution.set_memory_limit(planned.memory_limit);
  AttachedExecution attached(&execution);
  execution.Start();
  DataChunk chunk;
  while (execution.Next(chunk)) {
    if (chunk.size() > 0) sink(chunk);
    chunk = DataChunk();
  }
}

QueryResult RowsResult(std::vector<std::string> names, std::vector<LogicalType> types) {
  QueryResult r;
  r.returns_rows = true;
  r.column_names = std::move(names);
  r.column_types = std::move(types);
  return r;
}

// Appends one row of values to a result being built.
void AddRow(QueryResult& r, const std::vector<Value>& row) {
  if (r.chunks.empty() || r.chunks.back().size() == kBatchSize) {
    r.chunks.emplace_back(r.column_types);
  }
  DataChunk& c = r.chunks.back();
  for (size_t i = 0; i < row.size(); i++) c.column(i).SetValue(c.size(), row[i]);
  c.SetSize(c.size() + 1);
}

void FinishSelectTag(QueryResult& r) { r.tag = fmt::format("SELECT {}", r.RowCount()); }

std::string SchemaOf(const sql::QualifiedName& name) {
  return name.schema.empty() ? kDefaultSchema : name.schema;
}

std::shared_ptr<TableEntry> RequireTable(DatabaseInstance& db, const sql::QualifiedName& name) {
  auto table = db.catalog().GetTable(SchemaOf(name), name.name);
  if (!table) {
    if (db.catalog().GetView(SchemaOf(name), name.name)) {
      ThrowErrorAt(sqlstate::kWrongObjectType, name.position, "\"{}\" is a view, not a table",
                   name.name);
    }
    ThrowErrorAt(sqlstate::kUndefinedTable, name.position, "relation \"{}\" does not exist",
                 name.name);
  }
  return table;
}

// A table a statement writes rows into: not an external table, whose rows
// are files Basalt only reads.
std::shared_ptr<TableEntry> RequireWritableTable(DatabaseInstance& db,
                                                 const sql::QualifiedName& name) {
  auto table = RequireTable(db, name);
  if (table->external) {
    ThrowErrorAt(sqlstate::kWrongObjectType, name.position,
                 "\"{}\" is an external table: its rows are the files at \"{}\", which Basalt "
                 "does not write",
                 name.name, table->external->location);
  }
  return table;
}

// Rejects NULLs in NOT NULL columns.
void CheckNotNull(const TableEntry& table, const DataChunk& chunk) {
  for (size_t c = 0; c < table.columns.size(); c++) {
    if (!table.columns[c].not_null) continue;
    for (idx_t r = 0; r < chunk.size(); r++) {
      if (chunk.column(c).IsNull(r)) {
        ThrowError(sqlstate::kNullValueNotAllowed,
                   "null value in column \"{}\" of relation \"{}\" violates not-null constraint",
                   table.columns[c].name, table.name);
      }
    }
  }
}

// A writer for one statement's rows into `table` (committed by the caller).
std::unique_ptr<TableWriter> MakeWriter(DatabaseInstance& db, const TableEntry& table, WriteMode mode) {
  TableWriteTarget target;
  target.schema = table.schema;
  target.name = table.name;
  target.oid = table.oid;
  for (const auto& c : table.columns) target.columns.push_back({c.name, c.type, c.not_null});
  target.partitioning = table.partitioning;
  target.data = table.storage;
  return std::make_unique<TableWriter>(db.warehouse(), std::move(target), mode);
}

QueryResult ExecuteSelect(StatementContext& ctx, const sql::SelectStatement& s,
                          const StatementParameters* parameters) {
  DatabaseInstance& db = ctx.db;
  PlannedQuery planned = PlanQuery(ctx, *s.query, parameters);
  QueryResult r = RowsResult(planned.names, planned.types);
  RunPlan(db, planned, [&](DataChunk& chunk) { r.chunks.push_back(std::move(chunk)); });
  FinishSelectTag(r);
  return r;
}

// EXPLAIN ANALYZE: runs the query as RunPlan does (attached, so that
// Connection::Cancel stops it), dropping its rows, and renders the plan with
// what each operator did. The text is made here, before the execution, which
// owns both the plan and the profile, goes.
std::string AnalyzeQuery(DatabaseInstance& db, PlannedQuery& planned) {
  std::unique_ptr<ExecutionSite> site = db.MakeSite(planned.plan);
  if (site) db.DescribePlacement(planned.plan);
  QueryExecution execution(std::move(planned.plan), db.scheduler(), site.get());
  execution.set_memory_limit(planned.memory_limit);
  execution.set_count_bytes(true);
  AttachedExecution attached(&execution);
  execution.Start();
  DataChunk chunk;
  // The execution counts the rows it returns; the profile reports them.
  while (execution.Next(chunk)) chunk = DataChunk();
  return execution.plan().ToString(execution.query_profile(), planned.explain_instance_lines);
}

QueryResult ExecuteExplain(StatementContext& ctx, const sql::ExplainStatement& s,
                           const StatementParameters* parameters) {
  if (!s.statement->Is<sql::SelectStatement>()) {
    ThrowErrorAt(sqlstate::kFeatureNotSupported, s.statement->position,
                 "{} supports only queries so far", s.analyze ? "EXPLAIN ANALYZE" : "EXPLAIN");
  }
  PlannedQuery planned =
      PlanQuery(ctx, *s.statement->As<sql::SelectStatement>().query, parameters);
  QueryResult r = RowsResult({"QUERY PLAN"}, {LogicalType(TypeId::kVarchar)});
  r.tag = "EXPLAIN";
  // Describing a prepared statement has no parameter values to run with; its
  // result's shape is all that is asked for.
  if (s.analyze && parameters && parameters->describing()) return r;
  ctx.db.DescribePlacement(planned.plan);  // a coordinator's hosts per fragment
  std::string text = s.analyze ? AnalyzeQuery(ctx.db, planned) : planned.plan.ToString();
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    AddRow(r, {Value::Varchar(text.substr(start, end - start))});
    start = end + 1;
  }
  return r;
}

QueryResult CommandResult(std::string tag) {
  QueryResult r;
  r.tag = std::move(tag);
  return r;
}

// Runs `query` and hands its rows to `writer` for `table`, casting to the
// column types; `columns` names the target columns (empty: all, in order).
// The caller holds the write mutex and commits.
// `text_casts`: a VARCHAR column may fill a column of another type (cast
// per value), as for VALUES and files; a query's VARCHAR may not (PostgreSQL).
idx_t WritePlanned(DatabaseInstance& db, const TableEntry& table, TableWriter& writer,
                   PlannedQuery& planned, const std::vector<std::string>& columns,
                   int32_t position, bool text_casts);

idx_t WriteQuery(StatementContext& ctx, const TableEntry& table, TableWriter& writer,
                 const sql::QueryNode& query, const std::vector<std::string>& columns,
                 int32_t position, const StatementParameters* parameters) {
  PlannedQuery planned = PlanQuery(ctx, query, parameters);
  return WritePlanned(ctx.db, table, writer, planned, columns, position,
                      query.Is<sql::ValuesNode>());
}

idx_t WritePlanned(DatabaseInstance& db, const TableEntry& table, TableWriter& writer,
                   PlannedQuery& planned, const std::vector<std::string>& columns,
                   int32_t position, bool text_casts) {
  std::vector<int> target_of_source;
  if (columns.empty()) {
    // Without a column list the values fill the first columns in order and
    // the rest get NULL, as in PostgreSQL.
    size_t n = std::min(planned.types.size(), table.columns.size());
    for (size_t i = 0; i < n; i++) target_of_source.push_back(static_cast<int>(i));
    if (planned.types.size() > table.columns.size()) {
      ThrowErrorAt(sqlstate::kSyntaxError, position, "INSERT has more expressions than target columns");
    }
  } else {
    for (const auto& name : columns) {
      int c = table.FindColumn(name);
      if (c < 0) {
        ThrowErrorAt(sqlstate::kUndefinedColumn, position,
                     "column \"{}\" of relation \"{}\" does not exist", name, table.name);
      }
      for (int t : target_of_source) {
        if (t == c) {
          ThrowErrorAt(sqlstate::kDuplicateColumn, position, "column \"{}\" specified more than once",
                       name);
        }
      }
      target_of_source.push_back(c);
    }
  }
  if (planned.types.size() > target_of_source.size()) {
    ThrowErrorAt(sqlstate::kSyntaxError, position, "INSERT has more expressions than target columns");
  }
  if (planned.types.size() < target_of_source.size()) {
    ThrowErrorAt(sqlstate::kSyntaxError, position, "INSERT has more target columns than expressions");
  }
  // Casts from each source column to its target column's type.
  std::vector<ExpressionPtr> casts(table.columns.size());
  std::vector<int> source_of_target(table.columns.size(), -1);
  for (size_t s = 0; s < target_of_source.size(); s++) {
    int t = target_of_source[s];
    source_of_target[t] = static_cast<int>(s);
    const LogicalType& from = planned.types[s];
    const LogicalType& to = table.columns[t].type;
    if (from != to) {
      if (from.id() == TypeId::kVarchar && to.id() != TypeId::kVarchar && !text_casts) {
        ThrowErrorAt(sqlstate::kDatatypeMismatch, position,
                     "column \"{}\" is of type {} but expression is of type {}",
                     table.columns[t].name, to.ToString(), from.ToString());
      }
      casts[t] = Binder::AddCast(Expression::MakeInputRef(s, from), to, position);
    }
  }
  idx_t count = 0;
  ExpressionExecutor executor;
  auto types = table.Types();
  RunPlan(db, planned, [&](DataChunk& chunk) {
    DataChunk out;
    for (size_t t = 0; t < table.columns.size(); t++) {
      Vector v;
      if (source_of_target[t] < 0) {
        v = Vector(Value::Null(types[t]));
      } else if (casts[t]) {
        executor.Execute(*casts[t], chunk, v);
      } else {
        v = chunk.column(source_of_target[t]);
      }
      out.AddColumn(std::move(v));
    }
    out.SetSize(chunk.size());
    CheckNotNull(table, out);
    writer.Append(out);
    count += chunk.size();
  });
  return count;
}

QueryResult ExecuteCreateTable(StatementContext& ctx, const sql::CreateTableStatement& s,
                               const StatementParameters* parameters) {
  DatabaseInstance& db = ctx.db;
  auto table = std::make_shared<TableEntry>();
  table->schema = SchemaOf(s.table);
  table->name = s.table.name;
  if (!db.catalog().SchemaExists(table->schema)) {
    ThrowErrorAt(sqlstate::kUndefinedSchema, s.table.position, "schema \"{}\" does not exist",
                 table->schema);
  }
  if (s.query) {
    Binder binder(db.catalog(), parameters);
    binder.SetSession(SessionOf(ctx));
    BoundQuery bound = binder.BindQuery(*s.query);
    for (size_t i = 0; i < bound.names.size(); i++) {
      LogicalType t = bound.types[i].id() == TypeId::kNull ? LogicalType(TypeId::kVarchar) : bound.types[i];
      table->columns.push_back({bound.names[i], t, false});
    }
  } else {
    for (const auto& col : s.columns) {
      if (table->FindColumn(col.name) >= 0) {
        ThrowErrorAt(sqlstate::kDuplicateColumn, col.position, "column \"{}\" specified more than once",
                     col.name);
      }
      bool not_null = col.not_null;
      for (const auto& pk : s.primary_key) not_null |= pk == col.name;
      table->columns.push_back({col.name, col.type.type, not_null});
    }
  }
  for (size_t i = 0; i < table->columns.size(); i++) {
    for (size_t j = 0; j < i; j++) {
      if (table->columns[i].name == table->columns[j].name) {
        ThrowErrorAt(sqlstate::kDuplicateColumn, s.position, "column \"{}\" specified more than once",
                     table->columns[i].name);
      }
    }
  }
  if (!s.partition_column.empty()) {
    TablePartitioning& p = table->partitioning;
    if (!ParseTimeGranularity(s.partition_granularity, &p.granularity)) {
      ThrowErrorAt(sqlstate::kSyntaxError, s.partition_position,
                   "unknown time granularity \"{}\" in PARTITION BY (use hour, day, month or year)",
                   s.partition_granularity);
    }
    p.column = table->FindColumn(s.partition_column);
    if (p.column < 0) {
      ThrowErrorAt(sqlstate::kUndefinedColumn, s.partition_position,
                   "partition column \"{}\" does not exist", s.partition_column);
    }
    TableColumn& column = table->columns[p.column];
    if (!column.type.IsTemporal()) {
      ThrowErrorAt(sqlstate::kDatatypeMismatch, s.partition_position,
                   "partition column \"{}\" must be of type date or timestamp, not {}",
                   column.name, column.type.ToString());
    }
    if (p.granularity == TimeGranularity::kHour && column.type.id() == TypeId::kDate) {
      ThrowErrorAt(sqlstate::kDatatypeMismatch, s.partition_position,
                   "a date column \"{}\" cannot be partitioned by hour", column.name);
    }
    // Every row belongs to one time chunk.
    column.not_null = true;
  }
  table->storage = std::make_shared<DataTable>(table->Types());
  if (db.warehouse()) table->storage->MarkManaged();
  if (db.catalog().GetTable(table->schema, table->name) && s.if_not_exists) {
    return CommandResult(s.query ? "SELECT 0" : "CREATE TABLE");
  }
  if (s.query) {
    // The rows are written first and published together with the table, so
    // nobody ever sees it half loaded (and OR REPLACE may read the old one).
    auto lock = db.LockForWriting();
    auto writer = MakeWriter(db, *table, WriteMode::kAppend);
    idx_t rows = WriteQuery(ctx, *table, *writer, *s.query, {}, s.position, parameters);
    bool created = db.catalog().CreateTable(
        table, s.if_not_exists, s.or_replace,
        [&](const TableRecord& record, uint32_t next_oid, uint32_t replaced_oid) {
          writer->CommitCreating(record, next_oid, replaced_oid);
        });
    return CommandResult(fmt::format("SELECT {}", created ? rows : 0));
  }
  auto lock = db.LockForWriting();  // OR REPLACE drops the old table
  db.catalog().CreateTable(table, s.if_not_exists, s.or_replace);
  return CommandResult("CREATE TABLE");
}

QueryResult ExecuteCreateView(StatementContext& ctx, const sql::CreateViewStatement& s) {
  DatabaseInstance& db = ctx.db;
  // Bind once now so a broken view is rejected at creation.
  Binder binder(db.catalog());
  binder.SetSession(SessionOf(ctx));
  BoundQuery bound = binder.BindQuery(*s.query);
  if (s.column_names.size() > bound.names.size()) {
    ThrowErrorAt(sqlstate::kSyntaxError, s.position, "CREATE VIEW specifies more column names than columns");
  }
  auto view = std::make_shared<ViewEntry>();
  view->schema = SchemaOf(s.view);
  view->name = s.view.name;
  view->query_text = s.query_text;
  view->column_names = s.column_names;
  for (size_t i = 0; i < bound.names.size(); i++) {
    std::string name = i < s.column_names.size() ? s.column_names[i] : bound.names[i];
    view->columns.push_back({std::move(name), bound.types[i], false});
  }
  db.catalog().CreateView(view, s.or_replace);
  return CommandResult("CREATE VIEW");
}

// `*changed` becomes true after the first object is dropped: a later name
// that fails does not bring the earlier ones back.
QueryResult ExecuteDrop(DatabaseInstance& db, const sql::DropStatement& s, bool* changed) {
  // Not while a writer of the table is between its lookup and its commit.
  auto lock = db.LockForWriting();
  for (const auto& name : s.names) {
    switch (s.object_type) {
      case sql::ObjectType::kSchema:
        db.catalog().DropSchema(name.name, s.if_exists, s.cascade);
        break;
      case sql::ObjectType::kTable:
        db.catalog().DropTable(SchemaOf(name), name.name, s.if_exists);
        break;
      case sql::ObjectType::kView:
        db.catalog().DropView(SchemaOf(name), name.name, s.if_exists);
        break;
    }
    *changed = true;
  }
  switch (s.object_type) {
    case sql::ObjectType::kSchema:
      return CommandResult("DROP SCHEMA");
    case sql::ObjectType::kTable:
      return CommandResult("DROP TABLE");
    case sql::ObjectType::kView:
      return CommandResult("DROP VIEW");
  }
  return CommandResult("DROP");
}

QueryResult ExecuteCopyTo(StatementContext& ctx, const sql::CopyStatement& s,
                          const CopyOptions& options) {
  DatabaseInstance& db = ctx.db;
  // COPY t TO ... is COPY (SELECT * FROM t) TO ...
  std::unique_ptr<sql::Statement> table_query;
  const sql::QueryNode* query = s.query.get();
  if (!query) {
    std::string columns = "*";
    if (!s.columns.empty()) {
      columns.clear();
      for (const auto& c : s.columns) columns += (columns.empty() ? "\"" : ", \"") + c + "\"";
    }
    auto statements = sql::ParseSql("SELECT " + columns + " FROM " +
                                    (s.table.schema.empty() ? "" : "\"" + s.table.schema + "\".") +
                                    "\"" + s.table.name + "\"");
    table_query = std::move(statements[0]);
    query = table_query->As<sql::SelectStatement>().query.get();
  }
  PlannedQuery planned;
  try {
    planned = PlanQuery(ctx, *query, nullptr);
  } catch (const BasaltError& e) {
    if (e.HasPosition() && table_query) throw BasaltError(e.code(), e.what(), s.table.position);
    throw;
  }
  idx_t count = 0;
  if (options.format == CopyFormat::kParquet) {
    // Written under a temporary name and renamed by Finish: a failing query
    // leaves no partial file behind.
    ParquetWriter writer(s.path, planned.names, planned.types, options.parquet);
    RunPlan(db, planned, [&](DataChunk& chunk) {
      writer.Append(chunk);
      count += chunk.size();
    });
    writer.Finish();
    return CommandResult(fmt::format("COPY {}", count));
  }
  CsvWriter writer(s.path, options.csv);
  if (options.csv.header) writer.WriteHeader(planned.names);
  RunPlan(db, planned, [&](DataChunk& chunk) {
    writer.WriteChunk(chunk);
    count += chunk.size();
  });
  writer.Close();
  return CommandResult(fmt::format("COPY {}", count));
}

// COPY t [(columns)] FROM 'glob' (FORMAT parquet | json): the files are
// scanned as read_parquet / read_json scan them and the rows written as
// INSERT INTO t SELECT would, so a bad file leaves t unchanged. Parquet
// columns fill the target columns by position (as DuckDB's COPY does);
// JSON records by key, each value converted to its column's type (a
// missing key is NULL).
QueryResult ExecuteCopyFromFiles(StatementContext& ctx, const sql::CopyStatement& s,
                                 const CopyOptions& options) {
  DatabaseInstance& db = ctx.db;
  auto lock = db.LockForWriting();
  auto table = RequireWritableTable(db, s.table);
  std::vector<std::string> targets = s.columns;
  if (targets.empty()) {
    for (const auto& c : table->columns) targets.push_back(c.name);
  }
  auto scan = std::make_unique<LogicalFileScan>();
  scan->table_index = 0;
  scan->files = ExpandGlob(s.path);
  if (options.format == CopyFormat::kParquet) {
    auto opened = std::make_shared<const ParquetFileList>(OpenParquetFiles(scan->files));
    scan->format = FileFormat::kParquet;
    scan->names = (*opened)[0]->Names();
    scan->types = (*opened)[0]->Types();
    scan->options = opened;
    if (scan->names.size() != targets.size()) {
      ThrowErrorAt(sqlstate::kBadCopyFileFormat, s.table.position,
                   "COPY FROM: file \"{}\" has {} columns but {} target columns of \"{}\" "
                   "were given; Parquet columns are matched by position",
                   scan->files[0], scan->names.size(), targets.size(), table->name);
    }
  } else {
    scan->format = FileFormat::kJson;
    for (const auto& name : targets) {
      int c = table->FindColumn(name);
      if (c < 0) {
        ThrowErrorAt(sqlstate::kUndefinedColumn, s.position,
                     "column \"{}\" of relation \"{}\" does not exist", name, table->name);
      }
      scan->names.push_back(name);
      scan->types.push_back(JsonReadType(table->columns[c].type));
    }
    scan->options = std::make_shared<const std::vector<std::string>>(scan->names);
  }
  for (size_t i = 0; i < scan->names.size(); i++) scan->column_ids.push_back(i);
  // A projection on top, as every bound query has.
  auto projection = std::make_unique<LogicalProjection>();
  projection->table_index = 1;
  for (size_t i = 0; i < scan->names.size(); i++) {
    projection->expressions.push_back(Expression::MakeColumnRef(
        ColumnBinding{0, static_cast<uint32_t>(i)}, scan->types[i], scan->names[i]));
  }
  PlannedQuery planned;
  planned.names = scan->names;
  planned.types = scan->types;
  projection->children.push_back(std::move(scan));
  LogicalOperatorPtr optimized = Optimize(std::move(projection));
  planned.plan = CreateFragmentedPlan(*optimized, db.parallelism(), planned.names);
  auto writer = MakeWriter(db, *table, WriteMode::kAppend);
  WritePlanned(db, *table, *writer, planned, s.columns, s.table.position, true);
  idx_t count = writer->Commit();
  return CommandResult(fmt::format("COPY {}", count));
}

QueryResult ExecuteCopy(StatementContext& ctx, const sql::CopyStatement& s) {
  DatabaseInstance& db = ctx.db;
  CopyOptions copy_options;
  for (const auto& opt : s.options) {
    Value v = opt.value ? ExpressionExecutor::EvaluateConstant(
                              *Binder(db.catalog()).BindConstantExpression(*opt.value))
                        : Value::Null();
    try {
      ApplyCopyOption(copy_options, opt.name, v, opt.position);
    } catch (const BasaltError& e) {
      throw BasaltError(e.code(), e.what(), opt.position);
    }
  }
  ResolveCopyOptions(copy_options, s.path, s.is_from);
  if (!s.is_from) return ExecuteCopyTo(ctx, s, copy_options);
  if (copy_options.format != CopyFormat::kCsv) return ExecuteCopyFromFiles(ctx, s, copy_options);
  const CsvOptions& options = copy_options.csv;
  // The table is looked up under the write mutex, so a DROP or CREATE OR
  // REPLACE cannot swap it away between the lookup and the commit.
  auto lock = db.LockForWriting();
  auto table = RequireWritableTable(db, s.table);
  std::vector<int> target_columns;
  if (s.columns.empty()) {
    for (size_t i = 0; i < table->columns.size(); i++) target_columns.push_back(static_cast<int>(i));
  } else {
    for (const auto& name : s.columns) {
      int c = table->FindColumn(name);
      if (c < 0) {
        ThrowErrorAt(sqlstate::kUndefinedColumn, s.position,
                     "column \"{}\" of relation \"{}\" does not exist", name, table->name);
      }
      target_columns.push_back(c);
    }
  }
  std::vector<LogicalType> file_types;
  std::vector<std::string> file_names;
  for (int c : target_columns) {
    file_types.push_back(table->columns[c].type);
    file_names.push_back(table->columns[c].name);
  }
  // Read everything first: a bad row fails the whole COPY and leaves the table as it was.
  std::vector<DataChunk> loaded;
  for (const auto& file : ExpandGlob(s.path)) {
    CsvReader reader(file, options, file_types, file_names);
    while (true) {
      DataChunk chunk(file_types);
      if (!reader.ReadChunk(chunk)) break;
      if (chunk.size() == 0) continue;
      DataChunk row;
      for (size_t t = 0; t < table->columns.size(); t++) {
        int source = -1;
        for (size_t i = 0; i < target_columns.size(); i++) {
          if (target_columns[i] == static_cast<int>(t)) source = static_cast<int>(i);
        }
        row.AddColumn(source < 0 ? Vector(Value::Null(table->columns[t].type)) : chunk.column(source));
      }
      row.SetSize(chunk.size());
      loaded.push_back(std::move(row));
    }
  }
  idx_t count = 0;
  // Check every batch before appending any.
  for (const auto& chunk : loaded) {
    for (size_t c = 0; c < table->columns.size(); c++) {
      if (!table->columns[c].not_null) continue;
      for (idx_t r = 0; r < chunk.size(); r++) {
        if (chunk.column(c).IsNull(r)) {
          ThrowError(sqlstate::kNullValueNotAllowed,
                     "null value in column \"{}\" of relation \"{}\" violates not-null constraint",
                     table->columns[c].name, table->name);
        }
      }
    }
  }
  auto writer = MakeWriter(db, *table, WriteMode::kAppend);
  for (const auto& chunk : loaded) writer->Append(chunk);
  count = writer->Commit();
  return CommandResult(fmt::format("COPY {}", count));
}

QueryResult ExecuteShow(StatementContext& ctx, const sql::ShowStatement& s) {
  DatabaseInstance& db = ctx.db;
  switch (s.show_kind) {
    case sql::ShowKind::kTables: {
      std::string schema = s.schema.empty() ? kDefaultSchema : s.schema;
      QueryResult r = RowsResult({"name"}, {LogicalType(TypeId::kVarchar)});
      for (const auto& name : db.catalog().TableNames(schema)) AddRow(r, {Value::Varchar(name)});
      FinishSelectTag(r);
      return r;
    }
    case sql::ShowKind::kSchemas: {
      QueryResult r = RowsResult({"schema_name"}, {LogicalType(TypeId::kVarchar)});
      for (const auto& name : db.catalog().SchemaNames()) AddRow(r, {Value::Varchar(name)});
      FinishSelectTag(r);
      return r;
    }
    case sql::ShowKind::kSetting: {
      QueryResult r = RowsResult({s.name}, {LogicalType(TypeId::kVarchar)});
      std::string value;
      if (!ctx.settings.Get(s.name, &value)) {
        ThrowErrorAt(sqlstate::kUndefinedObject, s.position,
                     "unrecognized configuration parameter \"{}\"", s.name);
      }
      AddRow(r, {Value::Varchar(value)});
      FinishSelectTag(r);
      return r;
    }
    case sql::ShowKind::kStats:
      return ExecuteShowStats(ctx, s);
  }
  return CommandResult("SHOW");
}

QueryResult ExecuteDescribe(StatementContext& ctx, const sql::DescribeStatement& s) {
  DatabaseInstance& db = ctx.db;
  QueryResult r = RowsResult({"column_name", "column_type", "null"},
                             {LogicalType(TypeId::kVarchar), LogicalType(TypeId::kVarchar),
                              LogicalType(TypeId::kVarchar)});
  if (s.query) {
    Binder binder(db.catalog());
    binder.SetSession(SessionOf(ctx));
    BoundQuery bound = binder.BindQuery(*s.query);
    for (size_t i = 0; i < bound.names.size(); i++) {
      AddRow(r, {Value::Varchar(bound.names[i]), Value::Varchar(bound.types[i].ToString()),
                 Value::Varchar("YES")});
    }
  } else if (auto table = db.catalog().GetTable(SchemaOf(s.table), s.table.name)) {
    for (const auto& c : table->columns) {
      AddRow(r, {Value::Varchar(c.name), Value::Varchar(c.type.ToString()),
                 Value::Varchar(c.not_null ? "NO" : "YES")});
    }
  } else if (db.catalog().GetView(SchemaOf(s.table), s.table.name)) {
    Binder binder(db.catalog());
    binder.SetSession(SessionOf(ctx));
    auto statements = sql::ParseSql("SELECT * FROM " +
                                    (s.table.schema.empty() ? "" : s.table.schema + ".") +
                                    "\"" + s.table.name + "\"");
    BoundQuery bound = binder.BindQuery(*statements[0]->As<sql::SelectStatement>().query);
    for (size_t i = 0; i < bound.names.size(); i++) {
      AddRow(r, {Value::Varchar(bound.names[i]), Value::Varchar(bound.types[i].ToString()),
                 Value::Varchar("YES")});
    }
  } else {
    ThrowErrorAt(sqlstate::kUndefinedTable, s.table.position, "relation \"{}\" does not exist",
                 s.table.name);
  }
  FinishSelectTag(r);
  return r;
}

// Statements that change the database when they succeed. INSERT and DROP
// can also change it when they fail, and report that themselves.
bool ChangesDatabase(const sql::Statement& statement) {
  switch (statement.kind) {
    case sql::StatementKind::kCreateSchema:
    case sql::StatementKind::kCreateTable:
    case sql::StatementKind::kCreateView:
    case sql::StatementKind::kDrop:
    case sql::StatementKind::kInsert:
    case sql::StatementKind::kCreateExternalTable:
    case sql::StatementKind::kRefresh:
      return true;
    case sql::StatementKind::kCopy:
      return statement.As<sql::CopyStatement>().is_from;
    default:
      return false;
  }
}

QueryResult Dispatch(StatementContext& ctx, const sql::Statement& statement, bool* changed,
                     const StatementParameters* parameters) {
  DatabaseInstance& db = ctx.db;
  switch (statement.kind) {
    case sql::StatementKind::kSelect:
      return ExecuteSelect(ctx, statement.As<sql::SelectStatement>(), parameters);
    case sql::StatementKind::kExplain:
      return ExecuteExplain(ctx, statement.As<sql::ExplainStatement>(), parameters);
    case sql::StatementKind::kCreateSchema: {
      const auto& s = statement.As<sql::CreateSchemaStatement>();
      db.catalog().CreateSchema(s.name, s.if_not_exists);
      return CommandResult("CREATE SCHEMA");
    }
    case sql::StatementKind::kCreateTable:
      return ExecuteCreateTable(ctx, statement.As<sql::CreateTableStatement>(), parameters);
    case sql::StatementKind::kCreateView:
      return ExecuteCreateView(ctx, statement.As<sql::CreateViewStatement>());
    case sql::StatementKind::kDrop:
      return ExecuteDrop(db, statement.As<sql::DropStatement>(), changed);
    case sql::StatementKind::kInsert: {
      const auto& s = statement.As<sql::InsertStatement>();
      // Looked up under the write mutex: see ExecuteCopy.
      auto lock = db.LockForWriting();
      auto table = RequireWritableTable(db, s.table);
      auto writer = MakeWriter(db, *table, s.overwrite ? WriteMode::kOverwrite : WriteMode::kAppend);
      WriteQuery(ctx, *table, *writer, *s.query, s.columns, s.table.position, parameters);
      idx_t rows = writer->Commit();
      return CommandResult(fmt::format("INSERT 0 {}", rows));
    }
    case sql::StatementKind::kCopy:
      return ExecuteCopy(ctx, statement.As<sql::CopyStatement>());
    case sql::StatementKind::kShow:
      return ExecuteShow(ctx, statement.As<sql::ShowStatement>());
    case sql::StatementKind::kSet: {
      const auto& s = statement.As<sql::SetStatement>();
      if (s.name == "threads") {
        ThrowErrorAt(sqlstate::kFeatureNotSupported, s.position,
                     "threads is fixed when the database starts (--threads N)");
      }
      if (!s.value) {
        ctx.settings.Reset(s.name);
      } else {
        ctx.settings.Set(s.name, s.value->constant_kind == sql::ConstantKind::kNull ? ""
                                                                              : s.value->text);
      }
      return CommandResult("SET");
    }
    case sql::StatementKind::kDescribe:
      return ExecuteDescribe(ctx, statement.As<sql::DescribeStatement>());
    case sql::StatementKind::kAnalyze:
      return ExecuteAnalyze(ctx, statement.As<sql::AnalyzeStatement>());
    case sql::StatementKind::kCreateExternalTable:
      return ExecuteCreateExternalTable(ctx, statement.As<sql::CreateExternalTableStatement>());
    case sql::StatementKind::kRefresh:
      return ExecuteRefresh(ctx, statement.As<sql::RefreshStatement>());
    case sql::StatementKind::kTransaction:
      // Connection::Execute handles these before they get here.
      ThrowErrorAt(sqlstate::kInternalError, statement.position,
                   "transaction statement reached the statement executor");
  }
  ThrowErrorAt(sqlstate::kFeatureNotSupported, statement.position, "statement not supported");
}

// Records the type each parameter placeholder ended up with in `plan`.
void CollectParameterTypes(LogicalOperator& plan, std::vector<LogicalType>* types) {
  ForEachExpression(plan, [&](ExpressionPtr& root) {
    VisitExpression(*root, [&](const Expression& e) {
      if (e.kind != ExprKind::kParameter || e.untyped_literal) return;
      if (e.input_index < types->size() && (*types)[e.input_index].id() == TypeId::kInvalid) {
        (*types)[e.input_index] = e.type;
      }
    });
  });
  for (auto& child : plan.children) CollectParameterTypes(*child, types);
}


}  // namespace

bool RunsOnCatalogService(const sql::Statement& statement) {
  return ChangesDatabase(statement) || statement.kind == sql::StatementKind::kAnalyze;
}

QueryResult ExecuteStatement(StatementContext& ctx, const sql::Statement& statement, bool* changed,
                             const StatementParameters* parameters) {
  bool ignored = false;
  if (!changed) changed = &ignored;
  QueryResult result = Dispatch(ctx, statement, changed, parameters);
  if (ChangesDatabase(statement)) *changed = true;
  return result;
}

QueryResult DescribeStatement(StatementContext& ctx, const sql::Statement& statement,
                              const StatementParameters& parameters,
                              std::vector<LogicalType>* parameter_types) {
  DatabaseInstance& db = ctx.db;
  *parameter_types = parameters.types;
  switch (statement.kind) {
    case sql::StatementKind::kSelect: {
      Binder binder(db.catalog(), &parameters);
      binder.SetSession(SessionOf(ctx));
      BoundQuery bound = binder.BindQuery(*statement.As<sql::SelectStatement>().query);
      if (parameters.describing()) {
        CollectParameterTypes(*bound.plan, parameter_types);
        binder.AddTypesOfParametersOutsidePlan(parameter_types);
      }
      return RowsResult(std::move(bound.names), std::move(bound.types));
    }
    case sql::StatementKind::kExplain:
      // One text column, known without planning (let alone running, for
      // EXPLAIN ANALYZE).
      return RowsResult({"QUERY PLAN"}, {LogicalType(TypeId::kVarchar)});
    case sql::StatementKind::kShow:
    case sql::StatementKind::kDescribe:
      return ExecuteStatement(ctx, statement, nullptr, &parameters);
    default:
      return QueryResult{};
  }
}

}  // namespace basalt
