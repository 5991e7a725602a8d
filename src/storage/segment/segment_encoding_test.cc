// Which encoding and compression the writer picks per block, and that the
// choice is visible through SegmentReader::GetBlockInfo.
#include <gtest/gtest.h>

#include "storage/segment/segment_test_util.h"

namespace basalt::segment_test {
namespace {

std::unique_ptr<SegmentReader> WriteAndOpen(const TempDir& dir,
                                            const std::vector<SegmentColumn>& schema,
                                            const std::vector<Row>& rows,
                                            SegmentWriterOptions options = {}) {
  const std::string path = dir.File("e.seg");
  WriteSegment(path, schema, rows, options);
  auto reader = SegmentReader::Open(path);
  ExpectSameRows(rows, ReadRows(*reader));
  return reader;
}

TEST(SegmentEncoding, SortedIntegersUseDeltaOrFrameOfReference) {
  TempDir dir;
  const std::vector<SegmentColumn> schema = {
      {"orderkey", TypeId::kBigint}, {"day", TypeId::kDate}, {"ts", TypeId::kTimestamp}};
  std::vector<Row> rows;
  RandomValues rv(1);
  int64_t key = 1;
  for (int i = 0; i < 100000; i++) {
    key += rv.Uniform(0, 3);
    rows.push_back({Value::Bigint(key), Value::Date(static_cast<int32_t>(8000 + i / 1000)),
                    Value::Timestamp(1600000000000000LL + i * 1000000LL + rv.Uniform(0, 999))});
  }
  auto reader = WriteAndOpen(dir, schema, rows);
  for (idx_t c = 0; c < schema.size(); c++) {
    for (idx_t b = 0; b < reader->block_count(); b++) {
      const auto info = reader->GetBlockInfo(c, b);
      EXPECT_TRUE(info.encoding == BlockEncoding::kDelta ||
                  info.encoding == BlockEncoding::kFrameOfReference ||
                  info.encoding == BlockEncoding::kRunLength)
          << schema[c].name << " block " << b << ": " << BlockEncodingName(info.encoding);
      // Far below 8 bytes a value.
      EXPECT_LT(info.stored_bytes, info.row_count * 3) << schema[c].name;
    }
  }
  EXPECT_EQ(reader->GetBlockInfo(0, 0).encoding, BlockEncoding::kDelta);
}

TEST(SegmentEncoding, NarrowIntegersUseFrameOfReference) {
  TempDir dir;
  RandomValues rv(2);
  std::vector<Row> rows;
  for (int i = 0; i < 10000; i++)
    rows.push_back({Value::Integer(static_cast<int32_t>(rv.Uniform(1, 50)))});
  SegmentWriterOptions options;
  options.compression = SegmentCompression::kNone;
  auto reader = WriteAndOpen(dir, {{"quantity", TypeId::kInteger}}, rows, options);
  const auto info = reader->GetBlockInfo(0, 0);
  EXPECT_EQ(info.encoding, BlockEncoding::kFrameOfReference);
  EXPECT_LE(info.stored_bytes, 10000u * 6 / 8 + 16);  // 6 bits a value
}

TEST(SegmentEncoding, RunsUseRunLength) {
  TempDir dir;
  std::vector<Row> rows;
  for (int i = 0; i < 10000; i++) rows.push_back({Value::Bigint(1000000007LL * (i / 500))});
  auto reader = WriteAndOpen(dir, {{"k", TypeId::kBigint}}, rows);
  EXPECT_EQ(reader->GetBlockInfo(0, 0).encoding, BlockEncoding::kRunLength);
}

TEST(SegmentEncoding, LowCardinalityStringsUseTheSegmentDictionary) {
  TempDir dir;
  const char* modes[] = {"AIR", "FOB", "MAIL", "RAIL", "REG AIR", "SHIP", "TRUCK"};
  RandomValues rv(3);
  std::vector<Row> rows;
  for (int i = 0; i < 150000; i++) {
    rows.push_back({Value::Varchar(modes[rv.Uniform(0, 6)])});
  }
  auto reader = WriteAndOpen(dir, {{"shipmode", TypeId::kVarchar}}, rows);
  const auto column = reader->GetColumnInfo(0);
  EXPECT_TRUE(column.has_dictionary);
  EXPECT_EQ(column.dictionary_size, 7u);
  EXPECT_TRUE(column.has_bitmap_index);
  EXPECT_EQ(reader->DictionaryValues(0),
            (std::vector<std::string>{"AIR", "FOB", "MAIL", "RAIL", "REG AIR", "SHIP", "TRUCK"}));
  for (idx_t b = 0; b < reader->block_count(); b++) {
    const auto info = reader->GetBlockInfo(0, b);
    EXPECT_EQ(info.encoding, BlockEncoding::kDictionary);
    EXPECT_LE(info.raw_bytes, info.row_count * 3 / 8 + 64);  // 3-bit codes
  }
}

TEST(SegmentEncoding, UniqueStringsArePlain) {
  TempDir dir;
  std::vector<Row> rows;
  RandomValues rv(4);
  for (int i = 0; i < 5000; i++) {
    rows.push_back({Value::Varchar("comment " + std::to_string(rv.Uniform(0, 1LL << 50)))});
  }
  auto reader = WriteAndOpen(dir, {{"comment", TypeId::kVarchar}}, rows);
  EXPECT_FALSE(reader->GetColumnInfo(0).has_dictionary);
  EXPECT_FALSE(reader->HasBitmapIndex(0));
  EXPECT_EQ(reader->LookupEqual(0, "x"), std::nullopt);
  EXPECT_EQ(reader->GetBlockInfo(0, 0).encoding, BlockEncoding::kPlain);
}

TEST(SegmentEncoding, TooManyDistinctValuesFallBackToPerBlockEncodings) {
  // Past kMaxDictionaryValues the writer gives the segment dictionary up
  // while collecting and re-encodes the blocks it held back; each block then
  // picks its own encoding. The first block repeats 100 values (a block
  // dictionary), the rest are unique (plain).
  TempDir dir;
  std::vector<Row> rows;
  const size_t n = kSegmentBlockRows + segment::kMaxDictionaryValues + 5000;
  rows.reserve(n);
  for (size_t i = 0; i < n; i++) {
    rows.push_back({i < kSegmentBlockRows
                        ? Value::Varchar("a string that repeats " + std::to_string(i % 100))
                        : Value::Varchar("unique " + std::to_string(i))});
  }
  auto reader = WriteAndOpen(dir, {{"s", TypeId::kVarchar}}, rows);
  EXPECT_FALSE(reader->GetColumnInfo(0).has_dictionary);
  EXPECT_EQ(reader->GetBlockInfo(0, 0).encoding, BlockEncoding::kBlockDictionary);
  EXPECT_EQ(reader->GetBlockInfo(0, reader->block_count() - 1).encoding, BlockEncoding::kPlain);
  reader->Verify();
}

TEST(SegmentEncoding, BooleansAreBitPacked) {
  TempDir dir;
  std::vector<Row> rows;
  RandomValues rv(5);
  for (int i = 0; i < 8000; i++) {
    rows.push_back({i % 9 == 0 ? Value::Null(TypeId::kBoolean) : Value::Boolean(rv.Uniform(0, 1))});
  }
  SegmentWriterOptions options;
  options.compression = SegmentCompression::kNone;
  auto reader = WriteAndOpen(dir, {{"flag", TypeId::kBoolean}}, rows, options);
  const auto info = reader->GetBlockInfo(0, 0);
  EXPECT_EQ(info.encoding, BlockEncoding::kBitPacked);
  EXPECT_EQ(info.stored_bytes, 8000u / 8 + 8000u / 8);  // values + validity
}

TEST(SegmentEncoding, WideDecimalsNarrowWhenTheyFit) {
  TempDir dir;
  std::vector<Row> rows;
  for (int i = 0; i < 3000; i++) rows.push_back({Value::Decimal(i * 100, 38, 2)});
  auto reader = WriteAndOpen(dir, {{"d", LogicalType::Decimal(38, 2)}}, rows);
  EXPECT_NE(reader->GetBlockInfo(0, 0).encoding, BlockEncoding::kPlain);
  rows.push_back({Value::Decimal(static_cast<int128_t>(1) << 100, 38, 2)});
  TempDir dir2;
  auto wide = WriteAndOpen(dir2, {{"d", LogicalType::Decimal(38, 2)}}, rows);
  EXPECT_EQ(wide->GetBlockInfo(0, 0).encoding, BlockEncoding::kPlain);
}

TEST(SegmentEncoding, CompressionIsSkippedWhenItDoesNotHelp) {
  TempDir dir;
  std::vector<Row> rows;
  RandomValues rv(6);
  for (int i = 0; i < 10000; i++) {
    rows.push_back(
        {Value::Double(static_cast<double>(rv.Uniform(INT64_MIN, INT64_MAX))), Value::Double(1.5)});
  }
  auto reader = WriteAndOpen(dir, {{"random", TypeId::kDouble}, {"same", TypeId::kDouble}}, rows);
  EXPECT_EQ(reader->GetBlockInfo(0, 0).compression, SegmentCompression::kNone);
  EXPECT_EQ(reader->GetBlockInfo(1, 0).compression, SegmentCompression::kLz4);
  EXPECT_LT(reader->GetBlockInfo(1, 0).stored_bytes, 1000u);
  SegmentWriterOptions zstd;
  zstd.compression = SegmentCompression::kZstd;
  TempDir dir2;
  auto z = WriteAndOpen(dir2, {{"random", TypeId::kDouble}, {"same", TypeId::kDouble}}, rows, zstd);
  EXPECT_EQ(z->GetBlockInfo(1, 0).compression, SegmentCompression::kZstd);
}

}  // namespace
}  // namespace basalt::segment_test
