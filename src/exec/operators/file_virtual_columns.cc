#include "exec/operators/file_virtual_columns.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/date_time.h"
#include "common/exception.h"
#include "exec/expression_executor.h"
#include "exec/operators/filter.h"
#include "storage/hive_partitioning.h"

namespace basalt {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsBigint(const std::string& s) {
  int64_t v = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), v);
  return error == std::errc() && end == s.data() + s.size();
}

bool IsDate(const std::string& s) {
  int32_t days = 0;
  return ParseDate(s, &days);
}

bool IsNullPartition(const std::string& s) { return s.empty() || s == kHiveDefaultPartition; }

// The narrowest of BIGINT, DATE and VARCHAR that holds every non-NULL value.
LogicalType InferPartitionType(const std::vector<const std::string*>& values) {
  bool all_bigint = true, all_date = true;
  for (const std::string* v : values) {
    if (IsNullPartition(*v)) continue;
    all_bigint = all_bigint && IsBigint(*v);
    all_date = all_date && IsDate(*v);
  }
  if (all_bigint) return LogicalType(TypeId::kBigint);
  if (all_date) return LogicalType(TypeId::kDate);
  return LogicalType(TypeId::kVarchar);
}

Value PartitionValue(const std::string& text, const LogicalType& type) {
  if (IsNullPartition(text)) return Value::Null(type);
  if (type.id() == TypeId::kBigint) {
    int64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return Value::Bigint(v);
  }
  if (type.id() == TypeId::kDate) {
    int32_t days = 0;
    ParseDate(text, &days);
    return Value::Date(days);
  }
  return Value::Varchar(text);
}

bool SameKeys(const std::vector<std::pair<std::string, std::string>>& a,
              const std::vector<std::pair<std::string, std::string>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (a[i].first != b[i].first) return false;
  }
  return true;
}

}  // namespace

DataChunk FileVirtualColumns::AddTo(DataChunk read, size_t file,
                                    const std::vector<idx_t>& column_ids) const {
  DataChunk out;
  idx_t next = 0;
  for (idx_t id : column_ids) {
    out.AddColumn(IsVirtual(id) ? MakeVector(file, id) : std::move(read.column(next++)));
  }
  out.SetSize(read.size());
  return out;
}

std::string DescribeScanColumns(const std::vector<idx_t>& column_ids,
                                const std::vector<std::string>& file_column_names,
                                const FileVirtualColumns* virtual_columns) {
  if (column_ids.empty()) return "";
  std::string out = " columns: ";
  const idx_t file_columns = file_column_names.size();
  for (size_t i = 0; i < column_ids.size(); i++) {
    if (i > 0) out += ", ";
    idx_t id = column_ids[i];
    if (id < file_columns) {
      out += file_column_names[id];
    } else if (virtual_columns && id - file_columns < virtual_columns->names.size()) {
      out += virtual_columns->names[id - file_columns];
    } else {
      out += fmt::format("#{}", id);
    }
  }
  return out;
}

Vector FileVirtualColumns::MakeVector(size_t file, idx_t column) const {
  return Vector(values[file][column - file_column_count]);
}

std::shared_ptr<const FileVirtualColumns> BuildFileVirtualColumns(
    const std::vector<std::string>& files, const std::vector<std::string>& file_column_names,
    std::optional<bool> hive_partitioning, bool filename) {
  auto result = std::make_shared<FileVirtualColumns>();
  result->file_column_count = file_column_names.size();
  result->values.resize(files.size());

  if (hive_partitioning.value_or(true) && !files.empty()) {
    std::vector<std::vector<std::pair<std::string, std::string>>> parsed;
    for (const std::string& f : files) parsed.push_back(ParseHivePartitions(f));
    bool consistent = true;
    for (size_t f = 1; f < files.size(); f++) {
      if (SameKeys(parsed[0], parsed[f])) continue;
      if (hive_partitioning.has_value()) {
        ThrowError(sqlstate::kInvalidParameterValue,
                   "hive_partitioning: file \"{}\" does not have the partition keys of \"{}\"",
                   files[f], files[0]);
      }
      consistent = false;
      break;
    }
    if (consistent) {
      for (size_t k = 0; k < parsed[0].size(); k++) {
        std::vector<const std::string*> texts;
        for (const auto& p : parsed) texts.push_back(&p[k].second);
        LogicalType type = InferPartitionType(texts);
        result->names.push_back(parsed[0][k].first);
        result->types.push_back(type);
        for (size_t f = 0; f < files.size(); f++) {
          result->values[f].push_back(PartitionValue(*texts[f], type));
        }
      }
    }
  }
  if (filename) {
    result->names.push_back("filename");
    result->types.push_back(LogicalType(TypeId::kVarchar));
    for (size_t f = 0; f < files.size(); f++) result->values[f].push_back(Value::Varchar(files[f]));
  }
  if (result->names.empty()) return nullptr;
  for (const std::string& name : result->names) {
    for (const std::string& column : file_column_names) {
      if (Lower(name) == Lower(column)) {
        ThrowError(sqlstate::kDuplicateColumn,
                   "column \"{}\" of the files has the name of a {} column", column,
                   name == "filename" && filename ? "filename" : "hive partition");
      }
    }
  }
  return result;
}

std::vector<idx_t> FileColumnIds(const std::vector<idx_t>& column_ids,
                                 const FileVirtualColumns& columns) {
  std::vector<idx_t> ids;
  for (idx_t id : column_ids) {
    if (!columns.IsVirtual(id)) ids.push_back(id);
  }
  return ids;
}

std::vector<bool> FilesMatchingFilter(const Expression* filter, const std::vector<idx_t>& column_ids,
                                      const std::vector<LogicalType>& output_types,
                                      const FileVirtualColumns* columns, size_t file_count) {
  std::vector<bool> matching(file_count, true);
  if (!filter || !columns) return matching;
  std::vector<const Expression*> conjuncts;
  if (filter->kind == ExprKind::kAnd) {
    for (const auto& c : filter->children) conjuncts.push_back(c.get());
  } else {
    conjuncts.push_back(filter);
  }
  std::vector<const Expression*> usable;
  for (const Expression* c : conjuncts) {
    bool any_input = false, only_virtual = true;
    VisitExpression(*c, [&](const Expression& e) {
      // A function whose value changes per call (random()) must see every
      // row, not one per file.
      if (e.kind == ExprKind::kParameter) only_virtual = false;
      if (e.kind == ExprKind::kFunction && !e.function.deterministic) only_virtual = false;
      if (e.kind != ExprKind::kInputRef) return;
      any_input = true;
      if (!columns->IsVirtual(column_ids[e.input_index])) only_virtual = false;
    });
    if (any_input && only_virtual) usable.push_back(c);
  }
  if (usable.empty()) return matching;
  ExpressionExecutor executor;
  for (size_t f = 0; f < file_count; f++) {
    for (const Expression* c : usable) {
      // One row stands for the whole file: the file's own columns are not
      // referenced, so NULL placeholders do for them.
      DataChunk row;
      for (size_t i = 0; i < column_ids.size(); i++) {
        row.AddColumn(columns->IsVirtual(column_ids[i]) ? columns->MakeVector(f, column_ids[i])
                                                        : Vector(Value::Null(output_types[i])));
      }
      row.SetSize(1);
      if (ApplyFilter(executor, *c, row) == 0) {
        matching[f] = false;
        break;
      }
    }
  }
  return matching;
}

std::shared_ptr<FileQueue> MakeFileQueue(const Expression* filter,
                                         const std::vector<idx_t>& column_ids,
                                         const std::vector<LogicalType>& output_types,
                                         const FileVirtualColumns* columns, size_t file_count) {
  auto queue = std::make_shared<FileQueue>();
  std::vector<bool> matching =
      FilesMatchingFilter(filter, column_ids, output_types, columns, file_count);
  for (size_t f = 0; f < file_count; f++) {
    if (matching[f]) {
      queue->files.push_back(f);
    } else {
      queue->pruned++;
    }
  }
  return queue;
}

void KeepScanShare(FileQueue& queue, const std::vector<std::string>& paths,
                   const ScanShare& share) {
  if (share.whole()) return;
  // Assigned over every path, pruned or not, so every node numbers the
  // ranges alike whatever it prunes.
  std::vector<bool> mine = share.Mine(paths);
  std::vector<size_t> kept;
  for (size_t f : queue.files) {
    if (mine[f]) kept.push_back(f);
  }
  queue.files = std::move(kept);
}

}  // namespace basalt
