// Encoding of DataRow messages without a socket: the per-value path (a Value
// per cell, PgTextOf / PgBinaryOf, then a copy) against PgDataRowEncoder
// (src/server/pg_data_rows.h), on the same query results, in text and binary.
//
//   build/basalt_pg_data_rows_bench [rows (default 3000000)] [repeats (default 5)]
//
// Prints the best time of each, and the bytes produced (which must match).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "common/pg_types.h"
#include "main/database.h"
#include "server/pg_binary.h"
#include "server/pg_data_rows.h"
#include "server/wire_buffer.h"

namespace basalt {
namespace {

// Output is handed on every 64 KiB, as the session flushes.
constexpr size_t kFlushThreshold = 64 * 1024;

// The server's encoding before PgDataRowEncoder: one Value per cell.
size_t EncodePerValue(const QueryResult& result, PgFormat format) {
  WireWriter out;
  size_t bytes = 0;
  for (const DataChunk& chunk : result.chunks) {
    for (idx_t row = 0; row < chunk.size(); ++row) {
      out.BeginMessage('D');
      out.AddInt16(static_cast<int16_t>(chunk.ColumnCount()));
      for (idx_t column = 0; column < chunk.ColumnCount(); ++column) {
        Value value = chunk.GetValue(column, row);
        if (value.IsNull()) {
          out.AddInt32(-1);
          continue;
        }
        std::string data = format == PgFormat::kBinary ? PgBinaryOf(value) : PgTextOf(value);
        out.AddInt32(static_cast<int32_t>(data.size()));
        out.AddBytes(data);
      }
      out.EndMessage();
      if (out.size() >= kFlushThreshold) {
        bytes += out.size();
        out.Clear();
      }
    }
  }
  return bytes + out.size();
}

size_t EncodeByColumn(const QueryResult& result, PgFormat format) {
  WireWriter out;
  size_t bytes = 0;
  PgDataRowEncoder encoder(std::vector<PgFormat>(result.column_types.size(), format));
  for (const DataChunk& chunk : result.chunks) {
    encoder.Encode(chunk, 0, chunk.size());
    for (idx_t row = 0; row < chunk.size(); ++row) {
      encoder.AppendDataRow(row, out);
      if (out.size() >= kFlushThreshold) {
        bytes += out.size();
        out.Clear();
      }
    }
  }
  return bytes + out.size();
}

double BestSeconds(int repeats, const std::function<size_t()>& run, size_t* bytes) {
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    *bytes = run();
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, elapsed.count());
  }
  return best;
}

int Run(long rows, int repeats) {
  Database db(DatabaseOptions{1, ""});
  Connection connection(db);
  struct Query {
    const char* name;
    std::string sql;
  };
  std::vector<Query> queries = {
      {"bigint", fmt::format("SELECT * FROM range(0, {})", rows)},
      {"typed", fmt::format("SELECT range AS i, range::double / 7 AS d, "
                            "CAST(range AS DECIMAL(18,2)) / 100 AS n, "
                            "DATE '2020-01-01' + CAST(range % 1000 AS INTEGER) AS day, "
                            "TIMESTAMP '2020-01-01 00:00:00' + range * INTERVAL '1 second' AS ts, "
                            "range % 2 = 0 AS b, 'name ' || CAST(range AS VARCHAR) AS s, "
                            "CAST(range AS REAL) AS r, "
                            "CASE WHEN range % 3 = 0 THEN NULL ELSE range END AS maybe "
                            "FROM range(0, {})",
                            rows / 3)},
  };
  for (const Query& query : queries) {
    QueryResult result = connection.Query(query.sql);
    if (!result.ok) {
      fmt::print(stderr, "{}: {}\n", query.name, result.error_message);
      return 1;
    }
    for (PgFormat format : {PgFormat::kText, PgFormat::kBinary}) {
      size_t old_bytes = 0;
      size_t new_bytes = 0;
      double old_seconds = BestSeconds(
          repeats, [&] { return EncodePerValue(result, format); }, &old_bytes);
      double new_seconds = BestSeconds(
          repeats, [&] { return EncodeByColumn(result, format); }, &new_bytes);
      fmt::print(
          "{:6} {:6} {:>9} rows  per value {:7.3f} s  by column {:7.3f} s  ({:.1f}x)  "
          "{:.1f} MB{}\n",
          query.name, format == PgFormat::kText ? "text" : "binary", result.RowCount(), old_seconds,
          new_seconds, old_seconds / new_seconds, new_bytes / 1e6,
          old_bytes == new_bytes ? "" : "  BYTE COUNTS DIFFER");
    }
  }
  return 0;
}

}  // namespace
}  // namespace basalt

int main(int argc, char** argv) {
  long rows = argc > 1 ? std::atol(argv[1]) : 3000000;
  int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  return basalt::Run(rows, repeats);
}
