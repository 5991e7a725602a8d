// libFuzzer target over the decoders of Parquet metadata: the Thrift compact
// protocol reader (storage/parquet/thrift_compact.h) and the decoders of the
// footer and of page headers built on it (storage/parquet/parquet_metadata.h).
// These read bytes straight from files Basalt did not write, so any input
// must either decode or raise ParquetDecodeError. See docs/parquet.md.
//
// Input: bytes given to ReadFileMetaData, ReadPageHeader and the reader's
// generic Skip of a struct alike. Checked beyond "no crash, no sanitizer
// report, no other exception":
//   - a page header that decodes says how long it is (1 to size bytes), and
//     decodes the same from a copy of exactly those bytes, so it never
//     depended on anything after itself;
//   - skipping the input as a struct ends where the page header decoder
//     ended: the typed decoders and Skip agree on the encoding;
//   - a footer that decodes keeps the invariants the decoder promises (a
//     non-empty schema, no negative counts or sizes).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "storage/parquet/parquet_error.h"
#include "storage/parquet/parquet_metadata.h"
#include "storage/parquet/thrift_compact.h"

namespace basalt::parquet {
namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "parquet_metadata_fuzz: check failed: %s\n", what);
    std::abort();
  }
}

void FuzzFooter(const uint8_t* data, size_t size) {
  FileMetaData m;
  try {
    m = ReadFileMetaData(data, size);
  } catch (const ParquetDecodeError&) {
    return;
  }
  Check(!m.schema.empty(), "footer with an empty schema");
  Check(m.num_rows >= 0, "negative num_rows");
  for (const SchemaElement& e : m.schema) {
    Check(!e.num_children || *e.num_children >= 0, "negative num_children");
    Check(!e.type_length || *e.type_length >= 0, "negative type_length");
  }
  for (const RowGroup& rg : m.row_groups) {
    Check(rg.num_rows >= 0 && rg.total_byte_size >= 0, "negative row group size");
    for (const ColumnChunk& c : rg.columns) {
      if (!c.meta_data) continue;
      Check(c.meta_data->num_values >= 0 && c.meta_data->total_compressed_size >= 0 &&
                c.meta_data->total_uncompressed_size >= 0 && c.meta_data->data_page_offset >= 0,
            "negative column chunk size or offset");
    }
  }
}

void FuzzPageHeader(const uint8_t* data, size_t size) {
  size_t header_size = 0;
  PageHeader h;
  try {
    h = ReadPageHeader(data, size, &header_size);
  } catch (const ParquetDecodeError&) {
    return;
  }
  Check(header_size >= 1 && header_size <= size, "page header size out of the input");
  Check(h.compressed_page_size >= 0 && h.uncompressed_page_size >= 0, "negative page size");

  // The same header from a buffer of exactly header_size bytes (a fresh
  // allocation, so AddressSanitizer sees a read past it).
  std::vector<uint8_t> exact(data, data + header_size);
  size_t again_size = 0;
  try {
    const PageHeader again = ReadPageHeader(exact.data(), exact.size(), &again_size);
    Check(again.type == h.type && again.compressed_page_size == h.compressed_page_size,
          "page header decodes differently from its own bytes");
  } catch (const ParquetDecodeError&) {
    Check(false, "page header fails on exactly its own bytes");
  }
  Check(again_size == header_size, "page header length differs on its own bytes");

  ThriftCompactReader skipper(data, size);
  try {
    skipper.Skip(CompactType::kStruct);
  } catch (const ParquetDecodeError&) {
    Check(false, "Skip fails on a page header that decodes");
  }
  Check(skipper.position() == header_size, "Skip and the page header decoder disagree on length");
}

void FuzzSkip(const uint8_t* data, size_t size) {
  ThriftCompactReader reader(data, size);
  try {
    reader.Skip(CompactType::kStruct);
  } catch (const ParquetDecodeError&) {
    return;
  }
  Check(reader.position() <= size, "Skip past the end");
}

}  // namespace
}  // namespace basalt::parquet

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  basalt::parquet::FuzzFooter(data, size);
  basalt::parquet::FuzzPageHeader(data, size);
  basalt::parquet::FuzzSkip(data, size);
  return 0;
}
