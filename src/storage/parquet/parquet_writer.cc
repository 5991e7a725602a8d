#include "storage/parquet/parquet_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "common/exception.h"
#include "storage/parquet/parquet_column_writer.h"
#include "storage/parquet/parquet_metadata_writer.h"

namespace basalt {

namespace {

constexpr char kMagic[4] = {'P', 'A', 'R', '1'};

}  // namespace

ParquetWriter::ParquetWriter(std::string path, std::vector<std::string> names,
                             std::vector<LogicalType> types, ParquetWriterOptions options)
    : path_(std::move(path)),
      names_(std::move(names)),
      types_(std::move(types)),
      options_(std::move(options)) {
  if (options_.row_group_size <= 0) {
    ThrowError(sqlstate::kInvalidParameterValue, "ROW_GROUP_SIZE must be positive");
  }
  for (size_t c = 0; c < types_.size(); c++) {
    columns_.push_back(std::make_unique<ParquetColumnWriter>(
        names_[c], types_[c], options_.codec, static_cast<size_t>(options_.page_size)));
  }
  // The temporary file sits next to the target so the rename stays within
  // one file system and is atomic. It is made with open rather than mkstemp
  // so it gets the permissions of any new file (0666 less the umask).
  static std::atomic<uint64_t> counter{0};
  temp_path_ = fmt::format("{}.tmp-{}-{}", path_, ::getpid(), counter++);
  const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    ThrowError(sqlstate::kIoError, "could not open file \"{}\" for writing: {}", path_,
               std::strerror(errno));
  }
  file_ = ::fdopen(fd, "wb");
  if (!file_) {
    const int error = errno;
    ::close(fd);
    ::unlink(temp_path_.c_str());
    ThrowError(sqlstate::kIoError, "could not open file \"{}\" for writing: {}", path_,
               std::strerror(error));
  }
  try {
    Write(kMagic, sizeof(kMagic));
  } catch (...) {
    Discard();  // the destructor does not run for a constructor that throws
    throw;
  }
}

ParquetWriter::~ParquetWriter() {
  if (!finished_) Discard();
}

void ParquetWriter::Discard() {
  if (file_) {
    std::fclose(file_);
    file_ = nullptr;
    ::unlink(temp_path_.c_str());
  }
}

void ParquetWriter::ThrowIo(const char* what) const {
  ThrowError(sqlstate::kIoError, "could not {} file \"{}\": {}", what, path_, std::strerror(errno));
}

void ParquetWriter::Write(const void* data, size_t size) {
  if (size > 0 && std::fwrite(data, 1, size, file_) != size) ThrowIo("write to");
  offset_ += size;
}

void ParquetWriter::Append(const DataChunk& chunk) {
  idx_t done = 0;
  while (done < chunk.size()) {
    const idx_t room = static_cast<idx_t>(options_.row_group_size - group_rows_);
    const idx_t take = std::min<idx_t>(room, chunk.size() - done);
    for (size_t c = 0; c < columns_.size(); c++) columns_[c]->Append(chunk.column(c), done, take);
    done += take;
    group_rows_ += static_cast<int64_t>(take);
    total_rows_ += static_cast<int64_t>(take);
    if (group_rows_ == options_.row_group_size) FlushRowGroup();
  }
}

void ParquetWriter::FlushRowGroup() {
  if (group_rows_ == 0) return;
  parquet::RowGroup group;
  group.num_rows = group_rows_;
  group.file_offset = static_cast<int64_t>(offset_);
  // The ordinal is an i16; beyond that it is left out, as it is optional.
  if (row_groups_.size() <= static_cast<size_t>(INT16_MAX)) {
    group.ordinal = static_cast<int16_t>(row_groups_.size());
  }
  int64_t compressed = 0;
  for (auto& column : columns_) {
    EncodedColumnChunk encoded = column->Flush();
    const auto base = static_cast<int64_t>(offset_);
    parquet::ColumnMetaData meta = std::move(encoded.meta);
    meta.data_page_offset += base;
    if (meta.dictionary_page_offset) *meta.dictionary_page_offset += base;
    parquet::ColumnChunk chunk;
    chunk.file_offset = base;
    group.total_byte_size += meta.total_uncompressed_size;
    compressed += meta.total_compressed_size;
    chunk.meta_data = std::move(meta);
    group.columns.push_back(std::move(chunk));
    Write(encoded.bytes.data(), encoded.bytes.size());
  }
  group.total_compressed_size = compressed;
  row_groups_.push_back(std::move(group));
  group_rows_ = 0;
}

void ParquetWriter::Finish() {
  FlushRowGroup();
  parquet::FileMetaData metadata;
  metadata.version = 1;
  parquet::SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(columns_.size());
  metadata.schema.push_back(root);
  for (const auto& column : columns_) metadata.schema.push_back(column->Schema());
  metadata.num_rows = total_rows_;
  metadata.row_groups = std::move(row_groups_);
  metadata.created_by = options_.created_by;
  const std::vector<uint8_t> footer = parquet::WriteFileMetaData(metadata);
  Write(footer.data(), footer.size());
  const auto length = static_cast<uint32_t>(footer.size());
  uint8_t length_bytes[4];
  std::memcpy(length_bytes, &length, 4);  // little-endian
  Write(length_bytes, 4);
  Write(kMagic, sizeof(kMagic));
  if (std::fflush(file_) != 0) ThrowIo("write to");
  FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) {
    const int error = errno;
    ::unlink(temp_path_.c_str());
    errno = error;
    ThrowIo("write to");
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp_path_.c_str());
    errno = error;
    ThrowIo("create");
  }
  finished_ = true;
}

}  // namespace basalt
