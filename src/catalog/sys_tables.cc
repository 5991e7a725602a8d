// Basalt's own system tables, the `sys` schema: what the catalog holds in
// Basalt's terms (sys.tables, sys.columns) and the segments of managed
// tables (sys.segments). Design: docs/system_tables.md; segments, versions
// and retirement: docs/managed_storage.md.
//
// Everything comes from the statement's CatalogSnapshot: the tables' rows
// (TableData) and the retired segments were taken with it, so sys.tables and
// sys.segments agree within a query.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/system_table.h"
#include "storage/managed/segment_handle.h"
#include "storage/managed/time_chunk.h"

namespace basalt {
namespace {

Value Str(std::string s) { return Value::Varchar(std::move(s)); }
Value B(bool b) { return Value::Boolean(b); }
Value I4(int32_t v) { return Value::Integer(v); }
Value I8(uint64_t v) { return Value::Bigint(static_cast<int64_t>(v)); }
Value Null() { return Value::Null(); }

// A column whose PostgreSQL type is the one its Basalt type is sent as.
SystemColumn Column(std::string name, TypeId type) {
  LogicalType logical(type);
  return {std::move(name), logical, PgTypeOfColumn(logical)};
}

// Undoes PathComponent (time_chunk.h): %XX back to the byte, "%" alone to
// the empty name.
std::string DecodePathComponent(std::string_view component) {
  if (component == "%") return "";
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < component.size(); i++) {
    if (component[i] == '%' && i + 2 < component.size()) {
      int high = hex(component[i + 1]);
      int low = hex(component[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += component[i];
  }
  return out;
}

// The rows of a schema's i-th table as the snapshot took them (null if not).
const TableData* DataOf(const CatalogSnapshot::Schema& schema, size_t i) {
  return i < schema.table_data.size() ? schema.table_data[i].get() : nullptr;
}

struct TableName {
  std::string schema;
  std::string table;
};

// The schema and table of a retired segment: its table's names when the
// table still exists (an overwrite), else those its directory was named
// after (warehouse/<schema>/<table>/<segment-id>; a dropped table).
TableName TableNameOf(const SystemTableInputs& in, const SegmentRecord& record) {
  for (const auto& s : in.catalog.schemas) {
    for (const auto& t : s.tables) {
      if (t->oid == record.table_oid) return {s.name, t->name};
    }
  }
  std::vector<std::string_view> parts;
  std::string_view dir = record.directory;
  size_t from = 0;
  while (from <= dir.size()) {
    size_t slash = dir.find('/', from);
    if (slash == std::string_view::npos) slash = dir.size();
    parts.push_back(dir.substr(from, slash - from));
    from = slash + 1;
  }
  if (parts.size() < 4) return {"", ""};
  return {DecodePathComponent(parts[parts.size() - 3]),
          DecodePathComponent(parts[parts.size() - 2])};
}

void AddSegmentRow(SystemRows& rows, const TableName& name, const SegmentHandle& segment,
                   bool visible) {
  const SegmentRecord& r = segment.record();
  rows.Add({Str(r.segment_id), Str(name.schema), Str(name.table),
            Str(FormatChunkBound(r.chunk.start)), Str(FormatChunkBound(r.chunk.end)),
            Value::Bigint(r.version), I4(r.partition), I8(r.num_rows), I8(r.size_bytes), B(visible),
            B(segment.IsAvailable()), B(!visible)});
}

void SegmentsRows(const SystemTableInputs& in, SystemRows& rows) {
  std::set<const SegmentHandle*> listed;
  for (const auto& s : in.catalog.schemas) {
    for (size_t i = 0; i < s.tables.size(); i++) {
      const TableData* data = DataOf(s, i);
      if (!data) continue;
      TableName name{s.name, s.tables[i]->name};
      for (const auto& segment : data->segments) {
        AddSegmentRow(rows, name, *segment, true);
        listed.insert(segment.get());
      }
    }
  }
  std::vector<const SegmentHandle*> retired;
  for (const auto& segment : in.catalog.retired_segments) {
    // Retired after the snapshot took its table's rows: still visible here.
    if (!listed.count(segment.get())) retired.push_back(segment.get());
  }
  std::sort(retired.begin(), retired.end(),
            [](const SegmentHandle* a, const SegmentHandle* b) { return a->id() < b->id(); });
  for (const SegmentHandle* segment : retired) {
    AddSegmentRow(rows, TableNameOf(in, segment->record()), *segment, false);
  }
}

void TablesRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& s : in.catalog.schemas) {
    for (size_t i = 0; i < s.tables.size(); i++) {
      const TableEntry& t = *s.tables[i];
      const TableData* data = DataOf(s, i);
      uint64_t num_rows = data ? data->row_count : 0;
      uint64_t num_segments = data ? data->segments.size() : 0;
      uint64_t size_bytes = 0;
      if (data) {
        for (const auto& segment : data->segments) size_bytes += segment->record().size_bytes;
      }
      const TablePartitioning& p = t.partitioning;
      bool partitioned = p.partitioned() && static_cast<size_t>(p.column) < t.columns.size();
      // An external table's rows are its files, which only a scan counts.
      const bool external = t.external != nullptr;
      rows.Add({Str(s.name), Str(t.name), I8(t.oid),
                Str(external ? "external" : in.catalog.managed ? "managed" : "memory"),
                partitioned ? Str(t.columns[p.column].name) : Null(),
                Str(TimeGranularityName(partitioned ? p.granularity : TimeGranularity::kNone)),
                external ? Null() : I8(num_rows), I8(num_segments), I8(size_bytes),
                external ? Str(t.external->format) : Null(),
                external ? Str(t.external->location) : Null()});
    }
  }
}

void ColumnsRows(const SystemTableInputs& in, SystemRows& rows) {
  for (const auto& s : in.catalog.schemas) {
    for (const auto& t : s.tables) {
      int32_t ordinal = 0;
      for (const auto& c : t->columns) {
        rows.Add({Str(s.name), Str(t->name), Str(c.name), I4(++ordinal), Str(c.type.ToString()),
                  B(!c.not_null)});
      }
    }
  }
}

void QueriesRows(const SystemTableInputs& in, SystemRows& rows) {
  if (!in.session.queries) return;
  for (const QueryLogRow& q : in.session.queries()) {
    auto text = [](const std::string& s) { return s.empty() ? Null() : Str(s); };
    const bool ended = q.end_micros > 0;
    rows.Add({Str(q.id), Str(q.sql), Str(q.user), Str(q.client), Str(q.state),
              Value::Timestamp(q.start_micros),
              ended ? Value::Timestamp(q.end_micros) : Null(),
              ended ? Value::Double(static_cast<double>(q.end_micros - q.start_micros) / 1e3)
                    : Null(),
              I8(q.rows), I8(q.rows_scanned), I8(q.peak_memory), text(q.error_code),
              text(q.error_message)});
  }
}

SystemTable Table(std::string name, uint32_t oid, std::vector<SystemColumn> columns,
                  void (*produce)(const SystemTableInputs&, SystemRows&)) {
  // 'v' in pg_class: rows made when read, like information_schema's.
  return SystemTable{kSysSchema, std::move(name), oid, 'v', std::move(columns), produce};
}

}  // namespace

void RegisterSysTables(SystemTables& tables) {
  tables.Add(Table("tables", kSysSchemaOid + 1,
                   {Column("schema", TypeId::kVarchar), Column("table", TypeId::kVarchar),
                    Column("oid", TypeId::kBigint), Column("kind", TypeId::kVarchar),
                    Column("partition_column", TypeId::kVarchar),
                    Column("granularity", TypeId::kVarchar), Column("num_rows", TypeId::kBigint),
                    Column("num_segments", TypeId::kBigint), Column("size_bytes", TypeId::kBigint),
                    Column("format", TypeId::kVarchar), Column("location", TypeId::kVarchar)},
                   TablesRows));
  tables.Add(Table("columns", kSysSchemaOid + 2,
                   {Column("schema", TypeId::kVarchar), Column("table", TypeId::kVarchar),
                    Column("column_name", TypeId::kVarchar), Column("ordinal", TypeId::kInteger),
                    Column("type", TypeId::kVarchar), Column("nullable", TypeId::kBoolean)},
                   ColumnsRows));
  tables.Add(
      Table("segments", kSysSchemaOid + 3,
            {Column("segment_id", TypeId::kVarchar), Column("schema", TypeId::kVarchar),
             Column("table", TypeId::kVarchar), Column("start", TypeId::kVarchar),
             Column("end", TypeId::kVarchar), Column("version", TypeId::kBigint),
             Column("partition", TypeId::kInteger), Column("num_rows", TypeId::kBigint),
             Column("size_bytes", TypeId::kBigint), Column("is_published", TypeId::kBoolean),
             Column("is_available", TypeId::kBoolean), Column("is_overshadowed", TypeId::kBoolean)},
            SegmentsRows));
  // Running and finished queries (docs/http_api.md): times in UTC.
  tables.Add(Table("queries", kSysSchemaOid + 4,
                   {Column("query_id", TypeId::kVarchar), Column("query_text", TypeId::kVarchar),
                    Column("user_name", TypeId::kVarchar), Column("client", TypeId::kVarchar),
                    Column("state", TypeId::kVarchar), Column("start_time", TypeId::kTimestamp),
                    Column("end_time", TypeId::kTimestamp), Column("duration_ms", TypeId::kDouble),
                    Column("rows", TypeId::kBigint), Column("rows_scanned", TypeId::kBigint),
                    Column("peak_memory", TypeId::kBigint), Column("error_code", TypeId::kVarchar),
                    Column("error_message", TypeId::kVarchar)},
                   QueriesRows));
}

}  // namespace basalt
