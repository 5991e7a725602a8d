// Writes batches as CSV (COPY ... TO): RFC 4180 quoting, NULL as the
// configured NULL text (an unquoted empty field by default) and an empty
// string as "" so the two stay apart when read back.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "storage/csv_options.h"

namespace basalt {

class CsvWriter {
 public:
  // Creates or truncates `path`; 58030 when it cannot be opened.
  CsvWriter(std::string path, CsvOptions options);
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  void WriteHeader(const std::vector<std::string>& names);
  void WriteChunk(const DataChunk& chunk);
  // Flushes and closes; reports write errors (a full disk) as 58030.
  void Close();

 private:
  void WriteField(std::string_view text, bool force_quote);
  void Write(std::string_view bytes);

  std::string path_;
  CsvOptions options_;
  FILE* file_ = nullptr;
  std::string buffer_;
};

}  // namespace basalt
