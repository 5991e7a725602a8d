// Guesses a CSV file's layout and schema from its first rows, for read_csv
// and COPY without a column list (DuckDB's auto-detection).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"
#include "storage/csv_options.h"

namespace basalt {

// What the sniffer found: one name and type per column, and the options to
// read the file with (the user's, with delimiter and header filled in; the
// *_set flags still say what the user wrote).
struct CsvSchema {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  CsvOptions options;
};

// The sample: at most this many bytes from the start and this many records.
inline constexpr size_t kSniffSampleBytes = size_t{1} << 20;
inline constexpr size_t kSniffSampleRecords = 20000;

// Reads a sample of the file and detects, unless the user set them:
// - the delimiter among ',', '|', ';' and '\t': the one that splits the most
//   records into the same number (>= 2) of fields; ties go to that order;
// - a header: the first record is one when at least one of its non-NULL
//   fields does not fit the type the later records give its column. So a file
//   whose columns are all text, or whose header names fit their columns
//   ("2019" over numbers), is taken to have none: keeping a header as a data
//   row is a visible mistake, dropping a data row a silent one;
// - each column's type, the narrowest of BOOLEAN (only true/false, so a 0/1
//   column stays numeric), BIGINT, DOUBLE, DATE, TIMESTAMP that every non-NULL
//   value in the sample fits, else VARCHAR; an all-NULL column is VARCHAR.
//   Numbers with a fraction become DOUBLE rather than DECIMAL: the sample
//   cannot promise the rest of the file keeps its number of decimals, and a
//   later value with more would fail the whole read.
// Records whose field count differs from the common one do not vote on types.
// When every such record ends with an empty unquoted field (TPC-H .tbl), that
// field is not a column. Names come from the header (an empty one becomes
// columnN, a repeated one gets _1, _2, ...), else column0, column1, ...
// An empty file has one VARCHAR column, column0.
//
// Raises what InputFile raises for an unreadable file.
CsvSchema SniffCsv(const std::string& path, const CsvOptions& user);

// The same on sample text already in memory; `complete` says whether it is the
// whole file (when not, a record cut by the sample's end is ignored).
CsvSchema SniffCsvSample(std::string_view sample, bool complete, const CsvOptions& user);

}  // namespace basalt
