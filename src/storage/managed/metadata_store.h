// MetadataStore: the embedded metadata store of a data directory, one SQLite
// database at <data-dir>/system/metadata.db (Druid's metadata store, Dremio's
// local KV store). It holds what the warehouse's files do not say about
// themselves: schemas, tables, views, which segments are published, table
// statistics and the counters for object ids and segment versions.
//
// Every method is one SQLite transaction (WAL journal, synchronous=FULL): it
// is applied entirely and durably or, on any failure, not at all, and then
// raises 58030 naming the operation. Publishing segments is therefore the
// single commit point of a write (docs/managed_storage.md).
//
// Thread safety: every method may be called from any thread; a mutex
// serializes them over the one connection.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "storage/managed/time_chunk.h"

struct sqlite3;

namespace basalt {

struct ColumnRecord {
  std::string name;
  LogicalType type;
  bool not_null = false;
};

struct SchemaRecord {
  uint32_t oid = 0;
  std::string name;
};

// What an external table (CREATE EXTERNAL TABLE) is over: its files'
// format and location and the options as written. Its columns are the
// table's (declared, or inferred at CREATE / REFRESH).
struct ExternalTableRecord {
  std::string format;    // "parquet", "csv" or "json"
  std::string location;  // a directory, a glob or a file
  // Options in the order written, values as given: NULL (a bare name),
  // BOOLEAN, BIGINT or VARCHAR; others are stored as their text.
  std::vector<std::pair<std::string, Value>> options;
  bool columns_declared = false;
};

struct TableRecord {
  uint32_t oid = 0;
  std::string schema;
  std::string name;
  std::vector<ColumnRecord> columns;
  TablePartitioning partitioning;
  std::optional<ExternalTableRecord> external;  // set for an external table
};

struct ViewRecord {
  uint32_t oid = 0;
  std::string schema;
  std::string name;
  std::string query_text;
  std::vector<std::string> column_names;  // as written in CREATE VIEW v (a, b); may be empty
  std::vector<ColumnRecord> columns;      // the bound output columns
};

// One segment of a managed table. `used` = published: part of the table
// unless a newer version of its chunk overshadows it. A segment an
// overwrite replaced stays (used = false) until its files are gone; DROP
// deletes its table's records at once (the warehouse removes the files).
struct SegmentRecord {
  std::string segment_id;
  uint32_t table_oid = 0;
  TimeChunk chunk;
  int64_t version = 0;
  int32_t partition = 0;
  uint64_t num_rows = 0;
  uint64_t size_bytes = 0;
  // The segment's directory, relative to the data directory:
  // warehouse/<schema>/<table>/<segment-id>.
  std::string directory;
  bool used = true;
};

// What ANALYZE stores per column. min and max are the values' text (the
// output form of the column's type); empty when the column has no non-NULL
// value.
struct ColumnStatisticsRecord {
  uint32_t column = 0;
  double distinct_count = 0;
  uint64_t null_count = 0;
  bool has_bounds = false;
  std::string min;
  std::string max;
};

struct TableStatisticsRecord {
  uint32_t table_oid = 0;
  uint64_t row_count = 0;
  int64_t analyzed_at = 0;  // microseconds since 1970 (UTC)
  std::vector<ColumnStatisticsRecord> columns;
};

// The distinct-value sketch of one column (HyperLogLog registers), kept up to
// date by every write so the optimizer knows join-key cardinalities even
// before ANALYZE.
struct ColumnSketchRecord {
  uint32_t table_oid = 0;
  uint32_t column = 0;
  std::vector<uint8_t> registers;
};

// A write's commit: everything a write statement changes, applied at once.
struct PublishRequest {
  std::vector<SegmentRecord> added;       // published (used) by this commit
  std::vector<std::string> unpublished;   // segment ids marked unused (overwritten)
  std::vector<ColumnSketchRecord> sketches;  // replace the stored sketch of these columns
  // CREATE TABLE ... AS: the table is created in the same transaction, so it
  // appears with its rows or not at all (next_oid and replaced_table_oid as
  // in CreateTable).
  std::optional<TableRecord> create_table;
  uint32_t next_oid = 0;
  uint32_t replaced_table_oid = 0;
};

class MetadataStore {
 public:
  // Opens (creating if needed) the database at `path` and its tables.
  // 58030 when it cannot be opened or is not a Basalt metadata store.
  static std::unique_ptr<MetadataStore> Open(const std::string& path);
  ~MetadataStore();
  MetadataStore(const MetadataStore&) = delete;
  MetadataStore& operator=(const MetadataStore&) = delete;

  // Everything the store holds, read at start-up.
  struct Contents {
    std::vector<SchemaRecord> schemas;
    std::vector<TableRecord> tables;
    std::vector<ViewRecord> views;
    std::vector<SegmentRecord> segments;  // used and unused
    std::vector<TableStatisticsRecord> statistics;
    std::vector<ColumnSketchRecord> sketches;
    uint32_t next_oid = 0;  // 0: never set
  };
  Contents Load() const;

  // DDL. Each also stores next_oid (the catalog's counter after the object
  // took its oid), so oids are never reused across restarts.
  void CreateSchema(const SchemaRecord& schema, uint32_t next_oid);
  // Removes the schema and every table, view, segment row, statistic and
  // sketch in it.
  void DropSchema(const std::string& name);
  // `replaced_oid` != 0: the table or view of that oid is dropped in the
  // same transaction (CREATE OR REPLACE).
  void CreateTable(const TableRecord& table, uint32_t next_oid, uint32_t replaced_oid = 0);
  // Removes the table with its segment rows, statistics and sketches.
  void DropTable(uint32_t oid);
  void CreateView(const ViewRecord& view, uint32_t next_oid, uint32_t replaced_oid = 0);
  void DropView(uint32_t oid);

  // Versions for new segments: strictly increasing over the store's life.
  int64_t AllocateVersion();

  void Publish(const PublishRequest& request);
  // Forgets segments whose files are gone.
  void DeleteSegments(const std::vector<std::string>& segment_ids);

  // ANALYZE: replaces the table's statistics and, in the same transaction,
  // the sketches given (none when a write came in during the scan).
  void SaveStatistics(const TableStatisticsRecord& statistics,
                      const std::vector<ColumnSketchRecord>& sketches = {});

 private:
  explicit MetadataStore(sqlite3* db, std::string path);

  mutable std::mutex mutex_;
  sqlite3* db_;
  std::string path_;
};

}  // namespace basalt
