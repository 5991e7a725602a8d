// Writes query results as a Parquet file (COPY ... TO 'f.parquet' (FORMAT
// parquet)); the layout is described in docs/parquet.md, Writer.
//
// Every column is OPTIONAL (definition levels of width 1) and flat. Rows are
// buffered one row group at a time; each full row group is encoded and
// written: per column one chunk of a dictionary page (VARCHAR columns whose
// dictionary stays small) and data pages v1 with RLE / bit-packed definition
// levels and PLAIN or RLE_DICTIONARY values, compressed with the chosen
// codec, with min / max / null count statistics. Finish writes the footer.
//
// The file is written under a temporary name in the target's directory and
// renamed onto the target by Finish, so a COPY that fails (or a writer
// destroyed without Finish) leaves no partial file and the old target, if
// any, untouched. I/O errors are 58030 naming the path; a column type with no
// Parquet counterpart here (INTERVAL) is 0A000 at construction.
//
// Not thread safe: one writer is fed by one thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "storage/parquet/parquet_metadata.h"

namespace basalt {

struct ParquetWriterOptions {
  // Snappy is DuckDB's default too: fast, and read by every Parquet reader.
  parquet::CompressionCodec codec = parquet::CompressionCodec::kSnappy;
  // DuckDB's default row group size.
  int64_t row_group_size = 122880;
  // The target bytes of values in one data page.
  int64_t page_size = 1 << 20;
  // The version must agree with kBasaltVersion (shell/shell_options.h), which
  // this layer cannot see; parquet_writer_test.cc checks that it does.
  std::string created_by = "basalt 0.1.0";
};

class ParquetColumnWriter;

class ParquetWriter {
 public:
  // Checks the types (0A000) and creates the temporary file (58030).
  ParquetWriter(std::string path, std::vector<std::string> names, std::vector<LogicalType> types,
                ParquetWriterOptions options = {});
  // Without Finish, removes the temporary file.
  ~ParquetWriter();
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  // `chunk` has the constructor's types, in any vector form.
  void Append(const DataChunk& chunk);
  // Writes the last row group and the footer, then renames the file onto the
  // target. Nothing may be appended afterwards.
  void Finish();

  int64_t rows_written() const { return total_rows_; }

 private:
  void FlushRowGroup();
  void Write(const void* data, size_t size);
  void Discard();
  [[noreturn]] void ThrowIo(const char* what) const;

  std::string path_;
  std::string temp_path_;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  ParquetWriterOptions options_;
  FILE* file_ = nullptr;
  uint64_t offset_ = 0;
  std::vector<std::unique_ptr<ParquetColumnWriter>> columns_;
  int64_t group_rows_ = 0;
  int64_t total_rows_ = 0;
  std::vector<parquet::RowGroup> row_groups_;
  bool finished_ = false;
};

}  // namespace basalt
