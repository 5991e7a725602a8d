#include "storage/parquet/parquet_metadata_writer.h"

#include "storage/parquet/thrift_compact_writer.h"

namespace basalt::parquet {

namespace {

using W = ThriftCompactWriter;

void EmptyStructField(W& w, int16_t id) {
  w.StructFieldBegin(id);
  w.WriteStructEnd();
}

void WriteStatistics(W& w, const Statistics& s) {
  if (s.max) w.BinaryField(1, *s.max);
  if (s.min) w.BinaryField(2, *s.min);
  if (s.null_count) w.I64Field(3, *s.null_count);
  if (s.distinct_count) w.I64Field(4, *s.distinct_count);
  if (s.max_value) w.BinaryField(5, *s.max_value);
  if (s.min_value) w.BinaryField(6, *s.min_value);
  if (s.is_max_value_exact) w.BoolField(7, *s.is_max_value_exact);
  if (s.is_min_value_exact) w.BoolField(8, *s.is_min_value_exact);
  if (s.nan_count) w.I64Field(9, *s.nan_count);
}

void WriteLogicalType(W& w, const LogicalTypeInfo& t) {
  // A union: exactly one member, a struct under the member's id.
  const auto id = static_cast<int16_t>(t.kind);
  w.StructFieldBegin(id);
  switch (t.kind) {
    case LogicalTypeKind::kDecimal:
      w.I32Field(1, t.scale);
      w.I32Field(2, t.precision);
      break;
    case LogicalTypeKind::kTime:
    case LogicalTypeKind::kTimestamp:
      w.BoolField(1, t.is_adjusted_to_utc);
      w.StructFieldBegin(2);  // unit: the TimeUnit union
      EmptyStructField(w, static_cast<int16_t>(t.unit));
      w.WriteStructEnd();
      break;
    case LogicalTypeKind::kInteger:
      w.WriteFieldHeader(CompactType::kByte, 1);
      w.WriteByte(t.bit_width);
      w.BoolField(2, t.is_signed);
      break;
    default:
      break;  // STRING, DATE and the rest are empty structs
  }
  w.WriteStructEnd();
}

void WriteSchemaElement(W& w, const SchemaElement& e) {
  w.WriteStructBegin();
  if (e.type) w.I32Field(1, static_cast<int32_t>(*e.type));
  if (e.type_length) w.I32Field(2, *e.type_length);
  if (e.repetition_type) w.I32Field(3, static_cast<int32_t>(*e.repetition_type));
  w.BinaryField(4, e.name);
  if (e.num_children) w.I32Field(5, *e.num_children);
  if (e.converted_type) w.I32Field(6, static_cast<int32_t>(*e.converted_type));
  if (e.scale) w.I32Field(7, *e.scale);
  if (e.precision) w.I32Field(8, *e.precision);
  if (e.field_id) w.I32Field(9, *e.field_id);
  if (e.logical_type) {
    w.StructFieldBegin(10);
    WriteLogicalType(w, *e.logical_type);
    w.WriteStructEnd();
  }
  w.WriteStructEnd();
}

void WriteColumnMetaData(W& w, const ColumnMetaData& m) {
  w.I32Field(1, static_cast<int32_t>(m.type));
  w.WriteFieldHeader(CompactType::kList, 2);
  w.WriteListHeader(CompactType::kI32, static_cast<uint32_t>(m.encodings.size()));
  for (Encoding e : m.encodings) w.WriteI32(static_cast<int32_t>(e));
  w.WriteFieldHeader(CompactType::kList, 3);
  w.WriteListHeader(CompactType::kBinary, static_cast<uint32_t>(m.path_in_schema.size()));
  for (const auto& p : m.path_in_schema) w.WriteBinary(p);
  w.I32Field(4, static_cast<int32_t>(m.codec));
  w.I64Field(5, m.num_values);
  w.I64Field(6, m.total_uncompressed_size);
  w.I64Field(7, m.total_compressed_size);
  w.I64Field(9, m.data_page_offset);
  if (m.index_page_offset) w.I64Field(10, *m.index_page_offset);
  if (m.dictionary_page_offset) w.I64Field(11, *m.dictionary_page_offset);
  if (m.statistics) {
    w.StructFieldBegin(12);
    WriteStatistics(w, *m.statistics);
    w.WriteStructEnd();
  }
}

void WriteRowGroup(W& w, const RowGroup& g) {
  w.WriteStructBegin();
  w.WriteFieldHeader(CompactType::kList, 1);
  w.WriteListHeader(CompactType::kStruct, static_cast<uint32_t>(g.columns.size()));
  for (const ColumnChunk& c : g.columns) {
    w.WriteStructBegin();
    if (c.file_path) w.BinaryField(1, *c.file_path);
    w.I64Field(2, c.file_offset);
    if (c.meta_data) {
      w.StructFieldBegin(3);
      WriteColumnMetaData(w, *c.meta_data);
      w.WriteStructEnd();
    }
    w.WriteStructEnd();
  }
  w.I64Field(2, g.total_byte_size);
  w.I64Field(3, g.num_rows);
  if (g.file_offset) w.I64Field(5, *g.file_offset);
  if (g.total_compressed_size) w.I64Field(6, *g.total_compressed_size);
  if (g.ordinal) {
    w.WriteFieldHeader(CompactType::kI16, 7);
    w.WriteI16(*g.ordinal);
  }
  w.WriteStructEnd();
}

}  // namespace

std::vector<uint8_t> WriteFileMetaData(const FileMetaData& metadata) {
  W w;
  w.WriteStructBegin();
  w.I32Field(1, metadata.version);
  w.WriteFieldHeader(CompactType::kList, 2);
  w.WriteListHeader(CompactType::kStruct, static_cast<uint32_t>(metadata.schema.size()));
  for (const auto& e : metadata.schema) WriteSchemaElement(w, e);
  w.I64Field(3, metadata.num_rows);
  w.WriteFieldHeader(CompactType::kList, 4);
  w.WriteListHeader(CompactType::kStruct, static_cast<uint32_t>(metadata.row_groups.size()));
  for (const auto& g : metadata.row_groups) WriteRowGroup(w, g);
  if (!metadata.key_value_metadata.empty()) {
    w.WriteFieldHeader(CompactType::kList, 5);
    w.WriteListHeader(CompactType::kStruct,
                      static_cast<uint32_t>(metadata.key_value_metadata.size()));
    for (const auto& kv : metadata.key_value_metadata) {
      w.WriteStructBegin();
      w.BinaryField(1, kv.key);
      if (kv.value) w.BinaryField(2, *kv.value);
      w.WriteStructEnd();
    }
  }
  if (metadata.created_by) w.BinaryField(6, *metadata.created_by);
  // One ColumnOrder per leaf: the union's TYPE_ORDER member (id 1).
  uint32_t leaves = 0;
  for (const auto& e : metadata.schema) leaves += e.type.has_value() ? 1 : 0;
  w.WriteFieldHeader(CompactType::kList, 7);
  w.WriteListHeader(CompactType::kStruct, leaves);
  for (uint32_t i = 0; i < leaves; i++) {
    w.WriteStructBegin();
    EmptyStructField(w, 1);
    w.WriteStructEnd();
  }
  w.WriteStructEnd();
  return w.Release();
}

std::vector<uint8_t> WritePageHeader(const PageHeader& header) {
  W w;
  w.WriteStructBegin();
  w.I32Field(1, static_cast<int32_t>(header.type));
  w.I32Field(2, header.uncompressed_page_size);
  w.I32Field(3, header.compressed_page_size);
  if (header.crc) w.I32Field(4, *header.crc);
  if (header.data_page_header) {
    const DataPageHeader& d = *header.data_page_header;
    w.StructFieldBegin(5);
    w.I32Field(1, d.num_values);
    w.I32Field(2, static_cast<int32_t>(d.encoding));
    w.I32Field(3, static_cast<int32_t>(d.definition_level_encoding));
    w.I32Field(4, static_cast<int32_t>(d.repetition_level_encoding));
    if (d.statistics) {
      w.StructFieldBegin(5);
      WriteStatistics(w, *d.statistics);
      w.WriteStructEnd();
    }
    w.WriteStructEnd();
  }
  if (header.dictionary_page_header) {
    const DictionaryPageHeader& d = *header.dictionary_page_header;
    w.StructFieldBegin(7);
    w.I32Field(1, d.num_values);
    w.I32Field(2, static_cast<int32_t>(d.encoding));
    if (d.is_sorted) w.BoolField(3, *d.is_sorted);
    w.WriteStructEnd();
  }
  if (header.data_page_header_v2) {
    const DataPageHeaderV2& d = *header.data_page_header_v2;
    w.StructFieldBegin(8);
    w.I32Field(1, d.num_values);
    w.I32Field(2, d.num_nulls);
    w.I32Field(3, d.num_rows);
    w.I32Field(4, static_cast<int32_t>(d.encoding));
    w.I32Field(5, d.definition_levels_byte_length);
    w.I32Field(6, d.repetition_levels_byte_length);
    w.BoolField(7, d.is_compressed);
    if (d.statistics) {
      w.StructFieldBegin(8);
      WriteStatistics(w, *d.statistics);
      w.WriteStructEnd();
    }
    w.WriteStructEnd();
  }
  w.WriteStructEnd();
  return w.Release();
}

}  // namespace basalt::parquet
