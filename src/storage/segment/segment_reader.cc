#include "storage/segment/segment_reader.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

#include "common/exception.h"
#include "storage/segment/bitmap_index.h"
#include "storage/segment/block_compression.h"
#include "storage/segment/byte_reader.h"
#include "storage/segment/segment_error.h"
#include "storage/segment/segment_file.h"
#include "storage/segment/segment_footer.h"
#include "storage/segment/string_list.h"

namespace basalt {

using segment::SegmentDecodeError;
using segment::ThrowCorruptSegment;

namespace {

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t flags;
  uint64_t checksum;
};
static_assert(sizeof(Header) == segment::kHeaderSize);

struct Trailer {
  uint64_t footer_size;
  uint64_t footer_checksum;
  uint32_t version;
  uint32_t flags;
  char magic[8];
};
static_assert(sizeof(Trailer) == segment::kTrailerSize);

}  // namespace

std::unique_ptr<SegmentReader> SegmentReader::Open(const std::string& path) {
  std::unique_ptr<SegmentReader> reader(new SegmentReader());
  reader->file_ = std::make_unique<segment::SegmentInputFile>(path);
  const segment::SegmentInputFile& file = *reader->file_;
  const uint64_t size = file.size();
  constexpr uint64_t kMinSize = segment::kHeaderSize + segment::kTrailerSize;
  if (size < kMinSize) {
    ThrowCorruptSegment(
        path, "",
        size == 0 ? fmt::format("the file is empty (a segment has at least {} bytes)", kMinSize)
                  : fmt::format("the file is only {} bytes long (a segment has at least {})", size,
                                kMinSize));
  }
  try {
    Header header;
    file.ReadAt(0, sizeof(header), &header);
    if (std::memcmp(header.magic, segment::kMagic, sizeof(header.magic)) != 0) {
      ThrowCorruptSegment(path, "header", "no segment magic number (not a Basalt segment file)");
    }
    if (XXH3_64bits(&header, offsetof(Header, checksum)) != header.checksum) {
      ThrowCorruptSegment(path, "header", "checksum mismatch");
    }
    if (header.version != kSegmentFormatVersion) {
      ThrowError(sqlstate::kFeatureNotSupported,
                 "segment file \"{}\" has format version {}; this build reads version {}", path,
                 header.version, kSegmentFormatVersion);
    }
    if (header.flags != 0) {
      ThrowCorruptSegment(path, "header", fmt::format("unknown flags 0x{:x}", header.flags));
    }

    Trailer trailer;
    file.ReadAt(size - sizeof(trailer), sizeof(trailer), &trailer);
    if (std::memcmp(trailer.magic, segment::kMagic, sizeof(trailer.magic)) != 0) {
      ThrowCorruptSegment(path, "trailer",
                          "no end marker: the file is truncated or was not completely written");
    }
    if (trailer.version != header.version || trailer.flags != 0) {
      ThrowCorruptSegment(path, "trailer",
                          fmt::format("version {} and flags 0x{:x} do not match the header",
                                      trailer.version, trailer.flags));
    }
    if (trailer.footer_size > size - kMinSize) {
      ThrowCorruptSegment(path, "trailer",
                          fmt::format("a footer of {} bytes cannot fit in a file of {} bytes",
                                      trailer.footer_size, size));
    }
    const uint64_t data_end = size - segment::kTrailerSize - trailer.footer_size;
    std::vector<uint8_t> footer(trailer.footer_size);
    file.ReadAt(data_end, footer.size(), footer.data());
    if (XXH3_64bits(footer.data(), footer.size()) != trailer.footer_checksum) {
      ThrowCorruptSegment(path, "footer", "checksum mismatch");
    }
    reader->footer_ = std::make_unique<segment::SegmentFooter>(
        segment::ReadFooter(footer.data(), footer.size(), data_end));
  } catch (const SegmentDecodeError& e) {
    ThrowCorruptSegment(path, "footer", e.what());
  }
  for (const segment::ColumnMeta& c : reader->footer_->columns) {
    reader->schema_.push_back(SegmentColumn{c.name, c.type});
  }
  reader->dictionaries_.resize(reader->schema_.size());
  reader->directories_.resize(reader->schema_.size());
  return reader;
}

SegmentReader::~SegmentReader() = default;

const std::string& SegmentReader::path() const { return file_->path(); }
uint64_t SegmentReader::file_size() const { return file_->size(); }
uint64_t SegmentReader::row_count() const { return footer_->row_count; }
idx_t SegmentReader::block_rows() const { return footer_->block_rows; }
idx_t SegmentReader::block_count() const { return footer_->BlockCount(); }
idx_t SegmentReader::BlockRowCount(idx_t block) const {
  CheckBlock(block);
  return footer_->BlockRowCount(block);
}

std::optional<idx_t> SegmentReader::FindColumn(std::string_view name) const {
  for (idx_t i = 0; i < schema_.size(); i++) {
    if (schema_[i].name == name) return i;
  }
  return std::nullopt;
}

void SegmentReader::CheckColumn(idx_t column) const { BASALT_CHECK(column < schema_.size()); }
void SegmentReader::CheckBlock(idx_t block) const { BASALT_CHECK(block < block_count()); }

std::string SegmentReader::Where(idx_t column, idx_t block) const {
  return fmt::format("column \"{}\" block {} of {}", schema_[column].name, block, block_count());
}
std::string SegmentReader::Where(idx_t column, const char* part) const {
  return fmt::format("column \"{}\" {}", schema_[column].name, part);
}

const ZoneMap& SegmentReader::GetZoneMap(idx_t column, idx_t block) const {
  CheckColumn(column);
  CheckBlock(block);
  return footer_->columns[column].blocks[block].zone_map;
}

SegmentBlockInfo SegmentReader::GetBlockInfo(idx_t column, idx_t block) const {
  CheckColumn(column);
  CheckBlock(block);
  const segment::BlockMeta& b = footer_->columns[column].blocks[block];
  SegmentBlockInfo info;
  info.encoding = b.encoding;
  info.compression = b.region.compression;
  info.stored_bytes = b.region.stored_size;
  info.raw_bytes = b.region.raw_size;
  info.row_count = footer_->BlockRowCount(block);
  info.null_count = b.zone_map.null_count;
  return info;
}

SegmentColumnInfo SegmentReader::GetColumnInfo(idx_t column) const {
  CheckColumn(column);
  const segment::ColumnMeta& c = footer_->columns[column];
  SegmentColumnInfo info;
  info.null_count = c.null_count;
  info.has_dictionary = c.has_dictionary;
  info.dictionary_size = c.dictionary_size;
  info.has_bitmap_index = c.has_bitmap_index;
  for (const segment::BlockMeta& b : c.blocks) info.block_bytes += b.region.stored_size;
  if (c.has_dictionary) info.index_bytes += c.dictionary.stored_size;
  if (c.has_bitmap_index) info.index_bytes += c.bitmap_directory.stored_size + c.bitmaps_size;
  return info;
}

std::shared_ptr<uint8_t[]> SegmentReader::ReadRegion(const segment::RegionRef& region) const {
  std::shared_ptr<uint8_t[]> raw(new uint8_t[region.raw_size + segment::kDecodePadding]);
  std::memset(raw.get() + region.raw_size, 0, segment::kDecodePadding);
  // An uncompressed region is read straight into the result (its raw size is
  // its stored size, as the footer checked); a compressed one goes through a
  // scratch buffer. The checksum covers the stored bytes either way.
  const bool compressed = region.compression != SegmentCompression::kNone;
  std::unique_ptr<uint8_t[]> scratch;
  uint8_t* stored = raw.get();
  if (compressed) {
    scratch.reset(new uint8_t[region.stored_size]);
    stored = scratch.get();
  }
  file_->ReadAt(region.offset, region.stored_size, stored);
  const uint64_t checksum = XXH3_64bits(stored, region.stored_size);
  if (checksum != region.checksum) {
    segment::ThrowDecodeError("checksum mismatch (stored {:016x}, computed {:016x})",
                              region.checksum, checksum);
  }
  if (compressed) {
    segment::DecompressRegion(region.compression, stored, region.stored_size, raw.get(),
                              region.raw_size);
  }
  return raw;
}

std::shared_ptr<const segment::SegmentDictionary> SegmentReader::Dictionary(idx_t column) const {
  const segment::ColumnMeta& c = footer_->columns[column];
  if (!c.has_dictionary) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!dictionaries_[column]) {
    try {
      std::shared_ptr<uint8_t[]> raw = ReadRegion(c.dictionary);
      dictionaries_[column] =
          segment::ParseSegmentDictionary(std::move(raw), c.dictionary.raw_size, c.dictionary_size);
    } catch (const SegmentDecodeError& e) {
      ThrowCorruptSegment(path(), Where(column, "dictionary"), e.what());
    }
  }
  return dictionaries_[column];
}

std::shared_ptr<const std::vector<segment::BitmapEntry>> SegmentReader::Directory(
    idx_t column) const {
  const segment::ColumnMeta& c = footer_->columns[column];
  std::lock_guard<std::mutex> lock(mutex_);
  if (!directories_[column]) {
    try {
      std::shared_ptr<uint8_t[]> raw = ReadRegion(c.bitmap_directory);
      directories_[column] =
          std::make_shared<const std::vector<segment::BitmapEntry>>(segment::ReadBitmapDirectory(
              raw.get(), c.bitmap_directory.raw_size, c.dictionary_size, c.bitmaps_size));
    } catch (const SegmentDecodeError& e) {
      ThrowCorruptSegment(path(), Where(column, "bitmap directory"), e.what());
    }
  }
  return directories_[column];
}

RowBitmap SegmentReader::LoadBitmap(idx_t column, uint64_t entry) const {
  const segment::ColumnMeta& c = footer_->columns[column];
  const auto directory = Directory(column);
  const segment::BitmapEntry& e = (*directory)[entry];
  RowBitmap bitmap;
  try {
    std::vector<char> bytes(e.size);
    file_->ReadAt(c.bitmaps_offset + e.offset, e.size, bytes.data());
    const uint64_t checksum = XXH3_64bits(bytes.data(), bytes.size());
    if (checksum != e.checksum) {
      segment::ThrowDecodeError("checksum mismatch in bitmap {} (stored {:016x}, computed {:016x})",
                                entry, e.checksum, checksum);
    }
    if (!RowBitmap::Deserialize(bytes.data(), bytes.size(), &bitmap)) {
      segment::ThrowDecodeError("bitmap {} is not a valid Roaring bitmap", entry);
    }
    if (!bitmap.IsWellFormed(footer_->row_count)) {
      segment::ThrowDecodeError("bitmap {} is malformed or holds rows past the segment's {}", entry,
                                footer_->row_count);
    }
  } catch (const SegmentDecodeError& e) {
    ThrowCorruptSegment(path(), Where(column, "bitmap index"), e.what());
  }
  return bitmap;
}

bool SegmentReader::HasBitmapIndex(idx_t column) const {
  CheckColumn(column);
  return footer_->columns[column].has_bitmap_index;
}

std::optional<RowBitmap> SegmentReader::LookupEqual(idx_t column, std::string_view value) const {
  if (!HasBitmapIndex(column)) return std::nullopt;
  const auto dict = Dictionary(column);
  const auto& values = dict->values;
  const auto it =
      std::lower_bound(values.begin(), values.end(), value,
                       [](const StringRef& a, std::string_view b) { return a.view() < b; });
  if (it == values.end() || it->view() != value) return RowBitmap();
  return LoadBitmap(column, static_cast<uint64_t>(it - values.begin()));
}

std::optional<RowBitmap> SegmentReader::LookupIn(idx_t column,
                                                 const std::vector<std::string>& values) const {
  if (!HasBitmapIndex(column)) return std::nullopt;
  RowBitmap result;
  for (const std::string& v : values) result.UnionWith(*LookupEqual(column, v));
  return result;
}

std::optional<RowBitmap> SegmentReader::LookupNull(idx_t column) const {
  if (!HasBitmapIndex(column)) return std::nullopt;
  return LoadBitmap(column, footer_->columns[column].dictionary_size);
}

std::vector<std::string> SegmentReader::DictionaryValues(idx_t column) const {
  CheckColumn(column);
  std::vector<std::string> out;
  const auto dict = Dictionary(column);
  if (!dict) return out;
  out.reserve(dict->values.size());
  for (const StringRef& v : dict->values) out.push_back(v.ToString());
  return out;
}

void SegmentReader::OpenCursor(idx_t column, idx_t block,
                               segment::ColumnBlockCursor* cursor) const {
  const segment::ColumnMeta& c = footer_->columns[column];
  const segment::BlockMeta& b = c.blocks[block];
  // Codes need the dictionary; its own errors name it.
  std::shared_ptr<const segment::SegmentDictionary> dictionary;
  if (b.encoding == BlockEncoding::kDictionary) dictionary = Dictionary(column);
  try {
    std::shared_ptr<uint8_t[]> raw = ReadRegion(b.region);
    cursor->Open(c.type, b.encoding, footer_->BlockRowCount(block), b.zone_map.null_count,
                 std::move(raw), b.region.raw_size, std::move(dictionary));
  } catch (const SegmentDecodeError& e) {
    ThrowCorruptSegment(path(), Where(column, block), e.what());
  }
}

SegmentBlockScanner SegmentReader::ScanBlock(idx_t block, std::vector<idx_t> columns,
                                             const RowBitmap* rows) const {
  CheckBlock(block);
  for (idx_t c : columns) CheckColumn(c);
  return SegmentBlockScanner(this, block, std::move(columns), rows);
}

void SegmentReader::Verify() const {
  DataChunk chunk;
  for (idx_t c = 0; c < schema_.size(); c++) {
    const segment::ColumnMeta& meta = footer_->columns[c];
    if (meta.has_dictionary) Dictionary(c);
    if (meta.has_bitmap_index) {
      // Every row is in exactly one bitmap.
      uint64_t rows = 0;
      RowBitmap all;
      for (uint64_t e = 0; e <= meta.dictionary_size; e++) {
        RowBitmap b = LoadBitmap(c, e);
        rows += b.Cardinality();
        all.UnionWith(b);
      }
      if (rows != footer_->row_count || all.Cardinality() != footer_->row_count) {
        ThrowCorruptSegment(path(), Where(c, "bitmap index"),
                            fmt::format("the bitmaps cover {} rows ({} distinct) of {}", rows,
                                        all.Cardinality(), footer_->row_count));
      }
    }
    for (idx_t b = 0; b < block_count(); b++) {
      SegmentBlockScanner scan = ScanBlock(b, {c});
      while (scan.Next(&chunk)) {
      }
    }
  }
}

}  // namespace basalt
