#include "storage/parquet/parquet_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "common/exception.h"
#include "common/nested_type.h"
#include "storage/parquet/parquet_column_reader.h"
#include "storage/parquet/parquet_nested_reader.h"

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
  int32_t children = root.num_children.value_or(0);
  size_t pos = 1;
  for (int32_t child = 0; child < children; child++) {
    if (pos >= schema.size()) {
      ThrowCorrupt(fmt::format("footer: the schema root has {} children but only {} elements follow",
                               children, schema.size() - 1));
    }
    const auto& e = schema[pos];
    auto repetition = e.repetition_type.value_or(parquet::FieldRepetitionType::kOptional);
    if (e.num_children.value_or(0) > 0 || !e.type ||
        repetition == parquet::FieldRepetitionType::kRepeated) {
      MapNestedColumn(&pos);
      continue;
    }
    if (repetition != parquet::FieldRepetitionType::kRequired &&
        repetition != parquet::FieldRepetitionType::kOptional) {
      ThrowError(sqlstate::kFeatureNotSupported,
                 "parquet file \"{}\": column \"{}\" is of an unknown repetition, which Basalt "
                 "does not read",
                 path(), e.name);
    }
    ParquetColumn c;
    c.name = e.name;
    c.max_definition_level = repetition == parquet::FieldRepetitionType::kOptional ? 1 : 0;
    MapLeafType(e, c);
    c.first_leaf = leaves_.size();
    leaves_.push_back(c);
    columns_.push_back(std::move(c));
    pos++;
  }
  if (pos != schema.size()) {
    ThrowCorrupt(fmt::format("footer: the schema has {} elements but its tree holds {}",
                             schema.size(), pos));
  }
  if (columns_.empty()) ThrowCorrupt("footer: the schema has no columns");
  for (size_t g = 0; g < metadata_.row_groups.size(); g++) {
    if (metadata_.row_groups[g].columns.size() != leaves_.size()) {
      ThrowCorrupt(fmt::format("row group {} has {} column chunks for {} columns", g,
                               metadata_.row_groups[g].columns.size(), leaves_.size()));
    }
  }
}

void ParquetFile::MapLeafType(const parquet::SchemaElement& e, ParquetColumn& c) const {
  auto unsupported = [&](const std::string& what) {
    ThrowError(sqlstate::kFeatureNotSupported,
               "parquet file \"{}\": column \"{}\" is {}, which Basalt does not read", path(),
               c.name, what);
  };
  c.physical_type = *e.type;
  c.type_length = e.type_length.value_or(0);
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
    return;
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
}

// --- Nested columns (docs/parquet.md, "Nested columns") ---------------------

void ParquetFile::MapNestedColumn(size_t* pos) {
  const auto& e = metadata_.schema[*pos];
  ParquetColumn c;
  c.name = e.name;
  c.first_leaf = leaves_.size();
  nested_base_ = leaves_.size();
  std::shared_ptr<ParquetNestedNode> node = MapNestedNode(pos, e.name, 0, 0, 0);
  c.type = node->type;
  c.leaf_count = leaves_.size() - c.first_leaf;
  c.nested = std::move(node);
  columns_.push_back(std::move(c));
}

std::shared_ptr<ParquetNestedNode> ParquetFile::MapNestedNode(size_t* pos, const std::string& field_path,
                                                              int16_t def, int16_t rep, int depth,
                                                              bool as_required) {
  using parquet::FieldRepetitionType;
  const auto& schema = metadata_.schema;
  auto unsupported = [&](const std::string& what) {
    ThrowError(sqlstate::kFeatureNotSupported,
               "parquet file \"{}\": column \"{}\" is {}, which Basalt does not read", path(), field_path,
               what);
  };
  if (*pos >= schema.size()) ThrowCorrupt("footer: a schema group has more children than elements");
  if (depth > kMaxNestingDepth) unsupported(fmt::format("nested deeper than {} levels", kMaxNestingDepth));
  const auto& e = schema[*pos];
  auto repetition = e.repetition_type.value_or(FieldRepetitionType::kOptional);
  if (repetition != FieldRepetitionType::kRequired && repetition != FieldRepetitionType::kOptional &&
      repetition != FieldRepetitionType::kRepeated) {
    unsupported("of an unknown repetition");
  }
  const size_t first_leaf = leaves_.size() - nested_base_;
  auto finish = [&](std::shared_ptr<ParquetNestedNode> node) {
    node->first_leaf = first_leaf;
    node->leaf_count = leaves_.size() - nested_base_ - first_leaf;
    if (node->leaf_count == 0) ThrowCorrupt(fmt::format("footer: group \"{}\" has no leaves", field_path));
    return node;
  };
  if (repetition == FieldRepetitionType::kRepeated && !as_required) {
    // A repeated field outside a LIST annotation: a list of its values,
    // never NULL itself (as DuckDB and Arrow read it).
    auto node = std::make_shared<ParquetNestedNode>();
    node->kind = ParquetNestedNode::Kind::kList;
    node->def_level = def;
    node->element_def = static_cast<int16_t>(def + 1);
    node->rep_level = static_cast<int16_t>(rep + 1);
    auto child = MapNestedNode(pos, field_path, node->element_def, node->rep_level, depth + 1, true);
    node->type = ListType(child->type);
    node->children.push_back(std::move(child));
    return finish(std::move(node));
  }
  const bool optional = !as_required && repetition == FieldRepetitionType::kOptional;
  const auto my_def = static_cast<int16_t>(def + (optional ? 1 : 0));
  const bool group = e.num_children.value_or(0) > 0 || !e.type;
  if (!group) {
    (*pos)++;
    return finish(MapLeafNode(e, field_path, my_def, rep, optional));
  }
  const int32_t children = e.num_children.value_or(0);
  if (children <= 0) ThrowCorrupt(fmt::format("footer: group \"{}\" has no children", field_path));
  auto kind = e.logical_type ? e.logical_type->kind : LogicalTypeKind::kOther;
  auto converted = e.converted_type;
  if (kind == LogicalTypeKind::kMap || converted == ConvertedType::kMap ||
      converted == ConvertedType::kMapKeyValue) {
    unsupported("a MAP");
  }
  auto node = std::make_shared<ParquetNestedNode>();
  node->nullable = optional;
  node->def_level = my_def;
  (*pos)++;
  if (kind == LogicalTypeKind::kList || converted == ConvertedType::kList) {
    if (children != 1) unsupported(fmt::format("a LIST group of {} fields", children));
    if (*pos >= schema.size()) ThrowCorrupt("footer: a LIST group without its repeated field");
    const auto& repeated = schema[*pos];
    if (repeated.repetition_type != FieldRepetitionType::kRepeated) {
      unsupported("a LIST whose child is not repeated");
    }
    node->kind = ParquetNestedNode::Kind::kList;
    node->element_def = static_cast<int16_t>(my_def + 1);
    node->rep_level = static_cast<int16_t>(rep + 1);
    const std::string repeated_path = field_path + "." + repeated.name;
    const bool repeated_group = repeated.num_children.value_or(0) > 0 || !repeated.type;
    std::shared_ptr<ParquetNestedNode> child;
    // The standard layout is `repeated group list { element }`. The legacy
    // two-level ones make the repeated field the element itself: a primitive,
    // a group of several fields, or a one-field group named "array" or
    // "<name>_tuple" (the backward-compatibility rules of the format).
    if (repeated_group && repeated.num_children.value_or(0) == 1 && repeated.name != "array" &&
        repeated.name != e.name + "_tuple") {
      (*pos)++;
      if (*pos >= schema.size()) ThrowCorrupt("footer: a LIST without its element");
      child = MapNestedNode(pos, repeated_path + "." + schema[*pos].name, node->element_def,
                            node->rep_level, depth + 1);
    } else {
      child = MapNestedNode(pos, repeated_path, node->element_def, node->rep_level, depth + 1,
                            true);
    }
    node->type = ListType(child->type);
    node->children.push_back(std::move(child));
    return finish(std::move(node));
  }
  node->kind = ParquetNestedNode::Kind::kStruct;
  std::vector<StructField> fields;
  for (int32_t i = 0; i < children; i++) {
    if (*pos >= schema.size()) ThrowCorrupt("footer: a group has more children than elements");
    const std::string name = schema[*pos].name;
    for (const auto& f : fields) {
      if (f.name == name) {
        ThrowCorrupt(fmt::format("footer: group \"{}\" has two fields \"{}\"", field_path, name));
      }
    }
    auto child = MapNestedNode(pos, field_path + "." + name, my_def, rep, depth + 1);
    fields.push_back({name, child->type});
    node->children.push_back(std::move(child));
  }
  node->type = StructType(std::move(fields));
  return finish(std::move(node));
}

std::shared_ptr<ParquetNestedNode> ParquetFile::MapLeafNode(const parquet::SchemaElement& e,
                                                            const std::string& field_path, int16_t def,
                                                            int16_t rep, bool nullable) {
  ParquetColumn c;
  c.name = field_path;
  c.max_definition_level = def;
  c.max_repetition_level = rep;
  c.nested_leaf = true;
  MapLeafType(e, c);
  auto node = std::make_shared<ParquetNestedNode>();
  node->kind = ParquetNestedNode::Kind::kLeaf;
  node->type = c.type;
  node->nullable = nullable;
  node->def_level = def;
  leaves_.push_back(std::move(c));
  return node;
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

const parquet::ColumnMetaData& ParquetFile::ChunkMetaData(idx_t row_group, idx_t leaf) const {
  const auto& chunk = metadata_.row_groups[row_group].columns[leaf];
  const std::string& name = leaves_[leaf].name;
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
  if (chunk.meta_data->type != leaves_[leaf].physical_type) {
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
                                             std::vector<idx_t> column_ids,
                                             const std::vector<ScanPredicate>* predicates,
                                             ParquetPageMayMatchFn may_match)
    : file_(file), row_group_(row_group), column_ids_(std::move(column_ids)), may_match_(may_match) {
  rows_left_ = file.RowGroupRows(row_group);
  for (idx_t id : column_ids_) {
    const ParquetColumn& c = file.columns()[id];
    auto& readers = readers_.emplace_back();
    for (idx_t leaf = c.first_leaf; leaf < c.first_leaf + c.leaf_count; leaf++) {
      readers.push_back(std::make_unique<ParquetColumnReader>(file, row_group, leaf));
    }
  }
  levels_.resize(readers_.size());
  bool flat = true;
  for (idx_t id : column_ids_) flat = flat && !file.columns()[id].nested;
  if (predicates && may_match && flat) {
    for (size_t i = 0; i < column_ids_.size(); i++) {
      for (const ScanPredicate& p : *predicates) {
        if (p.column == column_ids_[i]) {
          pruning_.push_back(i);
          break;
        }
      }
    }
    if (!pruning_.empty()) predicates_ = predicates;
  }
}

uint64_t ParquetRowGroupReader::pages_total() const {
  uint64_t total = pages_pruned_;
  for (size_t i : pruning_) total += readers_[i][0]->data_pages_read();
  return total;
}

bool ParquetRowGroupReader::PruneOnePage() {
  for (size_t k : pruning_) {
    ParquetColumnReader& r = *readers_[k][0];
    if (!r.AtPageBoundary()) continue;
    const parquet::PageHeader* h = r.PeekDataPage();
    if (!h) continue;
    const int64_t rows = r.PeekedRows();
    if (rows <= 0 || rows > rows_left_) continue;  // read as usual, which reports damage
    const std::optional<parquet::Statistics>* stats = nullptr;
    if (h->type == parquet::PageType::kDataPage) {
      stats = &h->data_page_header->statistics;
    } else {
      stats = &h->data_page_header_v2->statistics;
    }
    if (!stats->has_value()) continue;
    const idx_t id = column_ids_[k];
    if (may_match_(file_, id, **stats, rows, *predicates_)) continue;
    r.SkipPeekedPage();
    for (size_t j = 0; j < readers_.size(); j++) {
      if (j != k) readers_[j][0]->Skip(static_cast<idx_t>(rows));
    }
    rows_left_ -= rows;
    pages_pruned_++;
    return true;
  }
  return false;
}

ParquetRowGroupReader::~ParquetRowGroupReader() = default;

bool ParquetRowGroupReader::ReadChunk(DataChunk& out) {
  if (rows_left_ <= 0) return false;
  idx_t n = static_cast<idx_t>(std::min<int64_t>(rows_left_, static_cast<int64_t>(kBatchSize)));
  if (predicates_) {
    while (rows_left_ > 0 && PruneOnePage()) {
    }
    if (rows_left_ <= 0) return false;
    ParquetColumnReader& first = *readers_[pruning_[0]][0];
    if (first.AtPageBoundary()) first.LoadNextPage();
    n = std::min<idx_t>({static_cast<idx_t>(rows_left_), static_cast<idx_t>(kBatchSize),
                         first.RowsLeftInPage()});
  }
  out = DataChunk();
  for (size_t i = 0; i < readers_.size(); i++) {
    const ParquetColumn& c = file_.columns()[column_ids_[i]];
    Vector v(c.type);
    if (!c.nested) {
      readers_[i][0]->Read(n, v);
    } else {
      auto& levels = levels_[i];
      levels.resize(readers_[i].size());
      for (size_t leaf = 0; leaf < readers_[i].size(); leaf++) {
        levels[leaf].Clear();
        readers_[i][leaf]->ReadRecords(n, &levels[leaf]);
      }
      try {
        AssembleNestedValues(*c.nested, levels, n, v);
      } catch (const parquet::ParquetDecodeError& e) {
        file_.ThrowCorrupt(
            fmt::format("row group {} column \"{}\": {}", row_group_, c.name, e.what()));
      }
    }
    out.AddColumn(std::move(v));
  }
  out.SetSize(n);
  rows_left_ -= static_cast<int64_t>(n);
  return true;
}

}  // namespace basalt
