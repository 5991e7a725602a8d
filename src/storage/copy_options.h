// The options of COPY ... TO / FROM: the file format and that format's
// options. CSV options are CsvOptions (csv_options.h); FORMAT parquet takes
// COMPRESSION and ROW_GROUP_SIZE (ParquetWriterOptions).
#pragma once

#include <cstdint>
#include <string>

#include "common/value.h"
#include "storage/csv_options.h"
#include "storage/parquet/parquet_writer.h"

namespace basalt {

enum class CopyFormat : uint8_t { kCsv, kParquet, kJson };

struct CopyOptions {
  CopyFormat format = CopyFormat::kCsv;
  CsvOptions csv;
  ParquetWriterOptions parquet;

  // Where the first option of each format was written (kNoPosition when
  // none), to point at it when it does not fit the format.
  int32_t csv_option_position = -1;
  int32_t parquet_option_position = -1;
  std::string csv_option_name;
  std::string parquet_option_name;
  bool compression_set = false;
  bool row_group_size_set = false;
  bool page_size_set = false;
};

// Applies one option, `name` in any case: FORMAT 'csv' | 'parquet',
// COMPRESSION 'uncompressed' | 'snappy' | 'gzip' | 'zstd' | 'lz4' (LZ4_RAW),
// ROW_GROUP_SIZE n (positive), and every CSV option of ApplyCsvOption.
// `position` is where the option was written. Raises 22023 for an unknown
// option or value, 42601 for an option given twice.
void ApplyCopyOption(CopyOptions& options, std::string name, const Value& value, int32_t position);

// Call after the last option. Without FORMAT, a path ending in ".parquet"
// (any case) means Parquet, as in DuckDB, and for COPY FROM one ending in
// ".json", ".jsonl" or ".ndjson" means JSON. Then checks that the options fit
// the format (22023 at the option that does not) and the direction: COPY TO
// writes CSV and Parquet, COPY FROM reads all three (JSON TO is 0A000). CSV
// options are validated too.
void ResolveCopyOptions(CopyOptions& options, const std::string& path, bool is_from);

}  // namespace basalt
