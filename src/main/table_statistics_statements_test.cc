// ANALYZE beyond what SHOW STATS shows (tests/sql/storage/statistics.test):
// the sketches it replaces, in memory and in the metadata store, and the
// errors' positions.
#include "main/table_statistics_statements.h"

#include <gtest/gtest.h>

#include "common/temp_dir_test_util.h"
#include "main/database_instance.h"

namespace basalt {
namespace {

void Exec(Connection& con, const std::string& sql) {
  QueryResult r = con.Query(sql);
  ASSERT_TRUE(r.ok) << sql << ": " << r.error_message;
}

std::shared_ptr<TableEntry> Table(Database& db, const std::string& name) {
  return db.instance().catalog().GetTable(kDefaultSchema, name);
}

// Overwriting one day of a partitioned table keeps counting the values it
// replaced (sketches only grow); ANALYZE starts them afresh, and a restart
// loads what it stored.
TEST(TableStatisticsTest, AnalyzeReplacesStoredSketches) {
  testing::TempDir dir;
  DatabaseOptions options;
  options.threads = 2;
  options.data_dir = dir.File("data");
  {
    Database db(options);
    Connection con(db);
    Exec(con, "CREATE TABLE e (ts TIMESTAMP, n BIGINT) PARTITION BY day(ts)");
    Exec(con,
         "INSERT INTO e SELECT TIMESTAMP '2024-05-01 00:00:00' + i * INTERVAL '1 second', i "
         "FROM generate_series(1, 1000) AS g(i)");
    Exec(con, "INSERT INTO e VALUES (TIMESTAMP '2024-05-03 00:00:00', 7)");
    // Replaces the first day only.
    Exec(con, "INSERT OVERWRITE e SELECT TIMESTAMP '2024-05-01 00:00:00', 7");
    auto table = Table(db, "e");
    EXPECT_GT(table->storage->Sketches()[1].Estimate(), 900);
    EXPECT_EQ(table->statistics.load(), nullptr);
    Exec(con, "ANALYZE e");
    EXPECT_NEAR(table->storage->Sketches()[1].Estimate(), 1, 0.01);
    auto statistics = table->statistics.load();
    ASSERT_NE(statistics, nullptr);
    EXPECT_EQ(statistics->record.row_count, 2u);
    ASSERT_NE(statistics->Find(1), nullptr);
    EXPECT_EQ(statistics->Find(1)->min, "7");
    // Rows added after ANALYZE: the sketch counts them (an estimate, within
    // HyperLogLog's error), the statistics stay.
    Exec(con,
         "INSERT INTO e SELECT TIMESTAMP '2024-05-02 00:00:00', i FROM generate_series(1, 50) AS "
         "g(i)");
    EXPECT_NEAR(table->storage->DistinctCount(1), 51, 5);
    EXPECT_EQ(table->statistics.load()->record.row_count, 2u);
  }
  Database db(options);
  auto table = Table(db, "e");
  EXPECT_NEAR(table->storage->DistinctCount(1), 51, 5);
  auto statistics = table->statistics.load();
  ASSERT_NE(statistics, nullptr);
  EXPECT_EQ(statistics->record.row_count, 2u);
  EXPECT_NEAR(statistics->Find(1)->distinct_count, 1, 0.01);
  // Bounds are parsed back for estimates.
  EXPECT_TRUE(statistics->columns[1].has_positions);
  EXPECT_DOUBLE_EQ(statistics->columns[1].max_position, 7);
}

TEST(TableStatisticsTest, SketchesStayWhenAWriteCameBetween) {
  DataTable table({LogicalType(TypeId::kInteger)});
  DataChunk chunk({LogicalType(TypeId::kInteger)});
  for (int i = 0; i < 100; i++) chunk.column(0).Data<int32_t>()[i] = i;
  chunk.SetSize(100);
  table.Append(chunk);
  auto scanned = table.Snapshot();
  table.Append(chunk);  // a write after the scan's snapshot
  EXPECT_FALSE(table.ReplaceSketches(scanned, std::vector<HyperLogLog>(1)));
  EXPECT_NEAR(table.DistinctCount(0), 100, 3);
  EXPECT_TRUE(table.ReplaceSketches(table.Snapshot(), std::vector<HyperLogLog>(1)));
  EXPECT_EQ(table.DistinctCount(0), 0);
}

TEST(TableStatisticsTest, ErrorsPointAtTheName) {
  Database db(DatabaseOptions{1, ""});
  Connection con(db);
  Exec(con, "CREATE VIEW v AS SELECT 1 AS x");
  QueryResult unknown = con.Query("ANALYZE nope");
  EXPECT_EQ(unknown.error_code, "42P01");
  EXPECT_EQ(unknown.error_position, 8);
  QueryResult view = con.Query("SHOW STATS v");
  EXPECT_EQ(view.error_code, "42809");
  EXPECT_EQ(view.error_position, 11);
  QueryResult schema = con.Query("COMPUTE STATS nope.t");
  EXPECT_EQ(schema.error_code, "3F000");
  EXPECT_EQ(schema.error_position, 14);
}

}  // namespace
}  // namespace basalt
