#include "main/table_statistics_statements.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>

#include "common/exception.h"
#include "exec/fragment.h"
#include "exec/operators/column_statistics.h"
#include "exec/operators/table_scan.h"
#include "exec/query_executor.h"
#include "main/running_statement.h"

namespace basalt {

namespace {

std::shared_ptr<TableEntry> RequireTable(DatabaseInstance& db, const sql::QualifiedName& name) {
  const std::string schema = name.schema.empty() ? kDefaultSchema : name.schema;
  try {
    if (auto table = db.catalog().GetTable(schema, name.name)) return table;
    if (db.catalog().GetView(schema, name.name)) {
      ThrowErrorAt(sqlstate::kWrongObjectType, name.position, "\"{}\" is a view, not a table",
                   name.name);
    }
  } catch (const BasaltError& e) {
    // An unknown schema: point at the name.
    if (e.HasPosition()) throw;
    throw BasaltError(e.code(), e.what(), name.position);
  }
  ThrowErrorAt(sqlstate::kUndefinedTable, name.position, "relation \"{}\" does not exist",
               name.name);
}

// Scan -> ColumnStatistics in one fragment of db.parallelism() instances,
// whose (empty) output a root fragment gathers: the scan and the work on its
// rows run on every worker, as a query's would.
FragmentedPlan StatisticsPlan(DatabaseInstance& db, const std::shared_ptr<TableEntry>& table,
                              const std::shared_ptr<ColumnStatisticsSink>& sink) {
  auto scan = std::make_unique<TableScanNode>();
  scan->id = 2;
  scan->types = table->Types();
  scan->estimated_rows = static_cast<double>(table->storage->RowCount());
  scan->table = table;
  for (idx_t c = 0; c < table->columns.size(); c++) scan->column_ids.push_back(c);

  auto statistics = std::make_unique<ColumnStatisticsNode>();
  statistics->id = 1;
  statistics->sink = sink;
  statistics->input_types = scan->types;
  statistics->children.push_back(std::move(scan));

  auto receiver = std::make_unique<ExchangeReceiverNode>();
  receiver->id = 0;
  receiver->exchange_id = 0;
  receiver->exchange_type = ExchangeType::kGather;
  receiver->source_fragment = 1;

  FragmentedPlan plan;
  plan.fragments.resize(2);
  PlanFragment& root = plan.fragments[0];
  root.id = 0;
  root.root = std::move(receiver);
  root.parallelism = 1;
  root.output_exchange = kClientExchange;
  PlanFragment& scan_fragment = plan.fragments[1];
  scan_fragment.id = 1;
  scan_fragment.root = std::move(statistics);
  scan_fragment.parallelism = db.parallelism();
  scan_fragment.output_exchange = 0;
  scan_fragment.output_type = ExchangeType::kGather;
  plan.num_exchanges = 1;
  plan.exchange_consumer = {0};
  return plan;
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void AnalyzeTable(DatabaseInstance& db, const std::shared_ptr<TableEntry>& table) {
  const std::vector<LogicalType> types = table->Types();
  // Taken before the scan takes its own: if they differ, a write came in
  // between, and ReplaceSketches below leaves the sketches alone.
  const std::shared_ptr<const TableData> scanned = table->storage->Snapshot();
  auto sink = std::make_shared<ColumnStatisticsSink>(types);
  {
    QueryExecution execution(StatisticsPlan(db, table, sink), db.scheduler());
    AttachedExecution attached(&execution);  // so that Connection::Cancel stops it
    execution.Start();
    DataChunk chunk;
    while (execution.Next(chunk)) chunk = DataChunk();
  }
  const ColumnStatisticsAccumulator& total = sink->total();

  TableStatisticsRecord record;
  record.table_oid = table->oid;
  record.row_count = total.row_count();
  record.analyzed_at = NowMicros();
  for (size_t c = 0; c < types.size(); c++) {
    ColumnStatisticsRecord column;
    column.column = static_cast<uint32_t>(c);
    column.null_count = total.null_count(c);
    // The sketch's estimate may overshoot slightly; there are no more
    // distinct values than non-NULL ones.
    column.distinct_count = std::min(total.sketches()[c].Estimate(),
                                     static_cast<double>(record.row_count - column.null_count));
    Value min = total.Min(c);
    Value max = total.Max(c);
    column.has_bounds = !min.IsNull() && !max.IsNull();
    if (column.has_bounds) {
      column.min = CutUtf8(min.ToString(), kMaxStatisticsBoundBytes);
      column.max = CutUtf8(max.ToString(), kMaxStatisticsBoundBytes);
    }
    record.columns.push_back(std::move(column));
  }
  std::shared_ptr<const TableStatistics> statistics = MakeTableStatistics(record, types);

  // Under the write mutex no write can install a version between the check
  // and the replacement, so the stored and the in-memory sketches agree.
  auto lock = db.LockForWriting();
  // Dropped (or replaced, or its schema dropped) while it was scanned:
  // nothing to store. DROP takes the write mutex too, so none can race past
  // this check.
  std::shared_ptr<TableEntry> current;
  try {
    current = db.catalog().GetTable(table->schema, table->name);
  } catch (const BasaltError&) {
  }
  if (current != table) return;
  const bool sketches_fresh = table->storage->Snapshot() == scanned;
  if (Warehouse* warehouse = db.warehouse()) {
    // Stored first (statistics and sketches in one transaction), then made
    // visible in memory, as every catalog change.
    std::vector<ColumnSketchRecord> sketches;
    if (sketches_fresh) {
      for (size_t c = 0; c < types.size(); c++) {
        sketches.push_back({table->oid, static_cast<uint32_t>(c), total.sketches()[c].registers()});
      }
    }
    warehouse->store().SaveStatistics(record, sketches);
  }
  if (sketches_fresh) table->storage->ReplaceSketches(scanned, total.sketches());
  table->statistics.store(std::move(statistics));
}

QueryResult RowsResult(std::vector<std::string> names, std::vector<LogicalType> types) {
  QueryResult r;
  r.returns_rows = true;
  r.column_names = std::move(names);
  r.column_types = std::move(types);
  return r;
}

void AddRow(QueryResult& r, const std::vector<Value>& row) {
  if (r.chunks.empty() || r.chunks.back().size() == kBatchSize) {
    r.chunks.emplace_back(r.column_types);
  }
  DataChunk& c = r.chunks.back();
  for (size_t i = 0; i < row.size(); i++) c.column(i).SetValue(c.size(), row[i]);
  c.SetSize(c.size() + 1);
}

}  // namespace

QueryResult ExecuteAnalyze(StatementContext& ctx, const sql::AnalyzeStatement& statement) {
  DatabaseInstance& db = ctx.db;
  if (!statement.table.empty()) {
    std::shared_ptr<TableEntry> table = RequireTable(db, statement.table);
    // Statistics of files that can change behind Basalt's back would go
    // stale unnoticed, so external tables keep none.
    if (table->external) {
      ThrowErrorAt(sqlstate::kFeatureNotSupported, statement.table.position,
                   "ANALYZE of an external table (\"{}\") is not supported", table->name);
    }
    AnalyzeTable(db, table);
  } else {
    for (const auto& schema : db.catalog().Snapshot().schemas) {
      for (const auto& table : schema.tables) {
        if (!table->external) AnalyzeTable(db, table);
      }
    }
  }
  QueryResult r;
  r.tag = "ANALYZE";
  return r;
}

QueryResult ExecuteShowStats(StatementContext& ctx, const sql::ShowStatement& statement) {
  std::shared_ptr<TableEntry> table = RequireTable(ctx.db, statement.table);
  const LogicalType text(TypeId::kVarchar);
  const LogicalType count(TypeId::kBigint);
  QueryResult r =
      RowsResult({"column_name", "type", "distinct_count", "null_count", "min", "max", "row_count",
                  "analyzed_at"},
                 {text, text, count, count, text, text, count, LogicalType(TypeId::kTimestamp)});
  std::shared_ptr<const TableStatistics> statistics = table->statistics.load();
  const Value row_count = Value::Bigint(
      static_cast<int64_t>(statistics ? statistics->record.row_count : table->storage->RowCount()));
  const Value analyzed_at = statistics ? Value::Timestamp(statistics->record.analyzed_at)
                                       : Value::Null(LogicalType(TypeId::kTimestamp));
  for (size_t c = 0; c < table->columns.size(); c++) {
    const ColumnStatisticsRecord* column = statistics ? statistics->Find(c) : nullptr;
    std::vector<Value> row = {Value::Varchar(table->columns[c].name),
                              Value::Varchar(table->columns[c].type.ToString())};
    if (column) {
      row.push_back(Value::Bigint(std::llround(column->distinct_count)));
      row.push_back(Value::Bigint(static_cast<int64_t>(column->null_count)));
      row.push_back(column->has_bounds ? Value::Varchar(column->min) : Value::Null(text));
      row.push_back(column->has_bounds ? Value::Varchar(column->max) : Value::Null(text));
    } else {
      for (const LogicalType& type : {count, count, text, text}) row.push_back(Value::Null(type));
    }
    row.push_back(row_count);
    row.push_back(analyzed_at);
    AddRow(r, row);
  }
  r.tag = "SELECT " + std::to_string(table->columns.size());
  return r;
}

}  // namespace basalt
