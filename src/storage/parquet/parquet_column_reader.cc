#include "storage/parquet/parquet_column_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string_view>

#include "common/arena.h"
#include "common/exception.h"
#include "common/nested_value.h"
#include "storage/parquet/parquet_compression.h"
#include "storage/parquet/parquet_encoding.h"

namespace basalt {

namespace {

using parquet::Encoding;
using parquet::ParquetDecodeError;
using parquet::Type;

// More values than any writer puts in one page; a count beyond it is damage,
// refused before buffers of that size are allocated.
constexpr int64_t kMaxPageValues = int64_t{1} << 26;

const char* EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kPlain:
      return "PLAIN";
    case Encoding::kPlainDictionary:
      return "PLAIN_DICTIONARY";
    case Encoding::kRle:
      return "RLE";
    case Encoding::kBitPacked:
      return "BIT_PACKED";
    case Encoding::kDeltaBinaryPacked:
      return "DELTA_BINARY_PACKED";
    case Encoding::kDeltaLengthByteArray:
      return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::kDeltaByteArray:
      return "DELTA_BYTE_ARRAY";
    case Encoding::kRleDictionary:
      return "RLE_DICTIONARY";
    case Encoding::kByteStreamSplit:
      return "BYTE_STREAM_SPLIT";
  }
  return "an unknown encoding";
}

// A page's non-null values in the column's physical type, before they are
// converted to its Basalt type. Only the member of that type is used.
struct RawValues {
  std::unique_ptr<bool[]> booleans;
  std::vector<int32_t> int32s;
  std::vector<int64_t> int64s;  // INT64, and INT96 already as microseconds
  std::vector<float> floats;
  std::vector<double> doubles;
  std::vector<std::string_view> strings;
};

// A big-endian two's complement integer of up to 16 bytes.
int128_t BigEndianToInt128(std::string_view bytes) {
  if (bytes.size() > 16) throw ParquetDecodeError("a DECIMAL value is longer than 16 bytes");
  if (bytes.empty()) return 0;
  uint128_t v = static_cast<uint8_t>(bytes[0]) & 0x80 ? ~uint128_t{0} : 0;
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return static_cast<int128_t>(v);
}

}  // namespace

int64_t NanosToMicros(int64_t nanos) {
  // Truncated toward zero: what DuckDB does when it casts TIMESTAMP_NS to
  // TIMESTAMP, so both engines read a file alike.
  return nanos / 1000;
}

namespace {}  // namespace

ParquetColumnReader::ParquetColumnReader(const ParquetFile& file, idx_t row_group, idx_t leaf)
    : file_(file), column_(file.leaves()[leaf]), row_group_(row_group) {
  const parquet::ColumnMetaData& meta = file.ChunkMetaData(row_group, leaf);
  codec_ = meta.codec;
  values_left_in_chunk_ = meta.num_values;
  uint64_t start = static_cast<uint64_t>(meta.data_page_offset);
  // Some writers set dictionary_page_offset to 0 when there is none.
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
      static_cast<uint64_t>(*meta.dictionary_page_offset) < start) {
    start = static_cast<uint64_t>(*meta.dictionary_page_offset);
  }
  uint64_t size = static_cast<uint64_t>(meta.total_compressed_size);
  if (start > file.size() || size > file.size() - start) {
    file.ThrowCorrupt(
        fmt::format("row group {} column \"{}\": the chunk's {} bytes at offset {} "
                    "lie past the file's end ({} bytes)",
                    row_group, column_.name, size, start, file.size()));
  }
  chunk_size_ = static_cast<size_t>(size);
  chunk_.reset(new uint8_t[std::max<size_t>(chunk_size_, 1)]);
  file.ReadAt(start, chunk_size_, chunk_.get());
}

void ParquetColumnReader::ThrowUnsupported(const std::string& what) const {
  ThrowError(sqlstate::kFeatureNotSupported,
             "parquet file \"{}\": column \"{}\" uses {}, which Basalt does not read", file_.path(),
             column_.name, what);
}

void ParquetColumnReader::Read(idx_t count, Vector& out) {
  try {
    idx_t done = 0;
    while (done < count) {
      if (page_row_ == page_rows_) NextDataPage();
      idx_t n = std::min(count - done, page_rows_ - page_row_);
      CopyOut(n, out, done);
      done += n;
    }
  } catch (const ParquetDecodeError& e) {
    file_.ThrowCorrupt(
        fmt::format("row group {} column \"{}\": {}", row_group_, column_.name, e.what()));
  }
}

void ParquetColumnReader::Skip(idx_t count) {
  try {
    const uint32_t max = static_cast<uint32_t>(column_.max_definition_level);
    while (count > 0) {
      if (page_row_ == page_rows_) NextDataPage();
      const idx_t n = std::min(count, page_rows_ - page_row_);
      if (definitions_.empty()) {
        page_value_ += n;
      } else {
        const uint32_t* defs = definitions_.data() + page_row_;
        for (idx_t i = 0; i < n; i++) page_value_ += defs[i] == max;
      }
      page_row_ += n;
      count -= n;
    }
  } catch (const ParquetDecodeError& e) {
    file_.ThrowCorrupt(
        fmt::format("row group {} column \"{}\": {}", row_group_, column_.name, e.what()));
  }
}

const parquet::PageHeader* ParquetColumnReader::PeekDataPage() {
  if (peeked_) return &*peeked_;
  try {
    while (values_left_in_chunk_ > 0 && chunk_pos_ < chunk_size_) {
      size_t header_size = 0;
      parquet::PageHeader header = parquet::ReadPageHeader(chunk_.get() + chunk_pos_,
                                                           chunk_size_ - chunk_pos_, &header_size);
      size_t page_start = chunk_pos_ + header_size;
      size_t page_size = static_cast<size_t>(header.compressed_page_size);
      if (page_start > chunk_size_ || page_size > chunk_size_ - page_start) {
        throw ParquetDecodeError(
            fmt::format("a page of {} bytes runs past the column chunk's end", page_size));
      }
      if (header.type == parquet::PageType::kDataPage ||
          header.type == parquet::PageType::kDataPageV2) {
        peeked_ = std::move(header);
        peeked_end_ = page_start + page_size;
        return &*peeked_;
      }
      chunk_pos_ = page_start + page_size;
      if (header.type == parquet::PageType::kDictionaryPage) {
        ReadDictionaryPage(header, chunk_.get() + page_start);
      }
    }
  } catch (const ParquetDecodeError& e) {
    file_.ThrowCorrupt(
        fmt::format("row group {} column \"{}\": {}", row_group_, column_.name, e.what()));
  }
  return nullptr;
}

int64_t ParquetColumnReader::PeekedRows() const {
  if (!peeked_ || column_.max_repetition_level > 0) return 0;
  int64_t rows = 0;
  if (peeked_->type == parquet::PageType::kDataPage && peeked_->data_page_header) {
    rows = peeked_->data_page_header->num_values;
  } else if (peeked_->type == parquet::PageType::kDataPageV2 && peeked_->data_page_header_v2) {
    const auto& h = *peeked_->data_page_header_v2;
    // In a flat column every value is a row; anything else is damage.
    if (h.num_rows != h.num_values) return 0;
    rows = h.num_rows;
  }
  if (rows <= 0 || rows > kMaxPageValues || rows > values_left_in_chunk_) return 0;
  return rows;
}

void ParquetColumnReader::SkipPeekedPage() {
  const int64_t rows = PeekedRows();
  if (rows <= 0) {
    file_.ThrowCorrupt(fmt::format("row group {} column \"{}\": a page skipped without rows",
                                   row_group_, column_.name));
  }
  values_left_in_chunk_ -= rows;
  chunk_pos_ = peeked_end_;
  peeked_.reset();
  page_rows_ = page_row_ = page_value_ = 0;
}

void ParquetColumnReader::LoadNextPage() {
  try {
    NextDataPage();
  } catch (const ParquetDecodeError& e) {
    file_.ThrowCorrupt(
        fmt::format("row group {} column \"{}\": {}", row_group_, column_.name, e.what()));
  }
}

void ParquetColumnReader::NextDataPage() {
  peeked_.reset();
  while (true) {
    if (values_left_in_chunk_ <= 0 || chunk_pos_ >= chunk_size_) {
      throw ParquetDecodeError("the column chunk holds fewer values than its row group has rows");
    }
    size_t header_size = 0;
    parquet::PageHeader header =
        parquet::ReadPageHeader(chunk_.get() + chunk_pos_, chunk_size_ - chunk_pos_, &header_size);
    size_t page_start = chunk_pos_ + header_size;
    size_t page_size = static_cast<size_t>(header.compressed_page_size);
    if (page_start > chunk_size_ || page_size > chunk_size_ - page_start) {
      throw ParquetDecodeError(
          fmt::format("a page of {} bytes runs past the column chunk's end", page_size));
    }
    chunk_pos_ = page_start + page_size;
    const uint8_t* data = chunk_.get() + page_start;
    switch (header.type) {
      case parquet::PageType::kDictionaryPage:
        ReadDictionaryPage(header, data);
        continue;
      case parquet::PageType::kDataPage:
      case parquet::PageType::kDataPageV2:
        ReadDataPage(header, data);
        if (page_rows_ == 0) continue;
        data_pages_read_++;
        return;
      default:
        continue;  // index pages and pages of newer kinds carry no values
    }
  }
}

std::shared_ptr<const uint8_t[]> ParquetColumnReader::Uncompressed(const uint8_t* data, size_t size,
                                                                   size_t uncompressed_size) {
  if (codec_ == parquet::CompressionCodec::kUncompressed) {
    if (size != uncompressed_size) {
      throw ParquetDecodeError(
          fmt::format("an uncompressed page of {} bytes claims {} bytes", size, uncompressed_size));
    }
    // Aliases the chunk: the page's strings keep the whole chunk alive.
    return std::shared_ptr<const uint8_t[]>(chunk_, data);
  }
  std::shared_ptr<uint8_t[]> buffer;
  // Values other than strings are copied out of the page, so one buffer
  // serves every page (fresh large buffers cost page faults each time).
  if (column_.type.physical() != PhysicalType::kString && decompressed_ &&
      decompressed_capacity_ >= uncompressed_size) {
    buffer = decompressed_;
  } else {
    buffer.reset(new uint8_t[std::max<size_t>(uncompressed_size, 1)]);
    if (column_.type.physical() != PhysicalType::kString) {
      decompressed_ = buffer;
      decompressed_capacity_ = std::max<size_t>(uncompressed_size, 1);
    }
  }
  try {
    parquet::DecompressPage(codec_, data, size, buffer.get(), uncompressed_size);
  } catch (const parquet::ParquetUnsupportedError&) {
    ThrowUnsupported(fmt::format("the {} codec", parquet::CompressionCodecName(codec_)));
  }
  return buffer;
}

void ParquetColumnReader::ReadDictionaryPage(const parquet::PageHeader& header,
                                             const uint8_t* data) {
  const auto& dict = *header.dictionary_page_header;
  if (dict.encoding != Encoding::kPlain && dict.encoding != Encoding::kPlainDictionary) {
    ThrowUnsupported(fmt::format("a dictionary page in {}", EncodingName(dict.encoding)));
  }
  size_t size = static_cast<size_t>(header.uncompressed_page_size);
  page_bytes_ = Uncompressed(data, static_cast<size_t>(header.compressed_page_size), size);
  if (dict.num_values > kMaxPageValues) {
    throw ParquetDecodeError(fmt::format("a dictionary page of {} values", dict.num_values));
  }
  idx_t n = static_cast<idx_t>(dict.num_values);
  DecodeValues(Encoding::kPlain, page_bytes_.get(), size, n);
  dictionary_ = std::move(values_);
  values_ = Vector();
  page_bytes_.reset();
  dictionary_size_ = n;
  has_dictionary_ = true;
}

void ParquetColumnReader::ReadDataPage(const parquet::PageHeader& header, const uint8_t* data) {
  const bool v2 = header.type == parquet::PageType::kDataPageV2;
  idx_t rows;
  Encoding encoding;
  const uint8_t* levels;  // definition levels, when the column has them
  size_t levels_size;
  const uint8_t* rep_levels;  // repetition levels, when the column has them
  size_t rep_levels_size;
  const uint8_t* values;
  size_t values_size;
  size_t compressed = static_cast<size_t>(header.compressed_page_size);
  size_t uncompressed = static_cast<size_t>(header.uncompressed_page_size);
  if (!v2) {
    const auto& h = *header.data_page_header;
    rows = static_cast<idx_t>(h.num_values);
    encoding = h.encoding;
    page_bytes_ = Uncompressed(data, compressed, uncompressed);
    const uint8_t* p = page_bytes_.get();
    size_t size = uncompressed;
    // Repetition levels come first, then definition levels, each with its length.
    rep_levels = nullptr;
    rep_levels_size = 0;
    if (column_.max_repetition_level > 0) {
      if (h.repetition_level_encoding != Encoding::kRle) {
        ThrowUnsupported(
            fmt::format("repetition levels in {}", EncodingName(h.repetition_level_encoding)));
      }
      size_t consumed = 0;
      std::span<const uint8_t> span = parquet::ReadLengthPrefixed(p, size, &consumed);
      rep_levels = span.data();
      rep_levels_size = span.size();
      p += consumed;
      size -= consumed;
    }
    if (column_.max_definition_level > 0) {
      if (h.definition_level_encoding != Encoding::kRle) {
        ThrowUnsupported(
            fmt::format("definition levels in {}", EncodingName(h.definition_level_encoding)));
      }
      size_t consumed = 0;
      std::span<const uint8_t> span = parquet::ReadLengthPrefixed(p, size, &consumed);
      levels = span.data();
      levels_size = span.size();
      p += consumed;
      size -= consumed;
    } else {
      levels = nullptr;
      levels_size = 0;
    }
    values = p;
    values_size = size;
  } else {
    const auto& h = *header.data_page_header_v2;
    rows = static_cast<idx_t>(h.num_values);
    encoding = h.encoding;
    size_t rep = static_cast<size_t>(h.repetition_levels_byte_length);
    size_t def = static_cast<size_t>(h.definition_levels_byte_length);
    if (rep + def > compressed || rep + def > uncompressed) {
      throw ParquetDecodeError("a data page v2's levels are longer than the page");
    }
    levels = data + rep;
    levels_size = def;
    rep_levels = data;
    rep_levels_size = rep;
    bool compressed_values = h.is_compressed && codec_ != parquet::CompressionCodec::kUncompressed;
    if (compressed_values) {
      page_bytes_ =
          Uncompressed(data + rep + def, compressed - rep - def, uncompressed - rep - def);
    } else {
      if (compressed != uncompressed) {
        throw ParquetDecodeError("an uncompressed data page v2 has two sizes");
      }
      page_bytes_ = std::shared_ptr<const uint8_t[]>(chunk_, data + rep + def);
    }
    values = page_bytes_.get();
    values_size = uncompressed - rep - def;
  }
  if (static_cast<int64_t>(rows) > kMaxPageValues) {
    throw ParquetDecodeError(fmt::format("a data page of {} values", rows));
  }
  if (static_cast<int64_t>(rows) > values_left_in_chunk_) {
    throw ParquetDecodeError("a data page holds more values than the column chunk");
  }
  values_left_in_chunk_ -= static_cast<int64_t>(rows);
  idx_t non_null = rows;
  definitions_.clear();
  repetitions_.clear();
  if (column_.max_repetition_level > 0) {
    repetitions_.resize(rows);
    parquet::RleBitPackedDecoder decoder(rep_levels, rep_levels_size,
                                         parquet::LevelBitWidth(column_.max_repetition_level));
    decoder.DecodeExactly(repetitions_.data(), rows);
    const uint32_t max = static_cast<uint32_t>(column_.max_repetition_level);
    for (uint32_t r : repetitions_) {
      if (r > max) throw ParquetDecodeError(fmt::format("a repetition level {} above {}", r, max));
    }
  }
  if (column_.max_definition_level > 0) {
    definitions_.resize(rows);
    parquet::RleBitPackedDecoder decoder(levels, levels_size,
                                         parquet::LevelBitWidth(column_.max_definition_level));
    decoder.DecodeExactly(definitions_.data(), rows);
    non_null = 0;
    const uint32_t max = static_cast<uint32_t>(column_.max_definition_level);
    for (uint32_t d : definitions_) non_null += d == max;
    if (column_.nested_leaf) {
      for (uint32_t d : definitions_) {
        if (d > max) throw ParquetDecodeError(fmt::format("a definition level {} above {}", d, max));
      }
    }
    // A page without NULLs is copied out as a REQUIRED column's would be.
    if (non_null == rows && !column_.nested_leaf) definitions_.clear();
  }
  DecodeValues(encoding, values, values_size, non_null);
  page_rows_ = rows;
  page_row_ = 0;
  page_value_ = 0;
}

void ParquetColumnReader::DecodeValues(Encoding encoding, const uint8_t* data, size_t size,
                                       idx_t count) {
  if (column_.type.physical() == PhysicalType::kString) {
    values_ = Vector(column_.type, std::max<idx_t>(count, 1));
    if (page_bytes_) values_.KeepAlive(std::shared_ptr<const void>(page_bytes_, page_bytes_.get()));
  } else if (values_.type() != column_.type || values_.capacity() < count) {
    // Other values are copied out, so the page vector is reused.
    values_ = Vector(column_.type, std::max<idx_t>(count, 1));
  }
  if (encoding == Encoding::kRleDictionary || encoding == Encoding::kPlainDictionary) {
    if (!has_dictionary_) throw ParquetDecodeError("a dictionary-encoded page without dictionary");
    indices_.resize(count);
    parquet::RleBitPackedDecoder decoder = parquet::MakeDictionaryIndexDecoder(data, size);
    decoder.DecodeExactly(indices_.data(), count);
    DispatchPhysical(column_.type.physical(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      parquet::GatherDictionary(dictionary_.Data<T>(), dictionary_size_, indices_.data(), count,
                                values_.Data<T>());
    });
    values_.KeepAlive(dictionary_);
    return;
  }

  // Stage 1: the values in their physical type.
  RawValues raw;
  auto unsupported = [&]() {
    ThrowUnsupported(
        fmt::format("{} for a {} column", EncodingName(encoding), column_.type.ToString()));
  };
  auto fixed = [&](auto* out) {
    using T = std::remove_pointer_t<decltype(out)>;
    switch (encoding) {
      case Encoding::kPlain:
        parquet::PlainDecoder(data, size).DecodeFixed(out, count);
        break;
      case Encoding::kByteStreamSplit:
        parquet::ByteStreamSplitDecoder(data, size, sizeof(T))
            .Decode(reinterpret_cast<uint8_t*>(out), count);
        break;
      case Encoding::kDeltaBinaryPacked:
        if constexpr (std::is_integral_v<T>) {
          parquet::DeltaBinaryPackedDecoder(data, size).Decode(out, count);
          break;
        }
        [[fallthrough]];
      default:
        unsupported();
    }
  };
  // Values stored as Basalt keeps them are decoded straight into values_.
  switch (column_.conversion) {
    case ParquetConversion::kInt32:
      fixed(values_.Data<int32_t>());
      return;
    case ParquetConversion::kInt64:
      fixed(values_.Data<int64_t>());
      return;
    case ParquetConversion::kFloat:
      fixed(values_.Data<float>());
      return;
    case ParquetConversion::kDouble:
      fixed(values_.Data<double>());
      return;
    case ParquetConversion::kInt64Decimal:
      if (column_.type.physical() == PhysicalType::kInt64) {
        fixed(values_.Data<int64_t>());
        return;
      }
      break;
    default:
      break;
  }
  std::shared_ptr<Arena> arena;
  switch (column_.physical_type) {
    case Type::kBoolean:
      raw.booleans.reset(new bool[std::max<idx_t>(count, 1)]);
      if (encoding == Encoding::kPlain) {
        parquet::PlainDecoder(data, size).DecodeBooleans(raw.booleans.get(), count);
      } else if (encoding == Encoding::kRle) {
        size_t consumed = 0;
        std::span<const uint8_t> span = parquet::ReadLengthPrefixed(data, size, &consumed);
        std::vector<uint32_t> bits(count);
        parquet::RleBitPackedDecoder(span.data(), span.size(), 1).DecodeExactly(bits.data(), count);
        for (idx_t i = 0; i < count; i++) raw.booleans[i] = bits[i] != 0;
      } else {
        unsupported();
      }
      break;
    case Type::kInt32:
      raw.int32s.resize(count);
      fixed(raw.int32s.data());
      break;
    case Type::kInt64:
      raw.int64s.resize(count);
      fixed(raw.int64s.data());
      break;
    case Type::kFloat:
      raw.floats.resize(count);
      fixed(raw.floats.data());
      break;
    case Type::kDouble:
      raw.doubles.resize(count);
      fixed(raw.doubles.data());
      break;
    case Type::kInt96:
      raw.int64s.resize(count);
      if (encoding != Encoding::kPlain) unsupported();
      parquet::PlainDecoder(data, size).DecodeInt96(raw.int64s.data(), count);
      break;
    case Type::kByteArray:
    case Type::kFixedLenByteArray: {
      raw.strings.resize(count);
      const bool fixed_len = column_.physical_type == Type::kFixedLenByteArray;
      const auto width = static_cast<uint32_t>(column_.type_length);
      switch (encoding) {
        case Encoding::kPlain:
          if (fixed_len) {
            parquet::PlainDecoder(data, size)
                .DecodeFixedLenByteArrays(raw.strings.data(), count, width);
          } else {
            parquet::PlainDecoder(data, size).DecodeByteArrays(raw.strings.data(), count);
          }
          break;
        case Encoding::kDeltaLengthByteArray:
          if (fixed_len) unsupported();
          parquet::DeltaLengthByteArrayDecoder(data, size).Decode(raw.strings.data(), count);
          break;
        case Encoding::kDeltaByteArray:
          arena = std::make_shared<Arena>();
          parquet::DeltaByteArrayDecoder(data, size).Decode(raw.strings.data(), count, arena.get());
          break;
        case Encoding::kByteStreamSplit: {
          if (!fixed_len || width == 0) unsupported();
          arena = std::make_shared<Arena>();
          char* bytes = arena->Allocate(static_cast<size_t>(count) * width + 1);
          parquet::ByteStreamSplitDecoder(data, size, width)
              .Decode(reinterpret_cast<uint8_t*>(bytes), count);
          for (idx_t i = 0; i < count; i++) raw.strings[i] = {bytes + i * width, width};
          break;
        }
        default:
          unsupported();
      }
      if (arena) values_.KeepAlive(std::shared_ptr<const void>(arena));
      break;
    }
  }

  // Stage 2: converted to the Basalt type. A page of only NULLs has no
  // values, and its empty buffers may be null pointers, which memcpy must
  // not be given even for zero bytes (found by fuzz/parquet_page_fuzz).
  if (count == 0) return;
  const bool wide = column_.type.physical() == PhysicalType::kInt128;
  auto store_decimal = [&](idx_t i, int128_t v) {
    if (wide) {
      values_.Data<int128_t>()[i] = v;
    } else {
      values_.Data<int64_t>()[i] = static_cast<int64_t>(v);
    }
  };
  switch (column_.conversion) {
    case ParquetConversion::kBoolean:
      std::memcpy(values_.Data<bool>(), raw.booleans.get(), count * sizeof(bool));
      break;
    case ParquetConversion::kInt32ToInt16: {
      auto* out = values_.Data<int16_t>();
      for (idx_t i = 0; i < count; i++) out[i] = static_cast<int16_t>(raw.int32s[i]);
      break;
    }
    case ParquetConversion::kInt32:
      std::memcpy(values_.Data<int32_t>(), raw.int32s.data(), count * sizeof(int32_t));
      break;
    case ParquetConversion::kUint32ToInt64: {
      auto* out = values_.Data<int64_t>();
      for (idx_t i = 0; i < count; i++) out[i] = static_cast<uint32_t>(raw.int32s[i]);
      break;
    }
    case ParquetConversion::kInt64:
    case ParquetConversion::kInt96Timestamp:
      std::memcpy(values_.Data<int64_t>(), raw.int64s.data(), count * sizeof(int64_t));
      break;
    case ParquetConversion::kUint64: {
      auto* out = values_.Data<int64_t>();
      for (idx_t i = 0; i < count; i++) {
        if (raw.int64s[i] < 0) {
          ThrowError(sqlstate::kFeatureNotSupported,
                     "parquet file \"{}\": column \"{}\" holds the unsigned value {}, which does "
                     "not fit BIGINT",
                     file_.path(), column_.name, static_cast<uint64_t>(raw.int64s[i]));
        }
        out[i] = raw.int64s[i];
      }
      break;
    }
    case ParquetConversion::kInt32Decimal:
      for (idx_t i = 0; i < count; i++) store_decimal(i, raw.int32s[i]);
      break;
    case ParquetConversion::kInt64Decimal:
      for (idx_t i = 0; i < count; i++) store_decimal(i, raw.int64s[i]);
      break;
    case ParquetConversion::kBinaryDecimal:
      for (idx_t i = 0; i < count; i++) store_decimal(i, BigEndianToInt128(raw.strings[i]));
      break;
    case ParquetConversion::kTimestampMillis: {
      auto* out = values_.Data<int64_t>();
      for (idx_t i = 0; i < count; i++) {
        out[i] = static_cast<int64_t>(static_cast<uint64_t>(raw.int64s[i]) * 1000);
      }
      break;
    }
    case ParquetConversion::kTimestampNanos: {
      auto* out = values_.Data<int64_t>();
      for (idx_t i = 0; i < count; i++) out[i] = NanosToMicros(raw.int64s[i]);
      break;
    }
    case ParquetConversion::kFloat:
      std::memcpy(values_.Data<float>(), raw.floats.data(), count * sizeof(float));
      break;
    case ParquetConversion::kDouble:
      std::memcpy(values_.Data<double>(), raw.doubles.data(), count * sizeof(double));
      break;
    case ParquetConversion::kString: {
      auto* out = values_.Data<StringRef>();
      for (idx_t i = 0; i < count; i++) {
        out[i] = StringRef(raw.strings[i].data(), static_cast<uint32_t>(raw.strings[i].size()));
      }
      break;
    }
  }
}

void ParquetColumnReader::ReadRecords(idx_t count, ParquetLeafLevels* out) {
  try {
    idx_t started = 0;
    const uint32_t max_def = static_cast<uint32_t>(column_.max_definition_level);
    UnifiedFormat values;
    bool have_format = false;
    while (true) {
      if (page_row_ == page_rows_) {
        // The chunk's last page may end the last record asked for.
        if (started == count && (values_left_in_chunk_ <= 0 || chunk_pos_ >= chunk_size_)) break;
        NextDataPage();
        have_format = false;
      }
      const uint32_t rep = repetitions_.empty() ? 0 : repetitions_[page_row_];
      if (rep == 0) {
        if (started == count) break;
        started++;
      } else if (started == 0) {
        throw ParquetDecodeError("a record starts with a repetition level above 0");
      }
      const uint32_t def = definitions_.empty() ? max_def : definitions_[page_row_];
      // Checked before each triplet is kept, so a file declaring billions
      // of them fails here rather than after allocating for them all.
      if (out->reps.size() >= max_triplets_) ThrowBatchTooLarge(started, "values", max_triplets_);
      out->reps.push_back(static_cast<uint16_t>(rep));
      out->defs.push_back(static_cast<uint16_t>(def));
      if (def == max_def) {
        if (!have_format) {
          // A page holds more values than a batch: index values_ directly
          // (an identity selection) rather than through a batch-sized one.
          static const SelectionVector kIdentity;
          values.sel = &kIdentity;
          values.data = values_.RawData();
          values.validity = &values_.validity();
          have_format = true;
        }
        AppendElement(&out->values, column_.type, values, page_value_++);
        if (out->values.size() > max_value_bytes_) {
          ThrowBatchTooLarge(started, "bytes of values", max_value_bytes_);
        }
        out->value_ends.push_back(static_cast<uint32_t>(out->values.size()));
      }
      page_row_++;
    }
  } catch (const ParquetDecodeError& e) {
    file_.ThrowCorrupt(
        fmt::format("row group {} column \"{}\": {}", row_group_, column_.name, e.what()));
  }
}

void ParquetColumnReader::ThrowBatchTooLarge(idx_t records, const char* what,
                                             size_t limit) const {
  ThrowError(sqlstate::kProgramLimitExceeded,
             "parquet file \"{}\": column \"{}\": {} record(s) of row group {} hold more than {} "
             "{}, more than Basalt reads at once",
             file_.path(), column_.name, records, row_group_, limit, what);
}

void ParquetColumnReader::CopyOut(idx_t count, Vector& out, idx_t offset) {
  const bool strings = column_.type.physical() == PhysicalType::kString;
  if (strings) out.KeepAlive(values_);
  DispatchPhysical(column_.type.physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* src = values_.Data<T>();
    T* dst = out.Data<T>() + offset;
    if (definitions_.empty()) {
      std::memcpy(static_cast<void*>(dst), src + page_value_, count * sizeof(T));
      page_value_ += count;
      return;
    }
    const uint32_t max = static_cast<uint32_t>(column_.max_definition_level);
    const uint32_t* defs = definitions_.data() + page_row_;
    ValidityMask& validity = out.validity();
    for (idx_t i = 0; i < count; i++) {
      if (defs[i] == max) {
        dst[i] = src[page_value_++];
      } else {
        dst[i] = T{};
        validity.SetInvalid(offset + i);
      }
    }
  });
  page_row_ += count;
}

}  // namespace basalt
