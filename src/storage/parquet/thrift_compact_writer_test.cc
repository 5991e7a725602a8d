// ThriftCompactWriter against ThriftCompactReader, and the encoders of
// parquet_metadata_writer against the decoders of parquet_metadata, plus the
// RLE / bit-packed hybrid encoder against its decoder.
#include "storage/parquet/thrift_compact_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "storage/parquet/parquet_encoding.h"
#include "storage/parquet/parquet_metadata_writer.h"
#include "storage/parquet/parquet_rle_encoder.h"
#include "storage/parquet/thrift_compact.h"

namespace basalt::parquet {
namespace {

TEST(ThriftCompactWriterTest, ScalarsRoundTrip) {
  ThriftCompactWriter w;
  w.WriteStructBegin();
  w.I32Field(1, -1);
  w.I64Field(2, std::numeric_limits<int64_t>::min());
  w.BoolField(3, true);
  w.BoolField(4, false);
  w.BinaryField(20, "hello");  // a delta over 15: the long form
  w.WriteFieldHeader(CompactType::kDouble, 21);
  w.WriteDouble(-2.5);
  w.WriteFieldHeader(CompactType::kList, 22);
  w.WriteListHeader(CompactType::kI32, 20);  // 15 or more: the size as a varint
  for (int i = 0; i < 20; i++) w.WriteI32(i * 1000 - 7000);
  w.WriteFieldHeader(CompactType::kI16, 5);  // a smaller id: the long form
  w.WriteI16(-300);
  w.WriteStructEnd();

  const auto& b = w.bytes();
  ThriftCompactReader r(b.data(), b.size());
  r.ReadStructBegin();
  auto f = r.ReadFieldHeader();
  EXPECT_EQ(f.id, 1);
  EXPECT_EQ(r.ReadI32(), -1);
  f = r.ReadFieldHeader();
  EXPECT_EQ(f.id, 2);
  EXPECT_EQ(r.ReadI64(), std::numeric_limits<int64_t>::min());
  f = r.ReadFieldHeader();
  EXPECT_EQ(f.id, 3);
  EXPECT_TRUE(r.ReadBool());
  f = r.ReadFieldHeader();
  EXPECT_EQ(f.id, 4);
  EXPECT_FALSE(r.ReadBool());
  f = r.ReadFieldHeader();
  EXPECT_EQ(f.id, 20);
  EXPECT_EQ(r.ReadBinary(), "hello");
  f = r.ReadFieldHeader();
  EXPECT_EQ(f.id, 21);
  EXPECT_EQ(r.ReadDouble(), -2.5);
  f = r.ReadFieldHeader();
  EXPECT_EQ(f.id, 22);
  auto list = r.ReadListHeader();
  ASSERT_EQ(list.size, 20u);
  EXPECT_EQ(list.element_type, CompactType::kI32);
  for (int i = 0; i < 20; i++) EXPECT_EQ(r.ReadI32(), i * 1000 - 7000);
  f = r.ReadFieldHeader();
  EXPECT_EQ(f.id, 5);
  EXPECT_EQ(r.ReadI16(), -300);
  EXPECT_EQ(r.ReadFieldHeader().type, CompactType::kStop);
  r.ReadStructEnd();
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ParquetMetadataWriterTest, PageHeaderRoundTrips) {
  PageHeader h;
  h.type = PageType::kDataPage;
  h.uncompressed_page_size = 1000;
  h.compressed_page_size = 400;
  DataPageHeader d;
  d.num_values = 77;
  d.encoding = Encoding::kRleDictionary;
  h.data_page_header = d;
  const auto bytes = WritePageHeader(h);
  size_t size = 0;
  const PageHeader back = ReadPageHeader(bytes.data(), bytes.size(), &size);
  EXPECT_EQ(size, bytes.size());
  EXPECT_EQ(back.type, PageType::kDataPage);
  EXPECT_EQ(back.uncompressed_page_size, 1000);
  EXPECT_EQ(back.compressed_page_size, 400);
  ASSERT_TRUE(back.data_page_header);
  EXPECT_EQ(back.data_page_header->num_values, 77);
  EXPECT_EQ(back.data_page_header->encoding, Encoding::kRleDictionary);
}

TEST(ParquetMetadataWriterTest, FileMetaDataRoundTrips) {
  FileMetaData m;
  m.version = 1;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  SchemaElement leaf;
  leaf.name = "ts";
  leaf.type = Type::kInt64;
  leaf.repetition_type = FieldRepetitionType::kOptional;
  LogicalTypeInfo lt;
  lt.kind = LogicalTypeKind::kTimestamp;
  lt.unit = TimeUnit::kMicros;
  leaf.logical_type = lt;
  m.schema = {root, leaf};
  m.num_rows = 5;
  RowGroup g;
  ColumnChunk c;
  ColumnMetaData cm;
  cm.type = Type::kInt64;
  cm.encodings = {Encoding::kPlain, Encoding::kRle};
  cm.path_in_schema = {"ts"};
  cm.codec = CompressionCodec::kZstd;
  cm.num_values = 5;
  cm.total_compressed_size = 60;
  cm.total_uncompressed_size = 70;
  cm.data_page_offset = 4;
  Statistics st;
  st.null_count = 1;
  st.min_value = std::string("\x01\0\0\0\0\0\0\0", 8);
  cm.statistics = st;
  c.meta_data = cm;
  g.columns = {c};
  g.num_rows = 5;
  g.total_byte_size = 70;
  m.row_groups = {g};
  m.created_by = "basalt test";
  const auto bytes = WriteFileMetaData(m);
  const FileMetaData back = ReadFileMetaData(bytes.data(), bytes.size());
  ASSERT_EQ(back.schema.size(), 2u);
  EXPECT_EQ(back.schema[1].name, "ts");
  ASSERT_TRUE(back.schema[1].logical_type);
  EXPECT_EQ(back.schema[1].logical_type->kind, LogicalTypeKind::kTimestamp);
  EXPECT_EQ(back.schema[1].logical_type->unit, TimeUnit::kMicros);
  EXPECT_FALSE(back.schema[1].logical_type->is_adjusted_to_utc);
  ASSERT_EQ(back.row_groups.size(), 1u);
  const auto& meta = *back.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(meta.codec, CompressionCodec::kZstd);
  EXPECT_EQ(meta.data_page_offset, 4);
  EXPECT_EQ(meta.statistics->null_count, 1);
  EXPECT_EQ(meta.statistics->min_value->size(), 8u);
  EXPECT_EQ(back.created_by, "basalt test");
}

// Runs of every length around the 8-value boundary, random noise, and long
// bit-packed stretches (more than 63 groups), at several widths.
TEST(ParquetRleEncoderTest, RoundTripsThroughTheDecoder) {
  std::mt19937 rng(42);
  for (int width : {0, 1, 2, 3, 7, 8, 13, 20, 32}) {
    std::vector<uint32_t> values;
    const uint64_t limit = width == 0 ? 0 : width == 32 ? 0xffffffffu : (1u << width) - 1;
    for (int block = 0; block < 200; block++) {
      const uint32_t v = static_cast<uint32_t>(rng() % (limit + 1));
      const int kind = static_cast<int>(rng() % 3);
      const int n = kind == 0 ? static_cast<int>(rng() % 20) + 1 : kind == 1 ? 1 : 700;
      for (int i = 0; i < n; i++) {
        values.push_back(kind == 2 ? static_cast<uint32_t>(rng() % (limit + 1)) : v);
      }
    }
    std::vector<uint8_t> encoded;
    EncodeRleBitPackedHybrid(values.data(), values.size(), width, &encoded);
    RleBitPackedDecoder decoder(encoded.data(), encoded.size(), width);
    std::vector<uint32_t> decoded(values.size());
    decoder.DecodeExactly(decoded.data(), decoded.size());
    EXPECT_EQ(decoded, values) << "width " << width;
  }
  EXPECT_EQ(BitWidthFor(0), 0);
  EXPECT_EQ(BitWidthFor(1), 1);
  EXPECT_EQ(BitWidthFor(255), 8);
  EXPECT_EQ(BitWidthFor(256), 9);
}

}  // namespace
}  // namespace basalt::parquet
