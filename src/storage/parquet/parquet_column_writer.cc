#include "storage/parquet/parquet_column_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "common/exception.h"
#include "storage/parquet/parquet_compression.h"
#include "storage/parquet/parquet_metadata_writer.h"
#include "storage/parquet/parquet_rle_encoder.h"

namespace basalt {

using parquet::CompressionCodec;
using parquet::Encoding;

namespace {

// Statistics longer than this are left out rather than truncated: an exact
// bound is all a reader can use without is_*_value_exact, which older
// readers do not know.
constexpr size_t kMaxStatisticsBytes = 256;

template <typename T>
void PutLittleEndian(T v, std::vector<uint8_t>* out) {
  uint8_t bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));  // Basalt runs on little-endian machines only
  out->insert(out->end(), bytes, bytes + sizeof(T));
}

template <typename T>
std::string LittleEndianBytes(T v) {
  std::string s(sizeof(T), '\0');
  std::memcpy(s.data(), &v, sizeof(T));
  return s;
}

// A DECIMAL beyond 18 digits as FIXED_LEN_BYTE_ARRAY(16): big-endian two's
// complement.
std::string BigEndian16(__int128 v) {
  std::string s(16, '\0');
  auto u = static_cast<unsigned __int128>(v);
  for (int i = 15; i >= 0; i--) {
    s[i] = static_cast<char>(static_cast<uint8_t>(u));
    u >>= 8;
  }
  return s;
}

}  // namespace

ParquetColumnWriter::ParquetColumnWriter(std::string name, LogicalType type, CompressionCodec codec,
                                         size_t page_bytes)
    : name_(std::move(name)), type_(type), codec_(codec), page_bytes_(std::max<size_t>(page_bytes, 1)) {
  switch (type_.id()) {
    case TypeId::kBoolean:
      kind_ = Kind::kBoolean;
      width_ = 1;
      break;
    case TypeId::kNull:  // only NULLs: stored as an INTEGER column
    case TypeId::kSmallint:
    case TypeId::kInteger:
    case TypeId::kDate:
      kind_ = Kind::kInt32;
      width_ = 4;
      break;
    case TypeId::kBigint:
    case TypeId::kTimestamp:
      kind_ = Kind::kInt64;
      width_ = 8;
      break;
    case TypeId::kDecimal:
      if (type_.precision() <= 9) {
        kind_ = Kind::kInt32;
        width_ = 4;
      } else if (type_.precision() <= kMaxInt64DecimalPrecision) {
        kind_ = Kind::kInt64;
        width_ = 8;
      } else {
        kind_ = Kind::kFixed16;
        width_ = 16;
      }
      break;
    case TypeId::kReal:
      kind_ = Kind::kFloat;
      width_ = 4;
      break;
    case TypeId::kDouble:
      kind_ = Kind::kDouble;
      width_ = 8;
      break;
    case TypeId::kVarchar:
      kind_ = Kind::kString;
      width_ = 0;
      break;
    default:
      ThrowError(sqlstate::kFeatureNotSupported,
                 "cannot write column \"{}\" of type {} to Parquet", name_, type_.ToString());
  }
}

parquet::SchemaElement ParquetColumnWriter::Schema() const {
  using parquet::LogicalTypeKind;
  parquet::SchemaElement e;
  e.name = name_;
  e.repetition_type = parquet::FieldRepetitionType::kOptional;
  parquet::LogicalTypeInfo logical;
  switch (type_.id()) {
    case TypeId::kBoolean:
      e.type = parquet::Type::kBoolean;
      break;
    case TypeId::kNull:
    case TypeId::kInteger:
      e.type = parquet::Type::kInt32;
      break;
    case TypeId::kSmallint:
      e.type = parquet::Type::kInt32;
      e.converted_type = parquet::ConvertedType::kInt16;
      logical.kind = LogicalTypeKind::kInteger;
      logical.bit_width = 16;
      logical.is_signed = true;
      e.logical_type = logical;
      break;
    case TypeId::kBigint:
      e.type = parquet::Type::kInt64;
      break;
    case TypeId::kReal:
      e.type = parquet::Type::kFloat;
      break;
    case TypeId::kDouble:
      e.type = parquet::Type::kDouble;
      break;
    case TypeId::kDecimal:
      e.type = kind_ == Kind::kInt32   ? parquet::Type::kInt32
               : kind_ == Kind::kInt64 ? parquet::Type::kInt64
                                       : parquet::Type::kFixedLenByteArray;
      if (kind_ == Kind::kFixed16) e.type_length = 16;
      e.converted_type = parquet::ConvertedType::kDecimal;
      e.scale = type_.scale();
      e.precision = type_.precision();
      logical.kind = LogicalTypeKind::kDecimal;
      logical.scale = type_.scale();
      logical.precision = type_.precision();
      e.logical_type = logical;
      break;
    case TypeId::kDate:
      e.type = parquet::Type::kInt32;
      e.converted_type = parquet::ConvertedType::kDate;
      logical.kind = LogicalTypeKind::kDate;
      e.logical_type = logical;
      break;
    case TypeId::kTimestamp:
      // No converted type: TIMESTAMP_MICROS would claim isAdjustedToUTC.
      e.type = parquet::Type::kInt64;
      logical.kind = LogicalTypeKind::kTimestamp;
      logical.unit = parquet::TimeUnit::kMicros;
      logical.is_adjusted_to_utc = false;
      e.logical_type = logical;
      break;
    case TypeId::kVarchar:
      e.type = parquet::Type::kByteArray;
      e.converted_type = parquet::ConvertedType::kUtf8;
      logical.kind = LogicalTypeKind::kString;
      e.logical_type = logical;
      break;
    default:
      break;  // refused by the constructor
  }
  return e;
}

template <typename T, typename F>
void ParquetColumnWriter::ForEachValid(const Vector& vector, idx_t offset, idx_t count, F&& f) {
  UnifiedFormat u;
  vector.ToUnified(offset + count, &u);
  const T* data = u.Data<T>();
  for (idx_t r = offset; r < offset + count; r++) {
    const idx_t i = u.sel->Get(r);
    if (!u.validity->IsValid(i)) {
      defs_.push_back(0);
      null_count_++;
      continue;
    }
    defs_.push_back(1);
    value_count_++;
    f(data[i]);
  }
}

void ParquetColumnWriter::AppendInt(int64_t v) {
  if (width_ == 1) {
    values_.push_back(static_cast<uint8_t>(v));  // a boolean, bit-packed when paged
  } else if (width_ == 4) {
    PutLittleEndian(static_cast<int32_t>(v), &values_);
  } else {
    PutLittleEndian(v, &values_);
  }
  IncludeInt(&bounds_, v);
}

void ParquetColumnWriter::IncludeInt(Bounds* b, int64_t v) {
  if (!b->has) {
    b->min_int = b->max_int = v;
    b->has = true;
  } else {
    b->min_int = std::min(b->min_int, v);
    b->max_int = std::max(b->max_int, v);
  }
}

void ParquetColumnWriter::IncludeWide(Bounds* b, __int128 v) {
  if (!b->has) {
    b->min_wide = b->max_wide = v;
    b->has = true;
  } else {
    b->min_wide = std::min(b->min_wide, v);
    b->max_wide = std::max(b->max_wide, v);
  }
}

void ParquetColumnWriter::IncludeFloating(Bounds* b, double v) {
  if (std::isnan(v)) return;  // NaN has no place in min / max
  if (!b->has) {
    b->min_float = b->max_float = v;
    b->has = true;
  } else {
    b->min_float = std::min(b->min_float, v);
    b->max_float = std::max(b->max_float, v);
  }
}

void ParquetColumnWriter::IncludeString(Bounds* b, std::string_view s) {
  if (!b->has) {
    b->min_string = b->max_string = s;
    b->has = true;
  } else {
    // Parquet orders strings as unsigned bytes, as string_view compares.
    if (s < std::string_view(b->min_string)) b->min_string = s;
    if (s > std::string_view(b->max_string)) b->max_string = s;
  }
}

ParquetColumnWriter::Bounds ParquetColumnWriter::StagedBounds(size_t first, size_t last) const {
  Bounds b;
  for (size_t k = first; k < last; k++) {
    switch (kind_) {
      case Kind::kBoolean:
        IncludeInt(&b, values_[k]);
        break;
      case Kind::kInt32: {
        int32_t v;
        std::memcpy(&v, values_.data() + k * 4, 4);
        IncludeInt(&b, v);
        break;
      }
      case Kind::kInt64: {
        int64_t v;
        std::memcpy(&v, values_.data() + k * 8, 8);
        IncludeInt(&b, v);
        break;
      }
      case Kind::kFixed16: {
        unsigned __int128 u = 0;
        for (size_t i = 0; i < 16; i++) u = (u << 8) | values_[k * 16 + i];
        IncludeWide(&b, static_cast<__int128>(u));
        break;
      }
      case Kind::kFloat: {
        float v;
        std::memcpy(&v, values_.data() + k * 4, 4);
        IncludeFloating(&b, v);
        break;
      }
      case Kind::kDouble: {
        double v;
        std::memcpy(&v, values_.data() + k * 8, 8);
        IncludeFloating(&b, v);
        break;
      }
      case Kind::kString: {
        const auto* p = reinterpret_cast<const char*>(values_.data() + string_offsets_[k]);
        IncludeString(&b, std::string_view(p + 4, ValueBytes(k) - 4));
        break;
      }
    }
  }
  return b;
}

void ParquetColumnWriter::AppendFixed16(__int128 v) {
  const std::string bytes = BigEndian16(v);
  values_.insert(values_.end(), bytes.begin(), bytes.end());
  IncludeWide(&bounds_, v);
}

void ParquetColumnWriter::AppendFloating(double v, const void* bytes, size_t size) {
  const auto* b = static_cast<const uint8_t*>(bytes);
  values_.insert(values_.end(), b, b + size);
  IncludeFloating(&bounds_, v);
}

void ParquetColumnWriter::AppendString(std::string_view s) {
  string_offsets_.push_back(values_.size());
  PutLittleEndian(static_cast<uint32_t>(s.size()), &values_);
  values_.insert(values_.end(), s.begin(), s.end());
  IncludeString(&bounds_, s);
}

void ParquetColumnWriter::Append(const Vector& vector, idx_t offset, idx_t count) {
  if (type_.id() == TypeId::kNull) {
    defs_.insert(defs_.end(), count, 0);
    null_count_ += static_cast<int64_t>(count);
    return;
  }
  switch (type_.physical()) {
    case PhysicalType::kBool:
      ForEachValid<bool>(vector, offset, count, [&](bool v) { AppendInt(v ? 1 : 0); });
      break;
    case PhysicalType::kInt16:
      ForEachValid<int16_t>(vector, offset, count, [&](int16_t v) { AppendInt(v); });
      break;
    case PhysicalType::kInt32:
      ForEachValid<int32_t>(vector, offset, count, [&](int32_t v) { AppendInt(v); });
      break;
    case PhysicalType::kInt64:
      ForEachValid<int64_t>(vector, offset, count, [&](int64_t v) { AppendInt(v); });
      break;
    case PhysicalType::kInt128:
      ForEachValid<__int128>(vector, offset, count, [&](__int128 v) { AppendFixed16(v); });
      break;
    case PhysicalType::kFloat:
      ForEachValid<float>(vector, offset, count, [&](float v) { AppendFloating(v, &v, 4); });
      break;
    case PhysicalType::kDouble:
      ForEachValid<double>(vector, offset, count, [&](double v) { AppendFloating(v, &v, 8); });
      break;
    case PhysicalType::kString:
      ForEachValid<StringRef>(vector, offset, count, [&](StringRef v) { AppendString(v.view()); });
      break;
    case PhysicalType::kInterval:
      break;  // refused by the constructor
  }
}

size_t ParquetColumnWriter::ValueBytes(size_t value) const {
  if (kind_ != Kind::kString) return width_;
  const size_t end = value + 1 < value_count_ ? string_offsets_[value + 1] : values_.size();
  return end - string_offsets_[value];
}

void ParquetColumnWriter::PlainValues(size_t first, size_t last, std::vector<uint8_t>* out) const {
  switch (kind_) {
    case Kind::kBoolean: {
      // PLAIN booleans are bit-packed, least significant bit first.
      const size_t start = out->size();
      out->resize(start + (last - first + 7) / 8, 0);
      for (size_t k = first; k < last; k++) {
        if (values_[k]) (*out)[start + (k - first) / 8] |= static_cast<uint8_t>(1 << ((k - first) % 8));
      }
      return;
    }
    case Kind::kString: {
      if (first == last) return;
      const size_t begin = string_offsets_[first];
      const size_t end = last < value_count_ ? string_offsets_[last] : values_.size();
      out->insert(out->end(), values_.begin() + begin, values_.begin() + end);
      return;
    }
    default:
      out->insert(out->end(), values_.begin() + first * width_, values_.begin() + last * width_);
      return;
  }
}

parquet::Statistics ParquetColumnWriter::MakeStatistics(const Bounds& b, int64_t null_count) const {
  parquet::Statistics stats;
  stats.null_count = null_count;
  if (!b.has) return stats;
  switch (kind_) {
    case Kind::kBoolean:
      stats.min_value = std::string(1, static_cast<char>(b.min_int));
      stats.max_value = std::string(1, static_cast<char>(b.max_int));
      break;
    case Kind::kInt32:
      stats.min_value = LittleEndianBytes(static_cast<int32_t>(b.min_int));
      stats.max_value = LittleEndianBytes(static_cast<int32_t>(b.max_int));
      break;
    case Kind::kInt64:
      stats.min_value = LittleEndianBytes(b.min_int);
      stats.max_value = LittleEndianBytes(b.max_int);
      break;
    case Kind::kFixed16:
      stats.min_value = BigEndian16(b.min_wide);
      stats.max_value = BigEndian16(b.max_wide);
      break;
    case Kind::kFloat:
    case Kind::kDouble: {
      // The format asks for a zero minimum as -0 and a zero maximum as +0,
      // so that a reader need not know which zeros the column holds.
      const double lo = b.min_float == 0 ? -0.0 : b.min_float;
      const double hi = b.max_float == 0 ? 0.0 : b.max_float;
      if (kind_ == Kind::kFloat) {
        stats.min_value = LittleEndianBytes(static_cast<float>(lo));
        stats.max_value = LittleEndianBytes(static_cast<float>(hi));
      } else {
        stats.min_value = LittleEndianBytes(lo);
        stats.max_value = LittleEndianBytes(hi);
      }
      break;
    }
    case Kind::kString:
      if (b.min_string.size() <= kMaxStatisticsBytes && b.max_string.size() <= kMaxStatisticsBytes) {
        stats.min_value = b.min_string;
        stats.max_value = b.max_string;
      }
      break;
  }
  return stats;
}

EncodedColumnChunk ParquetColumnWriter::Flush() {
  EncodedColumnChunk chunk;
  parquet::ColumnMetaData& meta = chunk.meta;
  std::vector<uint8_t>& out = chunk.bytes;
  meta.type = *Schema().type;
  meta.path_in_schema = {name_};
  meta.codec = codec_;
  meta.num_values = static_cast<int64_t>(defs_.size());

  // A dictionary for strings, kept when it is small and the values repeat
  // enough (on average at least twice) to pay for the indices.
  std::vector<uint32_t> indices;
  std::vector<uint8_t> dictionary;
  bool use_dictionary = false;
  size_t dictionary_size = 0;
  if (kind_ == Kind::kString && value_count_ > 0) {
    std::unordered_map<std::string_view, uint32_t> ids;
    indices.reserve(value_count_);
    use_dictionary = true;
    for (size_t k = 0; k < value_count_ && use_dictionary; k++) {
      const auto* p = reinterpret_cast<const char*>(values_.data() + string_offsets_[k]);
      const std::string_view plain(p, ValueBytes(k));
      auto [it, inserted] = ids.try_emplace(plain.substr(4), static_cast<uint32_t>(ids.size()));
      if (inserted) {
        dictionary.insert(dictionary.end(), plain.begin(), plain.end());
        use_dictionary = dictionary.size() <= kMaxDictionaryBytes;
      }
      indices.push_back(it->second);
    }
    use_dictionary = use_dictionary && ids.size() * 2 <= value_count_;
    dictionary_size = ids.size();
  }

  int64_t uncompressed_total = 0;
  auto emit_page = [&](parquet::PageHeader header, const std::vector<uint8_t>& body) {
    const std::vector<uint8_t> compressed =
        parquet::CompressPage(codec_, body.data(), body.size());
    header.uncompressed_page_size = static_cast<int32_t>(body.size());
    header.compressed_page_size = static_cast<int32_t>(compressed.size());
    const std::vector<uint8_t> header_bytes = parquet::WritePageHeader(header);
    out.insert(out.end(), header_bytes.begin(), header_bytes.end());
    out.insert(out.end(), compressed.begin(), compressed.end());
    uncompressed_total += static_cast<int64_t>(header_bytes.size() + body.size());
  };

  meta.encodings = {Encoding::kPlain, Encoding::kRle};
  int bit_width = 0;
  if (use_dictionary) {
    meta.encodings.push_back(Encoding::kRleDictionary);
    meta.dictionary_page_offset = 0;
    parquet::PageHeader header;
    header.type = parquet::PageType::kDictionaryPage;
    parquet::DictionaryPageHeader dict;
    dict.num_values = static_cast<int32_t>(dictionary_size);
    dict.encoding = Encoding::kPlain;
    header.dictionary_page_header = dict;
    emit_page(header, dictionary);
    // Width 0 is valid for a one-entry dictionary, but not every reader takes it.
    bit_width = std::max(1, parquet::BitWidthFor(static_cast<uint32_t>(dictionary_size - 1)));
  }

  meta.data_page_offset = static_cast<int64_t>(out.size());
  std::vector<uint32_t> levels;
  std::vector<uint8_t> body;
  size_t row = 0, value = 0;
  while (row < defs_.size()) {
    // Rows of the page: until its values reach the target size.
    const size_t first_row = row, first_value = value;
    size_t bytes = 0;
    while (row < defs_.size() && bytes < page_bytes_) {
      if (defs_[row]) bytes += ValueBytes(value++);
      row++;
    }
    levels.assign(defs_.begin() + first_row, defs_.begin() + row);
    body.assign(4, 0);
    parquet::EncodeRleBitPackedHybrid(levels.data(), levels.size(), 1, &body);
    const auto levels_size = static_cast<uint32_t>(body.size() - 4);
    std::memcpy(body.data(), &levels_size, 4);
    if (use_dictionary) {
      body.push_back(static_cast<uint8_t>(bit_width));
      parquet::EncodeRleBitPackedHybrid(indices.data() + first_value, value - first_value,
                                        bit_width, &body);
    } else {
      PlainValues(first_value, value, &body);
    }
    parquet::PageHeader header;
    header.type = parquet::PageType::kDataPage;
    parquet::DataPageHeader data;
    data.num_values = static_cast<int32_t>(row - first_row);
    data.encoding = use_dictionary ? Encoding::kRleDictionary : Encoding::kPlain;
    data.definition_level_encoding = Encoding::kRle;
    data.repetition_level_encoding = Encoding::kRle;
    // Page statistics, in the chunk statistics' forms, let readers skip pages.
    data.statistics = MakeStatistics(StagedBounds(first_value, value),
                                     static_cast<int64_t>((row - first_row) - (value - first_value)));
    header.data_page_header = data;
    emit_page(header, body);
  }

  meta.total_uncompressed_size = uncompressed_total;
  meta.total_compressed_size = static_cast<int64_t>(out.size());
  meta.statistics = MakeStatistics(bounds_, null_count_);
  Reset();
  return chunk;
}

void ParquetColumnWriter::Reset() {
  defs_.clear();
  values_.clear();
  string_offsets_.clear();
  value_count_ = 0;
  null_count_ = 0;
  bounds_ = Bounds();
}

}  // namespace basalt
