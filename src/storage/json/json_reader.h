// JsonReader: the records of one JSON file (JSON lines or a top-level array
// of objects, see json_records.h) as DataChunks of a schema already decided
// (json_schema.h), for read_json's scan.
//
// Contract: a record's keys are matched to column names exactly; keys that
// are not columns are ignored and a column whose key is missing is NULL, as
// is a JSON null. A value is converted to its column's type when it can be
// without loss of meaning: an integral number to BIGINT, any number to
// DOUBLE, a string whose text reads as the type (as a CSV field would) to
// any type, and anything to VARCHAR (nested objects and arrays as their
// compact JSON text, numbers and booleans as their JSON text). Any other
// value fails the read with 22P02, naming the file, the line (JSON lines)
// or record number (arrays), and the key.
// Not thread-safe: one reader per thread.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "common/data_chunk.h"
#include "common/types.h"
#include "storage/json/json_records.h"

namespace basalt {

class JsonReader {
 public:
  // Reads the whole file now. `names` and `types` are every column of the
  // schema; `column_ids` picks the columns to produce, in output order.
  JsonReader(std::string path, const std::vector<std::string>& names,
             const std::vector<LogicalType>& types, std::vector<idx_t> column_ids);
  // Only the lines in [begin, end) of a JSON lines file, both line starts
  // (see JsonRecords).
  JsonReader(std::string path, uint64_t begin, uint64_t end, const std::vector<std::string>& names,
             const std::vector<LogicalType>& types, std::vector<idx_t> column_ids);

  // Out of line, as JsonRecords' (see there).
  ~JsonReader();

  // Fills `out` with the next records, up to its capacity, in fresh flat
  // vectors (so chunks handed out before stay valid). False at the end of
  // the file, when `out` is left empty.
  bool ReadChunk(DataChunk& out);

 private:
  void SetColumns(const std::vector<std::string>& names, const std::vector<LogicalType>& types,
                  const std::vector<idx_t>& column_ids);
  void WriteValue(Vector& column, idx_t row, idx_t output, simdjson::dom::element value);
  [[noreturn]] void ThrowConversion(idx_t output, simdjson::dom::element value) const;

  JsonRecords records_;
  std::vector<std::string> names_;  // of the output columns
  std::vector<LogicalType> types_;  // of the output columns
  // Key -> output column, for the columns asked for.
  std::unordered_map<std::string, idx_t> output_of_;
  // Per output column: whether the current record set it (else it is NULL).
  std::vector<bool> set_;
};

}  // namespace basalt
