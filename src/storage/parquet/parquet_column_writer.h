// One column of a Parquet file being written: buffers the column's values of
// the current row group and encodes them as a column chunk (docs/parquet.md,
// Writer). The mirror of ParquetColumnReader.
//
// A chunk is an optional dictionary page (VARCHAR columns whose distinct
// values are few enough and fit in kMaxDictionaryBytes) followed by data
// pages v1 of about kTargetPageBytes of values each: definition levels (the
// column is OPTIONAL, max level 1) RLE / bit-packed with a 4-byte length,
// then PLAIN values or, with a dictionary, RLE_DICTIONARY indices. Each page
// is compressed with the writer's codec.
//
// Not thread safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/vector.h"
#include "storage/parquet/parquet_metadata.h"

namespace basalt {

// A column chunk ready to be written: its bytes and its metadata, whose
// offsets count from the chunk's first byte (the writer adds the file
// offset).
struct EncodedColumnChunk {
  std::vector<uint8_t> bytes;
  parquet::ColumnMetaData meta;
};

class ParquetColumnWriter {
 public:
  static constexpr size_t kTargetPageBytes = 1 << 20;
  static constexpr size_t kMaxDictionaryBytes = 1 << 20;

  // Raises 0A000 for a type Parquet output does not support (INTERVAL).
  // `page_bytes` is the target size of a data page's values.
  ParquetColumnWriter(std::string name, LogicalType type, parquet::CompressionCodec codec,
                      size_t page_bytes = kTargetPageBytes);

  // The leaf's schema element: physical type and logical / converted types.
  parquet::SchemaElement Schema() const;

  // Buffers rows [offset, offset + count) of `vector`, in any form.
  void Append(const Vector& vector, idx_t offset, idx_t count);
  // Encodes the buffered rows as a chunk and starts a new one.
  EncodedColumnChunk Flush();

 private:
  // How values are staged and stored.
  enum class Kind : uint8_t { kBoolean, kInt32, kInt64, kFloat, kDouble, kFixed16, kString };

  template <typename T, typename F>
  void ForEachValid(const Vector& vector, idx_t offset, idx_t count, F&& f);
  void AppendString(std::string_view s);
  void AppendInt(int64_t v);
  void AppendFixed16(__int128 v);
  void AppendFloating(double v, const void* bytes, size_t size);

  // PLAIN bytes of the non-null values [first, last).
  void PlainValues(size_t first, size_t last, std::vector<uint8_t>* out) const;
  size_t ValueBytes(size_t value) const;
  // Minimum and maximum of some values; has false until a value counts (NaN
  // never does).
  struct Bounds {
    bool has = false;
    int64_t min_int = 0, max_int = 0;
    __int128 min_wide = 0, max_wide = 0;
    double min_float = 0, max_float = 0;
    std::string min_string, max_string;
  };
  static void IncludeInt(Bounds* b, int64_t v);
  static void IncludeWide(Bounds* b, __int128 v);
  static void IncludeFloating(Bounds* b, double v);
  static void IncludeString(Bounds* b, std::string_view s);
  // The bounds of the staged non-null values [first, last), for a page.
  Bounds StagedBounds(size_t first, size_t last) const;
  parquet::Statistics MakeStatistics(const Bounds& bounds, int64_t null_count) const;
  void Reset();

  std::string name_;
  LogicalType type_;
  parquet::CompressionCodec codec_;
  Kind kind_ = Kind::kInt32;
  size_t width_ = 4;  // bytes per staged value; 0 for strings

  // The row group so far: a definition level per row, the non-null values
  // in staged form (fixed width little-endian, booleans one byte each,
  // strings PLAIN with their length prefix) and where each string starts.
  std::vector<uint8_t> defs_;
  std::vector<uint8_t> values_;
  std::vector<uint64_t> string_offsets_;
  size_t value_count_ = 0;
  int64_t null_count_ = 0;

  size_t page_bytes_ = kTargetPageBytes;
  // Statistics of the row group.
  Bounds bounds_;
};

}  // namespace basalt
