#include "storage/parquet/parquet_metadata.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "storage/parquet/thrift_test_encoder.h"

namespace basalt::parquet {
namespace {

using testing::TestEncoder;
using T = CompactType;

FileMetaData Decode(const std::vector<uint8_t>& bytes) {
  return ReadFileMetaData(bytes.data(), bytes.size());
}

// Statistics as writers fill them: null count, min/max values, exactness.
void WriteStatistics(TestEncoder& e, int64_t nulls, const std::string& max,
                     const std::string& min) {
  e.I64Field(3, nulls).BinaryField(5, max).BinaryField(6, min);
  e.BoolField(7, true).BoolField(8, true);
}

// One column chunk with metadata, followed by fields Basalt skips (the page
// index offsets), and metadata fields it skips too (key/value metadata,
// encoding stats, bloom filter).
void WriteColumnChunk(TestEncoder& e, int32_t type, const std::string& name, int64_t offset,
                      int64_t compressed) {
  e.Begin().I64Field(2, 0).StructField(3);
  e.I32Field(1, type)
      .ListField(2, T::kI32, 2)
      .I32(0)
      .I32(8)
      .ListField(3, T::kBinary, 1)
      .Binary(name)
      .I32Field(4, 6)  // ZSTD
      .I64Field(5, 500)
      .I64Field(6, compressed * 2)
      .I64Field(7, compressed)
      .ListField(8, T::kStruct, 1)
      .Begin()
      .BinaryField(1, "k")
      .End()
      .I64Field(9, offset + 100)
      .I64Field(11, offset)
      .StructField(12);
  WriteStatistics(e, 7, "max-" + name, "min-" + name);
  e.End()
      .ListField(13, T::kStruct, 1)
      .Begin()
      .I32Field(1, 0)
      .I32Field(2, 0)
      .I32Field(3, 1)
      .End()
      .I64Field(14, 99999)
      .I32Field(15, 100)
      .End();  // meta_data
  e.I64Field(4, 123456).I32Field(5, 20).End();
}

// A footer like DuckDB's for (id BIGINT NOT NULL, name VARCHAR, price
// DECIMAL(9,2)) in two row groups, with key/value metadata and column orders.
TestEncoder SampleFooter() {
  TestEncoder e;
  e.Begin().I32Field(1, 1).ListField(2, T::kStruct, 4);
  e.Begin().BinaryField(4, "duckdb_schema").I32Field(5, 3).End();
  e.Begin().I32Field(1, 2).I32Field(3, 0).BinaryField(4, "id").I32Field(6, 18).End();
  e.Begin()
      .I32Field(1, 6)
      .I32Field(3, 1)
      .BinaryField(4, "name")
      .I32Field(6, 0)
      .StructField(10)
      .StructField(1)
      .End()
      .End()
      .End();
  e.Begin()
      .I32Field(1, 1)
      .I32Field(3, 1)
      .BinaryField(4, "price")
      .I32Field(6, 5)
      .I32Field(7, 2)
      .I32Field(8, 9)
      .I32Field(9, 42)
      .StructField(10)
      .StructField(5)
      .I32Field(1, 2)
      .I32Field(2, 9)
      .End()
      .End()
      .End();
  e.I64Field(3, 1000).ListField(4, T::kStruct, 2);
  for (int g = 0; g < 2; ++g) {
    const int64_t base = 4 + g * 3000;
    e.Begin().ListField(1, T::kStruct, 3);
    WriteColumnChunk(e, 2, "id", base, 1000);
    WriteColumnChunk(e, 6, "name", base + 1000, 1000);
    WriteColumnChunk(e, 1, "price", base + 2000, 1000);
    e.I64Field(2, 6000)
        .I64Field(3, 500)
        .ListField(4, T::kStruct, 1)
        .Begin()
        .I32Field(1, 0)
        .BoolField(2, false)
        .BoolField(3, true)
        .End()
        .I64Field(5, base)
        .I64Field(6, 3000)
        .Field(T::kI16, 7)
        .I16(static_cast<int16_t>(g))
        .End();
  }
  e.ListField(5, T::kStruct, 2)
      .Begin()
      .BinaryField(1, "origin")
      .BinaryField(2, "test")
      .End()
      .Begin()
      .BinaryField(1, "no value")
      .End();
  e.BinaryField(6, "DuckDB version v1.5.6 (build 069cc9f9b5)").ListField(7, T::kStruct, 3);
  for (int i = 0; i < 3; ++i) e.Begin().StructField(1).End().End();
  e.End();
  return e;
}

TEST(ParquetMetadataTest, DecodesAFooter) {
  const FileMetaData m = Decode(SampleFooter().bytes());
  EXPECT_EQ(m.version, 1);
  EXPECT_EQ(m.num_rows, 1000);
  EXPECT_EQ(m.created_by, "DuckDB version v1.5.6 (build 069cc9f9b5)");
  EXPECT_FALSE(m.encrypted);
  ASSERT_EQ(m.key_value_metadata.size(), 2u);
  EXPECT_EQ(m.key_value_metadata[0].key, "origin");
  EXPECT_EQ(m.key_value_metadata[0].value, "test");
  EXPECT_EQ(m.key_value_metadata[1].key, "no value");
  EXPECT_FALSE(m.key_value_metadata[1].value.has_value());

  ASSERT_EQ(m.schema.size(), 4u);
  const SchemaElement& root = m.schema[0];
  EXPECT_EQ(root.name, "duckdb_schema");
  EXPECT_EQ(root.num_children, 3);
  EXPECT_FALSE(root.type.has_value());
  EXPECT_FALSE(root.repetition_type.has_value());

  const SchemaElement& id = m.schema[1];
  EXPECT_EQ(id.name, "id");
  EXPECT_EQ(id.type, Type::kInt64);
  EXPECT_EQ(id.repetition_type, FieldRepetitionType::kRequired);
  EXPECT_EQ(id.converted_type, ConvertedType::kInt64);
  EXPECT_FALSE(id.logical_type.has_value());
  EXPECT_FALSE(id.num_children.has_value());

  const SchemaElement& name = m.schema[2];
  EXPECT_EQ(name.type, Type::kByteArray);
  EXPECT_EQ(name.repetition_type, FieldRepetitionType::kOptional);
  EXPECT_EQ(name.converted_type, ConvertedType::kUtf8);
  ASSERT_TRUE(name.logical_type.has_value());
  EXPECT_EQ(name.logical_type->kind, LogicalTypeKind::kString);

  const SchemaElement& price = m.schema[3];
  EXPECT_EQ(price.type, Type::kInt32);
  EXPECT_EQ(price.converted_type, ConvertedType::kDecimal);
  EXPECT_EQ(price.scale, 2);
  EXPECT_EQ(price.precision, 9);
  EXPECT_EQ(price.field_id, 42);
  ASSERT_TRUE(price.logical_type.has_value());
  EXPECT_EQ(price.logical_type->kind, LogicalTypeKind::kDecimal);
  EXPECT_EQ(price.logical_type->scale, 2);
  EXPECT_EQ(price.logical_type->precision, 9);

  ASSERT_EQ(m.row_groups.size(), 2u);
  for (int g = 0; g < 2; ++g) {
    const RowGroup& rg = m.row_groups[g];
    EXPECT_EQ(rg.num_rows, 500);
    EXPECT_EQ(rg.total_byte_size, 6000);
    EXPECT_EQ(rg.file_offset, 4 + g * 3000);
    EXPECT_EQ(rg.total_compressed_size, 3000);
    EXPECT_EQ(rg.ordinal, g);
    ASSERT_EQ(rg.columns.size(), 3u);
    const ColumnChunk& chunk = rg.columns[2];
    EXPECT_EQ(chunk.file_offset, 0);
    EXPECT_FALSE(chunk.file_path.has_value());
    EXPECT_FALSE(chunk.encrypted);
    ASSERT_TRUE(chunk.meta_data.has_value());
    const ColumnMetaData& md = *chunk.meta_data;
    EXPECT_EQ(md.type, Type::kInt32);
    EXPECT_EQ(md.encodings, (std::vector<Encoding>{Encoding::kPlain, Encoding::kRleDictionary}));
    EXPECT_EQ(md.path_in_schema, std::vector<std::string>{"price"});
    EXPECT_EQ(md.codec, CompressionCodec::kZstd);
    EXPECT_EQ(md.num_values, 500);
    EXPECT_EQ(md.total_uncompressed_size, 2000);
    EXPECT_EQ(md.total_compressed_size, 1000);
    EXPECT_EQ(md.data_page_offset, 4 + g * 3000 + 2000 + 100);
    EXPECT_EQ(md.dictionary_page_offset, 4 + g * 3000 + 2000);
    EXPECT_FALSE(md.index_page_offset.has_value());
    ASSERT_TRUE(md.statistics.has_value());
    EXPECT_EQ(md.statistics->null_count, 7);
    EXPECT_EQ(md.statistics->max_value, "max-price");
    EXPECT_EQ(md.statistics->min_value, "min-price");
    EXPECT_EQ(md.statistics->is_max_value_exact, true);
    EXPECT_EQ(md.statistics->is_min_value_exact, true);
    EXPECT_FALSE(md.statistics->max.has_value());
    EXPECT_FALSE(md.statistics->distinct_count.has_value());
  }
}

// The footer and the only page header of a file DuckDB v1.5.6 wrote with
// COPY (SELECT 1) TO 'x.parquet' (FORMAT parquet, PARQUET_VERSION v2).
const std::vector<uint8_t> kDuckDbFooter = {
    0x15, 0x04, 0x19, 0x2c, 0x35, 0x00, 0x18, 0x0d, 0x64, 0x75, 0x63, 0x6b, 0x64, 0x62, 0x5f, 0x73,
    0x63, 0x68, 0x65, 0x6d, 0x61, 0x15, 0x02, 0x00, 0x15, 0x02, 0x25, 0x02, 0x18, 0x01, 0x31, 0x25,
    0x22, 0x00, 0x16, 0x02, 0x19, 0x1c, 0x19, 0x1c, 0x26, 0x00, 0x1c, 0x15, 0x02, 0x19, 0x15, 0x0a,
    0x19, 0x18, 0x01, 0x31, 0x15, 0x02, 0x16, 0x02, 0x16, 0x38, 0x16, 0x3c, 0x26, 0x08, 0x3c, 0x18,
    0x04, 0x01, 0x00, 0x00, 0x00, 0x18, 0x04, 0x01, 0x00, 0x00, 0x00, 0x16, 0x00, 0x28, 0x04, 0x01,
    0x00, 0x00, 0x00, 0x18, 0x04, 0x01, 0x00, 0x00, 0x00, 0x11, 0x11, 0x00, 0x00, 0x00, 0x16, 0x38,
    0x16, 0x02, 0x26, 0x08, 0x16, 0x3c, 0x00, 0x28, 0x28, 0x44, 0x75, 0x63, 0x6b, 0x44, 0x42, 0x20,
    0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x20, 0x76, 0x31, 0x2e, 0x35, 0x2e, 0x36, 0x20, 0x28,
    0x62, 0x75, 0x69, 0x6c, 0x64, 0x20, 0x30, 0x36, 0x39, 0x63, 0x63, 0x39, 0x66, 0x39, 0x62, 0x35,
    0x29, 0x19, 0x1c, 0x1c, 0x00, 0x00, 0x00};
// The page at byte 4 of the same file: its header, then its 13 bytes.
const std::vector<uint8_t> kDuckDbPage = {
    0x15, 0x00, 0x15, 0x16, 0x15, 0x1a, 0x2c, 0x15, 0x02, 0x15, 0x0a, 0x15, 0x06, 0x15, 0x06,
    0x00, 0x00, 0x0b, 0x28, 0x02, 0x00, 0x00, 0x00, 0x02, 0x01, 0x80, 0x10, 0x08, 0x01, 0x02};

TEST(ParquetMetadataTest, DecodesADuckDbFooter) {
  const FileMetaData m = Decode(kDuckDbFooter);
  EXPECT_EQ(m.version, 2);
  EXPECT_EQ(m.num_rows, 1);
  EXPECT_EQ(m.created_by, "DuckDB version v1.5.6 (build 069cc9f9b5)");
  ASSERT_EQ(m.schema.size(), 2u);
  EXPECT_EQ(m.schema[0].name, "duckdb_schema");
  EXPECT_EQ(m.schema[0].repetition_type, FieldRepetitionType::kRequired);
  EXPECT_EQ(m.schema[0].num_children, 1);
  EXPECT_EQ(m.schema[1].name, "1");
  EXPECT_EQ(m.schema[1].type, Type::kInt32);
  EXPECT_EQ(m.schema[1].repetition_type, FieldRepetitionType::kOptional);
  EXPECT_EQ(m.schema[1].converted_type, ConvertedType::kInt32);
  ASSERT_EQ(m.row_groups.size(), 1u);
  const RowGroup& rg = m.row_groups[0];
  EXPECT_EQ(rg.num_rows, 1);
  EXPECT_EQ(rg.total_byte_size, 28);
  EXPECT_EQ(rg.file_offset, 4);
  EXPECT_EQ(rg.total_compressed_size, 30);
  ASSERT_EQ(rg.columns.size(), 1u);
  const ColumnMetaData& md = *rg.columns[0].meta_data;
  EXPECT_EQ(md.type, Type::kInt32);
  EXPECT_EQ(md.encodings, std::vector<Encoding>{Encoding::kDeltaBinaryPacked});
  EXPECT_EQ(md.path_in_schema, std::vector<std::string>{"1"});
  EXPECT_EQ(md.codec, CompressionCodec::kSnappy);
  EXPECT_EQ(md.num_values, 1);
  EXPECT_EQ(md.total_uncompressed_size, 28);
  EXPECT_EQ(md.total_compressed_size, 30);
  EXPECT_EQ(md.data_page_offset, 4);
  EXPECT_FALSE(md.dictionary_page_offset.has_value());
  ASSERT_TRUE(md.statistics.has_value());
  const std::string one("\x01\x00\x00\x00", 4);
  EXPECT_EQ(md.statistics->max, one);
  EXPECT_EQ(md.statistics->min, one);
  EXPECT_EQ(md.statistics->max_value, one);
  EXPECT_EQ(md.statistics->min_value, one);
  EXPECT_EQ(md.statistics->null_count, 0);
  EXPECT_EQ(md.statistics->is_max_value_exact, true);

  size_t header_size = 0;
  const PageHeader h = ReadPageHeader(kDuckDbPage.data(), kDuckDbPage.size(), &header_size);
  EXPECT_EQ(header_size, 17u);
  EXPECT_EQ(h.type, PageType::kDataPage);
  EXPECT_EQ(h.uncompressed_page_size, 11);
  EXPECT_EQ(h.compressed_page_size, 13);
  EXPECT_EQ(header_size + h.compressed_page_size, kDuckDbPage.size());
  ASSERT_TRUE(h.data_page_header.has_value());
  EXPECT_EQ(h.data_page_header->num_values, 1);
  EXPECT_EQ(h.data_page_header->encoding, Encoding::kDeltaBinaryPacked);
  EXPECT_EQ(h.data_page_header->definition_level_encoding, Encoding::kRle);
  EXPECT_EQ(h.data_page_header->repetition_level_encoding, Encoding::kRle);
}

// A minimal footer whose one leaf has the logical type `write_logical`
// writes (the LogicalType union's fields, without its Begin/End).
std::vector<uint8_t> FooterWithLogicalType(const std::function<void(TestEncoder&)>& write_logical) {
  TestEncoder e;
  e.Begin().I32Field(1, 1).ListField(2, T::kStruct, 2);
  e.Begin().BinaryField(4, "root").I32Field(5, 1).End();
  e.Begin().I32Field(1, 2).BinaryField(4, "c").StructField(10);
  write_logical(e);
  e.End().End();
  e.I64Field(3, 0).ListField(4, T::kStruct, 0).End();
  return e.bytes();
}

LogicalTypeInfo LogicalOf(const std::function<void(TestEncoder&)>& write_logical) {
  const FileMetaData m = Decode(FooterWithLogicalType(write_logical));
  EXPECT_TRUE(m.schema[1].logical_type.has_value());
  return m.schema[1].logical_type.value_or(LogicalTypeInfo{});
}

TEST(ParquetMetadataTest, LogicalTypes) {
  LogicalTypeInfo t = LogicalOf([](TestEncoder& e) {
    e.StructField(8).BoolField(1, true).StructField(2).StructField(2).End().End().End();
  });
  EXPECT_EQ(t.kind, LogicalTypeKind::kTimestamp);
  EXPECT_TRUE(t.is_adjusted_to_utc);
  EXPECT_EQ(t.unit, TimeUnit::kMicros);

  t = LogicalOf([](TestEncoder& e) {
    e.StructField(7).BoolField(1, false).StructField(2).StructField(3).End().End().End();
  });
  EXPECT_EQ(t.kind, LogicalTypeKind::kTime);
  EXPECT_FALSE(t.is_adjusted_to_utc);
  EXPECT_EQ(t.unit, TimeUnit::kNanos);

  t = LogicalOf([](TestEncoder& e) {
    e.StructField(8).BoolField(1, false).StructField(2).StructField(1).End().End().End();
  });
  EXPECT_EQ(t.unit, TimeUnit::kMillis);

  // A time unit newer than this code.
  t = LogicalOf([](TestEncoder& e) {
    e.StructField(8).BoolField(1, false).StructField(2).StructField(9).End().End().End();
  });
  EXPECT_EQ(t.kind, LogicalTypeKind::kTimestamp);
  EXPECT_EQ(t.unit, TimeUnit::kUnknown);

  // IntType's bitWidth is an i8: a single byte on the wire.
  t = LogicalOf([](TestEncoder& e) {
    e.StructField(10).Field(T::kByte, 1).Raw({8}).BoolField(2, false).End();
  });
  EXPECT_EQ(t.kind, LogicalTypeKind::kInteger);
  EXPECT_EQ(t.bit_width, 8);
  EXPECT_FALSE(t.is_signed);

  const std::pair<int, LogicalTypeKind> plain[] = {
      {1, LogicalTypeKind::kString},  {2, LogicalTypeKind::kMap},   {3, LogicalTypeKind::kList},
      {4, LogicalTypeKind::kEnum},    {6, LogicalTypeKind::kDate},  {11, LogicalTypeKind::kUnknown},
      {12, LogicalTypeKind::kJson},   {13, LogicalTypeKind::kBson}, {14, LogicalTypeKind::kUuid},
      {15, LogicalTypeKind::kFloat16}};
  for (const auto& [id, kind] : plain) {
    t = LogicalOf([&](TestEncoder& e) { e.StructField(static_cast<int16_t>(id)).End(); });
    EXPECT_EQ(t.kind, kind) << id;
  }

  // A member this code does not know, with contents; and an empty union.
  t = LogicalOf([](TestEncoder& e) { e.StructField(30).BinaryField(1, "crs").End(); });
  EXPECT_EQ(t.kind, LogicalTypeKind::kOther);
  t = LogicalOf([](TestEncoder& e) {});
  EXPECT_EQ(t.kind, LogicalTypeKind::kOther);
  // GEOMETRY's optional CRS is skipped.
  t = LogicalOf([](TestEncoder& e) { e.StructField(17).BinaryField(1, "OGC:CRS84").End(); });
  EXPECT_EQ(t.kind, LogicalTypeKind::kGeometry);
}

TEST(ParquetMetadataTest, MalformedLogicalTypes) {
  // Two members of a union.
  EXPECT_THROW(Decode(FooterWithLogicalType(
                   [](TestEncoder& e) { e.StructField(1).End().StructField(6).End(); })),
               ParquetDecodeError);
  // DECIMAL without its precision.
  EXPECT_THROW(
      Decode(FooterWithLogicalType([](TestEncoder& e) { e.StructField(5).I32Field(1, 2).End(); })),
      ParquetDecodeError);
  // TIMESTAMP without its unit.
  EXPECT_THROW(Decode(FooterWithLogicalType(
                   [](TestEncoder& e) { e.StructField(8).BoolField(1, true).End(); })),
               ParquetDecodeError);
  // INTEGER with its bit width as an i32: skipped as mistyped, so missing.
  EXPECT_THROW(Decode(FooterWithLogicalType([](TestEncoder& e) {
                 e.StructField(10).I32Field(1, 8).BoolField(2, true).End();
               })),
               ParquetDecodeError);
}

// The smallest valid footer, with whatever `extra` adds before its end.
std::vector<uint8_t> MinimalFooter(const std::function<void(TestEncoder&)>& extra = {}) {
  TestEncoder e;
  e.Begin().I32Field(1, 1).ListField(2, T::kStruct, 1);
  e.Begin().BinaryField(4, "root").End();
  e.I64Field(3, 0).ListField(4, T::kStruct, 0);
  if (extra) extra(e);
  e.End();
  return e.bytes();
}

TEST(ParquetMetadataTest, UnknownFieldsAreSkipped) {
  const std::vector<uint8_t> bytes = MinimalFooter([](TestEncoder& e) {
    e.BoolField(20, true)
        .Field(T::kDouble, 21)
        .Double(3.25)
        .Field(T::kMap, 22)
        .Map(T::kBinary, T::kList, 1)
        .Binary("k")
        .List(T::kI64, 2)
        .I64(1)
        .I64(2)
        .StructField(23)
        .StructField(1)
        .BoolField(1, false)
        .End()
        .End()
        .Field(T::kSet, 24)
        .List(T::kBinary, 1)
        .Binary("s")
        .Field(T::kUuid, 25)
        .Raw({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
        .BinaryField(1000, "far away")
        .BinaryField(6, "after the unknown ones");
  });
  const FileMetaData m = Decode(bytes);
  EXPECT_EQ(m.created_by, "after the unknown ones");
  EXPECT_EQ(m.schema.size(), 1u);
}

TEST(ParquetMetadataTest, EncryptedMarkers) {
  EXPECT_TRUE(Decode(MinimalFooter([](TestEncoder& e) {
                e.StructField(8).StructField(1).End().End();
              })).encrypted);
  EXPECT_FALSE(Decode(MinimalFooter()).encrypted);
}

TEST(ParquetMetadataTest, MistypedFieldsAreSkippedAndThenMissing) {
  TestEncoder e;
  e.Begin().BinaryField(1, "1").ListField(2, T::kStruct, 1);
  e.Begin().BinaryField(4, "root").End();
  e.I64Field(3, 0).ListField(4, T::kStruct, 0).End();
  try {
    Decode(e.bytes());
    FAIL() << "no error";
  } catch (const ParquetDecodeError& error) {
    EXPECT_STREQ(error.what(), "FileMetaData: required field version (1) missing");
  }
}

TEST(ParquetMetadataTest, RequiredFieldsMissing) {
  // FileMetaData without row_groups.
  TestEncoder no_row_groups;
  no_row_groups.Begin().I32Field(1, 1).ListField(2, T::kStruct, 1);
  no_row_groups.Begin().BinaryField(4, "root").End();
  no_row_groups.I64Field(3, 0).End();
  EXPECT_THROW(Decode(no_row_groups.bytes()), ParquetDecodeError);

  // A SchemaElement without a name.
  TestEncoder no_name;
  no_name.Begin().I32Field(1, 1).ListField(2, T::kStruct, 1);
  no_name.Begin().I32Field(5, 0).End();
  no_name.I64Field(3, 0).ListField(4, T::kStruct, 0).End();
  EXPECT_THROW(Decode(no_name.bytes()), ParquetDecodeError);

  // A KeyValue without a key.
  EXPECT_THROW(Decode(MinimalFooter([](TestEncoder& e) {
                 e.ListField(5, T::kStruct, 1).Begin().BinaryField(2, "v").End();
               })),
               ParquetDecodeError);
}

// A footer with one row group of `row_group_rows` rows and one column chunk
// whose metadata `write_meta` writes (without Begin/End).
std::vector<uint8_t> FooterWithColumn(const std::function<void(TestEncoder&)>& write_meta,
                                      int64_t row_group_rows = 1) {
  TestEncoder e;
  e.Begin().I32Field(1, 1).ListField(2, T::kStruct, 1);
  e.Begin().BinaryField(4, "root").End();
  e.I64Field(3, 1).ListField(4, T::kStruct, 1);
  e.Begin().ListField(1, T::kStruct, 1).Begin().StructField(3);
  write_meta(e);
  e.End().End();
  e.I64Field(2, 10).I64Field(3, row_group_rows).End();
  e.End();
  return e.bytes();
}

void WriteValidMeta(TestEncoder& e) {
  e.I32Field(1, 1)
      .ListField(2, T::kI32, 1)
      .I32(0)
      .ListField(3, T::kBinary, 1)
      .Binary("c")
      .I32Field(4, 0)
      .I64Field(5, 1)
      .I64Field(6, 10)
      .I64Field(7, 10)
      .I64Field(9, 4);
}

TEST(ParquetMetadataTest, ColumnMetaDataChecks) {
  const FileMetaData m = Decode(FooterWithColumn(WriteValidMeta));
  ASSERT_EQ(m.row_groups.size(), 1u);
  EXPECT_EQ(m.row_groups[0].columns[0].meta_data->data_page_offset, 4);
  // No codec.
  EXPECT_THROW(Decode(FooterWithColumn([](TestEncoder& e) {
                 e.I32Field(1, 1)
                     .ListField(2, T::kI32, 1)
                     .I32(0)
                     .ListField(3, T::kBinary, 1)
                     .Binary("c")
                     .I64Field(5, 1)
                     .I64Field(6, 10)
                     .I64Field(7, 10)
                     .I64Field(9, 4);
               })),
               ParquetDecodeError);
  // A negative compressed size.
  EXPECT_THROW(Decode(FooterWithColumn([](TestEncoder& e) {
                 WriteValidMeta(e);
                 e.I64Field(7, -10);
               })),
               ParquetDecodeError);
  // Encodings as a list of strings.
  EXPECT_THROW(Decode(FooterWithColumn([](TestEncoder& e) {
                 WriteValidMeta(e);
                 e.ListField(2, T::kBinary, 1).Binary("PLAIN");
               })),
               ParquetDecodeError);
  // A negative row count in the row group.
  EXPECT_THROW(Decode(FooterWithColumn(WriteValidMeta, -1)), ParquetDecodeError);
}

TEST(ParquetMetadataTest, ImpossibleValues) {
  // Negative num_rows.
  TestEncoder negative_rows;
  negative_rows.Begin().I32Field(1, 1).ListField(2, T::kStruct, 1);
  negative_rows.Begin().BinaryField(4, "root").End();
  negative_rows.I64Field(3, -5).ListField(4, T::kStruct, 0).End();
  EXPECT_THROW(Decode(negative_rows.bytes()), ParquetDecodeError);
  // An empty schema.
  TestEncoder empty_schema;
  empty_schema.Begin().I32Field(1, 1).ListField(2, T::kStruct, 0);
  empty_schema.I64Field(3, 0).ListField(4, T::kStruct, 0).End();
  EXPECT_THROW(Decode(empty_schema.bytes()), ParquetDecodeError);
  // Negative num_children.
  TestEncoder negative_children;
  negative_children.Begin().I32Field(1, 1).ListField(2, T::kStruct, 1);
  negative_children.Begin().BinaryField(4, "root").I32Field(5, -1).End();
  negative_children.I64Field(3, 0).ListField(4, T::kStruct, 0).End();
  EXPECT_THROW(Decode(negative_children.bytes()), ParquetDecodeError);
}

TEST(ParquetMetadataTest, HugeListSizeFailsFast) {
  TestEncoder e;
  e.Begin().I32Field(1, 1).ListField(2, T::kStruct, std::numeric_limits<int32_t>::max());
  std::vector<uint8_t> bytes = e.bytes();
  bytes.resize(1024, 0);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(Decode(bytes), ParquetDecodeError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(ParquetMetadataTest, DeepNesting) {
  auto nested = [](int depth) {
    return MinimalFooter([depth](TestEncoder& e) {
      e.StructField(30);
      for (int i = 1; i < depth; ++i) e.StructField(1);
      for (int i = 0; i < depth; ++i) e.End();
    });
  };
  EXPECT_NO_THROW(Decode(nested(40)));
  EXPECT_THROW(Decode(nested(100)), ParquetDecodeError);
  EXPECT_THROW(Decode(nested(100000)), ParquetDecodeError);
}

TEST(ParquetMetadataTest, NegativeLengths) {
  // created_by with a length of -1 as a 32-bit and as a 64-bit varint.
  EXPECT_THROW(Decode(MinimalFooter([](TestEncoder& e) {
                 e.Field(T::kBinary, 6).Varint(0xffffffffu).Raw({'x', 0});
               })),
               ParquetDecodeError);
  EXPECT_THROW(Decode(MinimalFooter([](TestEncoder& e) {
                 e.Field(T::kBinary, 6).Varint(std::numeric_limits<uint64_t>::max()).Raw({'x'});
               })),
               ParquetDecodeError);
  // A list of -1 elements.
  EXPECT_THROW(Decode(MinimalFooter(
                   [](TestEncoder& e) { e.Field(T::kList, 5).Raw({0xfc}).Varint(0xffffffffu); })),
               ParquetDecodeError);
}

TEST(ParquetMetadataTest, EveryTruncationOfAFooterThrows) {
  for (const std::vector<uint8_t>& full : {SampleFooter().bytes(), kDuckDbFooter}) {
    ASSERT_NO_THROW(Decode(full));
    for (size_t n = 0; n < full.size(); ++n) {
      // A copy of exactly n bytes, so AddressSanitizer sees any read past it.
      std::vector<uint8_t> prefix(full.begin(), full.begin() + n);
      EXPECT_THROW(ReadFileMetaData(prefix.data(), prefix.size()), ParquetDecodeError) << n;
    }
  }
}

TEST(ParquetMetadataTest, EveryTruncationOfAPageHeaderThrows) {
  for (size_t n = 0; n < 17; ++n) {
    std::vector<uint8_t> prefix(kDuckDbPage.begin(), kDuckDbPage.begin() + n);
    size_t header_size = 0;
    EXPECT_THROW(ReadPageHeader(prefix.data(), prefix.size(), &header_size), ParquetDecodeError)
        << n;
  }
}

// Damaged footers either decode or raise ParquetDecodeError: nothing else
// (no bad_alloc, no length_error, no crash under the sanitizers).
TEST(ParquetMetadataTest, RandomByteFlipsDecodeOrThrow) {
  std::mt19937 random(20240521);
  int decoded = 0;
  int refused = 0;
  const std::vector<uint8_t> inputs[] = {SampleFooter().bytes(), kDuckDbFooter, kDuckDbPage};
  for (int input = 0; input < 3; ++input) {
    const std::vector<uint8_t>& original = inputs[input];
    const bool page_header = input == 2;
    for (int round = 0; round < 5000; ++round) {
      std::vector<uint8_t> bytes = original;
      const int flips = 1 + static_cast<int>(random() % 4);
      for (int i = 0; i < flips; ++i) {
        const size_t at = random() % bytes.size();
        if (random() % 2 == 0) {
          bytes[at] ^= static_cast<uint8_t>(1u << (random() % 8));
        } else {
          bytes[at] = static_cast<uint8_t>(random());
        }
      }
      try {
        if (page_header) {
          size_t header_size = 0;
          ReadPageHeader(bytes.data(), bytes.size(), &header_size);
          EXPECT_LE(header_size, bytes.size());
        } else {
          Decode(bytes);
        }
        ++decoded;
      } catch (const ParquetDecodeError&) {
        ++refused;
      } catch (const std::exception& error) {
        ADD_FAILURE() << "unexpected exception: " << error.what();
      }
    }
  }
  // Both outcomes happen: the test exercises more than the first byte.
  EXPECT_GT(decoded, 0);
  EXPECT_GT(refused, 0);
}

// Page headers of every kind, followed by page bytes.
std::vector<uint8_t> PageBytes(const std::function<void(TestEncoder&)>& write) {
  TestEncoder e;
  e.Begin();
  write(e);
  e.End();
  std::vector<uint8_t> bytes = e.bytes();
  bytes.resize(bytes.size() + 64, 0xEE);  // the page itself
  return bytes;
}

PageHeader DecodePage(const std::vector<uint8_t>& bytes, size_t* header_size) {
  return ReadPageHeader(bytes.data(), bytes.size(), header_size);
}

TEST(ParquetMetadataTest, PageHeaders) {
  size_t header_size = 0;
  // A data page v1 with statistics and a CRC.
  std::vector<uint8_t> bytes = PageBytes([](TestEncoder& e) {
    e.I32Field(1, 0).I32Field(2, 100).I32Field(3, 64).I32Field(4, -123456).StructField(5);
    e.I32Field(1, 10).I32Field(2, 8).I32Field(3, 3).I32Field(4, 3).StructField(5);
    e.I64Field(3, 2).BinaryField(1, "zz").BinaryField(2, "aa");
    e.End().End();
  });
  PageHeader h = DecodePage(bytes, &header_size);
  EXPECT_EQ(header_size, bytes.size() - 64);
  EXPECT_EQ(h.type, PageType::kDataPage);
  EXPECT_EQ(h.uncompressed_page_size, 100);
  EXPECT_EQ(h.compressed_page_size, 64);
  EXPECT_EQ(h.crc, -123456);
  ASSERT_TRUE(h.data_page_header.has_value());
  EXPECT_EQ(h.data_page_header->num_values, 10);
  EXPECT_EQ(h.data_page_header->encoding, Encoding::kRleDictionary);
  ASSERT_TRUE(h.data_page_header->statistics.has_value());
  EXPECT_EQ(h.data_page_header->statistics->null_count, 2);
  EXPECT_EQ(h.data_page_header->statistics->max, "zz");
  EXPECT_EQ(h.data_page_header->statistics->min, "aa");

  // A dictionary page.
  bytes = PageBytes([](TestEncoder& e) {
    e.I32Field(1, 2).I32Field(2, 50).I32Field(3, 40).StructField(7);
    e.I32Field(1, 5).I32Field(2, 0).BoolField(3, true).End();
  });
  h = DecodePage(bytes, &header_size);
  EXPECT_EQ(header_size, bytes.size() - 64);
  EXPECT_EQ(h.type, PageType::kDictionaryPage);
  ASSERT_TRUE(h.dictionary_page_header.has_value());
  EXPECT_EQ(h.dictionary_page_header->num_values, 5);
  EXPECT_EQ(h.dictionary_page_header->encoding, Encoding::kPlain);
  EXPECT_EQ(h.dictionary_page_header->is_sorted, true);

  // A data page v2, uncompressed values, then one with is_compressed absent.
  for (bool explicit_flag : {true, false}) {
    bytes = PageBytes([explicit_flag](TestEncoder& e) {
      e.I32Field(1, 3).I32Field(2, 60).I32Field(3, 50).StructField(8);
      e.I32Field(1, 20).I32Field(2, 5).I32Field(3, 20).I32Field(4, 0).I32Field(5, 6).I32Field(6, 0);
      if (explicit_flag) e.BoolField(7, false);
      e.End();
    });
    h = DecodePage(bytes, &header_size);
    EXPECT_EQ(header_size, bytes.size() - 64);
    EXPECT_EQ(h.type, PageType::kDataPageV2);
    ASSERT_TRUE(h.data_page_header_v2.has_value());
    EXPECT_EQ(h.data_page_header_v2->num_values, 20);
    EXPECT_EQ(h.data_page_header_v2->num_nulls, 5);
    EXPECT_EQ(h.data_page_header_v2->num_rows, 20);
    EXPECT_EQ(h.data_page_header_v2->definition_levels_byte_length, 6);
    EXPECT_EQ(h.data_page_header_v2->repetition_levels_byte_length, 0);
    EXPECT_EQ(h.data_page_header_v2->is_compressed, !explicit_flag);
  }

  // An index page (its empty header skipped) and a page type newer than
  // this code: both decode, for the reader to skip by their size.
  h = DecodePage(PageBytes([](TestEncoder& e) {
                   e.I32Field(1, 1).I32Field(2, 0).I32Field(3, 0).StructField(6).End();
                 }),
                 &header_size);
  EXPECT_EQ(h.type, PageType::kIndexPage);
  h = DecodePage(PageBytes([](TestEncoder& e) { e.I32Field(1, 9).I32Field(2, 8).I32Field(3, 8); }),
                 &header_size);
  EXPECT_EQ(static_cast<int>(h.type), 9);
}

TEST(ParquetMetadataTest, MalformedPageHeaders) {
  size_t header_size = 0;
  auto decode = [&](const std::function<void(TestEncoder&)>& write) {
    return DecodePage(PageBytes(write), &header_size);
  };
  // A data page without its header.
  EXPECT_THROW(decode([](TestEncoder& e) { e.I32Field(1, 0).I32Field(2, 8).I32Field(3, 8); }),
               ParquetDecodeError);
  // No compressed_page_size.
  EXPECT_THROW(decode([](TestEncoder& e) {
                 e.I32Field(1, 2).I32Field(2, 8).StructField(7).I32Field(1, 1).I32Field(2, 0).End();
               }),
               ParquetDecodeError);
  // A negative compressed size.
  EXPECT_THROW(decode([](TestEncoder& e) {
                 e.I32Field(1, 2).I32Field(2, 8).I32Field(3, -8).StructField(7);
                 e.I32Field(1, 1).I32Field(2, 0).End();
               }),
               ParquetDecodeError);
  // A dictionary page header without its encoding.
  EXPECT_THROW(decode([](TestEncoder& e) {
                 e.I32Field(1, 2).I32Field(2, 8).I32Field(3, 8).StructField(7).I32Field(1, 1).End();
               }),
               ParquetDecodeError);
  // v2 levels longer than the page.
  EXPECT_THROW(decode([](TestEncoder& e) {
                 e.I32Field(1, 3).I32Field(2, 10).I32Field(3, 10).StructField(8);
                 e.I32Field(1, 5).I32Field(2, 0).I32Field(3, 5).I32Field(4, 0);
                 e.I32Field(5, 8).I32Field(6, 4).End();
               }),
               ParquetDecodeError);
  // v2 with more nulls than values.
  EXPECT_THROW(decode([](TestEncoder& e) {
                 e.I32Field(1, 3).I32Field(2, 10).I32Field(3, 10).StructField(8);
                 e.I32Field(1, 5).I32Field(2, 6).I32Field(3, 5).I32Field(4, 0);
                 e.I32Field(5, 1).I32Field(6, 0).End();
               }),
               ParquetDecodeError);
  // A negative value count in a v1 header.
  EXPECT_THROW(decode([](TestEncoder& e) {
                 e.I32Field(1, 0).I32Field(2, 8).I32Field(3, 8).StructField(5);
                 e.I32Field(1, -1).I32Field(2, 0).I32Field(3, 3).I32Field(4, 3).End();
               }),
               ParquetDecodeError);
}

}  // namespace
}  // namespace basalt::parquet
