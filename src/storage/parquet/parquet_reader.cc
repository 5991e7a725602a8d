#include "storage/parquet/parquet_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "common/exception.h"
#include "storage/parquet/parquet_column_reader.h"

namespace basalt {

namespace {

using parquet::ConvertedType;
using parquet::LogicalTypeKind;
using parquet::Type;

constexpr char kMagic[4] = {'P', 'A', 'R', '1'};
// The footer of any real file is far smaller; a larger length is damage, and
// refusing it keeps a flipped bit from asking for gigabytes.
constexpr uint32_t kMaxFooterSize = 256u << 20;

const char* PhysicalTypeName(Type t) {
  switch (t) {
    case Type::kBoolean:
      return "BOOLEAN";
    case Type::kInt32:
      return "INT32";
    case Type::kInt64:
      return "INT64";
    case Type::kInt96:
      return "INT96";
    case Type::kFloat:
      return "FLOAT";
    case Type::kDouble:
      return "DOUBLE";
    case Type::kByteArray:
      return "BYTE_ARRAY";
    case Type::kFixedLenByteArray:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return "unknown";
}

// The annotation of a leaf as one of the LogicalType kinds, from the logical
// type when the writer gave one and from the older converted type otherwise.
parquet::LogicalTypeInfo Annotation(const parquet::SchemaElement& e) {
  if (e.logical_type && e.logical_type->kind != LogicalTypeKind::kOther) return *e.logical_type;
  parquet::LogicalTypeInfo info;
  if (!e.converted_type) return info;
  auto integer = [&](int8_t bits, bool is_signed) {
    info.kind = LogicalTypeKind::kInteger;
    info.bit_width = bits;
    info.is_signed = is_signed;
  };
  switch (*e.converted_type) {
    case ConvertedType::kUtf8:
      info.kind = LogicalTypeKind::kString;
      break;
    case ConvertedType::kEnum:
      info.kind = LogicalTypeKind::kEnum;
      break;
    case ConvertedType::kJson:
      info.kind = LogicalTypeKind::kJson;
      break;
    case ConvertedType::kBson:
      info.kind = LogicalTypeKind::kBson;
      break;
    case ConvertedType::kDate:
      info.kind = LogicalTypeKind::kDate;
      break;
    case ConvertedType::kDecimal:
      info.kind = LogicalTypeKind::kDecimal;
      info.precision = e.precision.value_or(0);
      info.scale = e.scale.value_or(0);
      break;
    case ConvertedType::kTimeMillis:
    case ConvertedType::kTimeMicros:
      info.kind = LogicalTypeKind::kTime;
      break;
    case ConvertedType::kTimestampMillis:
      info.kind = LogicalTypeKind::kTimestamp;
      info.unit = parquet::TimeUnit::kMillis;
      break;
    case ConvertedType::kTimestampMicros:
      info.kind = LogicalTypeKind::kTimestamp;
      info.unit = parquet::TimeUnit::kMicros;
      break;
    case ConvertedType::kInt8:
      integer(8, true);
      break;
    case ConvertedType::kInt16:
      integer(16, true);
      break;
    case ConvertedType::kInt32:
      integer(32, true);
      break;
    case ConvertedType::kInt64:
      integer(64, true);
      break;
    case ConvertedType::kUint8:
      integer(8, false);
      break;
    case ConvertedType::kUint16:
      integer(16, false);
      break;
    case ConvertedType::kUint32:
      integer(32, false);
      break;
    case ConvertedType::kUint64:
      integer(64, false);
      break;
    default:
      info.kind = LogicalTypeKind::kVector;
      break;  // something unreadable
  }
  return info;
}

}  // namespace

std::unique_ptr<ParquetFile> ParquetFile::Open(const std::string& path) {
  std::unique_ptr<ParquetFile> file(new ParquetFile(path));
  uint64_t size = file->size();
  // "PAR1", the footer, its length, "PAR1": anything shorter is not a file.
  if (size < 12)
    file->ThrowCorrupt(fmt::format("it is {} bytes long, too short for Parquet", size));
  uint8_t head[4];
  uint8_t tail[8];
  file->ReadAt(0, 4, head);
  file->ReadAt(size - 8, 8, tail);
  if (std::memcmp(head, kMagic, 4) != 0) {
    file->ThrowCorrupt("it does not start with the magic number \"PAR1\"");
  }
  if (std::memcmp(tail + 4, kMagic, 4) != 0) {
    file->ThrowCorrupt("it does not end with the magic number \"PAR1\" (truncated?)");
  }
  uint32_t footer_size = static_cast<uint32_t>(tail[0]) | static_cast<uint32_t>(tail[1]) << 8 |
                         static_cast<uint32_t>(tail[2]) << 16 |
                         static_cast<uint32_t>(tail[3]) << 24;
  if (footer_size > size - 12 || footer_size > kMaxFooterSize) {
    file->ThrowCorrupt(
        fmt::format("footer length {} does not fit in the file's {} bytes", footer_size, size));
  }
  std::vector<uint8_t> footer(footer_size);
  file->ReadAt(size - 8 - footer_size, footer_size, footer.data());
  try {
    file->metadata_ = parquet::ReadFileMetaData(footer.data(), footer.size());
  } catch (const parquet::ParquetDecodeError& e) {
    file->ThrowCorrupt(fmt::format("footer: {}", e.what()));
  }
  if (file->metadata_.encrypted) {
    ThrowError(sqlstate::kFeatureNotSupported,
               "parquet file \"{}\" is encrypted, which Basalt "
               "does not read",
               path);
  }
  file->MapSchema();
  return file;
}

void ParquetFile::MapSchema() {
  const auto& schema = metadata_.schema;
  if (schema.empty()) ThrowCorrupt("footer: empty schema");
  const auto& root = schema[0];
  size_t children = static_cast<size_t>(root.num_children.value_or(0));
  if (children != schema.size() - 1) {
    // Some child is a group: find it to name it.
    for (size_t i = 1; i < schema.size(); i++) {
      if (schema[i].num_children.value_or(0) > 0 || !schema[i].type) {
        ThrowError(sqlstate::kFeatureNotSupported,
                   "parquet file \"{}\": column \"{}\" is nested (a group such as LIST, MAP or "
                   "STRUCT), which Basalt does not read yet",
                   path(), schema[i].name);
      }
    }
    ThrowCorrupt(fmt::format("footer: the schema root has {} children but {} elements follow",
                             children, schema.size() - 1));
  }
  for (size_t i = 1; i < schema.size(); i++) {
    const auto& e = schema[i];
    auto unsupported = [&](const std::string& what) {
      ThrowError(sqlstate::kFeatureNotSupported,
                 "parquet file \"{}\": column \"{}\" is {}, which Basalt does not read", path(),
                 e.name, what);
    };
    if (e.num_children.value_or(0) > 0 || !e.type) {
      unsupported("nested (a group such as LIST, MAP or STRUCT)");
    }
    auto repetition = e.repetition_type.value_or(parquet::FieldRepetitionType::kOptional);
    if (repetition == parquet::FieldRepetitionType::kRepeated) unsupported("a repeated field");
    if (repetition != parquet::FieldRepetitionType::kRequired &&
        repetition != parquet::FieldRepetitionType::kOptional) {
      unsupported("of an unknown repetition");
    }
    ParquetColumn c;
    c.name = e.name;
    c.physical_type = *e.type;
    c.type_length = e.type_length.value_or(0);
    c.max_definition_level = repetition == parquet::FieldRepetitionType::kOptional ? 1 : 0;
    parquet::LogicalTypeInfo a = Annotation(e);
    auto annotated = [&](LogicalTypeKind k) { return a.kind == k; };
    auto type_name = [&]() {
      return fmt::format("of an annotated {} type", PhysicalTypeName(c.physical_type));
    };
    if (annotated(LogicalTypeKind::kDecimal)) {
      if (a.precision < 1 || a.precision > kMaxDecimalPrecision || a.scale < 0 ||
          a.scale > a.precision) {
        unsupported(fmt::format("DECIMAL({},{})", a.precision, a.scale));
      }
      c.type =
          LogicalType::Decimal(static_cast<uint8_t>(a.precision), static_cast<uint8_t>(a.scale));
      switch (c.physical_type) {
        case Type::kInt32:
          c.conversion = ParquetConversion::kInt32Decimal;
          break;
        case Type::kInt64:
          c.conversion = ParquetConversion::kInt64Decimal;
          break;
        case Type::kByteArray:
          c.conversion = ParquetConversion::kBinaryDecimal;
          break;
        case Type::kFixedLenByteArray:
          if (c.type_length < 1 || c.type_length > 16) {
            unsupported(fmt::format("a DECIMAL in {} bytes", c.type_length));
          }
          c.conversion = ParquetConversion::kBinaryDecimal;
          break;
        default:
          unsupported(type_name());
      }
      columns_.push_back(std::move(c));
      continue;
    }
    switch (c.physical_type) {
      case Type::kBoolean:
        c.type = TypeId::kBoolean;
        c.conversion = ParquetConversion::kBoolean;
        break;
      case Type::kInt32:
        if (annotated(LogicalTypeKind::kDate)) {
          c.type = TypeId::kDate;
          c.conversion = ParquetConversion::kInt32;
        } else if (annotated(LogicalTypeKind::kInteger)) {
          if (a.bit_width == 8 || (a.bit_width == 16 && a.is_signed)) {
            c.type = TypeId::kSmallint;
            c.conversion = ParquetConversion::kInt32ToInt16;
          } else if (a.bit_width == 16 || (a.bit_width == 32 && a.is_signed)) {
            c.type = TypeId::kInteger;
            c.conversion = ParquetConversion::kInt32;
          } else if (a.bit_width == 32) {
            c.type = TypeId::kBigint;
            c.conversion = ParquetConversion::kUint32ToInt64;
          } else {
            unsupported(fmt::format("an INT32 holding {}-bit integers", a.bit_width));
          }
        } else if (a.kind == LogicalTypeKind::kOther || annotated(LogicalTypeKind::kUnknown)) {
          c.type = TypeId::kInteger;
          c.conversion = ParquetConversion::kInt32;
        } else {
          unsupported(type_name());
        }
        break;
      case Type::kInt64:
        if (annotated(LogicalTypeKind::kTimestamp)) {
          c.type = TypeId::kTimestamp;
          switch (a.unit) {
            case parquet::TimeUnit::kMillis:
              c.conversion = ParquetConversion::kTimestampMillis;
              break;
            case parquet::TimeUnit::kMicros:
              c.conversion = ParquetConversion::kInt64;
              break;
            case parquet::TimeUnit::kNanos:
              c.conversion = ParquetConversion::kTimestampNanos;
              break;
            default:
              unsupported("a TIMESTAMP of an unknown unit");
          }
        } else if (annotated(LogicalTypeKind::kInteger)) {
          if (a.bit_width != 64) {
            unsupported(fmt::format("an INT64 holding {}-bit integers", a.bit_width));
          }
          c.type = TypeId::kBigint;
          c.conversion = a.is_signed ? ParquetConversion::kInt64 : ParquetConversion::kUint64;
        } else if (a.kind == LogicalTypeKind::kOther || annotated(LogicalTypeKind::kUnknown)) {
          c.type = TypeId::kBigint;
          c.conversion = ParquetConversion::kInt64;
        } else {
          unsupported(type_name());
        }
        break;
      case Type::kInt96:
        c.type = TypeId::kTimestamp;
        c.conversion = ParquetConversion::kInt96Timestamp;
        break;
      case Type::kFloat:
        c.type = TypeId::kReal;
        c.conversion = ParquetConversion::kFloat;
        break;
      case Type::kDouble:
        c.type = TypeId::kDouble;
        c.conversion = ParquetConversion::kDouble;
        break;
      case Type::kByteArray:
        if (a.kind == LogicalTypeKind::kOther || annotated(LogicalTypeKind::kString) ||
            annotated(LogicalTypeKind::kEnum) || annotated(LogicalTypeKind::kJson) ||
            annotated(LogicalTypeKind::kUnknown)) {
          c.type = TypeId::kVarchar;
          c.conversion = ParquetConversion::kString;
        } else {
          unsupported(type_name());
        }
        break;
      case Type::kFixedLenByteArray:
        if (a.kind == LogicalTypeKind::kOther) {
          c.type = TypeId::kVarchar;
          c.conversion = ParquetConversion::kString;
        } else {
          unsupported(type_name());
        }
        break;
      default:
        unsupported(fmt::format("of physical type {}", static_cast<int>(c.physical_type)));
    }
    columns_.push_back(std::move(c));
  }
  if (columns_.empty()) ThrowCorrupt("footer: the schema has no columns");
  for (size_t g = 0; g < metadata_.row_groups.size(); g++) {
    if (metadata_.row_groups[g].columns.size() != columns_.size()) {
      ThrowCorrupt(fmt::format("row group {} has {} column chunks for {} columns", g,
                               metadata_.row_groups[g].columns.size(), columns_.size()));
    }
  }
}

std::vector<std::string> ParquetFile::Names() const {
  std::vector<std::string> out;
  for (const auto& c : columns_) out.push_back(c.name);
  return out;
}

std::vector<LogicalType> ParquetFile::Types() const {
  std::vector<LogicalType> out;
  for (const auto& c : columns_) out.push_back(c.type);
  return out;
}

const parquet::ColumnMetaData& ParquetFile::ChunkMetaData(idx_t row_group, idx_t column) const {
  const auto& chunk = metadata_.row_groups[row_group].columns[column];
  const std::string& name = columns_[column].name;
  if (chunk.encrypted) {
    ThrowError(sqlstate::kFeatureNotSupported,
               "parquet file \"{}\": column \"{}\" is encrypted, which Basalt does not read",
               path(), name);
  }
  if (chunk.file_path) {
    ThrowError(sqlstate::kFeatureNotSupported,
               "parquet file \"{}\": column \"{}\" of row group {} lies in another file (\"{}\"), "
               "which Basalt does not read",
               path(), name, row_group, *chunk.file_path);
  }
  if (!chunk.meta_data) {
    ThrowCorrupt(fmt::format("row group {} column \"{}\": no column metadata", row_group, name));
  }
  if (chunk.meta_data->type != columns_[column].physical_type) {
    ThrowCorrupt(
        fmt::format("row group {} column \"{}\": the chunk's type differs from the "
                    "schema's",
                    row_group, name));
  }
  return *chunk.meta_data;
}

void ParquetFile::ReadAt(uint64_t offset, size_t size, uint8_t* out) const {
  if (offset > file_.size() || size > file_.size() - offset ||
      file_.ReadAt(reinterpret_cast<char*>(out), size, offset) != size) {
    ThrowCorrupt(fmt::format("{} bytes at offset {} lie past its end ({} bytes; truncated?)", size,
                             offset, file_.size()));
  }
}

void ParquetFile::ThrowCorrupt(const std::string& detail) const {
  ThrowError(sqlstate::kDataCorrupted, "parquet file \"{}\" is corrupt: {}", path(), detail);
}

ParquetFileList OpenParquetFiles(const std::vector<std::string>& paths) {
  ParquetFileList files;
  for (const std::string& path : paths) {
    std::shared_ptr<const ParquetFile> file = ParquetFile::Open(path);
    if (!files.empty()) {
      const ParquetFile& first = *files[0];
      const auto& a = first.columns();
      const auto& b = file->columns();
      if (a.size() != b.size()) {
        ThrowError(sqlstate::kDatatypeMismatch,
                   "parquet files \"{}\" and \"{}\" have different schemas: {} columns and {}",
                   first.path(), path, a.size(), b.size());
      }
      for (size_t i = 0; i < a.size(); i++) {
        if (a[i].name != b[i].name || a[i].type != b[i].type) {
          ThrowError(sqlstate::kDatatypeMismatch,
                     "parquet files \"{}\" and \"{}\" have different schemas: column {} is "
                     "\"{}\" {} in the first and \"{}\" {} in the second",
                     first.path(), path, i + 1, a[i].name, a[i].type.ToString(), b[i].name,
                     b[i].type.ToString());
        }
      }
    }
    files.push_back(std::move(file));
  }
  return files;
}

// --- ParquetRowGroupReader -------------------------------------------------

ParquetRowGroupReader::ParquetRowGroupReader(const ParquetFile& file, idx_t row_group,
                                             std::vector<idx_t> column_ids)
    : file_(file), row_group_(row_group), column_ids_(std::move(column_ids)) {
  rows_left_ = file.RowGroupRows(row_group);
  for (idx_t id : column_ids_) {
    readers_.push_back(std::make_unique<ParquetColumnReader>(file, row_group, id));
  }
}

ParquetRowGroupReader::~ParquetRowGroupReader() = default;

bool ParquetRowGroupReader::ReadChunk(DataChunk& out) {
  if (rows_left_ <= 0) return false;
  idx_t n = static_cast<idx_t>(std::min<int64_t>(rows_left_, static_cast<int64_t>(kBatchSize)));
  out = DataChunk();
  for (size_t i = 0; i < readers_.size(); i++) {
    Vector v(file_.columns()[column_ids_[i]].type);
    readers_[i]->Read(n, v);
    out.AddColumn(std::move(v));
  }
  out.SetSize(n);
  rows_left_ -= static_cast<int64_t>(n);
  return true;
}

}  // namespace basalt
