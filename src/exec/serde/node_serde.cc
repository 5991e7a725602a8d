// Physical nodes to and from their plan messages (NodeToProto /
// NodeFromProto of plan_serde.h): one case per node kind.
#include <fmt/format.h>

#include <optional>

#include "catalog/catalog.h"
#include "catalog/system_table.h"
#include "common/exception.h"
#include "exec/fragment.h"
#include "exec/operators/column_statistics.h"
#include "exec/operators/file_scan.h"
#include "exec/operators/filter.h"
#include "exec/operators/hash_aggregate.h"
#include "exec/operators/hash_join.h"
#include "exec/operators/json_scan.h"
#include "exec/operators/limit.h"
#include "exec/operators/nested_loop_join.h"
#include "exec/operators/parquet_scan.h"
#include "exec/operators/projection.h"
#include "exec/operators/sort.h"
#include "exec/operators/table_scan.h"
#include "exec/operators/top_n.h"
#include "exec/operators/union_all.h"
#include "exec/operators/values.h"
#include "exec/operators/window.h"
#include "exec/serde/expression_serde.h"
#include "exec/serde/plan_serde.h"
#include "exec/serde/value_serde.h"
#include "storage/managed/segment_handle.h"

namespace basalt {

namespace {

// PostgreSQL's serialization_failure: the receiver's table is not the one
// the plan was made against.
constexpr const char* kTableChanged = "40001";

using google::protobuf::RepeatedField;
using google::protobuf::RepeatedPtrField;

// ------------------------------------------------------------ small pieces

plan::JoinType JoinTypeToProto(JoinType t) {
  switch (t) {
    case JoinType::kInner:
      return plan::JOIN_TYPE_INNER;
    case JoinType::kLeft:
      return plan::JOIN_TYPE_LEFT;
    case JoinType::kRight:
      return plan::JOIN_TYPE_RIGHT;
    case JoinType::kFull:
      return plan::JOIN_TYPE_FULL;
    case JoinType::kSemi:
      return plan::JOIN_TYPE_SEMI;
    case JoinType::kAnti:
      return plan::JOIN_TYPE_ANTI;
    case JoinType::kCross:
      return plan::JOIN_TYPE_CROSS;
  }
  ThrowError(sqlstate::kInternalError, "plan serialization: unknown join type {}",
             static_cast<int>(t));
}

JoinType JoinTypeFromProto(plan::JoinType t) {
  switch (t) {
    case plan::JOIN_TYPE_INNER:
      return JoinType::kInner;
    case plan::JOIN_TYPE_LEFT:
      return JoinType::kLeft;
    case plan::JOIN_TYPE_RIGHT:
      return JoinType::kRight;
    case plan::JOIN_TYPE_FULL:
      return JoinType::kFull;
    case plan::JOIN_TYPE_SEMI:
      return JoinType::kSemi;
    case plan::JOIN_TYPE_ANTI:
      return JoinType::kAnti;
    case plan::JOIN_TYPE_CROSS:
      return JoinType::kCross;
    default:
      break;
  }
  ThrowMalformedPlan("unknown join type {}", static_cast<int>(t));
}

plan::WindowFunctionKind WindowKindToProto(WindowFunctionKind k) {
  switch (k) {
    case WindowFunctionKind::kRowNumber:
      return plan::WINDOW_FUNCTION_ROW_NUMBER;
    case WindowFunctionKind::kRank:
      return plan::WINDOW_FUNCTION_RANK;
    case WindowFunctionKind::kDenseRank:
      return plan::WINDOW_FUNCTION_DENSE_RANK;
    case WindowFunctionKind::kNtile:
      return plan::WINDOW_FUNCTION_NTILE;
    case WindowFunctionKind::kLag:
      return plan::WINDOW_FUNCTION_LAG;
    case WindowFunctionKind::kLead:
      return plan::WINDOW_FUNCTION_LEAD;
    case WindowFunctionKind::kFirstValue:
      return plan::WINDOW_FUNCTION_FIRST_VALUE;
    case WindowFunctionKind::kLastValue:
      return plan::WINDOW_FUNCTION_LAST_VALUE;
    case WindowFunctionKind::kAggregate:
      return plan::WINDOW_FUNCTION_AGGREGATE;
  }
  ThrowError(sqlstate::kInternalError, "plan serialization: unknown window function kind {}",
             static_cast<int>(k));
}

WindowFunctionKind WindowKindFromProto(plan::WindowFunctionKind k) {
  switch (k) {
    case plan::WINDOW_FUNCTION_ROW_NUMBER:
      return WindowFunctionKind::kRowNumber;
    case plan::WINDOW_FUNCTION_RANK:
      return WindowFunctionKind::kRank;
    case plan::WINDOW_FUNCTION_DENSE_RANK:
      return WindowFunctionKind::kDenseRank;
    case plan::WINDOW_FUNCTION_NTILE:
      return WindowFunctionKind::kNtile;
    case plan::WINDOW_FUNCTION_LAG:
      return WindowFunctionKind::kLag;
    case plan::WINDOW_FUNCTION_LEAD:
      return WindowFunctionKind::kLead;
    case plan::WINDOW_FUNCTION_FIRST_VALUE:
      return WindowFunctionKind::kFirstValue;
    case plan::WINDOW_FUNCTION_LAST_VALUE:
      return WindowFunctionKind::kLastValue;
    case plan::WINDOW_FUNCTION_AGGREGATE:
      return WindowFunctionKind::kAggregate;
    default:
      break;
  }
  ThrowMalformedPlan("unknown window function kind {}", static_cast<int>(k));
}

plan::WindowBoundKind BoundToProto(WindowBoundKind b) {
  switch (b) {
    case WindowBoundKind::kUnboundedPreceding:
      return plan::WINDOW_BOUND_UNBOUNDED_PRECEDING;
    case WindowBoundKind::kPreceding:
      return plan::WINDOW_BOUND_PRECEDING;
    case WindowBoundKind::kCurrentRow:
      return plan::WINDOW_BOUND_CURRENT_ROW;
    case WindowBoundKind::kFollowing:
      return plan::WINDOW_BOUND_FOLLOWING;
    case WindowBoundKind::kUnboundedFollowing:
      return plan::WINDOW_BOUND_UNBOUNDED_FOLLOWING;
  }
  ThrowError(sqlstate::kInternalError, "plan serialization: unknown window bound {}",
             static_cast<int>(b));
}

WindowBoundKind BoundFromProto(plan::WindowBoundKind b) {
  switch (b) {
    case plan::WINDOW_BOUND_UNBOUNDED_PRECEDING:
      return WindowBoundKind::kUnboundedPreceding;
    case plan::WINDOW_BOUND_PRECEDING:
      return WindowBoundKind::kPreceding;
    case plan::WINDOW_BOUND_CURRENT_ROW:
      return WindowBoundKind::kCurrentRow;
    case plan::WINDOW_BOUND_FOLLOWING:
      return WindowBoundKind::kFollowing;
    case plan::WINDOW_BOUND_UNBOUNDED_FOLLOWING:
      return WindowBoundKind::kUnboundedFollowing;
    default:
      break;
  }
  ThrowMalformedPlan("unknown window frame bound {}", static_cast<int>(b));
}

void TypesToProto(const std::vector<LogicalType>& types, RepeatedPtrField<plan::LogicalType>* out) {
  for (const LogicalType& t : types) TypeToProto(t, out->Add());
}

std::vector<LogicalType> TypesFromProto(const RepeatedPtrField<plan::LogicalType>& types) {
  std::vector<LogicalType> out;
  out.reserve(types.size());
  for (const plan::LogicalType& t : types) out.push_back(TypeFromProto(t));
  return out;
}

template <typename Int>
void IdsToProto(const std::vector<Int>& ids, RepeatedField<uint64_t>* out) {
  for (Int id : ids) out->Add(static_cast<uint64_t>(id));
}

// Column numbers, each checked against the number of columns they index.
std::vector<idx_t> IdsFromProto(const RepeatedField<uint64_t>& ids, idx_t limit, const char* what) {
  std::vector<idx_t> out;
  out.reserve(ids.size());
  for (uint64_t id : ids) {
    if (id >= limit) ThrowMalformedPlan("{} #{} of {} columns", what, id, limit);
    out.push_back(id);
  }
  return out;
}

std::vector<std::string> StringsFromProto(const RepeatedPtrField<std::string>& strings) {
  return {strings.begin(), strings.end()};
}

void ExpressionsToProto(const std::vector<ExpressionPtr>& exprs,
                        RepeatedPtrField<plan::Expression>* out) {
  for (const auto& e : exprs) ExpressionToProto(*e, out->Add());
}

std::vector<ExpressionPtr> ExpressionsFromProto(const RepeatedPtrField<plan::Expression>& exprs,
                                                const std::vector<LogicalType>& input,
                                                FunctionRebinder& functions) {
  std::vector<ExpressionPtr> out;
  out.reserve(exprs.size());
  for (const plan::Expression& e : exprs) out.push_back(ExpressionFromProto(e, input, functions));
  return out;
}

void SortKeysToProto(const std::vector<SortKey>& keys, RepeatedPtrField<plan::SortKey>* out) {
  for (const SortKey& k : keys) {
    plan::SortKey* m = out->Add();
    ExpressionToProto(*k.expr, m->mutable_expr());
    m->set_descending(k.descending);
    m->set_nulls_first(k.nulls_first);
  }
}

std::vector<SortKey> SortKeysFromProto(const RepeatedPtrField<plan::SortKey>& keys,
                                       const std::vector<LogicalType>& input,
                                       FunctionRebinder& functions) {
  std::vector<SortKey> out;
  for (const plan::SortKey& m : keys) {
    if (!m.has_expr()) ThrowMalformedPlan("a sort key without its expression");
    SortKey k;
    k.expr = ExpressionFromProto(m.expr(), input, functions);
    k.descending = m.descending();
    k.nulls_first = m.nulls_first();
    out.push_back(std::move(k));
  }
  return out;
}

void VirtualColumnsToProto(const FileVirtualColumns& v, plan::FileVirtualColumns* out) {
  out->set_file_column_count(v.file_column_count);
  for (const auto& n : v.names) out->add_names(n);
  TypesToProto(v.types, out->mutable_types());
  for (const auto& file : v.values) {
    plan::FileVirtualColumns::FileValues* f = out->add_values();
    for (const Value& value : file) ValueToProto(value, f->add_values());
  }
}

std::shared_ptr<const FileVirtualColumns> VirtualColumnsFromProto(const plan::FileVirtualColumns& m,
                                                                  size_t file_count) {
  auto v = std::make_shared<FileVirtualColumns>();
  v->file_column_count = m.file_column_count();
  v->names = StringsFromProto(m.names());
  v->types = TypesFromProto(m.types());
  if (v->names.size() != v->types.size() || static_cast<size_t>(m.values_size()) != file_count) {
    ThrowMalformedPlan("virtual columns with {} names, {} types and values for {} of {} files",
                       v->names.size(), v->types.size(), m.values_size(), file_count);
  }
  for (const auto& f : m.values()) {
    if (static_cast<size_t>(f.values_size()) != v->names.size()) {
      ThrowMalformedPlan("{} virtual column values for {} virtual columns", f.values_size(),
                         v->names.size());
    }
    std::vector<Value>& row = v->values.emplace_back();
    for (const auto& value : f.values()) {
      // Each becomes a constant vector that the scan's consumers read as
      // the column's type.
      const LogicalType& type = v->types[row.size()];
      Value parsed = ValueFromProto(value);
      if (parsed.IsNull()) {
        parsed = Value::Null(type);
      } else if (parsed.type() != type) {
        ThrowMalformedPlan("a virtual column of type {} with a {} value", type.ToString(),
                           parsed.type().ToString());
      }
      row.push_back(std::move(parsed));
    }
  }
  return v;
}

void CsvOptionsToProto(const CsvOptions& o, plan::CsvOptions* out) {
  out->set_delimiter(static_cast<unsigned char>(o.delimiter));
  out->set_quote(static_cast<unsigned char>(o.quote));
  out->set_escape(static_cast<unsigned char>(o.escape));
  out->set_header(o.header);
  out->set_null_string(o.null_string);
  out->set_format_set(o.format_set);
  out->set_delimiter_set(o.delimiter_set);
  out->set_quote_set(o.quote_set);
  out->set_escape_set(o.escape_set);
  out->set_header_set(o.header_set);
  out->set_null_set(o.null_set);
}

char ByteFromProto(uint32_t v, const char* what) {
  if (v > 0xFF) ThrowMalformedPlan("CSV {} {} is not one byte", what, v);
  return static_cast<char>(static_cast<unsigned char>(v));
}

std::shared_ptr<const CsvOptions> CsvOptionsFromProto(const plan::CsvOptions& m) {
  auto o = std::make_shared<CsvOptions>();
  o->delimiter = ByteFromProto(m.delimiter(), "delimiter");
  o->quote = ByteFromProto(m.quote(), "quote");
  o->escape = ByteFromProto(m.escape(), "escape");
  o->header = m.header();
  o->null_string = m.null_string();
  o->format_set = m.format_set();
  o->delimiter_set = m.delimiter_set();
  o->quote_set = m.quote_set();
  o->escape_set = m.escape_set();
  o->header_set = m.header_set();
  o->null_set = m.null_set();
  return o;
}

// Scan columns: the files' own, then the virtual ones.
idx_t ScanColumnCount(size_t file_columns, const FileVirtualColumns* v) {
  if (!v) return file_columns;
  if (v->file_column_count != file_columns) {
    ThrowMalformedPlan("virtual columns numbered from {} in a scan of {} file columns",
                       v->file_column_count, file_columns);
  }
  return file_columns + v->names.size();
}

// ------------------------------------------------------------ table scans

// A table that exists only in the plan (a system table materialized when
// the query was bound, generate_series's rows) travels with its rows; any
// other is a catalog table, looked up by name where the plan arrives.
bool TravelsWithRows(const TableEntry& table) {
  return table.oid == 0 || SystemTables::IsSystemSchema(table.schema);
}

void ManagedSegmentsToProto(const TableEntry& table, const TableData& data,
                            plan::ManagedSegments* out);

void TableScanToProto(const TableScanNode& n, plan::TableScan* out, TableSnapshots* snapshots) {
  if (!n.table) ThrowError(sqlstate::kInternalError, "plan serialization: a scan without table");
  const TableEntry& table = *n.table;
  out->set_schema(table.schema);
  out->set_name(table.name);
  for (const TableColumn& c : table.columns) {
    plan::TableColumn* col = out->add_columns();
    col->set_name(c.name);
    TypeToProto(c.type, col->mutable_type());
    col->set_not_null(c.not_null);
  }
  out->set_oid(table.oid);
  if (table.storage) out->set_row_count(table.storage->RowCount());
  IdsToProto(n.column_ids, out->mutable_column_ids());
  if (n.filter) ExpressionToProto(*n.filter, out->mutable_filter());
  if (TravelsWithRows(table)) {
    if (!table.storage) {
      ThrowError(sqlstate::kFeatureNotSupported,
                 "plan serialization does not support a scan of \"{}.{}\", which has no rows",
                 table.schema, table.name);
    }
    TableRowsToProto(*table.storage, out->mutable_inline_rows());
    return;
  }
  if (table.storage && table.storage->managed()) {
    // The row count of the very snapshot whose segments travel.
    std::shared_ptr<const TableData> snapshot = table.storage->Snapshot();
    out->set_row_count(snapshot->row_count);
    ManagedSegmentsToProto(table, *snapshot, out->mutable_managed());
    if (snapshots) snapshots->push_back(std::move(snapshot));
  }
}

// A managed table's segments as one snapshot has them.
void ManagedSegmentsToProto(const TableEntry& table, const TableData& data,
                            plan::ManagedSegments* out) {
  out->set_partition_column(table.partitioning.partitioned() ? table.partitioning.column : -1);
  out->set_granularity(static_cast<uint32_t>(table.partitioning.granularity));
  for (const auto& handle : data.segments) {
    const SegmentRecord& r = handle->record();
    plan::ManagedSegments::Segment* seg = out->add_segments();
    seg->set_id(r.segment_id);
    seg->set_directory(handle->directory());
    seg->set_chunk_start(r.chunk.start);
    seg->set_chunk_end(r.chunk.end);
    seg->set_version(r.version);
    seg->set_partition(r.partition);
    seg->set_num_rows(r.num_rows);
    seg->set_size_bytes(r.size_bytes);
  }
}

// A managed table read from the segments the plan lists (executors): an
// entry of its own, in no catalog, whose one version holds those segments.
std::shared_ptr<TableEntry> DetachedManagedTable(const plan::TableScan& m,
                                                 std::vector<TableColumn> columns,
                                                 const DeserializeContext& context) {
  const plan::ManagedSegments& managed = m.managed();
  auto table = std::make_shared<TableEntry>();
  table->schema = m.schema();
  table->name = m.name();
  table->oid = m.oid();
  table->columns = std::move(columns);
  if (managed.granularity() > static_cast<uint32_t>(TimeGranularity::kYear)) {
    ThrowMalformedPlan("a table partitioned with granularity {}", managed.granularity());
  }
  const auto granularity = static_cast<TimeGranularity>(managed.granularity());
  if (granularity != TimeGranularity::kNone) {
    const int column = managed.partition_column();
    if (column < 0 || static_cast<size_t>(column) >= table->columns.size() ||
        !table->columns[size_t(column)].type.IsTemporal()) {
      ThrowMalformedPlan("a table partitioned by column #{} of {} columns", column,
                         table->columns.size());
    }
    table->partitioning.column = column;
    table->partitioning.granularity = granularity;
  }
  auto data = std::make_shared<TableData>();
  for (const plan::ManagedSegments::Segment& seg : managed.segments()) {
    const std::string& id = seg.id();
    // The id names a directory in an executor's cache, and the directory is
    // opened as is: neither may lead anywhere else.
    if (id.empty() || id.find('/') != std::string::npos || id.find("..") != std::string::npos) {
      ThrowMalformedPlan("a segment with id \"{}\"", id);
    }
    if (seg.directory().empty() || seg.directory()[0] != '/') {
      ThrowMalformedPlan("segment \"{}\" with directory \"{}\", which is not absolute", id,
                         seg.directory());
    }
    SegmentRecord record;
    record.segment_id = id;
    record.table_oid = m.oid();
    record.chunk = {seg.chunk_start(), seg.chunk_end()};
    record.version = seg.version();
    record.partition = seg.partition();
    record.num_rows = seg.num_rows();
    record.size_bytes = seg.size_bytes();
    record.directory = seg.directory();
    std::shared_ptr<SegmentHandle> handle = context.segment_source(record, seg.directory());
    if (!handle) ThrowError(sqlstate::kInternalError, "no handle for segment \"{}\"", id);
    data->row_count += seg.num_rows();
    data->segments.push_back(std::move(handle));
  }
  table->storage = std::make_shared<DataTable>(table->Types());
  table->storage->Install(std::move(data), {});
  return table;
}

std::shared_ptr<TableEntry> ResolveTable(const plan::TableScan& m,
                                         const DeserializeContext& context) {
  std::vector<TableColumn> columns;
  for (const plan::TableColumn& c : m.columns()) {
    columns.push_back({c.name(), TypeFromProto(c.type()), c.not_null()});
  }
  if (m.has_inline_rows()) {
    auto table = std::make_shared<TableEntry>();
    table->schema = m.schema();
    table->name = m.name();
    table->oid = m.oid();
    table->columns = std::move(columns);
    table->storage = std::make_shared<DataTable>(table->Types());
    table->storage->AppendAll(TableRowsFromProto(m.inline_rows(), table->Types()));
    return table;
  }
  if (m.has_managed() && context.segment_source) {
    return DetachedManagedTable(m, std::move(columns), context);
  }
  if (context.catalog == nullptr) {
    ThrowMalformedPlan("a scan of table \"{}.{}\", and no catalog to find it in", m.schema(),
                       m.name());
  }
  std::shared_ptr<TableEntry> table;
  try {
    table = context.catalog->GetTable(m.schema(), m.name());
  } catch (const BasaltError&) {
    // An unknown schema: reported below as the table being missing.
  }
  if (!table) {
    ThrowError(sqlstate::kUndefinedTable, "relation \"{}.{}\" of the plan does not exist here",
               m.schema(), m.name());
  }
  if (m.oid() != 0 && table->oid != m.oid()) {
    ThrowError(kTableChanged,
               "relation \"{}.{}\" was replaced since the plan was made (oid {} in the plan, {} "
               "here)",
               m.schema(), m.name(), m.oid(), table->oid);
  }
  bool same = table->columns.size() == columns.size();
  for (size_t i = 0; same && i < columns.size(); i++) {
    same = table->columns[i].name == columns[i].name && table->columns[i].type == columns[i].type;
  }
  if (!same) {
    ThrowError(kTableChanged, "relation \"{}.{}\" has other columns here than in the plan",
               m.schema(), m.name());
  }
  return table;
}

// ------------------------------------------------------------ dispatch

// How many children a node kind takes; UnionAll takes one or more.
void CheckChildren(const plan::PhysicalNode& m, const char* kind, int needed) {
  const int n = m.children_size();
  const bool ok = needed < 0 ? n >= 1 : n == needed;
  if (!ok) {
    ThrowMalformedPlan("plan node {} ({}) has {} children; it needs {}", m.id(), kind, n,
                       needed < 0 ? std::string("at least 1") : std::to_string(needed));
  }
}

// A join condition's input: the probe side's columns, then the build side's.
std::vector<LogicalType> Concat(const std::vector<LogicalType>& a,
                                const std::vector<LogicalType>& b) {
  std::vector<LogicalType> out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// A file scan's output types, which its filter reads: the files' column
// types, then the virtual columns', at the scanned column numbers (already
// checked against their count).
std::vector<LogicalType> ScanOutput(const std::vector<LogicalType>& file_types,
                                    const FileVirtualColumns* virtual_columns,
                                    const std::vector<idx_t>& column_ids) {
  std::vector<LogicalType> types;
  types.reserve(column_ids.size());
  for (idx_t id : column_ids) {
    types.push_back(id < file_types.size() ? file_types[id]
                                           : virtual_columns->types[id - file_types.size()]);
  }
  return types;
}

// A predicate (a filter, a join condition): the executor reads its result
// as booleans.
void CheckPredicate(const ExpressionPtr& predicate, const char* what) {
  if (predicate && predicate->type.id() != TypeId::kBoolean) {
    ThrowMalformedPlan("{} of type {}", what, predicate->type.ToString());
  }
}

std::vector<LogicalType> ExpressionTypes(const std::vector<ExpressionPtr>& exprs) {
  std::vector<LogicalType> types;
  types.reserve(exprs.size());
  for (const auto& e : exprs) types.push_back(e->type);
  return types;
}

std::string TypesText(const std::vector<LogicalType>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); i++) out += (i > 0 ? ", " : "") + types[i].ToString();
  return out;
}

// The output types a node has by its kind and its children, which the
// operators allocate by: the message's own list is only compared with them.
// Values (whose rows are checked against its types) and ExchangeReceiver
// (checked against the sending fragment in plan_serde.cc) define their own.
std::optional<std::vector<LogicalType>> DerivedTypes(const PhysicalNode& node) {
  const auto& children = node.children;
  if (const auto* n = dynamic_cast<const TableScanNode*>(&node)) {
    std::vector<LogicalType> types;
    for (idx_t id : n->column_ids) types.push_back(n->table->columns[id].type);
    return types;
  }
  if (const auto* n = dynamic_cast<const FileScanNode*>(&node)) {
    return ScanOutput(n->file_types, n->virtual_columns.get(), n->column_ids);
  }
  if (const auto* n = dynamic_cast<const JsonScanNode*>(&node)) {
    return ScanOutput(n->file_types, n->virtual_columns.get(), n->column_ids);
  }
  if (const auto* n = dynamic_cast<const ParquetScanNode*>(&node)) {
    return ScanOutput(n->file_types, n->virtual_columns.get(), n->column_ids);
  }
  if (dynamic_cast<const FilterNode*>(&node) || dynamic_cast<const SortNode*>(&node) ||
      dynamic_cast<const TopNNode*>(&node) || dynamic_cast<const LimitNode*>(&node)) {
    return children[0]->types;
  }
  if (const auto* n = dynamic_cast<const ProjectionNode*>(&node)) {
    return ExpressionTypes(n->expressions);
  }
  if (const auto* n = dynamic_cast<const HashAggregateNode*>(&node)) {
    std::vector<LogicalType> types = ExpressionTypes(n->groups);
    for (const AggregateCall& call : n->aggregates) types.push_back(call.function.return_type);
    return types;
  }
  if (const auto* n = dynamic_cast<const HashJoinNode*>(&node)) {
    std::vector<LogicalType> types = children[0]->types;
    if (JoinOutputsBuild(n->join_type)) {
      types.insert(types.end(), children[1]->types.begin(), children[1]->types.end());
    }
    return types;
  }
  if (const auto* n = dynamic_cast<const NestedLoopJoinNode*>(&node)) {
    std::vector<LogicalType> types = children[0]->types;
    if (JoinOutputsBuild(n->join_type)) {
      types.insert(types.end(), children[1]->types.begin(), children[1]->types.end());
    }
    return types;
  }
  if (dynamic_cast<const UnionAllNode*>(&node)) {
    for (size_t i = 1; i < children.size(); i++) {
      if (children[i]->types != children[0]->types) {
        ThrowMalformedPlan("a UnionAll of ({}) and ({})", TypesText(children[0]->types),
                           TypesText(children[i]->types));
      }
    }
    return children[0]->types;
  }
  if (const auto* n = dynamic_cast<const WindowNode*>(&node)) {
    std::vector<LogicalType> types = children[0]->types;
    for (const WindowFunction& f : n->functions) types.push_back(f.return_type);
    return types;
  }
  if (dynamic_cast<const ColumnStatisticsNode*>(&node)) {
    return std::vector<LogicalType>{};  // a sink: no output columns
  }
  return std::nullopt;
}

class NodeReader {
 public:
  explicit NodeReader(const DeserializeContext& context) : context_(context), functions_(context) {}

  std::unique_ptr<PhysicalNode> Read(const plan::PhysicalNode& m);

 private:
  std::unique_ptr<PhysicalNode> ReadKind(const plan::PhysicalNode& m,
                                         std::vector<std::unique_ptr<PhysicalNode>>& children);
  ExpressionPtr Optional(bool present, const plan::Expression& e,
                         const std::vector<LogicalType>& input) {
    return present ? ExpressionFromProto(e, input, functions_) : nullptr;
  }

  const DeserializeContext& context_;
  FunctionRebinder functions_;
};

std::unique_ptr<PhysicalNode> NodeReader::Read(const plan::PhysicalNode& m) {
  CheckPlanStack();
  std::vector<std::unique_ptr<PhysicalNode>> children;
  for (const plan::PhysicalNode& c : m.children()) children.push_back(Read(c));
  std::unique_ptr<PhysicalNode> node = ReadKind(m, children);
  node->id = m.id();
  node->types = TypesFromProto(m.types());
  node->estimated_rows = m.estimated_rows();
  node->children = std::move(children);
  if (std::optional<std::vector<LogicalType>> derived = DerivedTypes(*node)) {
    if (*derived != node->types) {
      ThrowMalformedPlan("plan node {} ({}) declares output ({}), but outputs ({})", m.id(),
                         node->Name(), TypesText(node->types), TypesText(*derived));
    }
  }
  return node;
}

std::unique_ptr<PhysicalNode> NodeReader::ReadKind(
    const plan::PhysicalNode& m, std::vector<std::unique_ptr<PhysicalNode>>& children) {
  if (context_.executor_plan && m.node_case() == plan::PhysicalNode::kColumnStatistics) {
    // A coordinator fills statistics sinks itself (ANALYZE stores them).
    ThrowMalformedPlan("an executor does not run ColumnStatistics");
  }
  switch (m.node_case()) {
    case plan::PhysicalNode::kTableScan: {
      CheckChildren(m, "TableScan", 0);
      const plan::TableScan& s = m.table_scan();
      auto n = std::make_unique<TableScanNode>();
      n->table = ResolveTable(s, context_);
      n->column_ids = IdsFromProto(s.column_ids(), n->table->columns.size(), "table column");
      std::vector<LogicalType> output;
      for (idx_t id : n->column_ids) output.push_back(n->table->columns[id].type);
      n->filter = Optional(s.has_filter(), s.filter(), output);
      CheckPredicate(n->filter, "a scan filter");
      return n;
    }
    case plan::PhysicalNode::kFileScan: {
      CheckChildren(m, "FileScan", 0);
      const plan::FileScan& s = m.file_scan();
      auto n = std::make_unique<FileScanNode>();
      n->files = StringsFromProto(s.files());
      n->options = CsvOptionsFromProto(s.options());
      n->names = StringsFromProto(s.names());
      n->file_types = TypesFromProto(s.file_types());
      if (n->names.size() != n->file_types.size()) {
        ThrowMalformedPlan("a CSV scan with {} column names and {} types", n->names.size(),
                           n->file_types.size());
      }
      if (s.has_virtual_columns()) {
        n->virtual_columns = VirtualColumnsFromProto(s.virtual_columns(), n->files.size());
      }
      const idx_t columns = ScanColumnCount(n->names.size(), n->virtual_columns.get());
      n->column_ids = IdsFromProto(s.column_ids(), columns, "scan column");
      n->filter = Optional(s.has_filter(), s.filter(),
                           ScanOutput(n->file_types, n->virtual_columns.get(), n->column_ids));
      CheckPredicate(n->filter, "a scan filter");
      n->split_size = s.split_size();
      return n;
    }
    case plan::PhysicalNode::kJsonScan: {
      CheckChildren(m, "JsonScan", 0);
      const plan::JsonScan& s = m.json_scan();
      auto n = std::make_unique<JsonScanNode>();
      n->files = StringsFromProto(s.files());
      n->keys = StringsFromProto(s.keys());
      n->file_types = TypesFromProto(s.file_types());
      if (n->keys.size() != n->file_types.size()) {
        ThrowMalformedPlan("a JSON scan with {} keys and {} types", n->keys.size(),
                           n->file_types.size());
      }
      if (s.has_virtual_columns()) {
        n->virtual_columns = VirtualColumnsFromProto(s.virtual_columns(), n->files.size());
      }
      const idx_t columns = ScanColumnCount(n->keys.size(), n->virtual_columns.get());
      n->column_ids = IdsFromProto(s.column_ids(), columns, "scan column");
      n->filter = Optional(s.has_filter(), s.filter(),
                           ScanOutput(n->file_types, n->virtual_columns.get(), n->column_ids));
      CheckPredicate(n->filter, "a scan filter");
      n->split_size = s.split_size();
      return n;
    }
    case plan::PhysicalNode::kParquetScan: {
      CheckChildren(m, "ParquetScan", 0);
      const plan::ParquetScan& s = m.parquet_scan();
      auto n = std::make_unique<ParquetScanNode>();
      std::vector<std::string> paths = StringsFromProto(s.files());
      n->names = StringsFromProto(s.names());
      n->file_types = TypesFromProto(s.file_types());
      if (n->names.size() != n->file_types.size()) {
        ThrowMalformedPlan("a Parquet scan with {} column names and {} types", n->names.size(),
                           n->file_types.size());
      }
      // Footers are not sent: the files are opened again here, and must
      // still have the columns the plan was made for.
      n->files = std::make_shared<const ParquetFileList>(paths.empty() ? ParquetFileList{}
                                                                       : OpenParquetFiles(paths));
      if (!n->files->empty() &&
          ((*n->files)[0]->Names() != n->names || (*n->files)[0]->Types() != n->file_types)) {
        ThrowError(kTableChanged, "parquet file \"{}\" has other columns here than in the plan",
                   paths[0]);
      }
      if (s.has_virtual_columns()) {
        n->virtual_columns = VirtualColumnsFromProto(s.virtual_columns(), paths.size());
      }
      const idx_t columns = ScanColumnCount(n->names.size(), n->virtual_columns.get());
      n->column_ids = IdsFromProto(s.column_ids(), columns, "scan column");
      n->filter = Optional(s.has_filter(), s.filter(),
                           ScanOutput(n->file_types, n->virtual_columns.get(), n->column_ids));
      CheckPredicate(n->filter, "a scan filter");
      return n;
    }
    case plan::PhysicalNode::kFilter: {
      CheckChildren(m, "Filter", 1);
      if (!m.filter().has_predicate()) ThrowMalformedPlan("a Filter without its predicate");
      auto n = std::make_unique<FilterNode>();
      n->predicate = ExpressionFromProto(m.filter().predicate(), children[0]->types, functions_);
      CheckPredicate(n->predicate, "a Filter predicate");
      return n;
    }
    case plan::PhysicalNode::kProjection: {
      CheckChildren(m, "Projection", 1);
      auto n = std::make_unique<ProjectionNode>();
      n->expressions =
          ExpressionsFromProto(m.projection().expressions(), children[0]->types, functions_);
      return n;
    }
    case plan::PhysicalNode::kHashAggregate: {
      CheckChildren(m, "HashAggregate", 1);
      const plan::HashAggregate& a = m.hash_aggregate();
      const std::vector<LogicalType>& input = children[0]->types;
      auto n = std::make_unique<HashAggregateNode>();
      n->groups = ExpressionsFromProto(a.groups(), input, functions_);
      for (const plan::AggregateCall& c : a.aggregates()) {
        if (!c.has_function()) ThrowMalformedPlan("an aggregate call without its function");
        AggregateCall call;
        call.function = functions_.BindAggregate(c.function());
        call.args = ExpressionsFromProto(c.args(), input, functions_);
        call.distinct = c.distinct();
        call.filter = Optional(c.has_filter(), c.filter(), input);
        CheckPredicate(call.filter, "an aggregate FILTER");
        // The aggregate's kernels read their arguments as the function's
        // argument types.
        if (call.args.size() != call.function.arg_types.size()) {
          ThrowMalformedPlan("a call of aggregate {} with {} arguments; it takes {}",
                             c.function().name(), call.args.size(), call.function.arg_types.size());
        }
        for (size_t i = 0; i < call.args.size(); i++) {
          if (call.args[i]->type != call.function.arg_types[i]) {
            ThrowMalformedPlan("argument {} of aggregate {} is {}, but the aggregate takes {}",
                               i + 1, c.function().name(), call.args[i]->type.ToString(),
                               call.function.arg_types[i].ToString());
          }
        }
        n->aggregates.push_back(std::move(call));
      }
      return n;
    }
    case plan::PhysicalNode::kHashJoin: {
      CheckChildren(m, "HashJoin", 2);
      const plan::HashJoin& j = m.hash_join();
      const std::vector<LogicalType>& probe = children[0]->types;
      const std::vector<LogicalType>& build = children[1]->types;
      auto n = std::make_unique<HashJoinNode>();
      n->join_type = JoinTypeFromProto(j.join_type());
      n->probe_keys = ExpressionsFromProto(j.probe_keys(), probe, functions_);
      n->build_keys = ExpressionsFromProto(j.build_keys(), build, functions_);
      if (n->probe_keys.size() != n->build_keys.size()) {
        ThrowMalformedPlan("a HashJoin with {} probe keys and {} build keys", n->probe_keys.size(),
                           n->build_keys.size());
      }
      // Keys are hashed and compared as the probe side's types.
      for (size_t i = 0; i < n->probe_keys.size(); i++) {
        if (n->probe_keys[i]->type != n->build_keys[i]->type) {
          ThrowMalformedPlan(
              "a HashJoin key #{} of type {} on the probe side and {} on the build "
              "side",
              i, n->probe_keys[i]->type.ToString(), n->build_keys[i]->type.ToString());
        }
      }
      n->residual = Optional(j.has_residual(), j.residual(), Concat(probe, build));
      CheckPredicate(n->residual, "a HashJoin residual");
      return n;
    }
    case plan::PhysicalNode::kNestedLoopJoin: {
      CheckChildren(m, "NestedLoopJoin", 2);
      const plan::NestedLoopJoin& j = m.nested_loop_join();
      auto n = std::make_unique<NestedLoopJoinNode>();
      n->join_type = JoinTypeFromProto(j.join_type());
      n->condition = Optional(j.has_condition(), j.condition(),
                              Concat(children[0]->types, children[1]->types));
      CheckPredicate(n->condition, "a NestedLoopJoin condition");
      return n;
    }
    case plan::PhysicalNode::kLimit: {
      CheckChildren(m, "Limit", 1);
      auto n = std::make_unique<LimitNode>();
      n->limit = m.limit().limit();
      n->offset = m.limit().offset();
      return n;
    }
    case plan::PhysicalNode::kSort: {
      CheckChildren(m, "Sort", 1);
      auto n = std::make_unique<SortNode>();
      n->keys = SortKeysFromProto(m.sort().keys(), children[0]->types, functions_);
      return n;
    }
    case plan::PhysicalNode::kTopN: {
      CheckChildren(m, "TopN", 1);
      auto n = std::make_unique<TopNNode>();
      n->keys = SortKeysFromProto(m.top_n().keys(), children[0]->types, functions_);
      n->limit = m.top_n().limit();
      n->offset = m.top_n().offset();
      return n;
    }
    case plan::PhysicalNode::kUnionAll:
      CheckChildren(m, "UnionAll", -1);
      return std::make_unique<UnionAllNode>();
    case plan::PhysicalNode::kValues: {
      CheckChildren(m, "Values", 0);
      auto n = std::make_unique<ValuesNode>();
      for (const plan::Values::Row& r : m.values().rows()) {
        if (r.values_size() != m.types_size()) {
          ThrowMalformedPlan("a Values row of {} values for {} columns", r.values_size(),
                             m.types_size());
        }
        std::vector<Value>& row = n->rows.emplace_back();
        for (const plan::Value& v : r.values()) {
          row.push_back(ValueFromProto(v));
          // The operator writes each value into a vector of the column's type.
          const LogicalType column = TypeFromProto(m.types(static_cast<int>(row.size() - 1)));
          if (row.back().IsNull()) {
            row.back() = Value::Null(column);
          } else if (row.back().type() != column) {
            ThrowMalformedPlan("a Values row holds {} in a column of type {}",
                               row.back().type().ToString(), column.ToString());
          }
        }
      }
      return n;
    }
    case plan::PhysicalNode::kWindow: {
      CheckChildren(m, "Window", 1);
      const plan::Window& w = m.window();
      const std::vector<LogicalType>& input = children[0]->types;
      auto n = std::make_unique<WindowNode>();
      n->partition_by = ExpressionsFromProto(w.partition_by(), input, functions_);
      n->order_by = SortKeysFromProto(w.order_by(), input, functions_);
      for (const plan::WindowFunction& f : w.functions()) {
        WindowFunction fn;
        fn.kind = WindowKindFromProto(f.kind());
        if (fn.kind == WindowFunctionKind::kAggregate) {
          if (!f.has_aggregate()) ThrowMalformedPlan("a window aggregate without its function");
          fn.aggregate = functions_.BindAggregate(f.aggregate());
        }
        fn.args = ExpressionsFromProto(f.args(), input, functions_);
        if (fn.kind == WindowFunctionKind::kAggregate) {
          // The aggregate's kernels read its arguments as its argument types
          // (the operator checks the other kinds' typing itself).
          for (size_t i = 0; i < fn.args.size() && i < fn.aggregate.arg_types.size(); i++) {
            if (fn.args[i]->type != fn.aggregate.arg_types[i]) {
              ThrowMalformedPlan("argument {} of window aggregate {} is {}, but it takes {}", i + 1,
                                 f.aggregate().name(), fn.args[i]->type.ToString(),
                                 fn.aggregate.arg_types[i].ToString());
            }
          }
        }
        fn.return_type = TypeFromProto(f.return_type());
        const plan::WindowFrame& fr = f.frame();
        fn.frame.unit =
            fr.unit() == plan::WINDOW_FRAME_ROWS ? WindowFrameUnit::kRows : WindowFrameUnit::kRange;
        if (fr.unit() != plan::WINDOW_FRAME_ROWS && fr.unit() != plan::WINDOW_FRAME_RANGE) {
          ThrowMalformedPlan("unknown window frame unit {}", static_cast<int>(fr.unit()));
        }
        fn.frame.start = BoundFromProto(fr.start());
        fn.frame.start_offset = fr.start_offset();
        fn.frame.end = BoundFromProto(fr.end());
        fn.frame.end_offset = fr.end_offset();
        fn.frame.start_range = fr.start_range();
        fn.frame.end_range = fr.end_range();
        n->functions.push_back(std::move(fn));
      }
      return n;
    }
    case plan::PhysicalNode::kColumnStatistics: {
      CheckChildren(m, "ColumnStatistics", 1);
      auto n = std::make_unique<ColumnStatisticsNode>();
      n->input_types = TypesFromProto(m.column_statistics().input_types());
      // The sink's accumulators read the child's columns as these types.
      if (n->input_types != children[0]->types) {
        ThrowMalformedPlan("a ColumnStatistics of input ({}) over a child that outputs ({})",
                           TypesText(n->input_types), TypesText(children[0]->types));
      }
      n->sink = std::make_shared<ColumnStatisticsSink>(n->input_types);
      return n;
    }
    case plan::PhysicalNode::kExchangeReceiver: {
      CheckChildren(m, "ExchangeReceiver", 0);
      const plan::ExchangeReceiver& r = m.exchange_receiver();
      auto n = std::make_unique<ExchangeReceiverNode>();
      n->exchange_id = r.exchange_id();
      switch (r.exchange_type()) {
        case plan::EXCHANGE_TYPE_GATHER:
          n->exchange_type = ExchangeType::kGather;
          break;
        case plan::EXCHANGE_TYPE_HASH:
          n->exchange_type = ExchangeType::kHash;
          break;
        case plan::EXCHANGE_TYPE_BROADCAST:
          n->exchange_type = ExchangeType::kBroadcast;
          break;
        default:
          ThrowMalformedPlan("unknown exchange type {}", static_cast<int>(r.exchange_type()));
      }
      n->source_fragment = r.source_fragment();
      return n;
    }
    case plan::PhysicalNode::NODE_NOT_SET:
      break;
  }
  ThrowMalformedPlan("plan node {} has no kind this node knows (sent by a newer version?)", m.id());
}

void KindToProto(const PhysicalNode& node, plan::PhysicalNode* out, TableSnapshots* snapshots) {
  if (const auto* n = dynamic_cast<const TableScanNode*>(&node)) {
    return TableScanToProto(*n, out->mutable_table_scan(), snapshots);
  }
  if (const auto* n = dynamic_cast<const FileScanNode*>(&node)) {
    plan::FileScan* s = out->mutable_file_scan();
    for (const auto& f : n->files) s->add_files(f);
    if (n->options) CsvOptionsToProto(*n->options, s->mutable_options());
    for (const auto& name : n->names) s->add_names(name);
    TypesToProto(n->file_types, s->mutable_file_types());
    IdsToProto(n->column_ids, s->mutable_column_ids());
    if (n->filter) ExpressionToProto(*n->filter, s->mutable_filter());
    if (n->virtual_columns)
      VirtualColumnsToProto(*n->virtual_columns, s->mutable_virtual_columns());
    s->set_split_size(n->split_size);
    return;
  }
  if (const auto* n = dynamic_cast<const JsonScanNode*>(&node)) {
    plan::JsonScan* s = out->mutable_json_scan();
    for (const auto& f : n->files) s->add_files(f);
    for (const auto& k : n->keys) s->add_keys(k);
    TypesToProto(n->file_types, s->mutable_file_types());
    IdsToProto(n->column_ids, s->mutable_column_ids());
    if (n->filter) ExpressionToProto(*n->filter, s->mutable_filter());
    if (n->virtual_columns)
      VirtualColumnsToProto(*n->virtual_columns, s->mutable_virtual_columns());
    s->set_split_size(n->split_size);
    return;
  }
  if (const auto* n = dynamic_cast<const ParquetScanNode*>(&node)) {
    plan::ParquetScan* s = out->mutable_parquet_scan();
    if (n->files) {
      for (const auto& f : *n->files) s->add_files(f->path());
    }
    for (const auto& name : n->names) s->add_names(name);
    TypesToProto(n->file_types, s->mutable_file_types());
    IdsToProto(n->column_ids, s->mutable_column_ids());
    if (n->filter) ExpressionToProto(*n->filter, s->mutable_filter());
    if (n->virtual_columns)
      VirtualColumnsToProto(*n->virtual_columns, s->mutable_virtual_columns());
    return;
  }
  if (const auto* n = dynamic_cast<const FilterNode*>(&node)) {
    return ExpressionToProto(*n->predicate, out->mutable_filter()->mutable_predicate());
  }
  if (const auto* n = dynamic_cast<const ProjectionNode*>(&node)) {
    return ExpressionsToProto(n->expressions, out->mutable_projection()->mutable_expressions());
  }
  if (const auto* n = dynamic_cast<const HashAggregateNode*>(&node)) {
    plan::HashAggregate* a = out->mutable_hash_aggregate();
    ExpressionsToProto(n->groups, a->mutable_groups());
    for (const AggregateCall& call : n->aggregates) {
      plan::AggregateCall* c = a->add_aggregates();
      AggregateFunctionToProto(call.function, c->mutable_function());
      ExpressionsToProto(call.args, c->mutable_args());
      c->set_distinct(call.distinct);
      if (call.filter) ExpressionToProto(*call.filter, c->mutable_filter());
    }
    return;
  }
  if (const auto* n = dynamic_cast<const HashJoinNode*>(&node)) {
    plan::HashJoin* j = out->mutable_hash_join();
    j->set_join_type(JoinTypeToProto(n->join_type));
    ExpressionsToProto(n->probe_keys, j->mutable_probe_keys());
    ExpressionsToProto(n->build_keys, j->mutable_build_keys());
    if (n->residual) ExpressionToProto(*n->residual, j->mutable_residual());
    return;
  }
  if (const auto* n = dynamic_cast<const NestedLoopJoinNode*>(&node)) {
    plan::NestedLoopJoin* j = out->mutable_nested_loop_join();
    j->set_join_type(JoinTypeToProto(n->join_type));
    if (n->condition) ExpressionToProto(*n->condition, j->mutable_condition());
    return;
  }
  if (const auto* n = dynamic_cast<const LimitNode*>(&node)) {
    out->mutable_limit()->set_limit(n->limit);
    out->mutable_limit()->set_offset(n->offset);
    return;
  }
  if (const auto* n = dynamic_cast<const SortNode*>(&node)) {
    return SortKeysToProto(n->keys, out->mutable_sort()->mutable_keys());
  }
  if (const auto* n = dynamic_cast<const TopNNode*>(&node)) {
    SortKeysToProto(n->keys, out->mutable_top_n()->mutable_keys());
    out->mutable_top_n()->set_limit(n->limit);
    out->mutable_top_n()->set_offset(n->offset);
    return;
  }
  if (dynamic_cast<const UnionAllNode*>(&node)) {
    out->mutable_union_all();
    return;
  }
  if (const auto* n = dynamic_cast<const ValuesNode*>(&node)) {
    plan::Values* v = out->mutable_values();
    for (const auto& row : n->rows) {
      plan::Values::Row* r = v->add_rows();
      for (const Value& value : row) ValueToProto(value, r->add_values());
    }
    return;
  }
  if (const auto* n = dynamic_cast<const WindowNode*>(&node)) {
    plan::Window* w = out->mutable_window();
    ExpressionsToProto(n->partition_by, w->mutable_partition_by());
    SortKeysToProto(n->order_by, w->mutable_order_by());
    for (const WindowFunction& fn : n->functions) {
      plan::WindowFunction* f = w->add_functions();
      f->set_kind(WindowKindToProto(fn.kind));
      if (fn.kind == WindowFunctionKind::kAggregate) {
        AggregateFunctionToProto(fn.aggregate, f->mutable_aggregate());
      }
      ExpressionsToProto(fn.args, f->mutable_args());
      TypeToProto(fn.return_type, f->mutable_return_type());
      plan::WindowFrame* fr = f->mutable_frame();
      fr->set_unit(fn.frame.unit == WindowFrameUnit::kRows ? plan::WINDOW_FRAME_ROWS
                                                           : plan::WINDOW_FRAME_RANGE);
      fr->set_start(BoundToProto(fn.frame.start));
      fr->set_start_offset(fn.frame.start_offset);
      fr->set_end(BoundToProto(fn.frame.end));
      fr->set_end_offset(fn.frame.end_offset);
      fr->set_start_range(fn.frame.start_range);
      fr->set_end_range(fn.frame.end_range);
    }
    return;
  }
  if (const auto* n = dynamic_cast<const ColumnStatisticsNode*>(&node)) {
    TypesToProto(n->input_types, out->mutable_column_statistics()->mutable_input_types());
    return;
  }
  if (const auto* n = dynamic_cast<const ExchangeReceiverNode*>(&node)) {
    plan::ExchangeReceiver* r = out->mutable_exchange_receiver();
    r->set_exchange_id(n->exchange_id);
    switch (n->exchange_type) {
      case ExchangeType::kGather:
        r->set_exchange_type(plan::EXCHANGE_TYPE_GATHER);
        break;
      case ExchangeType::kHash:
        r->set_exchange_type(plan::EXCHANGE_TYPE_HASH);
        break;
      case ExchangeType::kBroadcast:
        r->set_exchange_type(plan::EXCHANGE_TYPE_BROADCAST);
        break;
    }
    r->set_source_fragment(n->source_fragment);
    return;
  }
  ThrowError(sqlstate::kFeatureNotSupported, "plan serialization does not support {}", node.Name());
}

}  // namespace

void NodeToProto(const PhysicalNode& node, plan::PhysicalNode* out, TableSnapshots* snapshots) {
  out->set_id(node.id);
  TypesToProto(node.types, out->mutable_types());
  out->set_estimated_rows(node.estimated_rows);
  for (const auto& child : node.children) NodeToProto(*child, out->add_children(), snapshots);
  KindToProto(node, out, snapshots);
}

std::unique_ptr<PhysicalNode> NodeFromProto(const plan::PhysicalNode& message,
                                            const DeserializeContext& context) {
  NodeReader reader(context);
  return reader.Read(message);
}

}  // namespace basalt
