// SegmentReader: opens one segment file (format: docs/segment_format.md) and
// serves its schema, zone maps, bitmap index and column blocks.
//
// Open reads the header, the trailer and the footer (three preads) and checks
// them: magic, version, the footer's checksum and that every region it names
// lies inside the file. Blocks are read on demand with pread, their checksum
// verified before anything is decoded. Any inconsistency raises a BasaltError
// with SQLSTATE XX001 (data_corrupted) whose message names the file and, past
// the footer, the column and block; a file written by a newer format version
// raises 0A000, a missing file 58P01, an I/O failure 58030. No input makes
// the reader crash or read outside its buffers.
//
// Thread safety: after Open every method is const and may run on many
// threads at once. mutex_ guards the lazily loaded dictionaries_ and
// directories_ (nothing else is mutable); file reads use pread and need no
// lock.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/data_chunk.h"
#include "storage/segment/row_bitmap.h"
#include "storage/segment/segment_block_scanner.h"
#include "storage/segment/segment_format.h"
#include "storage/segment/segment_writer.h"
#include "storage/segment/zone_map.h"

namespace basalt {

namespace segment {
class SegmentInputFile;
struct SegmentFooter;
struct SegmentDictionary;
struct BitmapEntry;
}  // namespace segment

// How one block of one column is stored.
struct SegmentBlockInfo {
  BlockEncoding encoding = BlockEncoding::kAllNull;
  SegmentCompression compression = SegmentCompression::kNone;
  uint64_t stored_bytes = 0;  // on disk
  uint64_t raw_bytes = 0;     // encoded, before compression
  uint64_t row_count = 0;
  uint64_t null_count = 0;
};

struct SegmentColumnInfo {
  uint64_t null_count = 0;
  bool has_dictionary = false;
  uint64_t dictionary_size = 0;
  bool has_bitmap_index = false;
  // Bytes on disk: blocks, and dictionary plus bitmap index.
  uint64_t block_bytes = 0;
  uint64_t index_bytes = 0;
};

class SegmentReader {
 public:
  static std::unique_ptr<SegmentReader> Open(const std::string& path);
  ~SegmentReader();
  SegmentReader(const SegmentReader&) = delete;
  SegmentReader& operator=(const SegmentReader&) = delete;

  const std::string& path() const;
  uint64_t file_size() const;
  uint64_t row_count() const;
  idx_t block_rows() const;
  idx_t block_count() const;
  idx_t BlockRowCount(idx_t block) const;
  uint64_t BlockFirstRow(idx_t block) const { return block * block_rows(); }
  const std::vector<SegmentColumn>& schema() const { return schema_; }
  idx_t ColumnCount() const { return schema_.size(); }
  std::optional<idx_t> FindColumn(std::string_view name) const;

  const ZoneMap& GetZoneMap(idx_t column, idx_t block) const;
  SegmentBlockInfo GetBlockInfo(idx_t column, idx_t block) const;
  SegmentColumnInfo GetColumnInfo(idx_t column) const;

  // The bitmap index (dictionary-encoded string columns). Each lookup
  // returns nullopt when the column has none, so the caller scans instead.
  bool HasBitmapIndex(idx_t column) const;
  // Rows whose value equals `value` byte for byte.
  std::optional<RowBitmap> LookupEqual(idx_t column, std::string_view value) const;
  // Rows whose value is one of `values`.
  std::optional<RowBitmap> LookupIn(idx_t column, const std::vector<std::string>& values) const;
  std::optional<RowBitmap> LookupNull(idx_t column) const;
  // The column's segment dictionary in sorted order; empty when it has none.
  std::vector<std::string> DictionaryValues(idx_t column) const;

  // Reads `columns` of `block` in batches; with `rows`, only the rows of the
  // block that are in the bitmap (segment row ids). The scanner reads the
  // blocks now (raising XX001 if one is corrupt) and must not outlive the
  // reader.
  SegmentBlockScanner ScanBlock(idx_t block, std::vector<idx_t> columns,
                                const RowBitmap* rows = nullptr) const;

  // Reads and checks every byte of the file: every block of every column is
  // decoded, every dictionary and bitmap loaded. Raises XX001 at the first
  // problem.
  void Verify() const;

 private:
  friend class SegmentBlockScanner;

  SegmentReader() = default;
  // The raw (decompressed) bytes of a region, followed by kDecodePadding
  // zero bytes; checks the checksum first. Throws SegmentDecodeError.
  std::shared_ptr<uint8_t[]> ReadRegion(const segment::RegionRef& region) const;
  std::shared_ptr<const segment::SegmentDictionary> Dictionary(idx_t column) const;
  std::shared_ptr<const std::vector<segment::BitmapEntry>> Directory(idx_t column) const;
  RowBitmap LoadBitmap(idx_t column, uint64_t entry) const;
  // Reads a block and opens a cursor on it, raising XX001 with the context.
  void OpenCursor(idx_t column, idx_t block, segment::ColumnBlockCursor* cursor) const;
  std::string Where(idx_t column, idx_t block) const;
  std::string Where(idx_t column, const char* part) const;
  void CheckColumn(idx_t column) const;
  void CheckBlock(idx_t block) const;

  std::unique_ptr<segment::SegmentInputFile> file_;
  std::unique_ptr<segment::SegmentFooter> footer_;
  std::vector<SegmentColumn> schema_;
  mutable std::mutex mutex_;
  mutable std::vector<std::shared_ptr<const segment::SegmentDictionary>> dictionaries_;
  mutable std::vector<std::shared_ptr<const std::vector<segment::BitmapEntry>>> directories_;
};

}  // namespace basalt
