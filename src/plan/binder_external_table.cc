// Binding of external tables (CREATE EXTERNAL TABLE): at each query the
// location's files are listed afresh and scanned exactly as read_parquet /
// read_csv / read_json scan them (same operators, pruning and virtual
// columns); a projection above the scan turns the files' columns into the
// table's. Design and caching: docs/storage.md, "External tables".
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "common/exception.h"
#include "exec/operators/file_virtual_columns.h"
#include "plan/binder.h"
#include "plan/binder_internal.h"
#include "storage/csv_sniffer.h"
#include "storage/external_location.h"
#include "storage/hive_partitioning.h"
#include "storage/json/json_read_type.h"
#include "storage/json/json_schema.h"
#include "storage/parquet/parquet_reader.h"

namespace basalt {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

FileFormat FormatOf(const std::string& format) {
  if (format == "parquet") return FileFormat::kParquet;
  if (format == "json") return FileFormat::kJson;
  return FileFormat::kCsv;
}

// Runs `body`, giving an error without a position the position `position`.
template <typename F>
auto AtPosition(int32_t position, F&& body) {
  try {
    return body();
  } catch (const BasaltError& e) {
    if (e.HasPosition() || position < 0) throw;
    throw BasaltError(e.code(), e.what(), position);
  }
}

// The names the virtual columns of `files` will have: each Hive key of the
// first file (unless hive_partitioning is false), then filename.
std::vector<std::string> VirtualColumnNames(const std::vector<std::string>& files,
                                            const FileColumnOptions& options) {
  std::vector<std::string> names;
  if (options.hive_partitioning.value_or(true) && !files.empty()) {
    for (const auto& [key, value] : ParseHivePartitions(files[0])) names.push_back(Lower(key));
  }
  if (options.filename) names.push_back("filename");
  return names;
}

// Appends the virtual columns of `files` to `scan` (after its file columns).
void AddVirtualColumns(LogicalFileScan& scan, const FileColumnOptions& options) {
  scan.virtual_columns =
      BuildFileVirtualColumns(scan.files, scan.names, options.hive_partitioning, options.filename);
  if (!scan.virtual_columns) return;
  for (size_t k = 0; k < scan.virtual_columns->names.size(); k++) {
    scan.names.push_back(scan.virtual_columns->names[k]);
    scan.types.push_back(scan.virtual_columns->types[k]);
  }
}

// The scan of `files` with the files' own columns: the footer of every
// Parquet file (which must agree), the CSV sniffer's view of the first file
// or a JSON sample. `table_columns`, when given, replaces the sniffed CSV
// columns (by position, in the declared types, which the CSV reader
// converts each field to) and the sampled JSON keys (by name, in the types
// the JSON reader produces: json_read_type.h; the caller casts).
std::unique_ptr<LogicalFileScan> ScanFiles(const std::string& format,
                                           std::vector<std::string> files,
                                           const ExternalTableOptions& options,
                                           const std::vector<TableColumn>* table_columns,
                                           const std::string& table_name) {
  auto scan = std::make_unique<LogicalFileScan>();
  scan->format = FormatOf(format);
  if (format == "parquet") {
    auto opened = std::make_shared<const ParquetFileList>(OpenParquetFiles(files));
    scan->names = (*opened)[0]->Names();
    scan->types = (*opened)[0]->Types();
    scan->options = opened;
  } else if (format == "csv") {
    CsvSchema schema = SniffCsv(files[0], options.csv);
    if (table_columns) {
      if (table_columns->size() != schema.names.size()) {
        ThrowError(sqlstate::kDatatypeMismatch,
                   "external table \"{}\" has {} columns read from its CSV files but file \"{}\" "
                   "has {}",
                   table_name, table_columns->size(), files[0], schema.names.size());
      }
      schema.names.clear();
      schema.types.clear();
      for (const auto& c : *table_columns) {
        schema.names.push_back(c.name);
        schema.types.push_back(c.type);
      }
    }
    scan->names = schema.names;
    scan->types = schema.types;
    scan->options = std::make_shared<const CsvOptions>(schema.options);
  } else {
    std::vector<std::string> keys;
    if (table_columns) {
      for (const auto& c : *table_columns) {
        keys.push_back(c.name);
        scan->types.push_back(JsonReadType(c.type));
      }
    } else {
      JsonSchema schema = InferJsonSchema(files);
      keys = schema.names;
      scan->types = schema.types;
    }
    scan->names = keys;
    scan->options = std::make_shared<const std::vector<std::string>>(std::move(keys));
  }
  scan->files = std::move(files);
  AddVirtualColumns(*scan, options.files);
  return scan;
}

}  // namespace

ExternalTableOptions Binder::ParseExternalTableOptions(const ExternalTableRecord& external) {
  ExternalTableOptions options;
  for (const auto& [name, value] : external.options) {
    if (name == "filename" || name == "hive_partitioning") {
      // A bare name means true, as HEADER does in COPY.
      bool on = true;
      if (!value.IsNull()) {
        if (value.type().id() != TypeId::kBoolean) {
          ThrowError(sqlstate::kDatatypeMismatch, "option {} expects a boolean (true or false)",
                     name);
        }
        on = value.GetBool();
      }
      if (name == "filename") {
        options.files.filename = on;
      } else {
        options.files.hive_partitioning = on;
      }
      continue;
    }
    if (external.format != "csv") {
      ThrowError(sqlstate::kUndefinedFunction,
                 "external tables STORED AS {} have no option \"{}\"; they take filename and "
                 "hive_partitioning",
                 external.format == "parquet" ? "PARQUET" : "JSON", name);
    }
    ApplyCsvOption(options.csv, name, value.IsNull() && name == "header" ? Value::Boolean(true)
                                                                         : value);
  }
  if (external.format == "csv") ValidateCsvOptions(options.csv);
  return options;
}

void Binder::PinExternalCsvDialect(ExternalTableRecord& external) {
  if (external.format != "csv") return;
  const ExternalTableOptions options = ParseExternalTableOptions(external);
  std::vector<std::string> files = ListExternalFiles(external.location, external.format);
  if (files.empty()) return;
  const CsvOptions sniffed = SniffCsv(files[0], options.csv).options;
  if (!options.csv.header_set) {
    external.options.emplace_back("header", Value::Boolean(sniffed.header));
  }
  if (!options.csv.delimiter_set) {
    external.options.emplace_back("delim", Value::Varchar(std::string(1, sniffed.delimiter)));
  }
}

std::vector<TableColumn> Binder::InferExternalColumns(const ExternalTableRecord& external) {
  const ExternalTableOptions options = ParseExternalTableOptions(external);
  std::vector<std::string> files = ListExternalFiles(external.location, external.format);
  if (files.empty()) {
    ThrowError(sqlstate::kUndefinedFile,
               "no {} files in \"{}\" to infer the columns from; declare the columns or add "
               "files first",
               external.format, external.location);
  }
  auto scan = ScanFiles(external.format, std::move(files), options, nullptr, "");
  std::vector<TableColumn> columns;
  for (size_t i = 0; i < scan->names.size(); i++) {
    // A JSON key that was null in every sampled record has no type yet.
    LogicalType type =
        scan->types[i].id() == TypeId::kNull ? LogicalType(TypeId::kVarchar) : scan->types[i];
    columns.push_back({scan->names[i], type, false});
  }
  return columns;
}

void Binder::CheckExternalTable(const std::shared_ptr<TableEntry>& table) {
  BindScope scope;
  BindExternalTable(table, {}, table->name, -1, scope);
}

LogicalOperatorPtr Binder::BindExternalTable(const std::shared_ptr<TableEntry>& table,
                                             const std::vector<std::string>& column_aliases,
                                             const std::string& alias, int32_t position,
                                             BindScope& scope) {
  const ExternalTableRecord& external = *table->external;
  std::vector<std::string> names;
  for (const auto& c : table->columns) names.push_back(c.name);
  if (column_aliases.size() > names.size()) {
    ThrowErrorAt(sqlstate::kInvalidColumnReference, position,
                 "table \"{}\" has {} columns available but {} columns specified", alias,
                 names.size(), column_aliases.size());
  }
  for (size_t i = 0; i < column_aliases.size(); i++) names[i] = column_aliases[i];

  const ExternalTableOptions options =
      AtPosition(position, [&] { return ParseExternalTableOptions(external); });
  std::vector<std::string> files =
      AtPosition(position, [&] { return ListExternalFiles(external.location, external.format); });

  LogicalOperatorPtr input;
  std::vector<ExpressionPtr> expressions;
  if (files.empty()) {
    // An empty directory is an empty table: the entry's own (empty) storage.
    auto get = std::make_unique<LogicalGet>();
    get->table_index = NextTableIndex();
    get->table = table;
    for (size_t i = 0; i < table->columns.size(); i++) {
      get->column_ids.push_back(i);
      expressions.push_back(Expression::MakeColumnRef(
          ColumnBinding{get->table_index, static_cast<uint32_t>(i)}, table->columns[i].type,
          table->columns[i].name));
    }
    input = std::move(get);
  } else {
    // The table's columns named like a virtual column come from the paths;
    // the others from the files.
    const std::vector<std::string> virtual_names = VirtualColumnNames(files, options.files);
    auto is_virtual = [&](const std::string& name) {
      return std::find(virtual_names.begin(), virtual_names.end(), Lower(name)) !=
             virtual_names.end();
    };
    std::vector<TableColumn> file_columns;
    for (const auto& c : table->columns) {
      if (!is_virtual(c.name)) file_columns.push_back(c);
    }
    const std::string first_file = files[0];
    std::unique_ptr<LogicalFileScan> scan = AtPosition(position, [&] {
      return ScanFiles(external.format, std::move(files), options,
                       external.format == "parquet" ? nullptr : &file_columns, table->name);
    });
    scan->table_index = NextTableIndex();
    for (size_t i = 0; i < scan->names.size(); i++) scan->column_ids.push_back(i);
    const size_t file_column_count = scan->FileColumnCount();
    for (const auto& c : table->columns) {
      // File columns are matched among the files' columns, virtual ones
      // among the virtual columns, by name in any case.
      const bool virtual_column = is_virtual(c.name);
      int found = -1;
      for (size_t i = virtual_column ? file_column_count : 0;
           i < (virtual_column ? scan->names.size() : file_column_count); i++) {
        if (Lower(scan->names[i]) == Lower(c.name)) {
          found = static_cast<int>(i);
          break;
        }
      }
      if (found < 0) {
        ThrowErrorAt(sqlstate::kUndefinedColumn, position,
                     "column \"{}\" of external table \"{}\" is not in file \"{}\"{}", c.name,
                     table->name, first_file,
                     virtual_column ? " (its path has no such partition key)" : "");
      }
      ExpressionPtr column = Expression::MakeColumnRef(
          ColumnBinding{scan->table_index, static_cast<uint32_t>(found)}, scan->types[found],
          c.name);
      try {
        expressions.push_back(AddCast(std::move(column), c.type, position));
      } catch (const BasaltError& e) {
        ThrowErrorAt(e.code(), position,
                     "column \"{}\" of external table \"{}\" is {} but file \"{}\" has {}: {}",
                     c.name, table->name, c.type.ToString(), first_file,
                     scan->types[found].ToString(), e.what());
      }
    }
    input = std::move(scan);
  }
  // The projection gives the table's columns bindings of their own.
  auto projection = std::make_unique<LogicalProjection>();
  projection->table_index = NextTableIndex();
  ScopeRelation relation;
  relation.alias = alias;
  for (size_t i = 0; i < expressions.size(); i++) {
    relation.columns.push_back({names[i], table->columns[i].type,
                                ColumnBinding{projection->table_index, static_cast<uint32_t>(i)}});
    projection->expressions.push_back(std::move(expressions[i]));
  }
  projection->children.push_back(std::move(input));
  scope.AddRelation(std::move(relation));
  return projection;
}

}  // namespace basalt
