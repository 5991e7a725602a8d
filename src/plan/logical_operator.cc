#include "plan/logical_operator.h"

#include <fmt/format.h>

namespace basalt {

namespace {

const char* JoinTypeName(LogicalJoinType type) {
  switch (type) {
    case LogicalJoinType::kInner:
      return "INNER";
    case LogicalJoinType::kLeft:
      return "LEFT";
    case LogicalJoinType::kRight:
      return "RIGHT";
    case LogicalJoinType::kFull:
      return "FULL";
    case LogicalJoinType::kSemi:
      return "SEMI";
    case LogicalJoinType::kAnti:
      return "ANTI";
    case LogicalJoinType::kCross:
      return "CROSS";
  }
  return "?";
}

std::vector<ColumnBinding> NumberedBindings(uint32_t table_index, size_t count) {
  std::vector<ColumnBinding> bindings;
  bindings.reserve(count);
  for (size_t i = 0; i < count; i++) {
    bindings.push_back(ColumnBinding{table_index, static_cast<uint32_t>(i)});
  }
  return bindings;
}

// Bindings of a scan: the table (or file) column number, not the position in
// column_ids, so pruning column_ids never renames a column.
std::vector<ColumnBinding> ScanBindings(uint32_t table_index, const std::vector<idx_t>& ids) {
  std::vector<ColumnBinding> bindings;
  bindings.reserve(ids.size());
  for (idx_t id : ids) bindings.push_back(ColumnBinding{table_index, static_cast<uint32_t>(id)});
  return bindings;
}

}  // namespace

std::string LogicalOperator::ToString(int indent) const {
  std::string out(static_cast<size_t>(indent), ' ');
  out += Name();
  std::string details = Details();
  if (!details.empty()) out += " " + details;
  if (estimated_rows >= 0) out += fmt::format(" (~{:.0f} rows)", estimated_rows);
  out += "\n";
  for (const auto& child : children) out += child->ToString(indent + 2);
  return out;
}

// --- Get -------------------------------------------------------------------

std::vector<ColumnBinding> LogicalGet::GetColumnBindings() const {
  return ScanBindings(table_index, column_ids);
}

std::vector<LogicalType> LogicalGet::GetTypes() const {
  std::vector<LogicalType> types;
  types.reserve(column_ids.size());
  for (idx_t id : column_ids) types.push_back(table->columns[id].type);
  return types;
}

std::string LogicalGet::Details() const {
  std::string columns;
  for (size_t i = 0; i < column_ids.size(); i++) {
    if (i > 0) columns += ", ";
    columns += table->columns[column_ids[i]].name;
  }
  std::string out = fmt::format("{} [{}]", table->name, columns);
  if (!filters.empty()) out += " filters: " + JoinExpressions(filters, " AND ");
  return out;
}

// --- FileScan --------------------------------------------------------------

std::vector<ColumnBinding> LogicalFileScan::GetColumnBindings() const {
  return ScanBindings(table_index, column_ids);
}

std::vector<LogicalType> LogicalFileScan::GetTypes() const {
  std::vector<LogicalType> result;
  result.reserve(column_ids.size());
  for (idx_t id : column_ids) result.push_back(types[id]);
  return result;
}

std::string LogicalFileScan::Details() const {
  std::string columns;
  for (size_t i = 0; i < column_ids.size(); i++) {
    if (i > 0) columns += ", ";
    columns += names[column_ids[i]];
  }
  std::string file_list;
  for (size_t i = 0; i < files.size(); i++) {
    if (i > 0) file_list += ", ";
    file_list += files[i];
  }
  const char* kind = format == FileFormat::kParquet ? "parquet"
                     : format == FileFormat::kJson  ? "json"
                                                    : "csv";
  return fmt::format("{}({}) [{}]", kind, file_list, columns);
}

// --- Values, Projection ------------------------------------------------------

std::vector<ColumnBinding> LogicalValues::GetColumnBindings() const {
  return NumberedBindings(table_index, types.size());
}

std::string LogicalFilter::Details() const { return JoinExpressions(conditions, " AND "); }

std::vector<ColumnBinding> LogicalProjection::GetColumnBindings() const {
  return NumberedBindings(table_index, expressions.size());
}

std::vector<LogicalType> LogicalProjection::GetTypes() const {
  std::vector<LogicalType> types;
  types.reserve(expressions.size());
  for (const auto& e : expressions) types.push_back(e->type);
  return types;
}

std::string LogicalProjection::Details() const { return JoinExpressions(expressions, ", "); }

// --- Aggregate ---------------------------------------------------------------

std::string LogicalAggregateCall::ToString() const {
  std::string out = function.name + "(";
  if (distinct) out += "DISTINCT ";
  if (args.empty()) out += "*";
  out += JoinExpressions(args, ", ") + ")";
  if (filter) out += " FILTER (WHERE " + filter->ToString() + ")";
  return out;
}

LogicalAggregateCall LogicalAggregateCall::Copy() const {
  LogicalAggregateCall copy;
  copy.function = function;
  copy.args.reserve(args.size());
  for (const auto& a : args) copy.args.push_back(a->Copy());
  copy.distinct = distinct;
  if (filter) copy.filter = filter->Copy();
  return copy;
}

std::vector<ColumnBinding> LogicalAggregate::GetColumnBindings() const {
  std::vector<ColumnBinding> bindings = NumberedBindings(group_index, groups.size());
  for (const ColumnBinding& b : NumberedBindings(aggregate_index, aggregates.size())) {
    bindings.push_back(b);
  }
  return bindings;
}

std::vector<LogicalType> LogicalAggregate::GetTypes() const {
  std::vector<LogicalType> types;
  types.reserve(groups.size() + aggregates.size());
  for (const auto& g : groups) types.push_back(g->type);
  for (const auto& a : aggregates) types.push_back(a.function.return_type);
  return types;
}

std::string LogicalAggregate::Details() const {
  std::string out;
  if (!groups.empty()) out += "groups: " + JoinExpressions(groups, ", ");
  if (!aggregates.empty()) {
    if (!out.empty()) out += " ";
    out += "aggregates: ";
    for (size_t i = 0; i < aggregates.size(); i++) {
      if (i > 0) out += ", ";
      out += aggregates[i].ToString();
    }
  }
  return out;
}

// --- Join --------------------------------------------------------------------

namespace {
bool OutputsRightSide(LogicalJoinType type) {
  return type != LogicalJoinType::kSemi && type != LogicalJoinType::kAnti;
}
}  // namespace

std::vector<ColumnBinding> LogicalJoin::GetColumnBindings() const {
  std::vector<ColumnBinding> bindings = children[0]->GetColumnBindings();
  if (OutputsRightSide(join_type)) {
    for (const ColumnBinding& b : children[1]->GetColumnBindings()) bindings.push_back(b);
  }
  return bindings;
}

std::vector<LogicalType> LogicalJoin::GetTypes() const {
  std::vector<LogicalType> types = children[0]->GetTypes();
  if (OutputsRightSide(join_type)) {
    for (const LogicalType& t : children[1]->GetTypes()) types.push_back(t);
  }
  return types;
}

std::string LogicalJoin::Details() const {
  std::string out = JoinTypeName(join_type);
  if (!conditions.empty()) out += " on: " + JoinExpressions(conditions, " AND ");
  return out;
}

// --- Order, Limit, SetOperation ----------------------------------------------

std::string LogicalOrder::Details() const {
  std::string out;
  for (size_t i = 0; i < keys.size(); i++) {
    if (i > 0) out += ", ";
    out += keys[i].expr->ToString();
    out += keys[i].descending ? " DESC" : " ASC";
    out += keys[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  return out;
}

std::string LogicalLimit::Details() const {
  std::string out = limit == kNoLimit ? "limit: ALL" : fmt::format("limit: {}", limit);
  if (offset > 0) out += fmt::format(" offset: {}", offset);
  return out;
}

std::vector<ColumnBinding> LogicalSetOperation::GetColumnBindings() const {
  return NumberedBindings(table_index, types.size());
}

std::string LogicalSetOperation::Name() const {
  std::string name;
  switch (kind) {
    case SetOperationKind::kUnion:
      name = "Union";
      break;
    case SetOperationKind::kIntersect:
      name = "Intersect";
      break;
    case SetOperationKind::kExcept:
      name = "Except";
      break;
  }
  return all ? name + " All" : name;
}

std::vector<ColumnBinding> LogicalWindow::GetColumnBindings() const {
  auto bindings = children[0]->GetColumnBindings();
  for (const auto& call : calls) bindings.push_back(ColumnBinding{call.table_index, 0});
  return bindings;
}

std::vector<LogicalType> LogicalWindow::GetTypes() const {
  auto types = children[0]->GetTypes();
  for (const auto& call : calls) types.push_back(call.return_type);
  return types;
}

std::string LogicalWindow::Details() const {
  std::string out;
  for (size_t i = 0; i < calls.size(); i++) out += (i ? ", " : "") + calls[i].name;
  if (!partition_by.empty()) {
    out += " partition by";
    for (const auto& e : partition_by) out += " " + e->ToString();
  }
  if (!order_by.empty()) {
    out += " order by";
    for (const auto& k : order_by) out += " " + k.expr->ToString() + (k.descending ? " DESC" : "");
  }
  return out;
}

}  // namespace basalt
