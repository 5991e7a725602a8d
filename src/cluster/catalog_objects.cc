#include "cluster/catalog_objects.h"

#include <fmt/format.h>

#include "common/exception.h"
#include "common/hyperloglog.h"
#include "exec/serde/value_serde.h"
#include "storage/managed/segment_handle.h"

namespace basalt::cluster {

namespace {

void ColumnsToProto(const std::vector<TableColumn>& columns,
                    google::protobuf::RepeatedPtrField<CatalogColumn>* out) {
  for (const TableColumn& c : columns) {
    CatalogColumn* column = out->Add();
    column->set_name(c.name);
    TypeToProto(c.type, column->mutable_type());
    column->set_not_null(c.not_null);
  }
}

std::vector<TableColumn> ColumnsFromProto(
    const google::protobuf::RepeatedPtrField<CatalogColumn>& columns) {
  std::vector<TableColumn> out;
  for (const CatalogColumn& c : columns) out.push_back({c.name(), TypeFromProto(c.type()), c.not_null()});
  return out;
}

[[noreturn]] void ThrowDamaged(const std::string& what) {
  ThrowError(sqlstate::kProtocolViolation, "the catalog topic holds a damaged object: {}", what);
}

void TableToProto(const TableEntry& table, const TableData* data, CatalogTable* out) {
  out->set_oid(table.oid);
  out->set_schema(table.schema);
  out->set_name(table.name);
  ColumnsToProto(table.columns, out->mutable_columns());
  out->set_partition_column(table.partitioning.column);
  out->set_partition_granularity(TimeGranularityName(table.partitioning.granularity));
  if (table.external) {
    CatalogExternalTable* external = out->mutable_external();
    external->set_format(table.external->format);
    external->set_location(table.external->location);
    for (const auto& [name, value] : table.external->options) {
      CatalogExternalTable::Option* option = external->add_options();
      option->set_name(name);
      ValueToProto(value, option->mutable_value());
    }
    external->set_columns_declared(table.external->columns_declared);
    return;
  }
  if (data) {
    for (const auto& handle : data->segments) {
      const SegmentRecord& r = handle->record();
      CatalogSegment* segment = out->add_segments();
      segment->set_id(r.segment_id);
      segment->set_directory(r.directory);
      segment->set_chunk_start(r.chunk.start);
      segment->set_chunk_end(r.chunk.end);
      segment->set_version(r.version);
      segment->set_partition(r.partition);
      segment->set_num_rows(r.num_rows);
      segment->set_size_bytes(r.size_bytes);
    }
  }
  if (table.storage) {
    for (const HyperLogLog& sketch : table.storage->Sketches()) {
      const std::vector<uint8_t>& registers = sketch.registers();
      out->add_sketches(std::string(registers.begin(), registers.end()));
    }
  }
  if (auto statistics = table.statistics.load()) {
    const TableStatisticsRecord& record = statistics->record;
    CatalogTableStatistics* st = out->mutable_statistics();
    st->set_row_count(record.row_count);
    st->set_analyzed_at(record.analyzed_at);
    for (const ColumnStatisticsRecord& c : record.columns) {
      CatalogColumnStatistics* column = st->add_columns();
      column->set_column(c.column);
      column->set_distinct_count(c.distinct_count);
      column->set_null_count(c.null_count);
      column->set_has_bounds(c.has_bounds);
      column->set_min(c.min);
      column->set_max(c.max);
    }
  }
}

// A segment directory from the topic must stay inside the warehouse.
bool SafeRelativeDirectory(const std::string& directory) {
  if (directory.empty() || directory.front() == '/' || !directory.starts_with("warehouse/")) {
    return false;
  }
  size_t start = 0;
  while (start <= directory.size()) {
    size_t end = directory.find('/', start);
    if (end == std::string::npos) end = directory.size();
    std::string_view part(directory.data() + start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

std::map<std::string, std::string> CatalogObjectEntries(const CatalogSnapshot& snapshot) {
  std::map<std::string, std::string> entries;
  for (const CatalogSnapshot::Schema& schema : snapshot.schemas) {
    CatalogObject object;
    object.mutable_schema()->set_oid(schema.oid);
    object.mutable_schema()->set_name(schema.name);
    entries["schema/" + schema.name] = object.SerializeAsString();
    for (size_t i = 0; i < schema.tables.size(); i++) {
      const TableEntry& table = *schema.tables[i];
      const TableData* data = schema.table_data[i].get();
      const bool in_memory = !table.external && (!snapshot.managed || (data && !data->batches.empty()));
      if (in_memory) continue;
      CatalogObject table_object;
      TableToProto(table, data, table_object.mutable_table());
      entries["table/" + schema.name + "/" + table.name] = table_object.SerializeAsString();
    }
    for (const auto& view : schema.views) {
      CatalogObject view_object;
      CatalogView* v = view_object.mutable_view();
      v->set_oid(view->oid);
      v->set_schema(view->schema);
      v->set_name(view->name);
      v->set_query_text(view->query_text);
      for (const std::string& name : view->column_names) v->add_column_names(name);
      ColumnsToProto(view->columns, v->mutable_columns());
      entries["view/" + schema.name + "/" + view->name] = view_object.SerializeAsString();
    }
  }
  return entries;
}

std::shared_ptr<TableEntry> TableFromObject(const CatalogTable& m, const std::string& data_dir) {
  auto table = std::make_shared<TableEntry>();
  table->schema = m.schema();
  table->name = m.name();
  table->oid = m.oid();
  table->columns = ColumnsFromProto(m.columns());
  if (m.partition_column() >= 0) {
    if (size_t(m.partition_column()) >= table->columns.size() ||
        !ParseTimeGranularity(m.partition_granularity(), &table->partitioning.granularity)) {
      ThrowDamaged(fmt::format("table \"{}.{}\" is partitioned by column {} ({})", m.schema(),
                               m.name(), m.partition_column(), m.partition_granularity()));
    }
    table->partitioning.column = m.partition_column();
  }
  if (m.has_external()) {
    auto external = std::make_shared<ExternalTableRecord>();
    external->format = m.external().format();
    external->location = m.external().location();
    for (const auto& option : m.external().options()) {
      external->options.emplace_back(option.name(), ValueFromProto(option.value()));
    }
    external->columns_declared = m.external().columns_declared();
    table->external = std::move(external);
    return table;
  }
  table->storage = std::make_shared<DataTable>(table->Types());
  auto data = std::make_shared<TableData>();
  for (const CatalogSegment& s : m.segments()) {
    if (s.id().empty() || s.id().find('/') != std::string::npos ||
        !SafeRelativeDirectory(s.directory())) {
      ThrowDamaged(fmt::format("segment \"{}\" of table \"{}.{}\" in directory \"{}\"", s.id(),
                               m.schema(), m.name(), s.directory()));
    }
    SegmentRecord record;
    record.segment_id = s.id();
    record.table_oid = m.oid();
    record.chunk = {s.chunk_start(), s.chunk_end()};
    record.version = s.version();
    record.partition = s.partition();
    record.num_rows = s.num_rows();
    record.size_bytes = s.size_bytes();
    record.directory = s.directory();
    std::string absolute = data_dir + "/" + s.directory();
    // No removal queue and never retired: only the catalog node removes files.
    data->segments.push_back(
        std::make_shared<SegmentHandle>(std::move(record), std::move(absolute), nullptr));
    data->row_count += s.num_rows();
  }
  std::vector<HyperLogLog> sketches(table->columns.size());
  for (int i = 0; i < m.sketches_size() && size_t(i) < sketches.size(); i++) {
    const std::string& bytes = m.sketches(i);
    // A damaged sketch only costs estimates, as at start-up.
    HyperLogLog::FromRegisters(std::vector<uint8_t>(bytes.begin(), bytes.end()), &sketches[size_t(i)]);
  }
  table->storage->Install(std::move(data), std::move(sketches));
  if (m.has_statistics()) {
    TableStatisticsRecord record;
    record.table_oid = m.oid();
    record.row_count = m.statistics().row_count();
    record.analyzed_at = m.statistics().analyzed_at();
    for (const CatalogColumnStatistics& c : m.statistics().columns()) {
      record.columns.push_back(
          {c.column(), c.distinct_count(), c.null_count(), c.has_bounds(), c.min(), c.max()});
    }
    table->statistics = MakeTableStatistics(std::move(record), table->Types());
  }
  return table;
}

std::shared_ptr<ViewEntry> ViewFromObject(const CatalogView& m) {
  auto view = std::make_shared<ViewEntry>();
  view->schema = m.schema();
  view->name = m.name();
  view->oid = m.oid();
  view->query_text = m.query_text();
  view->column_names.assign(m.column_names().begin(), m.column_names().end());
  view->columns = ColumnsFromProto(m.columns());
  return view;
}

}  // namespace basalt::cluster
