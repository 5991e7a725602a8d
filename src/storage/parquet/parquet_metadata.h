// The structures of parquet.thrift that Basalt's Parquet reader uses, and
// their decoders from the Thrift compact protocol (docs/parquet.md).
//
// Each struct mirrors its Thrift definition: the same fields under the same
// names (in snake_case), optional fields as std::optional, enums with their
// Thrift numbers. Only what a reader needs is kept; the decoders skip every
// other field, including ones added to the format after this was written, so
// newer files decode. An enum value this file does not name (a future
// encoding, say) is kept as its number: deciding whether Basalt can read it
// is the reader's business (0A000), not the decoder's.
//
// The decoders raise ParquetDecodeError for bytes that are not a well-formed
// Thrift struct, for a missing required field, and for values no valid file
// holds that every consumer would otherwise have to check before using them
// as sizes (a negative page size, row count or offset). They never read
// outside the span they are given. Stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/parquet/parquet_error.h"

namespace basalt::parquet {

// Physical type of a column's values.
enum class Type : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

// The annotation older writers use instead of LogicalType (and newer writers
// alongside it).
enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class FieldRepetitionType : int32_t {
  kRequired = 0,
  kOptional = 1,
  kRepeated = 2,
  kVector = 3,  // a fixed-size vector group, newer than most readers
};

enum class Encoding : int32_t {
  kPlain = 0,
  // 1 was GROUP_VAR_INT, never used.
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,  // the Hadoop-framed LZ4 of older writers
  kZstd = 6,
  kLz4Raw = 7,
};

enum class PageType : int32_t {
  kDataPage = 0,
  kIndexPage = 1,
  kDictionaryPage = 2,
  kDataPageV2 = 3,
};

// Which member of the LogicalType union is set; the numbers are the union's
// field ids. kOther is a member this decoder does not know (a newer one) or
// an empty union: a reader treats the column as if it had no logical type or
// refuses it, as it sees fit.
enum class LogicalTypeKind : int16_t {
  kOther = 0,
  kString = 1,
  kMap = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTime = 7,
  kTimestamp = 8,
  // 9 is reserved for INTERVAL.
  kInteger = 10,
  kUnknown = 11,  // Thrift's UNKNOWN (NullType): the column holds only nulls
  kJson = 12,
  kBson = 13,
  kUuid = 14,
  kFloat16 = 15,
  kVariant = 16,
  kGeometry = 17,
  kGeography = 18,
  kVector = 19,
};

// The TimeUnit union; kUnknown is a member this decoder does not know.
enum class TimeUnit : int16_t {
  kUnknown = 0,
  kMillis = 1,
  kMicros = 2,
  kNanos = 3,
};

// The LogicalType union flattened: the kind plus the parameters of the few
// kinds that have any. Fields that do not belong to `kind` keep their
// defaults.
struct LogicalTypeInfo {
  LogicalTypeKind kind = LogicalTypeKind::kOther;
  // DECIMAL
  int32_t scale = 0;
  int32_t precision = 0;
  // TIME, TIMESTAMP
  bool is_adjusted_to_utc = false;
  TimeUnit unit = TimeUnit::kUnknown;
  // INTEGER: 8, 16, 32 or 64 in a valid file.
  int8_t bit_width = 0;
  bool is_signed = true;
};

// Min/max are PLAIN-encoded values without a length prefix. `max`/`min` are
// the deprecated signed-order fields; `max_value`/`min_value` use the
// column's order.
struct Statistics {
  std::optional<std::string> max;          // 1
  std::optional<std::string> min;          // 2
  std::optional<int64_t> null_count;       // 3
  std::optional<int64_t> distinct_count;   // 4
  std::optional<std::string> max_value;    // 5
  std::optional<std::string> min_value;    // 6
  std::optional<bool> is_max_value_exact;  // 7
  std::optional<bool> is_min_value_exact;  // 8
  std::optional<int64_t> nan_count;        // 9
};

// One node of the schema tree, which the file lists depth first: a group has
// num_children and no type, a leaf a type and no num_children.
struct SchemaElement {
  std::optional<Type> type;                            // 1
  std::optional<int32_t> type_length;                  // 2
  std::optional<FieldRepetitionType> repetition_type;  // 3
  std::string name;                                    // 4, required
  std::optional<int32_t> num_children;                 // 5
  std::optional<ConvertedType> converted_type;         // 6
  std::optional<int32_t> scale;                        // 7
  std::optional<int32_t> precision;                    // 8
  std::optional<int32_t> field_id;                     // 9
  std::optional<LogicalTypeInfo> logical_type;         // 10 (logicalType)
};

struct KeyValue {
  std::string key;                   // 1, required
  std::optional<std::string> value;  // 2
};

struct ColumnMetaData {
  Type type = Type::kBoolean;                                // 1, required
  std::vector<Encoding> encodings;                           // 2, required
  std::vector<std::string> path_in_schema;                   // 3, required
  CompressionCodec codec = CompressionCodec::kUncompressed;  // 4, required
  int64_t num_values = 0;                                    // 5, required
  int64_t total_uncompressed_size = 0;                       // 6, required
  int64_t total_compressed_size = 0;                         // 7, required
  // 8 key_value_metadata: skipped.
  int64_t data_page_offset = 0;                   // 9, required
  std::optional<int64_t> index_page_offset;       // 10
  std::optional<int64_t> dictionary_page_offset;  // 11
  std::optional<Statistics> statistics;           // 12
  // 13 encoding_stats, 14 bloom_filter_offset and later: skipped.
};

struct ColumnChunk {
  std::optional<std::string> file_path;  // 1
  // 2: required in the IDL but deprecated, and meaningless to a reader, so a
  // file without it is accepted (it stays 0, the IDL's default).
  int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;  // 3
  // 8 crypto_metadata or 9 encrypted_column_metadata present: the column is
  // encrypted, which Basalt does not read.
  bool encrypted = false;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;  // 1, required
  int64_t total_byte_size = 0;       // 2, required
  int64_t num_rows = 0;              // 3, required
  // 4 sorting_columns: skipped.
  std::optional<int64_t> file_offset;            // 5
  std::optional<int64_t> total_compressed_size;  // 6
  std::optional<int16_t> ordinal;                // 7
};

struct FileMetaData {
  int32_t version = 0;                       // 1, required
  std::vector<SchemaElement> schema;         // 2, required; [0] is the root
  int64_t num_rows = 0;                      // 3, required
  std::vector<RowGroup> row_groups;          // 4, required
  std::vector<KeyValue> key_value_metadata;  // 5 (empty when absent)
  std::optional<std::string> created_by;     // 6
  // 7 column_orders: skipped. 8 encryption_algorithm present: a plaintext
  // footer of an encrypted file.
  bool encrypted = false;
};

struct DataPageHeader {
  int32_t num_values = 0;                               // 1, required
  Encoding encoding = Encoding::kPlain;                 // 2, required
  Encoding definition_level_encoding = Encoding::kRle;  // 3, required
  Encoding repetition_level_encoding = Encoding::kRle;  // 4, required
  std::optional<Statistics> statistics;                 // 5
};

struct DictionaryPageHeader {
  int32_t num_values = 0;                // 1, required
  Encoding encoding = Encoding::kPlain;  // 2, required
  std::optional<bool> is_sorted;         // 3
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;                     // 1, required
  int32_t num_nulls = 0;                      // 2, required
  int32_t num_rows = 0;                       // 3, required
  Encoding encoding = Encoding::kPlain;       // 4, required
  int32_t definition_levels_byte_length = 0;  // 5, required
  int32_t repetition_levels_byte_length = 0;  // 6, required
  bool is_compressed = true;                  // 7, the IDL's default
  std::optional<Statistics> statistics;       // 8
};

struct PageHeader {
  PageType type = PageType::kDataPage;             // 1, required
  int32_t uncompressed_page_size = 0;              // 2, required
  int32_t compressed_page_size = 0;                // 3, required
  std::optional<int32_t> crc;                      // 4
  std::optional<DataPageHeader> data_page_header;  // 5
  // 6 index_page_header: skipped (an empty struct).
  std::optional<DictionaryPageHeader> dictionary_page_header;  // 7
  std::optional<DataPageHeaderV2> data_page_header_v2;         // 8
};

// Decodes a file's footer: the `size` bytes before the footer length and the
// closing "PAR1". Bytes after the struct's end are ignored.
//
// Rejects, besides malformed Thrift and missing required fields: an empty
// schema; negative num_rows, num_children, type_length, row group sizes,
// column value counts, sizes and offsets.
FileMetaData ReadFileMetaData(const uint8_t* data, size_t size);

// Decodes the page header at the start of `data`, which may go on past the
// header (into the page itself); *header_size receives the header's length in
// bytes, so the page starts at data + *header_size.
//
// Rejects, besides malformed Thrift and missing required fields: negative
// page sizes, value, null and row counts and level lengths; a data page,
// dictionary page or data page v2 without its own header; and v2 level
// lengths that add up to more than compressed_page_size.
PageHeader ReadPageHeader(const uint8_t* data, size_t size, size_t* header_size);

}  // namespace basalt::parquet
