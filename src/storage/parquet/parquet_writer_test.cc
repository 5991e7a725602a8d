// ParquetWriter round trips through Basalt's own reader (ParquetFile): every
// type, NULLs, empty output, several row groups and pages, strings long,
// unicode and empty, decimals of each storage width, every codec, and the
// errors. DuckDB reading these files is tests/parquet/test_parquet_writer.py.
#include "storage/parquet/parquet_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "common/exception.h"
#include "common/temp_dir_test_util.h"
#include "shell/shell_options.h"
#include "storage/parquet/parquet_column_reader.h"
#include "storage/parquet/parquet_reader.h"
#include "storage/parquet/parquet_statistics.h"

namespace basalt {
namespace {

using Rows = std::vector<std::vector<Value>>;

// Writes `rows` in batches of at most kBatchSize rows.
void WriteRows(const std::string& path, const std::vector<std::string>& names,
               const std::vector<LogicalType>& types, const Rows& rows,
               ParquetWriterOptions options = {}) {
  ParquetWriter writer(path, names, types, options);
  for (size_t start = 0; start < rows.size(); start += kBatchSize) {
    const size_t n = std::min<size_t>(kBatchSize, rows.size() - start);
    DataChunk chunk(types);
    for (size_t r = 0; r < n; r++) {
      for (size_t c = 0; c < types.size(); c++) chunk.column(c).SetValue(r, rows[start + r][c]);
    }
    chunk.SetSize(n);
    writer.Append(chunk);
  }
  writer.Finish();
}

Rows ReadRows(const ParquetFile& file) {
  Rows rows;
  std::vector<idx_t> all;
  for (idx_t c = 0; c < file.columns().size(); c++) all.push_back(c);
  for (idx_t g = 0; g < file.RowGroupCount(); g++) {
    ParquetRowGroupReader reader(file, g, all);
    DataChunk chunk;
    while (reader.ReadChunk(chunk)) {
      for (idx_t r = 0; r < chunk.size(); r++) {
        std::vector<Value> row;
        for (idx_t c = 0; c < chunk.ColumnCount(); c++) row.push_back(chunk.column(c).GetValue(r));
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

void ExpectSameRows(const Rows& expected, const Rows& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t r = 0; r < expected.size(); r++) {
    ASSERT_EQ(expected[r].size(), actual[r].size());
    for (size_t c = 0; c < expected[r].size(); c++) {
      const Value& e = expected[r][c];
      const Value& a = actual[r][c];
      ASSERT_EQ(e.IsNull(), a.IsNull()) << "row " << r << " column " << c;
      if (!e.IsNull()) {
        EXPECT_EQ(e.ToString(), a.ToString()) << "row " << r << " column " << c;
      }
    }
  }
}

const std::vector<LogicalType> kAllTypes = {
    TypeId::kBoolean,  TypeId::kSmallint, TypeId::kInteger,          TypeId::kBigint,
    TypeId::kReal,     TypeId::kDouble,   LogicalType::Decimal(9, 2), LogicalType::Decimal(18, 4),
    LogicalType::Decimal(38, 10), TypeId::kDate, TypeId::kTimestamp, TypeId::kVarchar};
const std::vector<std::string> kAllNames = {"b",  "i16", "i32", "i64", "f32", "f64",
                                            "d9", "d18", "d38", "d",   "ts",  "s"};

std::vector<Value> AllTypesRow(int i) {
  const int64_t sign = i % 2 == 0 ? 1 : -1;
  const __int128 big = static_cast<__int128>(sign) * (static_cast<__int128>(i) * 1000000007 + 1) *
                       static_cast<__int128>(1000000000000000000LL);
  std::vector<Value> row = {
      Value::Boolean(i % 3 == 0),
      Value::Smallint(static_cast<int16_t>(sign * (i % 32000))),
      Value::Integer(static_cast<int32_t>(sign * i * 1000)),
      Value::Bigint(sign * static_cast<int64_t>(i) * 1000000000007LL),
      Value::Real(static_cast<float>(sign * i) / 8.0f),
      Value::Double(sign * i / 3.0),
      Value::Decimal(sign * (i * 12345 % 99999999), 9, 2),
      Value::Decimal(sign * static_cast<int64_t>(i) * 1000000000001LL, 18, 4),
      Value::Decimal(big, 38, 10),
      Value::Date(static_cast<int32_t>(sign * i * 17)),
      Value::Timestamp(sign * static_cast<int64_t>(i) * 86400000001LL),
      Value::Varchar(i % 5 == 0 ? "" : "v" + std::to_string(i % 7) + "é✓"),
  };
  // NULLs in every column, at different rows.
  for (size_t c = 0; c < row.size(); c++) {
    if ((i + static_cast<int>(c)) % 4 == 0) row[c] = Value::Null(row[c].type());
  }
  return row;
}

TEST(ParquetWriterTest, EveryTypeRoundTrips) {
  testing::TempDir dir;
  Rows rows;
  for (int i = 0; i < 3000; i++) rows.push_back(AllTypesRow(i));
  const std::string path = dir.File("all.parquet");
  WriteRows(path, kAllNames, kAllTypes, rows);
  auto file = ParquetFile::Open(path);
  EXPECT_EQ(file->Names(), kAllNames);
  EXPECT_EQ(file->Types(), kAllTypes);
  EXPECT_EQ(file->metadata().created_by, "basalt " + std::string(kBasaltVersion));
  ExpectSameRows(rows, ReadRows(*file));
}

TEST(ParquetWriterTest, EveryCodecRoundTrips) {
  using parquet::CompressionCodec;
  for (CompressionCodec codec : {CompressionCodec::kUncompressed, CompressionCodec::kSnappy,
                                 CompressionCodec::kGzip, CompressionCodec::kZstd,
                                 CompressionCodec::kLz4Raw}) {
    testing::TempDir dir;
    Rows rows;
    for (int i = 0; i < 500; i++) rows.push_back(AllTypesRow(i));
    ParquetWriterOptions options;
    options.codec = codec;
    const std::string path = dir.File("c.parquet");
    WriteRows(path, kAllNames, kAllTypes, rows, options);
    auto file = ParquetFile::Open(path);
    EXPECT_EQ(file->ChunkMetaData(0, 0).codec, codec);
    ExpectSameRows(rows, ReadRows(*file));
  }
}

TEST(ParquetWriterTest, EmptyOutputIsAValidFile) {
  testing::TempDir dir;
  const std::string path = dir.File("empty.parquet");
  WriteRows(path, kAllNames, kAllTypes, {});
  auto file = ParquetFile::Open(path);
  EXPECT_EQ(file->RowGroupCount(), 0u);
  EXPECT_EQ(file->metadata().num_rows, 0);
  EXPECT_EQ(file->Types(), kAllTypes);
}

TEST(ParquetWriterTest, RowGroupsSplitAtTheOption) {
  testing::TempDir dir;
  Rows rows;
  for (int i = 0; i < 5000; i++) rows.push_back({Value::Integer(i)});
  ParquetWriterOptions options;
  options.row_group_size = 1000;  // not a multiple of kBatchSize: groups split batches
  const std::string path = dir.File("groups.parquet");
  WriteRows(path, {"i"}, {TypeId::kInteger}, rows, options);
  auto file = ParquetFile::Open(path);
  ASSERT_EQ(file->RowGroupCount(), 5u);
  for (idx_t g = 0; g < 5; g++) {
    EXPECT_EQ(file->RowGroupRows(g), 1000);
    // Statistics: each group's own range, no NULLs.
    const auto& stats = *file->ChunkMetaData(g, 0).statistics;
    int32_t min = 0, max = 0;
    std::memcpy(&min, stats.min_value->data(), 4);
    std::memcpy(&max, stats.max_value->data(), 4);
    EXPECT_EQ(min, static_cast<int32_t>(g * 1000));
    EXPECT_EQ(max, static_cast<int32_t>(g * 1000 + 999));
    EXPECT_EQ(stats.null_count, 0);
  }
  ExpectSameRows(rows, ReadRows(*file));
}

TEST(ParquetWriterTest, StringsLongUnicodeEmptyAndRepeated) {
  testing::TempDir dir;
  Rows rows;
  for (int i = 0; i < 4000; i++) {
    std::string s;
    switch (i % 6) {
      case 0: s = ""; break;
      case 1: s = "日本語テキスト " + std::to_string(i); break;
      case 2: s = std::string(2000 + i, static_cast<char>('a' + i % 26)); break;  // several pages
      case 3: s = "\xF0\x9F\x98\x80 emoji"; break;
      case 4: s = std::string("nul\0inside", 10); break;
      default: s = "x"; break;
    }
    rows.push_back({i % 11 == 0 ? Value::Null(TypeId::kVarchar) : Value::Varchar(s),
                    Value::Varchar("k" + std::to_string(i % 3))});
  }
  const std::string path = dir.File("s.parquet");
  WriteRows(path, {"s", "k"}, {TypeId::kVarchar, TypeId::kVarchar}, rows);
  auto file = ParquetFile::Open(path);
  // The repetitive column is dictionary encoded, the other one is not.
  const auto& k = file->ChunkMetaData(0, 1);
  EXPECT_TRUE(k.dictionary_page_offset.has_value());
  EXPECT_FALSE(file->ChunkMetaData(0, 0).dictionary_page_offset.has_value());
  ExpectSameRows(rows, ReadRows(*file));
}

TEST(ParquetWriterTest, DecimalExtremesOfEachWidth) {
  testing::TempDir dir;
  const __int128 max38 = static_cast<__int128>(99999999999999999LL) * 1000000000000000000LL +
                         999999999999999999LL;  // wider than 64 bits
  Rows rows = {
      {Value::Decimal(999999999, 9, 3), Value::Decimal(999999999999999999LL, 18, 0),
       Value::Decimal(max38, 38, 2)},
      {Value::Decimal(-999999999, 9, 3), Value::Decimal(-999999999999999999LL, 18, 0),
       Value::Decimal(-max38, 38, 2)},
      {Value::Decimal(0, 9, 3), Value::Decimal(-1, 18, 0), Value::Decimal(-1, 38, 2)},
  };
  const std::vector<LogicalType> types = {LogicalType::Decimal(9, 3), LogicalType::Decimal(18, 0),
                                          LogicalType::Decimal(38, 2)};
  const std::string path = dir.File("d.parquet");
  WriteRows(path, {"a", "b", "c"}, types, rows);
  auto file = ParquetFile::Open(path);
  EXPECT_EQ(file->columns()[0].physical_type, parquet::Type::kInt32);
  EXPECT_EQ(file->columns()[1].physical_type, parquet::Type::kInt64);
  EXPECT_EQ(file->columns()[2].physical_type, parquet::Type::kFixedLenByteArray);
  EXPECT_EQ(file->columns()[2].type_length, 16);
  ExpectSameRows(rows, ReadRows(*file));
}

TEST(ParquetWriterTest, ConstantAndAllNullColumns) {
  testing::TempDir dir;
  const std::vector<LogicalType> types = {TypeId::kInteger, TypeId::kVarchar, TypeId::kDouble};
  const std::string path = dir.File("k.parquet");
  {
    ParquetWriter writer(path, {"c", "n", "inf"}, types);
    DataChunk chunk;
    chunk.AddColumn(Vector(Value::Integer(-7)));
    chunk.AddColumn(Vector(Value::Null(TypeId::kVarchar)));
    chunk.AddColumn(Vector(Value::Double(-std::numeric_limits<double>::infinity())));
    chunk.SetSize(100);
    writer.Append(chunk);
    writer.Finish();
  }
  auto file = ParquetFile::Open(path);
  const Rows rows = ReadRows(*file);
  ASSERT_EQ(rows.size(), 100u);
  EXPECT_EQ(rows[99][0].ToString(), "-7");
  EXPECT_TRUE(rows[50][1].IsNull());
  EXPECT_EQ(rows[0][2], Value::Double(-std::numeric_limits<double>::infinity()));
  EXPECT_EQ(*file->ChunkMetaData(0, 1).statistics->null_count, 100);
  EXPECT_FALSE(file->ChunkMetaData(0, 1).statistics->min_value.has_value());
}

TEST(ParquetWriterTest, IntervalIsNotSupported) {
  testing::TempDir dir;
  try {
    ParquetWriter writer(dir.File("i.parquet"), {"iv"}, {TypeId::kInterval});
    FAIL() << "expected an error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kFeatureNotSupported);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ParquetWriterTest, UnwritablePathIsAnIoError) {
  testing::TempDir dir;
  const std::string path = dir.File("missing/dir/x.parquet");
  try {
    ParquetWriter writer(path, {"i"}, {TypeId::kInteger});
    FAIL() << "expected an error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kIoError);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(ParquetWriterTest, AbandonedWriterLeavesNoFileAndKeepsTheOldOne) {
  testing::TempDir dir;
  const std::string path = dir.File("x.parquet");
  WriteRows(path, {"i"}, {TypeId::kInteger}, {{Value::Integer(1)}});
  {
    ParquetWriter writer(path, {"s"}, {TypeId::kVarchar});
    DataChunk chunk;
    chunk.AddColumn(Vector(Value::Varchar("never written")));
    chunk.SetSize(10);
    writer.Append(chunk);
    // No Finish: a failed COPY.
  }
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    files++;
  }
  EXPECT_EQ(files, 1);
  auto file = ParquetFile::Open(path);
  EXPECT_EQ(file->Names(), std::vector<std::string>{"i"});
}

}  // namespace
}  // namespace basalt

namespace basalt {
namespace {

// The optimizer's distinct bound for join keys read from Parquet statistics:
// the range of an integer or DATE column over every row group.
TEST(ParquetDistinctBoundTest, RangesOfIntegerAndDateColumns) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/keys.parquet";
  Rows rows;
  for (int i = 0; i < 5000; i++) {
    rows.push_back({Value::Integer(i % 25), Value::Bigint(1000 + i), Value::Date(19000 + i % 3),
                    Value::Varchar("s" + std::to_string(i % 7)),
                    i % 2 ? Value::Null(TypeId::kInteger) : Value::Integer(-3)});
  }
  ParquetWriterOptions options;
  options.row_group_size = 1024;  // the bound spans row groups
  WriteRows(path, {"nation", "id", "day", "name", "sparse"},
            {TypeId::kInteger, TypeId::kBigint, TypeId::kDate, TypeId::kVarchar, TypeId::kInteger},
            rows, options);
  ParquetFileList files = OpenParquetFiles({path});
  ASSERT_GT(files[0]->RowGroupCount(), 1u);
  EXPECT_EQ(ParquetDistinctBound(files, 0), 25);
  EXPECT_EQ(ParquetDistinctBound(files, 1), 5000);  // the row count caps it
  EXPECT_EQ(ParquetDistinctBound(files, 2), 3);
  EXPECT_EQ(ParquetDistinctBound(files, 3), -1);    // strings: unknown
  EXPECT_EQ(ParquetDistinctBound(files, 4), 1);     // NULLs are not values
  EXPECT_EQ(ParquetDistinctBound(files, 9), -1);    // no such column
}

}  // namespace
}  // namespace basalt

namespace basalt {
namespace {

// Page pruning's Skip (parquet_column_reader.h): reading with skips of many
// sizes, across the small pages of every encoding the writer produces (PLAIN
// fixed width and 16-byte decimals, PLAIN byte arrays, RLE_DICTIONARY) with
// NULLs, equals reading everything and dropping the skipped rows. Every data
// page carries statistics.
TEST(ParquetPageSkipTest, SkipEqualsReadingAndDropping) {
  testing::TempDir dir;
  const std::vector<LogicalType> types = {TypeId::kInteger, TypeId::kVarchar, TypeId::kVarchar,
                                          LogicalType::Decimal(30, 3), TypeId::kDouble,
                                          TypeId::kBoolean};
  Rows rows;
  for (int i = 0; i < 6000; i++) {
    rows.push_back({i % 7 == 0 ? Value() : Value::Integer(i),
                    i % 5 == 0 ? Value() : Value::Varchar(std::string(i % 13, 's') + std::to_string(i)),
                    i % 11 == 0 ? Value() : Value::Varchar("cat" + std::to_string(i % 10)),
                    i % 3 == 0 ? Value() : Value::Decimal(int128_t{i} * 1000, 30, 3),
                    i % 4 == 0 ? Value() : Value::Double(i / 3.0),
                    i % 6 == 0 ? Value() : Value::Boolean(i % 2 == 0)});
  }
  ParquetWriterOptions options;
  options.row_group_size = 5000;
  options.page_size = 300;
  const std::string path = dir.File("skip.parquet");
  WriteRows(path, {"i", "s", "cat", "d", "f", "b"}, types, rows, options);
  auto file = ParquetFile::Open(path);
  ASSERT_EQ(file->RowGroupCount(), 2u);
  const std::vector<idx_t> steps = {1, 7, 100, 333, 1000, 2, 2047};
  for (idx_t g = 0; g < file->RowGroupCount(); g++) {
    const idx_t group_rows = static_cast<idx_t>(file->RowGroupRows(g));
    for (idx_t c = 0; c < types.size(); c++) {
      // Every data page has statistics, the dictionary page none.
      ParquetColumnReader pages(*file, g, c);
      int data_pages = 0;
      while (const parquet::PageHeader* h = pages.PeekDataPage()) {
        ASSERT_TRUE(h->data_page_header);
        ASSERT_TRUE(h->data_page_header->statistics);
        EXPECT_TRUE(h->data_page_header->statistics->null_count);
        data_pages++;
        pages.SkipPeekedPage();
      }
      EXPECT_GE(data_pages, 3) << "column " << c;
      for (idx_t phase = 0; phase < steps.size(); phase++) {
        ParquetColumnReader reader(*file, g, c);
        idx_t row = 0;
        bool skip = phase % 2 == 0;
        for (idx_t k = phase; row < group_rows; k++, skip = !skip) {
          const idx_t n = std::min(steps[k % steps.size()], group_rows - row);
          if (skip) {
            reader.Skip(n);
          } else {
            Vector v(types[c]);
            reader.Read(n, v);
            for (idx_t r = 0; r < n; r++) {
              const Value& want = rows[g * 5000 + row + r][c];
              const Value got = v.GetValue(r);
              ASSERT_EQ(got.IsNull(), want.IsNull()) << "column " << c << " row " << row + r;
              if (want.IsNull()) continue;
              ASSERT_EQ(got.ToString(), want.ToString())
                  << "column " << c << " row " << row + r;
            }
          }
          row += n;
        }
      }
    }
  }
}

// Damaged page headers (statistics among them) under page pruning: an error
// or a read, never a crash.
TEST(ParquetPageSkipTest, DamagedPageHeadersNeverCrashPruning) {
  testing::TempDir dir;
  Rows rows;
  for (int i = 0; i < 3000; i++) {
    rows.push_back({i % 7 == 0 ? Value() : Value::Integer(i), Value::Varchar(std::to_string(i))});
  }
  ParquetWriterOptions options;
  options.page_size = 400;
  options.codec = parquet::CompressionCodec::kUncompressed;
  const std::string path = dir.File("damage.parquet");
  WriteRows(path, {"i", "s"}, {TypeId::kInteger, TypeId::kVarchar}, rows, options);
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::vector<ScanPredicate> predicates = {
      MakeComparison(0, ScanPredicateOp::kGreater, Value::Integer(2500))};
  {
    // Undamaged: pages are pruned and every wanted row survives.
    auto file = ParquetFile::Open(path);
    uint64_t pruned = 0;
    int wanted = 0;
    for (idx_t g = 0; g < file->RowGroupCount(); g++) {
      ParquetRowGroupReader reader(*file, g, {0, 1}, &predicates, &ParquetPageMayMatch);
      DataChunk chunk;
      while (reader.ReadChunk(chunk)) {
        for (idx_t r = 0; r < chunk.size(); r++) {
          const Value v = chunk.column(0).GetValue(r);
          if (v.IsNull() || v.GetInt64() <= 2500) continue;
          EXPECT_EQ(chunk.column(1).GetValue(r).ToString(), std::to_string(v.GetInt64()));
          wanted++;
        }
      }
      pruned += reader.pages_pruned();
    }
    EXPECT_GT(pruned, 0u);
    EXPECT_EQ(wanted, 499 - 71);  // 2501..2999 less the multiples of 7
  }
  const std::string damaged_path = dir.File("damaged.parquet");
  for (size_t pos = 4; pos < 300 && pos < bytes.size(); pos++) {
    for (uint8_t b : {uint8_t{0xFF}, uint8_t{0x7F}, uint8_t{0x00}}) {
      std::string copy = bytes;
      copy[pos] = static_cast<char>(b);
      {
        std::ofstream out(damaged_path, std::ios::binary | std::ios::trunc);
        out.write(copy.data(), static_cast<std::streamsize>(copy.size()));
      }
      try {
        auto file = ParquetFile::Open(damaged_path);
        for (idx_t g = 0; g < file->RowGroupCount(); g++) {
          ParquetRowGroupReader reader(*file, g, {0, 1}, &predicates, &ParquetPageMayMatch);
          DataChunk chunk;
          while (reader.ReadChunk(chunk)) {
          }
        }
      } catch (const std::exception&) {
        // An error is fine.
      }
    }
  }
}

}  // namespace
}  // namespace basalt
