// A Parquet file opened for reading (docs/parquet.md): its footer decoded,
// its schema mapped to Basalt columns, and its row groups read as DataChunks.
//
// Columns are primitive (REQUIRED or OPTIONAL) or nested: LIST (the standard
// three-level layout, the legacy two-level one, a bare repeated field) and
// STRUCT groups, at any depth, read into Basalt's LIST and STRUCT values. A
// MAP, a type Basalt has no counterpart for and an encoding or codec it does
// not read raise 0A000 naming the column. Damage anywhere (footer, page headers, pages)
// raises XX001 `parquet file "<path>" is corrupt: ...`, naming the row group
// and column where it is known.
//
// Thread safety: a ParquetFile is immutable after Open and may be shared by
// threads (reads use pread); a ParquetRowGroupReader belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "storage/csv_input_file.h"
#include "storage/managed/scan_predicate.h"
#include "storage/parquet/parquet_metadata.h"
#include "storage/parquet/parquet_nested_reader.h"

namespace basalt {

// How a leaf's stored values become the values of its Basalt type.
enum class ParquetConversion : uint8_t {
  kBoolean,
  kInt32ToInt16,   // INT(8/16) and UINT(8) in INT32
  kInt32,          // INT32, DATE, UINT(16)
  kUint32ToInt64,  // UINT(32)
  kInt64,          // INT64 and TIMESTAMP(MICROS)
  kUint64,         // UINT(64): checked to fit BIGINT
  kInt32Decimal,   // DECIMAL in INT32, widened to the decimal's width
  kInt64Decimal,   // DECIMAL in INT64
  kBinaryDecimal,  // DECIMAL as big-endian two's complement bytes
  kTimestampMillis,
  kTimestampNanos,
  kInt96Timestamp,
  kFloat,
  kDouble,
  kString,  // BYTE_ARRAY (and FIXED_LEN_BYTE_ARRAY without annotation)
};

// A TIMESTAMP(NANOS) value as microseconds (docs/parquet.md, Types).
int64_t NanosToMicros(int64_t nanos);

// One column of the file as Basalt sees it, or one leaf (column chunk) of a
// nested column. A flat column is its own single leaf.
struct ParquetColumn {
  std::string name;  // a leaf of a nested column: its dotted path
  LogicalType type;
  parquet::Type physical_type = parquet::Type::kBoolean;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY only
  // A flat column: 0 when REQUIRED, 1 when OPTIONAL. A leaf of a nested
  // column: the levels its path allows (docs/parquet.md, "Nested columns").
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;
  ParquetConversion conversion = ParquetConversion::kInt32;
  // The column's leaves are leaves()[first_leaf, first_leaf + leaf_count).
  idx_t first_leaf = 0;
  idx_t leaf_count = 1;
  // A LIST or STRUCT column: how its leaves' levels assemble into values
  // (parquet_nested_reader.h); null for a flat column.
  std::shared_ptr<const ParquetNestedNode> nested;
  // A leaf of a nested column: levels are kept even for pages without NULLs.
  bool nested_leaf = false;
};

class ParquetFile {
 public:
  // Opens the file, checks both magic numbers and decodes the footer and
  // schema. 58P01 / 58030 when the file cannot be read, XX001 when it is not
  // a well-formed Parquet file, 0A000 for a schema Basalt cannot read.
  static std::unique_ptr<ParquetFile> Open(const std::string& path);

  const std::string& path() const { return file_.path(); }
  const parquet::FileMetaData& metadata() const { return metadata_; }
  const std::vector<ParquetColumn>& columns() const { return columns_; }
  // Every leaf column (column chunk) in the file's order; a row group's
  // chunks are indexed by leaf.
  const std::vector<ParquetColumn>& leaves() const { return leaves_; }
  std::vector<std::string> Names() const;
  std::vector<LogicalType> Types() const;

  idx_t RowGroupCount() const { return metadata_.row_groups.size(); }
  int64_t RowGroupRows(idx_t row_group) const { return metadata_.row_groups[row_group].num_rows; }
  // The chunk of leaf `leaf` in `row_group`, checked to be one Basalt can read.
  const parquet::ColumnMetaData& ChunkMetaData(idx_t row_group, idx_t leaf) const;

  // Reads exactly `size` bytes at `offset`; XX001 when the file ends first.
  void ReadAt(uint64_t offset, size_t size, uint8_t* out) const;
  uint64_t size() const { return file_.size(); }

  // XX001 `parquet file "<path>" is corrupt: <detail>`.
  [[noreturn]] void ThrowCorrupt(const std::string& detail) const;

 private:
  explicit ParquetFile(const std::string& path) : file_(path) {}
  void MapSchema();
  // Sets the Basalt type and conversion of primitive element `e` into `c`.
  void MapLeafType(const parquet::SchemaElement& e, ParquetColumn& c) const;
  // The LIST / STRUCT column rooted at schema element `*pos` (advanced past it).
  void MapNestedColumn(size_t* pos);
  std::shared_ptr<ParquetNestedNode> MapNestedNode(size_t* pos, const std::string& path,
                                                   int16_t def, int16_t rep, int depth,
                                                   bool as_required = false);
  std::shared_ptr<ParquetNestedNode> MapLeafNode(const parquet::SchemaElement& e,
                                                 const std::string& path, int16_t def,
                                                 int16_t rep, bool nullable);

  InputFile file_;
  parquet::FileMetaData metadata_;
  std::vector<ParquetColumn> columns_;
  std::vector<ParquetColumn> leaves_;
  size_t nested_base_ = 0;  // while mapping a nested column: its first leaf
};

// The files of one read_parquet, opened once when the query is bound.
using ParquetFileList = std::vector<std::shared_ptr<const ParquetFile>>;

// Opens every file and checks that they all have the first one's column
// names and types (42804 naming both files otherwise).
ParquetFileList OpenParquetFiles(const std::vector<std::string>& paths);

class ParquetColumnReader;

// Whether statistics `s` of a data page of `rows` rows of flat column
// `column` (indexing file.columns()) may hold a row satisfying every one of
// `predicates`: ParquetPageMayMatch (parquet_statistics.h), passed in so that
// the reader does not depend on the statistics code.
using ParquetPageMayMatchFn = bool (*)(const ParquetFile& file, idx_t column,
                                       const parquet::Statistics& s, int64_t rows,
                                       const std::vector<ScanPredicate>& predicates);

// Reads some columns of one row group, kBatchSize rows at a time. Only the
// chunks of those columns are read from the file.
class ParquetRowGroupReader {
 public:
  // `column_ids` index file.columns(); the output chunk has these columns in
  // this order (an empty list reads no column and just counts rows).
  //
  // With `predicates` (columns indexing file.columns(); a conjunction the
  // caller still applies to the rows) and every read column flat, data pages
  // of the read columns the predicates name are skipped when their header
  // statistics rule the predicates out, and the other columns skip the same
  // rows. Batches then end on the page boundaries of the first such column,
  // so the next batch starts where pruning is checked again. `predicates`
  // must outlive the reader; `may_match` judges a page's statistics.
  ParquetRowGroupReader(const ParquetFile& file, idx_t row_group, std::vector<idx_t> column_ids,
                        const std::vector<ScanPredicate>* predicates = nullptr,
                        ParquetPageMayMatchFn may_match = nullptr);
  ~ParquetRowGroupReader();

  // Fills `out` with the next rows (fresh vectors, so a batch handed out
  // before stays valid); false when the row group is done.
  bool ReadChunk(DataChunk& out);

  // Data pages of the pruning columns: all met so far, and those skipped.
  uint64_t pages_total() const;
  uint64_t pages_pruned() const { return pages_pruned_; }

 private:
  const ParquetFile& file_;
  idx_t row_group_;
  std::vector<idx_t> column_ids_;
  // Per output column, the readers of its leaves (one for a flat column).
  std::vector<std::vector<std::unique_ptr<ParquetColumnReader>>> readers_;
  // Per output column, its leaves' levels for the batch being read (reused).
  std::vector<std::vector<ParquetLeafLevels>> levels_;
  int64_t rows_left_ = 0;
  // Page pruning: the predicates, and the output columns they name.
  const std::vector<ScanPredicate>* predicates_ = nullptr;
  ParquetPageMayMatchFn may_match_ = nullptr;
  std::vector<size_t> pruning_;
  uint64_t pages_pruned_ = 0;

  // Skips one page of a pruning column that the predicates rule out (and
  // its rows in every other column); false when no page can be skipped.
  bool PruneOnePage();
};

}  // namespace basalt
