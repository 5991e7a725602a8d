// MetadataStore: what is written comes back after a reopen, byte for byte;
// a failed method changes nothing; files that are not our store are refused.
#include "storage/managed/metadata_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "common/exception.h"
#include "common/temp_dir_test_util.h"

namespace basalt {
namespace {

using testing::TempDir;

// Runs `fn`, expecting a BasaltError of `code`; returns its message.
template <typename Fn>
std::string ExpectError(const char* code, Fn fn) {
  try {
    fn();
  } catch (const BasaltError& e) {
    EXPECT_STREQ(e.code(), code) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error raised";
  return "";
}

// Changes the store behind MetadataStore's back, to simulate damage.
void ExecRaw(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

ColumnRecord Column(std::string name, LogicalType type, bool not_null = false) {
  return {std::move(name), type, not_null};
}

TableRecord EveryTypeTable() {
  TableRecord table;
  table.oid = 17;
  table.schema = "public";
  table.name = "events";
  table.columns = {
      Column("b", TypeId::kBoolean),
      Column("s", TypeId::kSmallint),
      Column("i", TypeId::kInteger, true),
      Column("big", TypeId::kBigint),
      Column("r", TypeId::kReal),
      Column("d", TypeId::kDouble),
      Column("dec_small", LogicalType::Decimal(15, 2)),
      Column("dec_wide", LogicalType::Decimal(38, 10)),
      Column("v", TypeId::kVarchar),
      Column("day", TypeId::kDate),
      Column("ts", TypeId::kTimestamp, true),
      Column("iv", TypeId::kInterval),
  };
  table.partitioning = {10, TimeGranularity::kDay};
  return table;
}

void ExpectSameColumns(const std::vector<ColumnRecord>& expected,
                       const std::vector<ColumnRecord>& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); i++) {
    EXPECT_EQ(expected[i].name, actual[i].name) << i;
    EXPECT_EQ(expected[i].type, actual[i].type) << expected[i].name;
    EXPECT_EQ(expected[i].not_null, actual[i].not_null) << expected[i].name;
  }
}

void ExpectSameSegment(const SegmentRecord& expected, const SegmentRecord& actual) {
  EXPECT_EQ(expected.segment_id, actual.segment_id);
  EXPECT_EQ(expected.table_oid, actual.table_oid);
  EXPECT_EQ(expected.chunk.start, actual.chunk.start);
  EXPECT_EQ(expected.chunk.end, actual.chunk.end);
  EXPECT_EQ(expected.version, actual.version);
  EXPECT_EQ(expected.partition, actual.partition);
  EXPECT_EQ(expected.num_rows, actual.num_rows);
  EXPECT_EQ(expected.size_bytes, actual.size_bytes);
  EXPECT_EQ(expected.directory, actual.directory);
  EXPECT_EQ(expected.used, actual.used);
}

SegmentRecord Segment(std::string id, uint32_t table_oid, TimeChunk chunk, int64_t version) {
  SegmentRecord s;
  s.segment_id = std::move(id);
  s.table_oid = table_oid;
  s.chunk = chunk;
  s.version = version;
  s.partition = 3;
  s.num_rows = 1000;
  s.size_bytes = 65536;
  s.directory = "warehouse/public/events/" + s.segment_id;
  return s;
}

PublishRequest Request(std::vector<SegmentRecord> added, std::vector<std::string> unpublished,
                       std::vector<ColumnSketchRecord> sketches) {
  PublishRequest request;
  request.added = std::move(added);
  request.unpublished = std::move(unpublished);
  request.sketches = std::move(sketches);
  return request;
}

std::vector<uint8_t> Registers(uint8_t seed) {
  std::vector<uint8_t> r(4096);
  for (size_t i = 0; i < r.size(); i++) r[i] = static_cast<uint8_t>(i * 31 + seed);
  return r;
}

TEST(MetadataStoreTest, NewStoreIsEmpty) {
  TempDir dir;
  auto store = MetadataStore::Open(dir.File("metadata.db"));
  MetadataStore::Contents c = store->Load();
  EXPECT_TRUE(c.schemas.empty());
  EXPECT_TRUE(c.tables.empty());
  EXPECT_TRUE(c.views.empty());
  EXPECT_TRUE(c.segments.empty());
  EXPECT_TRUE(c.statistics.empty());
  EXPECT_TRUE(c.sketches.empty());
  EXPECT_EQ(c.next_oid, 0u);
}

TEST(MetadataStoreTest, SchemasAndTablesRoundTrip) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  TableRecord events = EveryTypeTable();
  TableRecord plain;
  plain.oid = 18;
  plain.schema = "public";
  plain.name = "plain";
  plain.columns = {Column("x", TypeId::kInteger)};
  {
    auto store = MetadataStore::Open(path);
    store->CreateSchema({16, "public"}, 17);
    store->CreateTable(plain, 19);  // out of oid order: Load orders by oid
    store->CreateTable(events, 19);
  }
  auto store = MetadataStore::Open(path);
  MetadataStore::Contents c = store->Load();
  ASSERT_EQ(c.schemas.size(), 1u);
  EXPECT_EQ(c.schemas[0].oid, 16u);
  EXPECT_EQ(c.schemas[0].name, "public");
  ASSERT_EQ(c.tables.size(), 2u);
  EXPECT_EQ(c.tables[0].oid, 17u);
  EXPECT_EQ(c.tables[0].schema, "public");
  EXPECT_EQ(c.tables[0].name, "events");
  ExpectSameColumns(events.columns, c.tables[0].columns);
  EXPECT_EQ(c.tables[0].partitioning.column, 10);
  EXPECT_EQ(c.tables[0].partitioning.granularity, TimeGranularity::kDay);
  EXPECT_EQ(c.tables[1].oid, 18u);
  ExpectSameColumns(plain.columns, c.tables[1].columns);
  EXPECT_FALSE(c.tables[1].partitioning.partitioned());
  EXPECT_EQ(c.tables[1].partitioning.granularity, TimeGranularity::kNone);
  EXPECT_EQ(c.next_oid, 19u);
}

TEST(MetadataStoreTest, EveryGranularityRoundTrips) {
  TempDir dir;
  auto store = MetadataStore::Open(dir.File("metadata.db"));
  const TimeGranularity all[] = {TimeGranularity::kHour, TimeGranularity::kDay,
                                 TimeGranularity::kMonth, TimeGranularity::kYear};
  uint32_t oid = 100;
  for (TimeGranularity g : all) {
    TableRecord t;
    t.oid = oid++;
    t.schema = "s";
    t.name = TimeGranularityName(g);
    t.columns = {Column("ts", TypeId::kTimestamp)};
    t.partitioning = {0, g};
    store->CreateTable(t, oid);
  }
  MetadataStore::Contents c = store->Load();
  ASSERT_EQ(c.tables.size(), 4u);
  for (size_t i = 0; i < 4; i++) {
    EXPECT_EQ(c.tables[i].partitioning.granularity, all[i]);
    EXPECT_EQ(c.tables[i].partitioning.column, 0);
  }
}

TEST(MetadataStoreTest, ViewsRoundTrip) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  ViewRecord named;
  named.oid = 20;
  named.schema = "public";
  named.name = "v";
  named.query_text = "SELECT a, 'it''s' FROM t WHERE b = \"x\"";
  named.column_names = {"first", "second"};
  named.columns = {Column("first", TypeId::kInteger), Column("second", TypeId::kVarchar)};
  ViewRecord unnamed;
  unnamed.oid = 21;
  unnamed.schema = "public";
  unnamed.name = "w";
  unnamed.query_text = "SELECT NULL AS n, 1.5::DECIMAL(38,10) AS d";
  unnamed.columns = {Column("n", TypeId::kNull), Column("d", LogicalType::Decimal(38, 10))};
  {
    auto store = MetadataStore::Open(path);
    store->CreateView(named, 21);
    store->CreateView(unnamed, 22);
  }
  MetadataStore::Contents c = MetadataStore::Open(path)->Load();
  ASSERT_EQ(c.views.size(), 2u);
  EXPECT_EQ(c.views[0].oid, 20u);
  EXPECT_EQ(c.views[0].schema, "public");
  EXPECT_EQ(c.views[0].name, "v");
  EXPECT_EQ(c.views[0].query_text, named.query_text);
  EXPECT_EQ(c.views[0].column_names, named.column_names);
  ExpectSameColumns(named.columns, c.views[0].columns);
  EXPECT_EQ(c.views[1].query_text, unnamed.query_text);
  EXPECT_TRUE(c.views[1].column_names.empty());
  ExpectSameColumns(unnamed.columns, c.views[1].columns);
  EXPECT_TRUE(c.tables.empty());
  EXPECT_EQ(c.next_oid, 22u);
}

TEST(MetadataStoreTest, NamesWithQuotesAndUnicode) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  const std::string schema = "sch'ema\"; DROP TABLE schemas; --";
  const std::string table = "t\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80 '\"";  // tä€😀 '"
  const std::string column = "col \"with\" 'quotes' \xE6\x97\xA5";
  {
    auto store = MetadataStore::Open(path);
    store->CreateSchema({16, schema}, 17);
    TableRecord t;
    t.oid = 17;
    t.schema = schema;
    t.name = table;
    t.columns = {Column(column, TypeId::kVarchar)};
    store->CreateTable(t, 18);
    store->Publish(Request({Segment("seg'\xC3\xA4", 17, {}, 1)}, {}, {}));
  }
  MetadataStore::Contents c = MetadataStore::Open(path)->Load();
  ASSERT_EQ(c.schemas.size(), 1u);
  EXPECT_EQ(c.schemas[0].name, schema);
  ASSERT_EQ(c.tables.size(), 1u);
  EXPECT_EQ(c.tables[0].schema, schema);
  EXPECT_EQ(c.tables[0].name, table);
  ASSERT_EQ(c.tables[0].columns.size(), 1u);
  EXPECT_EQ(c.tables[0].columns[0].name, column);
  ASSERT_EQ(c.segments.size(), 1u);
  EXPECT_EQ(c.segments[0].segment_id, "seg'\xC3\xA4");
}

TEST(MetadataStoreTest, SegmentsRoundTripWithInfiniteChunks) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  SegmentRecord whole = Segment("whole", 17, {kChunkMinusInfinity, kChunkPlusInfinity}, 1);
  whole.num_rows = UINT64_MAX;  // the full unsigned range survives SQLite's signed integers
  whole.size_bytes = uint64_t{1} << 63;
  whole.partition = 0;
  SegmentRecord day = Segment("day", 17, {1709251200000000, 1709337600000000}, 2);
  SegmentRecord before = Segment("before", 17, {kChunkMinusInfinity, -86400000000}, 3);
  {
    auto store = MetadataStore::Open(path);
    store->Publish(Request({whole, day, before}, {}, {}));
  }
  MetadataStore::Contents c = MetadataStore::Open(path)->Load();
  ASSERT_EQ(c.segments.size(), 3u);
  // Ordered by table, chunk start, version.
  ExpectSameSegment(whole, c.segments[0]);
  ExpectSameSegment(before, c.segments[1]);
  ExpectSameSegment(day, c.segments[2]);
}

TEST(MetadataStoreTest, PublishMarksUnpublishedAndReplacesSketches) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  {
    auto store = MetadataStore::Open(path);
    SegmentRecord old_a = Segment("a", 17, {}, 1);
    old_a.used = false;  // Publish makes every added segment used, whatever the record says
    store->Publish(Request({old_a, Segment("b", 17, {}, 1)}, {},
                           {{17, 0, Registers(1)}, {17, 2, Registers(2)}}));
    store->Publish(Request({Segment("c", 17, {}, 2)}, {"a", "b"}, {{17, 0, Registers(3)}}));
  }
  MetadataStore::Contents c = MetadataStore::Open(path)->Load();
  ASSERT_EQ(c.segments.size(), 3u);
  EXPECT_EQ(c.segments[0].segment_id, "a");
  EXPECT_FALSE(c.segments[0].used);
  EXPECT_EQ(c.segments[1].segment_id, "b");
  EXPECT_FALSE(c.segments[1].used);
  EXPECT_EQ(c.segments[2].segment_id, "c");
  EXPECT_TRUE(c.segments[2].used);
  ASSERT_EQ(c.sketches.size(), 2u);
  EXPECT_EQ(c.sketches[0].table_oid, 17u);
  EXPECT_EQ(c.sketches[0].column, 0u);
  EXPECT_EQ(c.sketches[0].registers, Registers(3));
  EXPECT_EQ(c.sketches[1].column, 2u);
  EXPECT_EQ(c.sketches[1].registers, Registers(2));
}

TEST(MetadataStoreTest, FailedPublishAppliesNothing) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  auto store = MetadataStore::Open(path);
  store->Publish(Request({Segment("a", 17, {}, 1)}, {}, {{17, 0, Registers(1)}}));
  // "a" again after a new segment, an unpublish and a sketch: all of it is undone.
  std::string message = ExpectError(sqlstate::kIoError, [&] {
    store->Publish(Request({Segment("b", 17, {}, 2), Segment("a", 17, {}, 2)}, {"a"},
                           {{17, 0, Registers(9)}}));
  });
  EXPECT_NE(message.find("cannot publish segments"), std::string::npos) << message;
  EXPECT_NE(message.find(path), std::string::npos) << message;

  store.reset();
  MetadataStore::Contents c = MetadataStore::Open(path)->Load();
  ASSERT_EQ(c.segments.size(), 1u);
  EXPECT_EQ(c.segments[0].segment_id, "a");
  EXPECT_TRUE(c.segments[0].used);
  EXPECT_EQ(c.segments[0].version, 1);
  ASSERT_EQ(c.sketches.size(), 1u);
  EXPECT_EQ(c.sketches[0].registers, Registers(1));
}

TEST(MetadataStoreTest, DeleteSegments) {
  TempDir dir;
  auto store = MetadataStore::Open(dir.File("metadata.db"));
  store->Publish(
      Request({Segment("a", 17, {}, 1), Segment("b", 17, {}, 1), Segment("c", 17, {}, 1)}, {}, {}));
  store->DeleteSegments({"a", "c", "never-existed"});
  MetadataStore::Contents c = store->Load();
  ASSERT_EQ(c.segments.size(), 1u);
  EXPECT_EQ(c.segments[0].segment_id, "b");
}

TEST(MetadataStoreTest, SaveStatisticsReplaces) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  {
    auto store = MetadataStore::Open(path);
    store->SaveStatistics(
        {17,
         100,
         1700000000000000,
         {{0, 42.5, 3, true, "a", "z"}, {1, 7, 0, true, "1", "9"}, {2, 0, 100, false, "", ""}}});
    store->SaveStatistics({18, 5, 1, {{0, 5, 0, true, "x", "y"}}});
    // A second ANALYZE of 17 with fewer columns leaves none of the first behind.
    store->SaveStatistics(
        {17, UINT64_MAX, -5, {{1, 1e300, UINT64_MAX, true, "it's", "\xE2\x82\xAC"}}});
  }
  MetadataStore::Contents c = MetadataStore::Open(path)->Load();
  ASSERT_EQ(c.statistics.size(), 2u);
  const TableStatisticsRecord& s = c.statistics[0];
  EXPECT_EQ(s.table_oid, 17u);
  EXPECT_EQ(s.row_count, UINT64_MAX);
  EXPECT_EQ(s.analyzed_at, -5);
  ASSERT_EQ(s.columns.size(), 1u);
  EXPECT_EQ(s.columns[0].column, 1u);
  EXPECT_EQ(s.columns[0].distinct_count, 1e300);
  EXPECT_EQ(s.columns[0].null_count, UINT64_MAX);
  EXPECT_TRUE(s.columns[0].has_bounds);
  EXPECT_EQ(s.columns[0].min, "it's");
  EXPECT_EQ(s.columns[0].max, "\xE2\x82\xAC");
  EXPECT_EQ(c.statistics[1].table_oid, 18u);
  EXPECT_EQ(c.statistics[1].row_count, 5u);
  ASSERT_EQ(c.statistics[1].columns.size(), 1u);
  EXPECT_EQ(c.statistics[1].columns[0].min, "x");
}

// ANALYZE stores its statistics and its sketches in one transaction.
TEST(MetadataStoreTest, SaveStatisticsStoresSketchesWithThem) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  std::vector<uint8_t> registers(4096, 3);
  {
    auto store = MetadataStore::Open(path);
    store->SaveStatistics({21, 9, 1, {{0, 9, 0, true, "1", "9"}}}, {{21, 0, registers}});
  }
  MetadataStore::Contents c = MetadataStore::Open(path)->Load();
  ASSERT_EQ(c.statistics.size(), 1u);
  ASSERT_EQ(c.sketches.size(), 1u);
  EXPECT_EQ(c.sketches[0].table_oid, 21u);
  EXPECT_EQ(c.sketches[0].registers, registers);
}

TEST(MetadataStoreTest, AllocateVersionIncreasesAcrossReopen) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  {
    auto store = MetadataStore::Open(path);
    EXPECT_EQ(store->AllocateVersion(), 1);
    EXPECT_EQ(store->AllocateVersion(), 2);
    EXPECT_EQ(store->AllocateVersion(), 3);
  }
  auto store = MetadataStore::Open(path);
  EXPECT_EQ(store->AllocateVersion(), 4);
}

TEST(MetadataStoreTest, NextOidPersists) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  {
    auto store = MetadataStore::Open(path);
    store->CreateSchema({16, "a"}, 17);
    EXPECT_EQ(store->Load().next_oid, 17u);
    store->CreateView({40, "a", "v", "SELECT 1", {}, {Column("x", TypeId::kInteger)}}, 41);
  }
  EXPECT_EQ(MetadataStore::Open(path)->Load().next_oid, 41u);
}

TEST(MetadataStoreTest, ReplacedOidDropsTheOldObject) {
  TempDir dir;
  auto store = MetadataStore::Open(dir.File("metadata.db"));
  TableRecord old_table = EveryTypeTable();
  store->CreateTable(old_table, 18);
  store->Publish(Request({Segment("old", 17, {}, 1)}, {}, {{17, 0, Registers(1)}}));
  store->SaveStatistics({17, 1, 1, {{0, 1, 0, true, "a", "a"}}});

  // A table replaced by a view, then that view by a table.
  ViewRecord view{20, "public", "events", "SELECT 1", {"one"}, {Column("one", TypeId::kInteger)}};
  store->CreateView(view, 21, 17);
  MetadataStore::Contents c = store->Load();
  EXPECT_TRUE(c.tables.empty());
  EXPECT_TRUE(c.segments.empty());
  EXPECT_TRUE(c.statistics.empty());
  EXPECT_TRUE(c.sketches.empty());
  ASSERT_EQ(c.views.size(), 1u);
  EXPECT_EQ(c.views[0].oid, 20u);

  TableRecord new_table;
  new_table.oid = 21;
  new_table.schema = "public";
  new_table.name = "events";
  new_table.columns = {Column("only", TypeId::kBigint)};
  store->CreateTable(new_table, 22, 20);
  c = store->Load();
  EXPECT_TRUE(c.views.empty());
  ASSERT_EQ(c.tables.size(), 1u);
  EXPECT_EQ(c.tables[0].oid, 21u);
  ExpectSameColumns(new_table.columns, c.tables[0].columns);
  EXPECT_EQ(c.next_oid, 22u);
}

TEST(MetadataStoreTest, DropTableRemovesItsRows) {
  TempDir dir;
  auto store = MetadataStore::Open(dir.File("metadata.db"));
  TableRecord a = EveryTypeTable();
  TableRecord b = EveryTypeTable();
  b.oid = 18;
  b.name = "other";
  store->CreateTable(a, 19);
  store->CreateTable(b, 19);
  store->Publish(
      Request({Segment("a1", 17, {}, 1), Segment("a2", 17, {0, 10}, 2), Segment("b1", 18, {}, 1)},
              {"a1"}, {{17, 0, Registers(1)}, {18, 0, Registers(2)}}));
  store->SaveStatistics({17, 1, 1, {{0, 1, 0, false, "", ""}}});
  store->SaveStatistics({18, 2, 2, {{0, 1, 0, false, "", ""}}});
  store->DropTable(17);
  store->DropTable(12345);  // unknown oids are not an error

  MetadataStore::Contents c = store->Load();
  ASSERT_EQ(c.tables.size(), 1u);
  EXPECT_EQ(c.tables[0].oid, 18u);
  EXPECT_EQ(c.tables[0].columns.size(), b.columns.size());
  ASSERT_EQ(c.segments.size(), 1u);
  EXPECT_EQ(c.segments[0].segment_id, "b1");
  ASSERT_EQ(c.statistics.size(), 1u);
  EXPECT_EQ(c.statistics[0].table_oid, 18u);
  ASSERT_EQ(c.sketches.size(), 1u);
  EXPECT_EQ(c.sketches[0].table_oid, 18u);
}

TableRecord ExternalTable(uint32_t oid, std::string name) {
  TableRecord table;
  table.oid = oid;
  table.schema = "public";
  table.name = std::move(name);
  table.columns = {Column("id", TypeId::kBigint), Column("price", LogicalType::Decimal(10, 2))};
  ExternalTableRecord external;
  external.format = "csv";
  external.location = "/data/it's here/*.csv";
  external.options = {{"header", Value::Boolean(false)},
                      {"delim", Value::Varchar("|")},
                      {"skip", Value::Bigint(-3)},
                      {"filename", Value::Null()}};
  external.columns_declared = true;
  table.external = external;
  return table;
}

TEST(MetadataStoreTest, ExternalTablesRoundTrip) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  {
    auto store = MetadataStore::Open(path);
    store->CreateTable(ExternalTable(20, "ext"), 22);
    store->CreateTable(EveryTypeTable(), 22);
  }
  auto store = MetadataStore::Open(path);
  MetadataStore::Contents c = store->Load();
  ASSERT_EQ(c.tables.size(), 2u);
  EXPECT_FALSE(c.tables[0].external.has_value());  // oid 17, a managed table
  ASSERT_TRUE(c.tables[1].external.has_value());
  const ExternalTableRecord& e = *c.tables[1].external;
  EXPECT_EQ(e.format, "csv");
  EXPECT_EQ(e.location, "/data/it's here/*.csv");
  EXPECT_TRUE(e.columns_declared);
  ASSERT_EQ(e.options.size(), 4u);
  EXPECT_EQ(e.options[0].first, "header");
  EXPECT_EQ(e.options[0].second.type().id(), TypeId::kBoolean);
  EXPECT_FALSE(e.options[0].second.GetBool());
  EXPECT_EQ(e.options[1].second.GetString(), "|");
  EXPECT_EQ(e.options[2].second.GetInt64(), -3);
  EXPECT_TRUE(e.options[3].second.IsNull());
  ExpectSameColumns(ExternalTable(20, "ext").columns, c.tables[1].columns);

  // REFRESH stores new columns under the same oid; DROP forgets it all.
  TableRecord refreshed = ExternalTable(20, "ext");
  refreshed.columns = {Column("only", TypeId::kVarchar)};
  store->CreateTable(refreshed, 22, 20);
  c = store->Load();
  ASSERT_EQ(c.tables.size(), 2u);
  ASSERT_EQ(c.tables[1].columns.size(), 1u);
  EXPECT_EQ(c.tables[1].columns[0].name, "only");
  EXPECT_EQ(c.tables[1].external->options.size(), 4u);
  store->DropTable(20);
  c = store->Load();
  ASSERT_EQ(c.tables.size(), 1u);
  store.reset();
  ExecRaw(path,
          "INSERT INTO external_tables VALUES (99, 'csv', 'x', 0)");  // no such table: ignored
  EXPECT_EQ(MetadataStore::Open(path)->Load().tables.size(), 1u);
}

// A store written before external tables existed has neither of their
// tables; it opens, gets them, and its tables load as before.
TEST(MetadataStoreTest, StoreFromBeforeExternalTablesOpens) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  {
    auto store = MetadataStore::Open(path);
    store->CreateSchema({16, "public"}, 17);
    store->CreateTable(EveryTypeTable(), 18);
  }
  ExecRaw(path, "DROP TABLE external_tables; DROP TABLE external_table_options");
  auto store = MetadataStore::Open(path);
  MetadataStore::Contents c = store->Load();
  ASSERT_EQ(c.tables.size(), 1u);
  EXPECT_FALSE(c.tables[0].external.has_value());
  store->CreateTable(ExternalTable(18, "ext"), 19);
  EXPECT_EQ(store->Load().tables.size(), 2u);
}

TEST(MetadataStoreTest, DropView) {
  TempDir dir;
  auto store = MetadataStore::Open(dir.File("metadata.db"));
  store->CreateView({20, "s", "v", "SELECT 1", {"a"}, {Column("a", TypeId::kInteger)}}, 21);
  store->CreateView({21, "s", "w", "SELECT 2", {}, {Column("b", TypeId::kInteger)}}, 22);
  store->DropView(20);
  MetadataStore::Contents c = store->Load();
  ASSERT_EQ(c.views.size(), 1u);
  EXPECT_EQ(c.views[0].name, "w");
  ExpectSameColumns({Column("b", TypeId::kInteger)}, c.views[0].columns);
}

TEST(MetadataStoreTest, DropSchemaCascades) {
  TempDir dir;
  auto store = MetadataStore::Open(dir.File("metadata.db"));
  store->CreateSchema({16, "gone"}, 17);
  store->CreateSchema({17, "kept"}, 18);
  TableRecord t1 = EveryTypeTable();
  t1.oid = 18;
  t1.schema = "gone";
  TableRecord t2 = EveryTypeTable();
  t2.oid = 19;
  t2.schema = "kept";
  store->CreateTable(t1, 20);
  store->CreateTable(t2, 20);
  store->CreateView({20, "gone", "v", "SELECT 1", {"x"}, {Column("x", TypeId::kInteger)}}, 21);
  store->CreateView({21, "kept", "v", "SELECT 1", {"x"}, {Column("x", TypeId::kInteger)}}, 22);
  store->Publish(Request({Segment("s18", 18, {}, 1), Segment("s19", 19, {}, 1)}, {},
                         {{18, 0, Registers(1)}, {19, 0, Registers(2)}}));
  store->SaveStatistics({18, 1, 1, {{0, 1, 0, false, "", ""}}});
  store->SaveStatistics({19, 1, 1, {{0, 1, 0, false, "", ""}}});

  store->DropSchema("gone");
  MetadataStore::Contents c = store->Load();
  ASSERT_EQ(c.schemas.size(), 1u);
  EXPECT_EQ(c.schemas[0].name, "kept");
  ASSERT_EQ(c.tables.size(), 1u);
  EXPECT_EQ(c.tables[0].oid, 19u);
  EXPECT_EQ(c.tables[0].columns.size(), t2.columns.size());
  ASSERT_EQ(c.views.size(), 1u);
  EXPECT_EQ(c.views[0].oid, 21u);
  EXPECT_EQ(c.views[0].column_names, std::vector<std::string>{"x"});
  ASSERT_EQ(c.segments.size(), 1u);
  EXPECT_EQ(c.segments[0].segment_id, "s19");
  ASSERT_EQ(c.statistics.size(), 1u);
  EXPECT_EQ(c.statistics[0].table_oid, 19u);
  ASSERT_EQ(c.sketches.size(), 1u);
  EXPECT_EQ(c.sketches[0].table_oid, 19u);

  // The dropped objects' rows are gone from the file too, not merely hidden:
  // reusing the view's oid works.
  store->CreateView({20, "kept", "again", "SELECT 2", {}, {}}, 23);
  EXPECT_EQ(store->Load().views.size(), 2u);
}

TEST(MetadataStoreTest, DuplicateSchemaFailsAndChangesNothing) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  auto store = MetadataStore::Open(path);
  store->CreateSchema({16, "s"}, 17);
  std::string message = ExpectError(sqlstate::kIoError, [&] {
    store->CreateSchema({17, "s"}, 99);
  });
  EXPECT_NE(message.find("cannot create schema \"s\""), std::string::npos) << message;
  EXPECT_NE(message.find("UNIQUE"), std::string::npos) << message;
  // The store still works after the rollback.
  store->CreateSchema({18, "t"}, 19);
  store.reset();
  MetadataStore::Contents c = MetadataStore::Open(path)->Load();
  ASSERT_EQ(c.schemas.size(), 2u);
  EXPECT_EQ(c.schemas[0].oid, 16u);
  EXPECT_EQ(c.schemas[1].oid, 18u);
  EXPECT_EQ(c.next_oid, 19u);
}

TEST(MetadataStoreTest, FailedCreateTableKeepsTheReplacedTable) {
  TempDir dir;
  auto store = MetadataStore::Open(dir.File("metadata.db"));
  store->CreateTable(EveryTypeTable(), 18);
  store->Publish(Request({Segment("a", 17, {}, 1)}, {}, {}));
  TableRecord other = EveryTypeTable();
  other.oid = 18;
  other.name = "other";
  store->CreateTable(other, 19);
  // Replacing 17 by a table whose oid is taken fails after the drop ran:
  // the drop is rolled back with the rest.
  ExpectError(sqlstate::kIoError, [&] { store->CreateTable(other, 99, 17); });
  MetadataStore::Contents c = store->Load();
  ASSERT_EQ(c.tables.size(), 2u);
  EXPECT_EQ(c.tables[0].oid, 17u);
  EXPECT_EQ(c.tables[0].columns.size(), EveryTypeTable().columns.size());
  EXPECT_EQ(c.segments.size(), 1u);
  EXPECT_EQ(c.next_oid, 19u);
}

TEST(MetadataStoreTest, PublishCreatesTheTableOfCreateTableAs) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  {
    auto store = MetadataStore::Open(path);
    store->CreateTable(EveryTypeTable(), 18);
    store->Publish(Request({Segment("old", 17, {}, 1)}, {}, {{17, 0, Registers(1)}}));
    // CREATE OR REPLACE TABLE events AS ...: the old table goes, the new one
    // comes with its segments and sketches.
    TableRecord ctas;
    ctas.oid = 18;
    ctas.schema = "public";
    ctas.name = "events";
    ctas.columns = {Column("n", TypeId::kBigint, true)};
    PublishRequest request = Request({Segment("new", 18, {}, 2)}, {}, {{18, 0, Registers(2)}});
    request.create_table = ctas;
    request.next_oid = 19;
    request.replaced_table_oid = 17;
    store->Publish(request);
  }
  MetadataStore::Contents c = MetadataStore::Open(path)->Load();
  ASSERT_EQ(c.tables.size(), 1u);
  EXPECT_EQ(c.tables[0].oid, 18u);
  ExpectSameColumns({Column("n", TypeId::kBigint, true)}, c.tables[0].columns);
  ASSERT_EQ(c.segments.size(), 1u);
  EXPECT_EQ(c.segments[0].segment_id, "new");
  ASSERT_EQ(c.sketches.size(), 1u);
  EXPECT_EQ(c.sketches[0].table_oid, 18u);
  EXPECT_EQ(c.next_oid, 19u);
}

TEST(MetadataStoreTest, FailedCreateTableAsLeavesNoTable) {
  TempDir dir;
  auto store = MetadataStore::Open(dir.File("metadata.db"));
  store->CreateSchema({16, "public"}, 17);
  store->Publish(Request({Segment("taken", 99, {}, 1)}, {}, {}));
  TableRecord ctas = EveryTypeTable();
  PublishRequest request =
      Request({Segment("fresh", 17, {}, 2), Segment("taken", 17, {}, 2)}, {}, {});
  request.create_table = ctas;
  request.next_oid = 18;
  std::string message = ExpectError(sqlstate::kIoError, [&] { store->Publish(request); });
  EXPECT_NE(message.find("cannot create table \"public\".\"events\""), std::string::npos)
      << message;
  MetadataStore::Contents c = store->Load();
  EXPECT_TRUE(c.tables.empty());
  ASSERT_EQ(c.segments.size(), 1u);
  EXPECT_EQ(c.segments[0].table_oid, 99u);
  EXPECT_EQ(c.next_oid, 17u);
}

TEST(MetadataStoreTest, GarbageFileIsRefused) {
  TempDir dir;
  std::string garbage(8192, '\0');
  for (size_t i = 0; i < garbage.size(); i++) garbage[i] = static_cast<char>(i * 7 + 13);
  const std::string path = dir.Write("system/metadata.db", garbage);
  std::string message = ExpectError(sqlstate::kIoError, [&] { MetadataStore::Open(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("not a database"), std::string::npos) << message;

  const std::string text = dir.Write("short.db", "this is not a database at all, just some text\n");
  ExpectError(sqlstate::kIoError, [&] { MetadataStore::Open(text); });
}

TEST(MetadataStoreTest, DirectoryMissingIsAnError) {
  TempDir dir;
  std::string message = ExpectError(
      sqlstate::kIoError, [&] { MetadataStore::Open(dir.File("no/such/dir/metadata.db")); });
  EXPECT_NE(message.find("cannot open"), std::string::npos) << message;
}

TEST(MetadataStoreTest, ForeignDatabaseIsRefusedAndLeftAlone) {
  TempDir dir;
  const std::string other = dir.File("other.db");
  ExecRaw(other, "CREATE TABLE people(name TEXT); INSERT INTO people VALUES('ann');");
  std::string message = ExpectError(sqlstate::kIoError, [&] { MetadataStore::Open(other); });
  EXPECT_NE(message.find("is not a Basalt metadata store"), std::string::npos) << message;
  // Nothing of ours was created in it.
  ExecRaw(other, "CREATE TABLE schemas(x); DROP TABLE schemas;");

  // A store of another format (a future Basalt) is refused too.
  const std::string future = dir.File("future.db");
  MetadataStore::Open(future).reset();
  ExecRaw(future, "UPDATE meta SET value = 'basalt-metadata-2' WHERE key = 'format'");
  message = ExpectError(sqlstate::kIoError, [&] { MetadataStore::Open(future); });
  EXPECT_NE(message.find("is not a Basalt metadata store (format \"basalt-metadata-2\")"),
            std::string::npos)
      << message;
}

TEST(MetadataStoreTest, UnknownTypeOnLoadIsCorruption) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  MetadataStore::Open(path)->CreateTable(EveryTypeTable(), 18);
  ExecRaw(path, "UPDATE columns SET type = 'DECIMAL(39,2)' WHERE name = 'dec_wide'");
  auto store = MetadataStore::Open(path);
  std::string message = ExpectError(sqlstate::kDataCorrupted, [&] { store->Load(); });
  EXPECT_NE(message.find("column \"dec_wide\" of table \"public\".\"events\""), std::string::npos)
      << message;
  EXPECT_NE(message.find("DECIMAL(39,2)"), std::string::npos) << message;
  // The failed Load left no transaction open.
  store->CreateSchema({30, "after"}, 31);
}

TEST(MetadataStoreTest, UsesWalJournal) {
  TempDir dir;
  const std::string path = dir.File("metadata.db");
  MetadataStore::Open(path).reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
}  // namespace basalt
