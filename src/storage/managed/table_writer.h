// TableWriter: one write statement's rows on their way into a table
// (INSERT, INSERT OVERWRITE, COPY FROM, CREATE TABLE AS). Nothing is visible
// until Commit, which publishes everything at once; a writer destroyed
// without Commit (the statement failed or was cancelled) leaves the table as
// it was.
//
// In-memory tables collect the rows and install them as the table's next
// version. Managed tables (docs/managed_storage.md) write segments under
// staging/<write-id>/ as rows arrive, one open segment per time chunk (at
// most kMaxOpenSegments at once; the least recently used is finished to make
// room), each cut at WarehouseOptions::max_segment_rows. Rows of a time
// chunk without an open segment wait in memory until there are a block's
// worth (or kMaxPendingRows wait in all), so rows in no time order still
// make segments of at least a block, not one per batch. Commit then:
//   1. finishes and fsyncs every segment file, fsyncs the staging directory;
//   2. renames each segment directory into warehouse/<schema>/<table>/ and
//      fsyncs the table directory;
//   3. publishes the segment records in one metadata transaction: the commit
//      point (before it a restart removes the moved directories, after it
//      they are the table);
//   4. installs the table's next version in memory and retires what an
//      overwrite replaced.
//
// Appends to a time chunk that already has segments add partitions to its
// current version; an overwrite gives every chunk it writes a new version
// and unpublishes the old segments of those chunks (of every chunk when the
// table is not partitioned). The caller serializes writers of a table.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "common/hyperloglog.h"
#include "storage/data_table.h"
#include "storage/managed/metadata_store.h"
#include "storage/managed/time_chunk.h"

namespace basalt {

class SegmentWriter;
class Warehouse;

struct TableWriteTarget {
  std::string schema;
  std::string name;
  uint32_t oid = 0;
  std::vector<ColumnRecord> columns;
  TablePartitioning partitioning;
  std::shared_ptr<DataTable> data;
};

enum class WriteMode : uint8_t { kAppend, kOverwrite };

class TableWriter {
 public:
  // `warehouse` null: an in-memory table.
  TableWriter(Warehouse* warehouse, TableWriteTarget target, WriteMode mode);
  ~TableWriter();
  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;

  // Adds rows with the table's column types (NOT NULL already checked).
  void Append(const DataChunk& chunk);
  // Publishes every appended row; returns how many.
  idx_t Commit();
  // CREATE TABLE ... AS: publishes the rows and creates `table` (whose oid
  // the target takes) in one metadata transaction; next_oid and replaced_oid
  // as in MetadataStore::CreateTable.
  idx_t CommitCreating(const TableRecord& table, uint32_t next_oid, uint32_t replaced_oid);

  idx_t row_count() const { return row_count_; }

  static constexpr size_t kMaxOpenSegments = 16;
  static constexpr idx_t kMaxPendingRows = 512 * 1024;

 private:
  struct OpenSegment;
  struct FinishedSegment {
    TimeChunk chunk;
    std::string staging_directory;  // absolute
    uint64_t num_rows = 0;
    uint64_t size_bytes = 0;
  };

  std::map<TimeChunk, std::vector<uint32_t>> SplitByChunk(const DataChunk& chunk) const;
  void AppendToChunk(const TimeChunk& chunk, const DataChunk& rows);
  // Partitioned tables: rows for a chunk, written now or kept pending.
  void RouteToChunk(const TimeChunk& chunk, const DataChunk& rows);
  // Both take the chunk by value: callers pass keys of the maps they erase from.
  void FlushPending(TimeChunk chunk);
  void FinishSegment(TimeChunk chunk);
  idx_t CommitInMemory();
  idx_t CommitManaged();

  Warehouse* warehouse_;
  TableWriteTarget target_;
  std::optional<TableRecord> create_;  // set by CommitCreating
  uint32_t create_next_oid_ = 0;
  uint32_t create_replaced_oid_ = 0;
  WriteMode mode_;
  idx_t row_count_ = 0;
  bool committed_ = false;
  std::vector<HyperLogLog> sketches_;  // of the rows written
  // In-memory tables.
  std::vector<DataChunk> chunks_;
  // Managed tables.
  std::string staging_;  // absolute; created on the first row
  std::map<TimeChunk, std::unique_ptr<OpenSegment>> open_;
  struct PendingRows {
    std::vector<DataChunk> chunks;
    idx_t rows = 0;
  };
  std::map<TimeChunk, PendingRows> pending_;
  idx_t pending_rows_ = 0;
  std::vector<FinishedSegment> finished_;
  // Segment directories already moved into the warehouse: removed again if
  // the commit fails before its publish.
  std::vector<std::string> moved_;
  uint64_t use_clock_ = 0;  // for least-recently-used
  uint64_t next_staged_ = 0;
};

}  // namespace basalt
