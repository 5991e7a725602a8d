// Helpers shared by the segment tests: a scratch directory, chunks built from
// Values, and reading a whole segment back as Values.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "common/exception.h"
#include "common/temp_dir_test_util.h"
#include "storage/segment/segment_reader.h"
#include "storage/segment/segment_writer.h"

namespace basalt::segment_test {

using Row = std::vector<Value>;

using ::basalt::testing::TempDir;

inline std::vector<LogicalType> TypesOf(const std::vector<SegmentColumn>& schema) {
  std::vector<LogicalType> types;
  for (const auto& c : schema) types.push_back(c.type);
  return types;
}

// Chunks of up to `chunk_rows` rows holding `rows`.
inline std::vector<DataChunk> MakeChunks(const std::vector<SegmentColumn>& schema,
                                         const std::vector<Row>& rows,
                                         idx_t chunk_rows = kBatchSize) {
  std::vector<DataChunk> chunks;
  const auto types = TypesOf(schema);
  for (idx_t start = 0; start < rows.size(); start += chunk_rows) {
    const idx_t n = std::min<idx_t>(chunk_rows, rows.size() - start);
    DataChunk chunk(types, std::max<idx_t>(n, kBatchSize));
    for (idx_t r = 0; r < n; r++) {
      for (idx_t c = 0; c < types.size(); c++) chunk.column(c).SetValue(r, rows[start + r][c]);
    }
    chunk.SetSize(n);
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

inline uint64_t WriteSegment(const std::string& path, const std::vector<SegmentColumn>& schema,
                             const std::vector<Row>& rows, SegmentWriterOptions options = {}) {
  SegmentWriter writer(path, schema, options);
  for (const DataChunk& chunk : MakeChunks(schema, rows)) writer.Append(chunk);
  return writer.Finish();
}

// Every row of the chosen columns (all when empty), block by block.
inline std::vector<Row> ReadRows(const SegmentReader& reader, std::vector<idx_t> columns = {},
                                 const RowBitmap* selection = nullptr) {
  if (columns.empty()) {
    for (idx_t c = 0; c < reader.ColumnCount(); c++) columns.push_back(c);
  }
  std::vector<Row> rows;
  DataChunk chunk;
  for (idx_t b = 0; b < reader.block_count(); b++) {
    SegmentBlockScanner scan = reader.ScanBlock(b, columns, selection);
    while (scan.Next(&chunk)) {
      for (idx_t r = 0; r < chunk.size(); r++) {
        Row row;
        for (idx_t c = 0; c < columns.size(); c++) row.push_back(chunk.GetValue(c, r));
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

inline std::string Describe(const Value& v) {
  if (v.IsNull()) return "NULL::" + v.type().ToString();
  try {
    return v.ToString() + "::" + v.type().ToString();
  } catch (const std::exception&) {
    return "<unprintable " + v.type().ToString() + ">";
  }
}

inline void ExpectSameRows(const std::vector<Row>& expected, const std::vector<Row>& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t r = 0; r < expected.size(); r++) {
    ASSERT_EQ(expected[r].size(), actual[r].size());
    for (size_t c = 0; c < expected[r].size(); c++) {
      if (!(expected[r][c] == actual[r][c])) {
        FAIL() << "row " << r << " column " << c << ": expected " << Describe(expected[r][c])
               << ", got " << Describe(actual[r][c]);
      }
    }
  }
}

// Random values of every type (`null_percent` of them NULL).
class RandomValues {
 public:
  explicit RandomValues(uint64_t seed) : rng_(seed) {}

  Value Make(const LogicalType& type, int null_percent = 10) {
    if (Uniform(0, 99) < null_percent) return Value::Null(type);
    switch (type.id()) {
      case TypeId::kBoolean:
        return Value::Boolean(Uniform(0, 1) == 1);
      case TypeId::kSmallint:
        return Value::Smallint(static_cast<int16_t>(Uniform(INT16_MIN, INT16_MAX)));
      case TypeId::kInteger:
        return Value::Integer(static_cast<int32_t>(Uniform(INT32_MIN, INT32_MAX)));
      case TypeId::kBigint:
        return Value::Bigint(static_cast<int64_t>(rng_()));
      case TypeId::kReal:
        return Value::Real(static_cast<float>(Uniform(-1000000, 1000000)) / 7.0f);
      case TypeId::kDouble:
        return Value::Double(static_cast<double>(static_cast<int64_t>(rng_())) / 3.0);
      case TypeId::kDecimal:
        if (type.physical() == PhysicalType::kInt64) {
          return Value::Decimal(Uniform(-999999999999LL, 999999999999LL), type.precision(),
                                type.scale());
        } else {
          const int128_t hi = static_cast<int128_t>(Uniform(-1000000000LL, 1000000000LL));
          return Value::Decimal(hi * 1000000000000000000LL + Uniform(0, 999999999999999999LL),
                                type.precision(), type.scale());
        }
      case TypeId::kVarchar: {
        std::string s(static_cast<size_t>(Uniform(0, 40)), ' ');
        for (char& ch : s) ch = static_cast<char>(Uniform(1, 255));
        return Value::Varchar(std::move(s));
      }
      case TypeId::kDate:
        return Value::Date(static_cast<int32_t>(Uniform(-100000, 100000)));
      case TypeId::kTimestamp:
        return Value::Timestamp(Uniform(-4000000000000000LL, 4000000000000000LL));
      case TypeId::kInterval: {
        Interval iv;
        iv.months = static_cast<int32_t>(Uniform(-1000, 1000));
        iv.days = static_cast<int32_t>(Uniform(-1000, 1000));
        iv.micros = Uniform(-100000000000LL, 100000000000LL);
        return Value::FromInterval(iv);
      }
      default:
        return Value::Null(type);
    }
  }

  int64_t Uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }

 private:
  std::mt19937_64 rng_;
};

// One column of every type segments store.
inline std::vector<SegmentColumn> AllTypesSchema() {
  return {
      {"b", TypeId::kBoolean},
      {"i16", TypeId::kSmallint},
      {"i32", TypeId::kInteger},
      {"i64", TypeId::kBigint},
      {"f32", TypeId::kReal},
      {"f64", TypeId::kDouble},
      {"d15_2", LogicalType::Decimal(15, 2)},
      {"d38", LogicalType::Decimal(38, 10)},
      {"s", TypeId::kVarchar},
      {"date", TypeId::kDate},
      {"ts", TypeId::kTimestamp},
      {"iv", TypeId::kInterval},
  };
}

inline std::vector<char> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void WriteFileBytes(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace basalt::segment_test
