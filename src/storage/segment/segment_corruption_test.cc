// Corrupt and truncated segment files: every damage gives XX001 naming the
// file (and, past the footer, the column), never a crash or a read outside
// the file's bytes. Run these under -DBASALT_SANITIZE=ON too.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstring>

#include "storage/segment/segment_footer.h"
#include "storage/segment/segment_test_util.h"

namespace basalt::segment_test {
namespace {

using segment::kHeaderSize;
using segment::kTrailerSize;

struct Layout {
  uint64_t size = 0;
  uint64_t footer_offset = 0;
  segment::SegmentFooter footer;
};

Layout ReadLayout(const std::vector<char>& bytes) {
  Layout l;
  l.size = bytes.size();
  uint64_t footer_size;
  std::memcpy(&footer_size, bytes.data() + bytes.size() - kTrailerSize, 8);
  l.footer_offset = l.size - kTrailerSize - footer_size;
  l.footer = segment::ReadFooter(reinterpret_cast<const uint8_t*>(bytes.data()) + l.footer_offset,
                                 footer_size, l.footer_offset);
  return l;
}

// Rewrites the footer and trailer of `bytes` from `footer` (checksums recomputed).
void Reseal(std::vector<char>* bytes, uint64_t footer_offset,
            const segment::SegmentFooter& footer) {
  segment::ByteWriter w;
  segment::WriteFooter(footer, &w);
  const uint64_t size = w.size();
  const uint64_t checksum = XXH3_64bits(w.data(), size);
  w.PutU64(size);
  w.PutU64(checksum);
  w.PutU32(kSegmentFormatVersion);
  w.PutU32(0);
  w.PutBytes(segment::kMagic, sizeof(segment::kMagic));
  bytes->resize(footer_offset);
  bytes->insert(bytes->end(), w.data(), w.data() + w.size());
}

class SegmentCorruptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RandomValues rv(21);
    const char* kinds[] = {"red", "green", "blue"};
    for (int i = 0; i < 3000; i++) {
      rows_.push_back({Value::Integer(i), Value::Varchar(kinds[rv.Uniform(0, 2)]),
                       rv.Make(TypeId::kDouble), rv.Make(TypeId::kVarchar, 30)});
    }
    options_.block_rows = 1024;
    WriteSegment(path_, schema_, rows_, options_);
    good_ = ReadFileBytes(path_);
    layout_ = ReadLayout(good_);
  }

  // Opens `bytes` as a segment and reads everything; returns the error.
  std::optional<BasaltError> TryReadAll(const std::vector<char>& bytes) {
    WriteFileBytes(bad_, bytes);
    try {
      auto reader = SegmentReader::Open(bad_);
      reader->Verify();
      ReadRows(*reader);
      for (idx_t c = 0; c < reader->ColumnCount(); c++) {
        if (reader->HasBitmapIndex(c)) {
          reader->LookupIn(c, {"red", "green", "blue", "x"});
          reader->LookupNull(c);
        }
      }
    } catch (const BasaltError& e) {
      return e;
    }
    return std::nullopt;
  }

  void ExpectCorrupt(const std::vector<char>& bytes, const std::string& must_contain) {
    auto error = TryReadAll(bytes);
    ASSERT_TRUE(error.has_value()) << "no error for damage expected in " << must_contain;
    EXPECT_STREQ(error->code(), sqlstate::kDataCorrupted) << error->what();
    const std::string message = error->what();
    EXPECT_NE(message.find(bad_), std::string::npos) << message;
    EXPECT_NE(message.find(must_contain), std::string::npos) << message;
  }

  TempDir dir_;
  const std::string path_ = dir_.File("good.seg");
  const std::string bad_ = dir_.File("bad.seg");
  const std::vector<SegmentColumn> schema_ = {{"id", TypeId::kInteger},
                                              {"color", TypeId::kVarchar},
                                              {"x", TypeId::kDouble},
                                              {"note", TypeId::kVarchar}};
  SegmentWriterOptions options_;
  std::vector<Row> rows_;
  std::vector<char> good_;
  Layout layout_;
};

TEST_F(SegmentCorruptionTest, IntactFileReads) {
  EXPECT_FALSE(TryReadAll(good_).has_value());
  ASSERT_TRUE(layout_.footer.columns[1].has_bitmap_index);
}

TEST_F(SegmentCorruptionTest, FlippedHeaderByte) {
  for (size_t at : {0, 9, 12, 16, 23}) {
    auto bytes = good_;
    bytes[at] ^= 0x10;
    ExpectCorrupt(bytes, "header");
  }
}

TEST_F(SegmentCorruptionTest, FlippedBlockByteNamesColumnAndBlock) {
  const auto& block = layout_.footer.columns[3].blocks[1].region;
  ASSERT_GT(block.stored_size, 0u);
  auto bytes = good_;
  bytes[block.offset + block.stored_size / 2] ^= 0x01;
  ExpectCorrupt(bytes, "column \"note\" block 1 of 3: checksum mismatch");
  // The rest of the file stays readable: other columns, other blocks.
  WriteFileBytes(bad_, bytes);
  auto reader = SegmentReader::Open(bad_);
  std::vector<Row> expected;
  for (const Row& r : rows_) expected.push_back({r[0], r[1], r[2]});
  ExpectSameRows(expected, ReadRows(*reader, {0, 1, 2}));
  DataChunk chunk;
  auto scan = reader->ScanBlock(2, {3});
  EXPECT_TRUE(scan.Next(&chunk));
  EXPECT_THROW(reader->ScanBlock(1, {3}), BasaltError);
}

TEST_F(SegmentCorruptionTest, FlippedStoredByteFailsTheChecksumCompressedOrNot) {
  // The checksum covers a region's stored bytes, whether they were read
  // straight into the block (uncompressed) or decompressed afterwards.
  bool seen[3] = {false, false, false};
  for (size_t c = 0; c < layout_.footer.columns.size(); c++) {
    const auto& blocks = layout_.footer.columns[c].blocks;
    for (size_t b = 0; b < blocks.size(); b++) {
      const segment::RegionRef& region = blocks[b].region;
      const auto kind = static_cast<size_t>(region.compression);
      if (region.stored_size == 0 || seen[kind]) continue;
      seen[kind] = true;
      auto bytes = good_;
      bytes[region.offset + region.stored_size - 1] ^= 0x20;
      ExpectCorrupt(bytes, fmt::format("column \"{}\" block {} of {}: checksum mismatch",
                                       schema_[c].name, b, blocks.size()));
    }
  }
  EXPECT_TRUE(seen[static_cast<size_t>(SegmentCompression::kNone)]);
  EXPECT_TRUE(seen[static_cast<size_t>(SegmentCompression::kLz4)]);
}

TEST_F(SegmentCorruptionTest, FlippedFooterByte) {
  auto bytes = good_;
  bytes[layout_.footer_offset + 3] ^= 0x40;
  ExpectCorrupt(bytes, "footer: checksum mismatch");
}

TEST_F(SegmentCorruptionTest, FlippedTrailerByte) {
  for (uint64_t back = 1; back <= kTrailerSize; back++) {
    auto bytes = good_;
    bytes[bytes.size() - back] ^= 0x08;
    auto error = TryReadAll(bytes);
    ASSERT_TRUE(error.has_value()) << back;
    EXPECT_STREQ(error->code(), sqlstate::kDataCorrupted) << error->what();
  }
}

TEST_F(SegmentCorruptionTest, FlippedDictionaryAndBitmapBytes) {
  const auto& column = layout_.footer.columns[1];
  auto dict = good_;
  dict[column.dictionary.offset + 1] ^= 0x02;
  ExpectCorrupt(dict, "column \"color\" dictionary: checksum mismatch");
  auto directory = good_;
  directory[column.bitmap_directory.offset + 2] ^= 0x02;
  ExpectCorrupt(directory, "column \"color\" bitmap directory: checksum mismatch");
  auto bitmap = good_;
  bitmap[column.bitmaps_offset + column.bitmaps_size / 2] ^= 0x02;
  ExpectCorrupt(bitmap, "column \"color\" bitmap index: checksum mismatch");
}

TEST_F(SegmentCorruptionTest, TruncatedTail) {
  for (uint64_t cut : {uint64_t{1}, uint64_t{8}, kTrailerSize, kTrailerSize + 1, good_.size() / 2,
                       good_.size() - kHeaderSize, good_.size() - 1}) {
    std::vector<char> bytes(good_.begin(), good_.end() - static_cast<long>(cut));
    ExpectCorrupt(bytes, bytes.size() < kHeaderSize + kTrailerSize ? "is only" : "trailer");
  }
}

TEST_F(SegmentCorruptionTest, ZeroLengthFile) {
  ExpectCorrupt({}, "is corrupt: the file is empty");
}

TEST_F(SegmentCorruptionTest, NotASegment) {
  std::string text(500, 'x');
  ExpectCorrupt(std::vector<char>(text.begin(), text.end()), "not a Basalt segment file");
}

TEST_F(SegmentCorruptionTest, EveryFlippedByteIsCaught) {
  // A small file, so that every byte can be tried.
  std::vector<Row> rows;
  for (int i = 0; i < 40; i++) {
    rows.push_back({Value::Integer(i * 3), Value::Varchar(i % 3 ? "a" : "b"),
                    i % 4 ? Value::Double(i) : Value::Null(TypeId::kDouble),
                    Value::Varchar("note " + std::to_string(i))});
  }
  SegmentWriterOptions options;
  options.block_rows = 64 * 8;
  options.compression = SegmentCompression::kNone;
  WriteSegment(path_, schema_, rows, options);
  const auto good = ReadFileBytes(path_);
  ASSERT_FALSE(TryReadAll(good).has_value());
  for (size_t at = 0; at < good.size(); at++) {
    auto bytes = good;
    bytes[at] ^= static_cast<char>(1u << (at % 8));
    auto error = TryReadAll(bytes);
    ASSERT_TRUE(error.has_value())
        << "flipping byte " << at << " of " << good.size() << " went unnoticed";
    ASSERT_STREQ(error->code(), sqlstate::kDataCorrupted) << error->what();
  }
}

TEST_F(SegmentCorruptionTest, EveryTruncationIsCaught) {
  for (size_t len = 0; len < good_.size(); len += 1 + len / 64) {
    std::vector<char> bytes(good_.begin(), good_.begin() + static_cast<long>(len));
    auto error = TryReadAll(bytes);
    ASSERT_TRUE(error.has_value()) << len;
    ASSERT_STREQ(error->code(), sqlstate::kDataCorrupted) << error->what();
  }
}

// Damage behind a valid checksum (a writer bug, or a collision) must still
// never crash: each result is either a clean XX001 or data.
TEST_F(SegmentCorruptionTest, ResealedDamageNeverCrashes) {
  for (SegmentCompression compression : {SegmentCompression::kNone, SegmentCompression::kLz4}) {
    SegmentWriterOptions options = options_;
    options.compression = compression;
    WriteSegment(path_, schema_, rows_, options);
    const auto good = ReadFileBytes(path_);
    const Layout layout = ReadLayout(good);
    std::vector<segment::RegionRef*> regions;
    segment::SegmentFooter footer = layout.footer;
    for (auto& c : footer.columns) {
      for (auto& b : c.blocks) regions.push_back(&b.region);
      if (c.has_dictionary) regions.push_back(&c.dictionary);
      if (c.has_bitmap_index) regions.push_back(&c.bitmap_directory);
    }
    int errors = 0;
    int tries = 0;
    for (segment::RegionRef* region : regions) {
      const segment::RegionRef original = *region;
      // The first bytes (stream headers) and a spread of the rest.
      for (uint64_t at = 0; at < original.stored_size; at += at < 64 ? 1 : 1 + at / 8) {
        auto bytes = good;
        bytes[original.offset + at] ^= 0x5A;
        region->checksum = XXH3_64bits(bytes.data() + original.offset, original.stored_size);
        Reseal(&bytes, layout.footer_offset, footer);
        auto error = TryReadAll(bytes);
        if (error) {
          ASSERT_TRUE(std::strcmp(error->code(), sqlstate::kDataCorrupted) == 0) << error->what();
          errors++;
        }
        tries++;
        *region = original;
      }
    }
    EXPECT_GT(errors, tries / 10);
  }
}

TEST_F(SegmentCorruptionTest, NewerFormatVersionIsNotSupported) {
  auto bytes = good_;
  const uint32_t version = kSegmentFormatVersion + 1;
  std::memcpy(bytes.data() + 8, &version, 4);
  const uint64_t checksum = XXH3_64bits(bytes.data(), 16);
  std::memcpy(bytes.data() + 16, &checksum, 8);
  std::memcpy(bytes.data() + bytes.size() - 16, &version, 4);
  WriteFileBytes(bad_, bytes);
  try {
    SegmentReader::Open(bad_);
    FAIL() << "no error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kFeatureNotSupported);
    EXPECT_NE(std::string(e.what()).find("format version 2"), std::string::npos) << e.what();
  }
}

TEST_F(SegmentCorruptionTest, MissingFile) {
  try {
    SegmentReader::Open(dir_.File("missing.seg"));
    FAIL() << "no error";
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), sqlstate::kUndefinedFile);
  }
}

}  // namespace
}  // namespace basalt::segment_test
