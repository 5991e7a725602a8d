// Decoders of the parquet.thrift structures in parquet_metadata.h, one
// function per struct, each driving a ThriftCompactReader field by field.
//
// As Thrift's own generated code does, a field whose id is unknown or whose
// type is not the one the IDL gives is skipped; a required field that then
// never arrived is an error. A known list field whose elements have the wrong
// type is refused instead: no version of the format wrote one.
#include "storage/parquet/parquet_metadata.h"

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "storage/parquet/thrift_compact.h"

namespace basalt::parquet {
namespace {

using Reader = ThriftCompactReader;

// Reads one struct, handing each field to `on_field`; it returns false for a
// field it does not take, which is then skipped. Returns the set of field
// ids (those below 64) that were taken, for the required-field checks.
template <typename OnField>
uint64_t ReadStruct(Reader& in, OnField&& on_field) {
  uint64_t taken = 0;
  in.ReadStructBegin();
  for (;;) {
    const FieldHeader field = in.ReadFieldHeader();
    if (field.type == CompactType::kStop) break;
    if (on_field(field)) {
      if (field.id >= 0 && field.id < 64) taken |= uint64_t{1} << field.id;
    } else {
      in.Skip(field.type);
    }
  }
  in.ReadStructEnd();
  return taken;
}

void Require(uint64_t taken, int id, const char* struct_name, const char* field_name) {
  if ((taken & (uint64_t{1} << id)) == 0) {
    throw ParquetDecodeError(std::string(struct_name) + ": required field " + field_name + " (" +
                             std::to_string(id) + ") missing");
  }
}

void RequireNonNegative(int64_t value, const char* what) {
  if (value < 0) {
    throw ParquetDecodeError(std::string(what) + " is negative (" + std::to_string(value) + ")");
  }
}

template <typename T>
void RequireNonNegative(const std::optional<T>& value, const char* what) {
  if (value.has_value()) RequireNonNegative(static_cast<int64_t>(*value), what);
}

// Take(in, field, out): reads the field's value into `out` if the field has
// the type `out` is encoded as, and says whether it did.
bool Take(Reader& in, const FieldHeader& f, bool& out) {
  if (f.type != CompactType::kBool) return false;
  out = in.ReadBool();
  return true;
}

bool Take(Reader& in, const FieldHeader& f, int8_t& out) {
  if (f.type != CompactType::kByte) return false;
  out = in.ReadByte();
  return true;
}

bool Take(Reader& in, const FieldHeader& f, int16_t& out) {
  if (f.type != CompactType::kI16) return false;
  out = in.ReadI16();
  return true;
}

bool Take(Reader& in, const FieldHeader& f, int32_t& out) {
  if (f.type != CompactType::kI32) return false;
  out = in.ReadI32();
  return true;
}

bool Take(Reader& in, const FieldHeader& f, int64_t& out) {
  if (f.type != CompactType::kI64) return false;
  out = in.ReadI64();
  return true;
}

bool Take(Reader& in, const FieldHeader& f, std::string& out) {
  if (f.type != CompactType::kBinary) return false;
  out = in.ReadString();
  return true;
}

// Thrift enums are i32 on the wire; values without a name are kept.
template <typename E>
requires std::is_enum_v<E>
bool Take(Reader& in, const FieldHeader& f, E& out) {
  if (f.type != CompactType::kI32) return false;
  out = static_cast<E>(in.ReadI32());
  return true;
}

template <typename T>
bool Take(Reader& in, const FieldHeader& f, std::optional<T>& out) {
  T value{};
  if (!Take(in, f, value)) return false;
  out = std::move(value);
  return true;
}

// A list<element> field: `read_one` reads each element.
template <typename T, typename ReadOne>
bool TakeList(Reader& in, const FieldHeader& f, CompactType element, std::vector<T>& out,
              ReadOne&& read_one) {
  if (f.type != CompactType::kList) return false;
  const ListHeader header = in.ReadListHeader();
  if (header.size > 0 && header.element_type != element) {
    in.Fail("list field " + std::to_string(f.id) + " has elements of type " +
            std::to_string(static_cast<int>(header.element_type)) + ", not " +
            std::to_string(static_cast<int>(element)));
  }
  out.clear();
  // No reserve: the header's size is bounded by the bytes left, not by what
  // the elements will take in memory.
  for (uint32_t i = 0; i < header.size; ++i) out.push_back(read_one());
  return true;
}

Statistics ReadStatistics(Reader& in) {
  Statistics s;
  ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, s.max);
      case 2:
        return Take(in, f, s.min);
      case 3:
        return Take(in, f, s.null_count);
      case 4:
        return Take(in, f, s.distinct_count);
      case 5:
        return Take(in, f, s.max_value);
      case 6:
        return Take(in, f, s.min_value);
      case 7:
        return Take(in, f, s.is_max_value_exact);
      case 8:
        return Take(in, f, s.is_min_value_exact);
      case 9:
        return Take(in, f, s.nan_count);
      default:
        return false;
    }
  });
  return s;
}

// The TimeUnit union: which of its (empty) member structs is set.
TimeUnit ReadTimeUnit(Reader& in) {
  TimeUnit unit = TimeUnit::kUnknown;
  ReadStruct(in, [&](const FieldHeader& f) {
    if (f.type != CompactType::kStruct) return false;
    unit = (f.id >= 1 && f.id <= 3) ? static_cast<TimeUnit>(f.id) : TimeUnit::kUnknown;
    in.Skip(CompactType::kStruct);
    return true;
  });
  return unit;
}

void ReadDecimalType(Reader& in, LogicalTypeInfo& info) {
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, info.scale);
      case 2:
        return Take(in, f, info.precision);
      default:
        return false;
    }
  });
  Require(taken, 1, "DecimalType", "scale");
  Require(taken, 2, "DecimalType", "precision");
}

// TimeType and TimestampType have the same fields.
void ReadTimeType(Reader& in, LogicalTypeInfo& info, const char* struct_name) {
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, info.is_adjusted_to_utc);
      case 2:
        if (f.type != CompactType::kStruct) return false;
        info.unit = ReadTimeUnit(in);
        return true;
      default:
        return false;
    }
  });
  Require(taken, 1, struct_name, "isAdjustedToUTC");
  Require(taken, 2, struct_name, "unit");
}

void ReadIntType(Reader& in, LogicalTypeInfo& info) {
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, info.bit_width);
      case 2:
        return Take(in, f, info.is_signed);
      default:
        return false;
    }
  });
  Require(taken, 1, "IntType", "bitWidth");
  Require(taken, 2, "IntType", "isSigned");
}

LogicalTypeInfo ReadLogicalType(Reader& in) {
  LogicalTypeInfo info;
  int members = 0;
  ReadStruct(in, [&](const FieldHeader& f) {
    // Every member of the union is a struct.
    if (f.type != CompactType::kStruct) return false;
    ++members;
    info = LogicalTypeInfo{};
    switch (f.id) {
      case 5:
        info.kind = LogicalTypeKind::kDecimal;
        ReadDecimalType(in, info);
        return true;
      case 7:
        info.kind = LogicalTypeKind::kTime;
        ReadTimeType(in, info, "TimeType");
        return true;
      case 8:
        info.kind = LogicalTypeKind::kTimestamp;
        ReadTimeType(in, info, "TimestampType");
        return true;
      case 10:
        info.kind = LogicalTypeKind::kInteger;
        ReadIntType(in, info);
        return true;
      case 1:
      case 2:
      case 3:
      case 4:
      case 6:
      case 11:
      case 12:
      case 13:
      case 14:
      case 15:
      case 16:
      case 17:
      case 18:
      case 19:
        // No parameters Basalt uses (VARIANT's version, GEOMETRY's CRS ...).
        info.kind = static_cast<LogicalTypeKind>(f.id);
        in.Skip(CompactType::kStruct);
        return true;
      default:
        info.kind = LogicalTypeKind::kOther;
        in.Skip(CompactType::kStruct);
        return true;
    }
  });
  if (members > 1) {
    throw ParquetDecodeError("LogicalType: union with " + std::to_string(members) + " members set");
  }
  return info;
}

SchemaElement ReadSchemaElement(Reader& in) {
  SchemaElement e;
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, e.type);
      case 2:
        return Take(in, f, e.type_length);
      case 3:
        return Take(in, f, e.repetition_type);
      case 4:
        return Take(in, f, e.name);
      case 5:
        return Take(in, f, e.num_children);
      case 6:
        return Take(in, f, e.converted_type);
      case 7:
        return Take(in, f, e.scale);
      case 8:
        return Take(in, f, e.precision);
      case 9:
        return Take(in, f, e.field_id);
      case 10:
        if (f.type != CompactType::kStruct) return false;
        e.logical_type = ReadLogicalType(in);
        return true;
      default:
        return false;
    }
  });
  Require(taken, 4, "SchemaElement", "name");
  RequireNonNegative(e.type_length, "SchemaElement.type_length");
  RequireNonNegative(e.num_children, "SchemaElement.num_children");
  return e;
}

KeyValue ReadKeyValue(Reader& in) {
  KeyValue kv;
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, kv.key);
      case 2:
        return Take(in, f, kv.value);
      default:
        return false;
    }
  });
  Require(taken, 1, "KeyValue", "key");
  return kv;
}

ColumnMetaData ReadColumnMetaData(Reader& in) {
  ColumnMetaData m;
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, m.type);
      case 2:
        return TakeList(in, f, CompactType::kI32, m.encodings,
                        [&] { return static_cast<Encoding>(in.ReadI32()); });
      case 3:
        return TakeList(in, f, CompactType::kBinary, m.path_in_schema,
                        [&] { return in.ReadString(); });
      case 4:
        return Take(in, f, m.codec);
      case 5:
        return Take(in, f, m.num_values);
      case 6:
        return Take(in, f, m.total_uncompressed_size);
      case 7:
        return Take(in, f, m.total_compressed_size);
      case 9:
        return Take(in, f, m.data_page_offset);
      case 10:
        return Take(in, f, m.index_page_offset);
      case 11:
        return Take(in, f, m.dictionary_page_offset);
      case 12:
        if (f.type != CompactType::kStruct) return false;
        m.statistics = ReadStatistics(in);
        return true;
      default:
        return false;
    }
  });
  Require(taken, 1, "ColumnMetaData", "type");
  Require(taken, 2, "ColumnMetaData", "encodings");
  Require(taken, 3, "ColumnMetaData", "path_in_schema");
  Require(taken, 4, "ColumnMetaData", "codec");
  Require(taken, 5, "ColumnMetaData", "num_values");
  Require(taken, 6, "ColumnMetaData", "total_uncompressed_size");
  Require(taken, 7, "ColumnMetaData", "total_compressed_size");
  Require(taken, 9, "ColumnMetaData", "data_page_offset");
  RequireNonNegative(m.num_values, "ColumnMetaData.num_values");
  RequireNonNegative(m.total_uncompressed_size, "ColumnMetaData.total_uncompressed_size");
  RequireNonNegative(m.total_compressed_size, "ColumnMetaData.total_compressed_size");
  RequireNonNegative(m.data_page_offset, "ColumnMetaData.data_page_offset");
  RequireNonNegative(m.index_page_offset, "ColumnMetaData.index_page_offset");
  RequireNonNegative(m.dictionary_page_offset, "ColumnMetaData.dictionary_page_offset");
  return m;
}

ColumnChunk ReadColumnChunk(Reader& in) {
  ColumnChunk c;
  ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, c.file_path);
      case 2:
        return Take(in, f, c.file_offset);
      case 3:
        if (f.type != CompactType::kStruct) return false;
        c.meta_data = ReadColumnMetaData(in);
        return true;
      case 8:
      case 9:
        // crypto_metadata, encrypted_column_metadata: only their presence matters.
        c.encrypted = true;
        return false;
      default:
        return false;
    }
  });
  return c;
}

RowGroup ReadRowGroup(Reader& in) {
  RowGroup g;
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return TakeList(in, f, CompactType::kStruct, g.columns,
                        [&] { return ReadColumnChunk(in); });
      case 2:
        return Take(in, f, g.total_byte_size);
      case 3:
        return Take(in, f, g.num_rows);
      case 5:
        return Take(in, f, g.file_offset);
      case 6:
        return Take(in, f, g.total_compressed_size);
      case 7:
        return Take(in, f, g.ordinal);
      default:
        return false;
    }
  });
  Require(taken, 1, "RowGroup", "columns");
  Require(taken, 2, "RowGroup", "total_byte_size");
  Require(taken, 3, "RowGroup", "num_rows");
  RequireNonNegative(g.total_byte_size, "RowGroup.total_byte_size");
  RequireNonNegative(g.num_rows, "RowGroup.num_rows");
  RequireNonNegative(g.file_offset, "RowGroup.file_offset");
  RequireNonNegative(g.total_compressed_size, "RowGroup.total_compressed_size");
  return g;
}

FileMetaData ReadFileMetaDataStruct(Reader& in) {
  FileMetaData m;
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, m.version);
      case 2:
        return TakeList(in, f, CompactType::kStruct, m.schema,
                        [&] { return ReadSchemaElement(in); });
      case 3:
        return Take(in, f, m.num_rows);
      case 4:
        return TakeList(in, f, CompactType::kStruct, m.row_groups,
                        [&] { return ReadRowGroup(in); });
      case 5:
        return TakeList(in, f, CompactType::kStruct, m.key_value_metadata,
                        [&] { return ReadKeyValue(in); });
      case 6:
        return Take(in, f, m.created_by);
      case 8:
        // encryption_algorithm: only its presence matters.
        m.encrypted = true;
        return false;
      default:
        return false;
    }
  });
  Require(taken, 1, "FileMetaData", "version");
  Require(taken, 2, "FileMetaData", "schema");
  Require(taken, 3, "FileMetaData", "num_rows");
  Require(taken, 4, "FileMetaData", "row_groups");
  if (m.schema.empty()) throw ParquetDecodeError("FileMetaData: empty schema");
  RequireNonNegative(m.num_rows, "FileMetaData.num_rows");
  return m;
}

DataPageHeader ReadDataPageHeader(Reader& in) {
  DataPageHeader h;
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, h.num_values);
      case 2:
        return Take(in, f, h.encoding);
      case 3:
        return Take(in, f, h.definition_level_encoding);
      case 4:
        return Take(in, f, h.repetition_level_encoding);
      case 5:
        if (f.type != CompactType::kStruct) return false;
        h.statistics = ReadStatistics(in);
        return true;
      default:
        return false;
    }
  });
  Require(taken, 1, "DataPageHeader", "num_values");
  Require(taken, 2, "DataPageHeader", "encoding");
  Require(taken, 3, "DataPageHeader", "definition_level_encoding");
  Require(taken, 4, "DataPageHeader", "repetition_level_encoding");
  RequireNonNegative(h.num_values, "DataPageHeader.num_values");
  return h;
}

DictionaryPageHeader ReadDictionaryPageHeader(Reader& in) {
  DictionaryPageHeader h;
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, h.num_values);
      case 2:
        return Take(in, f, h.encoding);
      case 3:
        return Take(in, f, h.is_sorted);
      default:
        return false;
    }
  });
  Require(taken, 1, "DictionaryPageHeader", "num_values");
  Require(taken, 2, "DictionaryPageHeader", "encoding");
  RequireNonNegative(h.num_values, "DictionaryPageHeader.num_values");
  return h;
}

DataPageHeaderV2 ReadDataPageHeaderV2(Reader& in) {
  DataPageHeaderV2 h;
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, h.num_values);
      case 2:
        return Take(in, f, h.num_nulls);
      case 3:
        return Take(in, f, h.num_rows);
      case 4:
        return Take(in, f, h.encoding);
      case 5:
        return Take(in, f, h.definition_levels_byte_length);
      case 6:
        return Take(in, f, h.repetition_levels_byte_length);
      case 7:
        return Take(in, f, h.is_compressed);
      case 8:
        if (f.type != CompactType::kStruct) return false;
        h.statistics = ReadStatistics(in);
        return true;
      default:
        return false;
    }
  });
  const char* name = "DataPageHeaderV2";
  Require(taken, 1, name, "num_values");
  Require(taken, 2, name, "num_nulls");
  Require(taken, 3, name, "num_rows");
  Require(taken, 4, name, "encoding");
  Require(taken, 5, name, "definition_levels_byte_length");
  Require(taken, 6, name, "repetition_levels_byte_length");
  RequireNonNegative(h.num_values, "DataPageHeaderV2.num_values");
  RequireNonNegative(h.num_nulls, "DataPageHeaderV2.num_nulls");
  RequireNonNegative(h.num_rows, "DataPageHeaderV2.num_rows");
  RequireNonNegative(h.definition_levels_byte_length,
                     "DataPageHeaderV2.definition_levels_byte_length");
  RequireNonNegative(h.repetition_levels_byte_length,
                     "DataPageHeaderV2.repetition_levels_byte_length");
  if (h.num_nulls > h.num_values) {
    throw ParquetDecodeError("DataPageHeaderV2: num_nulls " + std::to_string(h.num_nulls) +
                             " exceeds num_values " + std::to_string(h.num_values));
  }
  return h;
}

PageHeader ReadPageHeaderStruct(Reader& in) {
  PageHeader h;
  const uint64_t taken = ReadStruct(in, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return Take(in, f, h.type);
      case 2:
        return Take(in, f, h.uncompressed_page_size);
      case 3:
        return Take(in, f, h.compressed_page_size);
      case 4:
        return Take(in, f, h.crc);
      case 5:
        if (f.type != CompactType::kStruct) return false;
        h.data_page_header = ReadDataPageHeader(in);
        return true;
      case 7:
        if (f.type != CompactType::kStruct) return false;
        h.dictionary_page_header = ReadDictionaryPageHeader(in);
        return true;
      case 8:
        if (f.type != CompactType::kStruct) return false;
        h.data_page_header_v2 = ReadDataPageHeaderV2(in);
        return true;
      default:
        return false;
    }
  });
  Require(taken, 1, "PageHeader", "type");
  Require(taken, 2, "PageHeader", "uncompressed_page_size");
  Require(taken, 3, "PageHeader", "compressed_page_size");
  RequireNonNegative(h.uncompressed_page_size, "PageHeader.uncompressed_page_size");
  RequireNonNegative(h.compressed_page_size, "PageHeader.compressed_page_size");
  switch (h.type) {
    case PageType::kDataPage:
      if (!h.data_page_header) throw ParquetDecodeError("PageHeader: data page without its header");
      break;
    case PageType::kDictionaryPage:
      if (!h.dictionary_page_header) {
        throw ParquetDecodeError("PageHeader: dictionary page without its header");
      }
      break;
    case PageType::kDataPageV2:
      if (!h.data_page_header_v2) {
        throw ParquetDecodeError("PageHeader: data page v2 without its header");
      }
      // The levels are stored before the (possibly compressed) values, inside the page.
      if (static_cast<int64_t>(h.data_page_header_v2->definition_levels_byte_length) +
              h.data_page_header_v2->repetition_levels_byte_length >
          h.compressed_page_size) {
        throw ParquetDecodeError("PageHeader: v2 level lengths exceed compressed_page_size " +
                                 std::to_string(h.compressed_page_size));
      }
      break;
    default:
      // An index page, or a page type newer than this code: the reader skips it by its size.
      break;
  }
  return h;
}

}  // namespace

FileMetaData ReadFileMetaData(const uint8_t* data, size_t size) {
  Reader in(data, size);
  return ReadFileMetaDataStruct(in);
}

PageHeader ReadPageHeader(const uint8_t* data, size_t size, size_t* header_size) {
  Reader in(data, size);
  PageHeader header = ReadPageHeaderStruct(in);
  *header_size = in.position();
  return header;
}

}  // namespace basalt::parquet
