// SegmentWriter: writes rows of a fixed schema into one immutable segment
// file (format: docs/segment_format.md).
//
// Rows arrive as DataChunks (any vector form) and are cut into blocks of
// options.block_rows rows; each column of a full block is encoded,
// compressed and written at once, except string columns still collecting a
// segment dictionary, which are written at Finish. Memory is therefore one
// block per column plus, per such string column, 4 bytes a row and its
// distinct values: segments are meant to stay bounded (a few million rows).
//
// Finish writes the footer and trailer and fsyncs the file; making it
// visible (staging directory, rename, metadata) is the caller's business. A
// writer destroyed before Finish, or whose Append or Finish threw, removes
// its partial file.
//
// Errors: 58030 when the file cannot be created or written, 0A000 for a
// column type segments cannot hold, 54000 past kMaxSegmentRows rows or past
// options.max_block_string_bytes (512 MiB by default) of strings in one block
// of one column. Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "storage/segment/segment_format.h"

namespace basalt {

struct SegmentColumn {
  std::string name;
  LogicalType type;
};

struct SegmentWriterOptions {
  // Block compression; a region is stored uncompressed when this does not
  // save at least 1/16 of it.
  SegmentCompression compression = SegmentCompression::kLz4;
  int zstd_level = 3;
  // Roaring bitmaps per dictionary value of dictionary-encoded string columns.
  bool bitmap_indexes = true;
  // Rows per block, a multiple of 64 up to 2^20. The default is the format's
  // constant; tests use smaller blocks to exercise many of them cheaply.
  idx_t block_rows = kSegmentBlockRows;
  // Bytes of strings one block of one string column may hold, from 1 up to
  // the format's limit (512 MiB, the default); a block that needs more fails
  // with 54000. Tests lower it to reach the limit cheaply.
  uint64_t max_block_string_bytes = segment::kMaxBlockStringBytes;
};

namespace segment {
class ColumnWriter;
class RegionSink;
class SegmentOutputFile;
}  // namespace segment

class SegmentWriter {
 public:
  // Creates (or truncates) the file at `path` and writes the header.
  SegmentWriter(std::string path, std::vector<SegmentColumn> columns,
                SegmentWriterOptions options = {});
  ~SegmentWriter();
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  // Appends every row of `chunk`, whose columns must have the schema's types.
  void Append(const DataChunk& chunk);
  // Writes the footer, fsyncs and closes the file. Returns the file's size.
  uint64_t Finish();

  uint64_t row_count() const { return row_count_; }
  const std::string& path() const { return path_; }

 private:
  void EndBlock();

  std::string path_;
  std::vector<SegmentColumn> columns_;
  SegmentWriterOptions options_;
  std::unique_ptr<segment::SegmentOutputFile> file_;
  std::unique_ptr<segment::RegionSink> sink_;
  std::vector<std::unique_ptr<segment::ColumnWriter>> writers_;
  uint64_t row_count_ = 0;
  idx_t rows_in_block_ = 0;
  bool finished_ = false;
  bool failed_ = false;
};

}  // namespace basalt
