// A TPC-H data generator (specification Clause 4.2): writes the eight tables
// at a scale factor as dbgen-style .tbl files or as CSV.
//
// The data follows the specification's rules (row counts, key schemes, value
// domains and distributions, the text grammar) but not dbgen's random
// numbers, so values differ from dbgen's row for row while the 22 queries
// find what they look for. Output depends only on the scale factor: any
// thread count gives the same bytes. Choices and simplifications are listed
// in bench/tpch/README.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tpch/tpch_table.h"

namespace basalt {

enum class TpchFormat : uint8_t {
  kTbl,  // '|' after every field, no header: <table>.tbl
  kCsv,  // ',' between fields, a header row: <table>.csv
};

struct TpchOptions {
  double scale_factor = 1.0;  // > 0; fractional factors (0.01) scale every table but NATION, REGION
  std::string directory;      // created when missing
  TpchFormat format = TpchFormat::kTbl;
  int threads = 0;                // 0: one per core
  std::vector<TpchTable> tables;  // empty: all eight
};

struct TpchTableResult {
  TpchTable table;
  int64_t rows;
  std::string path;
};

// Writes the requested tables into options.directory, replacing files of the
// same names. Throws BasaltError: 22023 for a bad scale factor or thread
// count, 58030 when the directory or a file cannot be created or written.
// Returns one entry per table written, in the order of kAllTpchTables.
std::vector<TpchTableResult> GenerateTpch(const TpchOptions& options);

}  // namespace basalt
