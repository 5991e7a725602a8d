// libFuzzer target over Parquet page decoding: the column chunk reader
// (storage/parquet/parquet_column_reader.h) with its page headers,
// decompression (every codec), definition / repetition levels (RLE /
// bit-packed hybrid) and value decoders (PLAIN, dictionary, DELTA_*,
// BYTE_STREAM_SPLIT), data pages v1 and v2. These bytes come straight from
// files Basalt did not write, so any input must either read or fail with a
// BasaltError (XX001 corrupt, 0A000 unsupported); a crash, a sanitizer report,
// another exception or a hang (libFuzzer's -timeout) is a bug.
//
// Input: a 6-byte prefix chooses the column, then the rest is the column
// chunk itself (page header, page, page header, ...). The target wraps it in
// a valid file with a footer it writes (storage/parquet/parquet_metadata_writer.h),
// so the fuzzer spends its effort on the pages, not on the footer (which
// parquet_metadata_fuzz covers):
//   byte 0: the column's type, an index into kColumns (mod its size);
//   byte 1: bits 0-2 the codec (CompressionCodec 0..7), bit 3 REQUIRED
//           rather than OPTIONAL (flat columns);
//   bytes 2-3: the row group's row count (little endian, up to 65535);
//   bytes 4-5: the chunk's num_values (level entries: more than the rows for
//           a LIST leaf).
// The file lives in a memfd, reopened through /proc/self/fd, because the
// reader opens files by path.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "common/exception.h"
#include "storage/parquet/parquet_metadata.h"
#include "storage/parquet/parquet_metadata_writer.h"
#include "storage/parquet/parquet_reader.h"

namespace basalt::parquet {
namespace {

struct ColumnKind {
  Type type;
  int32_t type_length;  // FIXED_LEN_BYTE_ARRAY only
  std::optional<ConvertedType> converted;
  LogicalTypeKind logical;
  int32_t precision;  // DECIMAL
  int32_t scale;
  TimeUnit unit;      // TIMESTAMP
  int8_t bit_width;   // INTEGER
  bool is_signed;
  bool list;          // the leaf of a LIST column (repetition levels)
};

constexpr ColumnKind kColumns[] = {
    {Type::kBoolean, 0, {}, LogicalTypeKind::kOther, 0, 0, TimeUnit::kUnknown, 0, true, false},
    {Type::kInt32, 0, {}, LogicalTypeKind::kOther, 0, 0, TimeUnit::kUnknown, 0, true, false},
    {Type::kInt64, 0, {}, LogicalTypeKind::kOther, 0, 0, TimeUnit::kUnknown, 0, true, false},
    {Type::kFloat, 0, {}, LogicalTypeKind::kOther, 0, 0, TimeUnit::kUnknown, 0, true, false},
    {Type::kDouble, 0, {}, LogicalTypeKind::kOther, 0, 0, TimeUnit::kUnknown, 0, true, false},
    {Type::kByteArray, 0, ConvertedType::kUtf8, LogicalTypeKind::kString, 0, 0,
     TimeUnit::kUnknown, 0, true, false},
    {Type::kFixedLenByteArray, 16, ConvertedType::kDecimal, LogicalTypeKind::kDecimal, 38, 2,
     TimeUnit::kUnknown, 0, true, false},
    {Type::kInt32, 0, ConvertedType::kDate, LogicalTypeKind::kDate, 0, 0, TimeUnit::kUnknown, 0,
     true, false},
    {Type::kInt64, 0, {}, LogicalTypeKind::kTimestamp, 0, 0, TimeUnit::kMicros, 0, true, false},
    {Type::kInt64, 0, {}, LogicalTypeKind::kTimestamp, 0, 0, TimeUnit::kNanos, 0, true, false},
    {Type::kInt96, 0, {}, LogicalTypeKind::kOther, 0, 0, TimeUnit::kUnknown, 0, true, false},
    {Type::kInt32, 0, ConvertedType::kDecimal, LogicalTypeKind::kDecimal, 9, 2,
     TimeUnit::kUnknown, 0, true, false},
    {Type::kInt64, 0, ConvertedType::kDecimal, LogicalTypeKind::kDecimal, 18, 3,
     TimeUnit::kUnknown, 0, true, false},
    {Type::kByteArray, 0, ConvertedType::kDecimal, LogicalTypeKind::kDecimal, 30, 4,
     TimeUnit::kUnknown, 0, true, false},
    {Type::kInt32, 0, ConvertedType::kInt16, LogicalTypeKind::kInteger, 0, 0, TimeUnit::kUnknown,
     16, true, false},
    {Type::kInt64, 0, ConvertedType::kUint64, LogicalTypeKind::kInteger, 0, 0,
     TimeUnit::kUnknown, 64, false, false},
    {Type::kFixedLenByteArray, 3, {}, LogicalTypeKind::kOther, 0, 0, TimeUnit::kUnknown, 0, true,
     false},
    {Type::kInt32, 0, {}, LogicalTypeKind::kOther, 0, 0, TimeUnit::kUnknown, 0, true, true},
    {Type::kByteArray, 0, ConvertedType::kUtf8, LogicalTypeKind::kString, 0, 0,
     TimeUnit::kUnknown, 0, true, true},
};
constexpr size_t kColumnKinds = sizeof(kColumns) / sizeof(kColumns[0]);
constexpr size_t kPrefix = 6;

SchemaElement Leaf(const ColumnKind& kind, FieldRepetitionType repetition) {
  SchemaElement e;
  e.name = "c";
  e.type = kind.type;
  e.repetition_type = repetition;
  if (kind.type == Type::kFixedLenByteArray) e.type_length = kind.type_length;
  e.converted_type = kind.converted;
  if (kind.logical != LogicalTypeKind::kOther) {
    LogicalTypeInfo logical;
    logical.kind = kind.logical;
    logical.precision = kind.precision;
    logical.scale = kind.scale;
    logical.unit = kind.unit;
    logical.bit_width = kind.bit_width;
    logical.is_signed = kind.is_signed;
    e.logical_type = logical;
  }
  if (kind.logical == LogicalTypeKind::kDecimal) {
    e.precision = kind.precision;
    e.scale = kind.scale;
  }
  return e;
}

// The footer of a file whose one row group holds the chunk at offset 4.
std::vector<uint8_t> Footer(const ColumnKind& kind, bool required, CompressionCodec codec,
                            int64_t rows, int64_t values, int64_t chunk_size) {
  FileMetaData m;
  m.version = 1;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  m.schema.push_back(root);
  std::vector<std::string> path;
  if (kind.list) {
    // optional group c (LIST) { repeated group list { optional <leaf> element } }
    SchemaElement outer;
    outer.name = "c";
    outer.repetition_type = FieldRepetitionType::kOptional;
    outer.num_children = 1;
    outer.converted_type = ConvertedType::kList;
    LogicalTypeInfo list;
    list.kind = LogicalTypeKind::kList;
    outer.logical_type = list;
    SchemaElement middle;
    middle.name = "list";
    middle.repetition_type = FieldRepetitionType::kRepeated;
    middle.num_children = 1;
    SchemaElement element = Leaf(kind, FieldRepetitionType::kOptional);
    element.name = "element";
    m.schema.push_back(outer);
    m.schema.push_back(middle);
    m.schema.push_back(element);
    path = {"c", "list", "element"};
  } else {
    m.schema.push_back(
        Leaf(kind, required ? FieldRepetitionType::kRequired : FieldRepetitionType::kOptional));
    path = {"c"};
  }
  ColumnMetaData meta;
  meta.type = kind.type;
  meta.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
  meta.path_in_schema = path;
  meta.codec = codec;
  meta.num_values = values;
  meta.total_uncompressed_size = chunk_size;
  meta.total_compressed_size = chunk_size;
  meta.data_page_offset = 4;
  ColumnChunk chunk;
  chunk.file_offset = 4;
  chunk.meta_data = meta;
  RowGroup group;
  group.columns.push_back(chunk);
  group.total_byte_size = chunk_size;
  group.num_rows = rows;
  m.row_groups.push_back(group);
  m.num_rows = rows;
  return WriteFileMetaData(m);
}

int FileDescriptor() {
  static const int fd = [] {
    int made = memfd_create("parquet_page_fuzz", 0);
    if (made < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    return made;
  }();
  return fd;
}

void WriteFile(const std::vector<uint8_t>& bytes) {
  const int fd = FileDescriptor();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, bytes.data(), bytes.size(), 0) !=
                                   static_cast<ssize_t>(bytes.size())) {
    std::perror("writing the memfd");
    std::abort();
  }
}

void ReadAllRows(const std::string& path) {
  auto file = ParquetFile::Open(path);
  std::vector<idx_t> columns;
  for (idx_t i = 0; i < file->columns().size(); i++) columns.push_back(i);
  ParquetRowGroupReader reader(*file, 0, columns);
  DataChunk out;
  // Each call must make progress: a row group of at most 65535 rows takes at
  // most that many batches.
  for (int batches = 0; reader.ReadChunk(out); batches++) {
    if (batches > 65536) {
      std::fprintf(stderr, "parquet_page_fuzz: the reader does not finish\n");
      std::abort();
    }
    out = DataChunk();
  }
}

}  // namespace
}  // namespace basalt::parquet

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace basalt::parquet;
  if (size < kPrefix) return 0;
  const ColumnKind& kind = kColumns[data[0] % kColumnKinds];
  const auto codec = static_cast<CompressionCodec>(data[1] & 7);
  const bool required = (data[1] & 8) != 0;
  const int64_t rows = data[2] | (data[3] << 8);
  const int64_t values = data[4] | (data[5] << 8);
  const uint8_t* chunk = data + kPrefix;
  const size_t chunk_size = size - kPrefix;

  std::vector<uint8_t> file = {'P', 'A', 'R', '1'};
  file.insert(file.end(), chunk, chunk + chunk_size);
  std::vector<uint8_t> footer =
      Footer(kind, required, codec, rows, values, static_cast<int64_t>(chunk_size));
  file.insert(file.end(), footer.begin(), footer.end());
  const uint32_t footer_size = static_cast<uint32_t>(footer.size());
  for (int i = 0; i < 4; i++) file.push_back(static_cast<uint8_t>(footer_size >> (8 * i)));
  file.insert(file.end(), {'P', 'A', 'R', '1'});
  WriteFile(file);

  try {
    ReadAllRows("/proc/self/fd/" + std::to_string(FileDescriptor()));
  } catch (const basalt::BasaltError& e) {
    // Damage and unsupported input are the two expected outcomes.
    // PARQUET_PAGE_FUZZ_VERBOSE=1 prints why an input failed (to check that
    // the seeds read cleanly).
    static const bool verbose = std::getenv("PARQUET_PAGE_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "parquet_page_fuzz: %s: %s\n", e.code(), e.what());
    const std::string code = e.code();
    if (code != "XX001" && code != "0A000") {
      std::fprintf(stderr, "parquet_page_fuzz: unexpected error %s: %s\n", e.code(), e.what());
      std::abort();
    }
  }
  return 0;
}
