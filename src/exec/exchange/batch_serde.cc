#include "exec/exchange/batch_serde.h"

#include <lz4.h>

#include <cstring>
#include <memory>

#include "common/exception.h"

namespace basalt {

namespace {

// Below this, LZ4's framing is not worth it.
constexpr size_t kMinCompressBytes = 256;
// Compression is kept only when it saves at least 1/8 of the bytes.
constexpr size_t kMinSavingDivisor = 8;

[[noreturn]] void ThrowCorrupt(const char* what) {
  ThrowError(sqlstate::kDataCorrupted, "exchange batch is damaged: {}", what);
}

template <typename T>
void Put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// Appends column `v`'s `rows` values in the layout of batch_serde.h.
void SerializeColumn(const Vector& v, idx_t rows, std::string& out) {
  UnifiedFormat format;
  v.ToUnified(rows, &format);
  const LogicalType& type = v.type();
  bool has_nulls = false;
  if (!format.validity->AllValid()) {
    for (idx_t i = 0; i < rows && !has_nulls; i++) {
      has_nulls = !format.validity->IsValid(format.sel->Get(i));
    }
  }
  Put<uint8_t>(out, static_cast<uint8_t>(type.id()));
  Put<uint8_t>(out, has_nulls ? 1 : 0);
  if (has_nulls) {
    std::vector<uint64_t> words((rows + 63) / 64, 0);
    for (idx_t i = 0; i < rows; i++) {
      if (format.validity->IsValid(format.sel->Get(i))) words[i >> 6] |= uint64_t{1} << (i & 63);
    }
    out.append(reinterpret_cast<const char*>(words.data()), words.size() * sizeof(uint64_t));
  }
  auto valid = [&](idx_t i) { return !has_nulls || format.validity->IsValid(format.sel->Get(i)); };
  if (type.physical() == PhysicalType::kString) {
    const auto* strings = format.Data<StringRef>();
    size_t lengths_at = out.size();
    out.resize(out.size() + rows * sizeof(uint32_t));
    for (idx_t i = 0; i < rows; i++) {
      uint32_t length = 0;
      if (valid(i)) {
        const StringRef& s = strings[format.sel->Get(i)];
        length = s.size();
        out.append(s.data(), length);
      }
      std::memcpy(out.data() + lengths_at + i * sizeof(uint32_t), &length, sizeof(uint32_t));
    }
    return;
  }
  DispatchPhysical(type.physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, StringRef>) {
      const T* data = format.Data<T>();
      size_t at = out.size();
      out.resize(at + rows * sizeof(T));
      T* dest = reinterpret_cast<T*>(out.data() + at);
      if (format.sel->IsIdentity() && !has_nulls) {
        std::memcpy(dest, data, rows * sizeof(T));
      } else {
        for (idx_t i = 0; i < rows; i++) {
          dest[i] = valid(i) ? data[format.sel->Get(i)] : T{};
        }
      }
    }
  });
}

// Reads the raw layout; bounds-checked at every step.
class BatchReader {
 public:
  BatchReader(const char* data, size_t size) : data_(data), size_(size) {}

  const char* Take(size_t n) {
    if (n > size_ - pos_) ThrowCorrupt("it ends early");
    const char* p = data_ + pos_;
    pos_ += n;
    return p;
  }
  template <typename T>
  T Get() {
    T value;
    std::memcpy(&value, Take(sizeof(T)), sizeof(T));
    return value;
  }
  bool AtEnd() const { return pos_ == size_; }

 private:
  const char* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace

void SerializeBatch(const DataChunk& chunk, SerializedBatch* out) {
  // The raw layout goes into a thread-local buffer; only the compressed (or
  // uncompressed) result is kept in `out`.
  thread_local std::string raw;
  raw.clear();
  const idx_t rows = chunk.size();
  Put<uint32_t>(raw, static_cast<uint32_t>(rows));
  Put<uint32_t>(raw, static_cast<uint32_t>(chunk.ColumnCount()));
  for (idx_t c = 0; c < chunk.ColumnCount(); c++) SerializeColumn(chunk.column(c), rows, raw);

  out->rows = static_cast<uint32_t>(rows);
  out->raw_size = static_cast<uint32_t>(raw.size());
  out->compressed = false;
  if (raw.size() >= kMinCompressBytes) {
    out->bytes.resize(static_cast<size_t>(LZ4_compressBound(static_cast<int>(raw.size()))));
    int n = LZ4_compress_default(raw.data(), out->bytes.data(), static_cast<int>(raw.size()),
                                 static_cast<int>(out->bytes.size()));
    if (n > 0 && static_cast<size_t>(n) < raw.size() - raw.size() / kMinSavingDivisor) {
      out->bytes.resize(static_cast<size_t>(n));
      out->compressed = true;
      return;
    }
  }
  out->bytes.assign(raw);
}

DataChunk DeserializeBatch(const std::string& bytes, uint32_t raw_size, bool compressed,
                           const std::vector<LogicalType>& types) {
  // One buffer holds the raw layout and outlives the batch: its strings point
  // into it.
  auto buffer = std::make_shared<std::string>();
  if (compressed) {
    buffer->resize(raw_size);
    int n = LZ4_decompress_safe(bytes.data(), buffer->data(), static_cast<int>(bytes.size()),
                                static_cast<int>(raw_size));
    if (n < 0 || static_cast<uint32_t>(n) != raw_size) ThrowCorrupt("LZ4 data is invalid");
  } else {
    if (bytes.size() != raw_size) ThrowCorrupt("its size is wrong");
    *buffer = bytes;
  }
  BatchReader reader(buffer->data(), buffer->size());
  const uint32_t rows = reader.Get<uint32_t>();
  const uint32_t columns = reader.Get<uint32_t>();
  if (rows > kBatchSize) ThrowCorrupt("too many rows");
  if (columns != types.size()) ThrowCorrupt("wrong column count");

  DataChunk chunk(types, kBatchSize);
  for (uint32_t c = 0; c < columns; c++) {
    const LogicalType& type = types[c];
    Vector& v = chunk.column(c);
    if (reader.Get<uint8_t>() != static_cast<uint8_t>(type.id())) ThrowCorrupt("wrong column type");
    const uint8_t has_nulls = reader.Get<uint8_t>();
    if (has_nulls > 1) ThrowCorrupt("bad null flag");
    if (has_nulls) {
      const size_t words = (rows + 63) / 64;
      const char* bits = reader.Take(words * sizeof(uint64_t));
      for (size_t w = 0; w < words; w++) {
        uint64_t word;
        std::memcpy(&word, bits + w * sizeof(uint64_t), sizeof(uint64_t));
        if (word == ~uint64_t{0}) continue;
        for (uint32_t i = uint32_t(w * 64); i < rows && i < (w + 1) * 64; i++) {
          if (!((word >> (i & 63)) & 1)) v.SetNull(i);
        }
      }
    }
    if (type.physical() == PhysicalType::kString) {
      const char* lengths = reader.Take(size_t(rows) * sizeof(uint32_t));
      auto* strings = v.Data<StringRef>();
      for (uint32_t i = 0; i < rows; i++) {
        uint32_t length;
        std::memcpy(&length, lengths + i * sizeof(uint32_t), sizeof(uint32_t));
        strings[i] = StringRef(reader.Take(length), length);
      }
      v.KeepAlive(std::shared_ptr<const void>(buffer));
      continue;
    }
    DispatchPhysical(type.physical(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!std::is_same_v<T, StringRef>) {
        std::memcpy(v.Data<T>(), reader.Take(size_t(rows) * sizeof(T)), size_t(rows) * sizeof(T));
        if constexpr (std::is_same_v<T, bool>) {
          // A bool byte other than 0 or 1 would break kernels that use it as an index.
          for (uint32_t i = 0; i < rows; i++) {
            if (reinterpret_cast<const uint8_t*>(v.Data<T>())[i] > 1) ThrowCorrupt("bad boolean");
          }
        }
      }
    });
  }
  if (!reader.AtEnd()) ThrowCorrupt("trailing bytes");
  chunk.SetSize(rows);
  return chunk;
}

}  // namespace basalt
