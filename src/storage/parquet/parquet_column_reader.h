// Reads one column chunk of a Parquet file (one column of one row group)
// into Vectors, page by page (docs/parquet.md).
//
// The chunk's bytes are read with one pread when the reader is made. Pages
// are then decoded one at a time: the dictionary page (kept for the whole
// chunk, already converted to the column's Basalt type), data pages v1
// (levels and values compressed together) and v2 (levels uncompressed, values
// maybe compressed). A data page's definition levels become the validity
// mask; its non-null values are decoded and converted into a page-sized
// vector that Read copies out of. A leaf of a nested column also has
// repetition levels, and ReadRecords hands out its triplets instead
// (parquet_nested_reader.h). Strings are not copied: they point into
// the page's (decompressed) bytes or the dictionary, which the output vector
// keeps alive.
//
// Errors: damaged bytes raise XX001 naming the file, row group and column;
// an encoding or codec Basalt does not read raises 0A000 naming file and
// column; an unsigned 64-bit value beyond BIGINT raises 0A000; nested
// records spanning more than ReadRecords' limits raise 54000.
//
// Not thread-safe: one reader per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/vector.h"
#include "storage/parquet/parquet_metadata.h"
#include "storage/parquet/parquet_nested_reader.h"
#include "storage/parquet/parquet_reader.h"

namespace basalt {

class ParquetColumnReader {
 public:
  // Reads leaf `leaf` of file.leaves() (a flat column is its own leaf).
  ParquetColumnReader(const ParquetFile& file, idx_t row_group, idx_t leaf);

  // Reads the next `count` rows into `out` (a fresh flat vector of the
  // column's type) from row 0 on. XX001 when the chunk holds fewer rows.
  void Read(idx_t count, Vector& out);
  // A leaf of a nested column: appends the triplets of the next `count`
  // whole records (a record starts at repetition level 0) to `out`. 54000
  // naming the file and column when they span more than the batch limits.
  void ReadRecords(idx_t count, ParquetLeafLevels* out);

  // Page pruning (flat columns only; docs/parquet.md, "Parallelism and
  // pruning"). Skip moves past the next `count` rows without copying them
  // out (pages it enters are still decoded). XX001 when the chunk holds fewer.
  void Skip(idx_t count);
  // Whether the current data page is used up, and the rows it has left.
  bool AtPageBoundary() const { return page_row_ == page_rows_; }
  idx_t RowsLeftInPage() const { return page_rows_ - page_row_; }
  // At a page boundary: reads any dictionary page before the next data page
  // and returns that data page's header without reading the page, or null
  // when the chunk has no page left.
  const parquet::PageHeader* PeekDataPage();
  // The rows of the peeked page; 0 when they cannot be trusted.
  int64_t PeekedRows() const;
  // Passes over the peeked page without decompressing or decoding it.
  void SkipPeekedPage();
  // At a page boundary: decodes the next data page.
  void LoadNextPage();
  // Data pages decoded so far.
  uint64_t data_pages_read() const { return data_pages_read_; }

  // What one ReadRecords call may gather, whatever the file declares: a few
  // bytes of RLE levels make 2^26 triplets a page, over as many pages as the
  // chunk's value count allows, so a tiny file could otherwise make one
  // record (or one batch of records) take many gigabytes. Value bytes stay
  // well below 4 GiB, which ParquetLeafLevels::value_ends and a nested
  // value's length must fit in.
  static constexpr size_t kMaxTripletsPerBatch = size_t{64} << 20;
  static constexpr size_t kMaxValueBytesPerBatch = size_t{1} << 30;
  // Lowers those limits, so tests reach them with small files.
  void SetBatchLimitsForTesting(size_t max_triplets, size_t max_value_bytes) {
    max_triplets_ = max_triplets;
    max_value_bytes_ = max_value_bytes;
  }

 private:
  // Moves to the next data page, decoding a dictionary page met on the way.
  void NextDataPage();
  void ReadDictionaryPage(const parquet::PageHeader& header, const uint8_t* data);
  void ReadDataPage(const parquet::PageHeader& header, const uint8_t* data);
  // The page's bytes uncompressed: `data` itself, or a new buffer.
  std::shared_ptr<const uint8_t[]> Uncompressed(const uint8_t* data, size_t size,
                                                size_t uncompressed_size);
  // Decodes `count` values of `encoding` from the span into values_.
  void DecodeValues(parquet::Encoding encoding, const uint8_t* data, size_t size, idx_t count);
  void CopyOut(idx_t count, Vector& out, idx_t offset);
  [[noreturn]] void ThrowUnsupported(const std::string& what) const;
  [[noreturn]] void ThrowBatchTooLarge(idx_t records, const char* what, size_t limit) const;

  const ParquetFile& file_;
  const ParquetColumn& column_;
  idx_t row_group_;
  size_t max_triplets_ = kMaxTripletsPerBatch;
  size_t max_value_bytes_ = kMaxValueBytesPerBatch;
  parquet::CompressionCodec codec_;
  int64_t values_left_in_chunk_ = 0;

  std::shared_ptr<uint8_t[]> chunk_;
  size_t chunk_size_ = 0;
  size_t chunk_pos_ = 0;  // the next page header
  // The data page header at chunk_pos_, when PeekDataPage read it, and the
  // offset just past that page.
  std::optional<parquet::PageHeader> peeked_;
  size_t peeked_end_ = 0;
  uint64_t data_pages_read_ = 0;

  // The dictionary converted to the column's type; size dictionary_size_.
  Vector dictionary_;
  idx_t dictionary_size_ = 0;
  bool has_dictionary_ = false;

  // The current data page: its definition levels (empty for a REQUIRED
  // column: every row is valid) and its non-null values.
  std::shared_ptr<const uint8_t[]> page_bytes_;
  std::vector<uint32_t> definitions_;
  std::vector<uint32_t> repetitions_;  // empty unless the leaf repeats
  Vector values_;
  idx_t page_rows_ = 0;
  idx_t page_row_ = 0;             // rows of the page already read
  idx_t page_value_ = 0;           // values_ already read
  std::vector<uint32_t> indices_;  // scratch: dictionary indices
  // Reused for the pages of columns that are not strings.
  std::shared_ptr<uint8_t[]> decompressed_;
  size_t decompressed_capacity_ = 0;
};

}  // namespace basalt
