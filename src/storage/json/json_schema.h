// Infers the columns of read_json from a sample of its files' records
// (DuckDB's read_json auto-detection, without nested types).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/types.h"

namespace basalt {

struct JsonSchema {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
};

// The sample: records are read from the files in order until this many
// records or this many bytes of records' JSON have been seen (the first
// file's first record always is).
inline constexpr size_t kJsonSampleRecords = 1000;
inline constexpr size_t kJsonSampleBytes = size_t{1} << 20;

// Column names are the union of the sampled records' top-level keys, in the
// order they are first seen. Each column's type is the narrowest that holds
// every non-null value the sample has for it:
// - true/false give BOOLEAN; integers that fit int64 give BIGINT; any number
//   with a fraction or an exponent, or an integer beyond int64, gives DOUBLE
//   (BIGINT and DOUBLE together give DOUBLE);
// - strings give DATE when all of them read as dates, TIMESTAMP when all
//   read as timestamps with a time of day (as the CSV sniffer reads them),
//   else VARCHAR;
// - nested objects and arrays give VARCHAR, holding the value's JSON text:
//   Basalt has no STRUCT or LIST type yet (DuckDB would infer those);
// - any other mix, and a column whose values are all null, gives VARCHAR.
// Raises what JsonRecords raises, and 22P02 when the sample has no keys.
JsonSchema InferJsonSchema(const std::vector<std::string>& files);

}  // namespace basalt
