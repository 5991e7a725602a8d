#include "storage/segment/segment_writer.h"

#include <xxhash.h>

#include "common/exception.h"
#include "storage/segment/column_writer.h"
#include "storage/segment/region_sink.h"
#include "storage/segment/segment_file.h"
#include "storage/segment/segment_footer.h"

namespace basalt {

using segment::ByteWriter;

SegmentWriter::SegmentWriter(std::string path, std::vector<SegmentColumn> columns,
                             SegmentWriterOptions options)
    : path_(std::move(path)), columns_(std::move(columns)), options_(options) {
  if (columns_.empty()) {
    ThrowError(sqlstate::kFeatureNotSupported, "a segment needs at least one column");
  }
  for (const SegmentColumn& c : columns_) {
    if (!segment::SegmentTypeSupported(c.type)) {
      ThrowError(sqlstate::kFeatureNotSupported,
                 "segment files cannot store column \"{}\" of type {}", c.name, c.type.ToString());
    }
  }
  if (options_.block_rows == 0 || options_.block_rows % 64 != 0 ||
      options_.block_rows > segment::kMaxBlockRows) {
    ThrowError(sqlstate::kInvalidParameterValue,
               "segment block size must be a multiple of 64 up to {}, not {}",
               segment::kMaxBlockRows, options_.block_rows);
  }
  if (options_.max_block_string_bytes == 0 ||
      options_.max_block_string_bytes > segment::kMaxBlockStringBytes) {
    ThrowError(sqlstate::kInvalidParameterValue,
               "the string bytes of a segment block must be limited to 1 up to {}, not {}",
               segment::kMaxBlockStringBytes, options_.max_block_string_bytes);
  }
  file_ = std::make_unique<segment::SegmentOutputFile>(path_);
  sink_ =
      std::make_unique<segment::RegionSink>(file_.get(), options_.compression, options_.zstd_level);
  segment::ColumnWriterOptions column_options;
  column_options.block_rows = options_.block_rows;
  column_options.bitmap_indexes = options_.bitmap_indexes;
  column_options.max_block_string_bytes = options_.max_block_string_bytes;
  for (const SegmentColumn& c : columns_) {
    writers_.push_back(segment::MakeColumnWriter(c.name, c.type, sink_.get(), column_options));
  }

  ByteWriter header;
  header.PutBytes(segment::kMagic, sizeof(segment::kMagic));
  header.PutU32(kSegmentFormatVersion);
  header.PutU32(0);  // flags
  header.PutU64(XXH3_64bits(header.data(), header.size()));
  BASALT_CHECK_EQ(header.size(), segment::kHeaderSize);
  file_->Append(header.data(), header.size());
}

SegmentWriter::~SegmentWriter() {
  if (!finished_ && file_) file_->Abandon();
}

void SegmentWriter::Append(const DataChunk& chunk) {
  BASALT_CHECK(!finished_ && !failed_);
  BASALT_CHECK_EQ(chunk.ColumnCount(), columns_.size());
  for (idx_t c = 0; c < columns_.size(); c++) {
    if (chunk.column(c).type() != columns_[c].type) {
      ThrowError(sqlstate::kInternalError,
                 "internal error: column \"{}\" of a segment is {} but {} was appended",
                 columns_[c].name, columns_[c].type.ToString(), chunk.column(c).type().ToString());
    }
  }
  const idx_t n = chunk.size();
  if (n == 0) return;
  if (n > segment::kMaxSegmentRows - row_count_) {
    ThrowError(sqlstate::kProgramLimitExceeded, "a segment holds at most {} rows",
               segment::kMaxSegmentRows);
  }
  try {
    std::vector<segment::ColumnInput> inputs;
    inputs.reserve(columns_.size());
    for (idx_t c = 0; c < columns_.size(); c++) inputs.emplace_back(chunk.column(c), n);
    idx_t done = 0;
    while (done < n) {
      const idx_t take = std::min(n - done, options_.block_rows - rows_in_block_);
      for (idx_t c = 0; c < columns_.size(); c++) writers_[c]->Append(inputs[c], done, take);
      rows_in_block_ += take;
      done += take;
      row_count_ += take;
      if (rows_in_block_ == options_.block_rows) EndBlock();
    }
  } catch (...) {
    failed_ = true;
    throw;
  }
}

void SegmentWriter::EndBlock() {
  for (auto& w : writers_) w->EndBlock();
  rows_in_block_ = 0;
}

uint64_t SegmentWriter::Finish() {
  BASALT_CHECK(!finished_ && !failed_);
  try {
    if (rows_in_block_ > 0) EndBlock();
    segment::SegmentFooter footer;
    footer.row_count = row_count_;
    footer.block_rows = options_.block_rows;
    footer.columns.resize(columns_.size());
    for (idx_t c = 0; c < columns_.size(); c++) {
      segment::ColumnMeta& meta = footer.columns[c];
      meta.name = columns_[c].name;
      meta.type = columns_[c].type;
      writers_[c]->Finish(&meta);
    }
    ByteWriter out;
    segment::WriteFooter(footer, &out);
    const uint64_t footer_size = out.size();
    const uint64_t footer_checksum = XXH3_64bits(out.data(), footer_size);
    out.PutU64(footer_size);
    out.PutU64(footer_checksum);
    out.PutU32(kSegmentFormatVersion);
    out.PutU32(0);  // flags
    out.PutBytes(segment::kMagic, sizeof(segment::kMagic));
    file_->Append(out.data(), out.size());
    const uint64_t size = file_->offset();
    file_->Finish();
    finished_ = true;
    writers_.clear();
    return size;
  } catch (...) {
    failed_ = true;
    throw;
  }
}

}  // namespace basalt
