// The sys schema over a real database: in memory and with a data directory,
// including what a sqllogictest file cannot reach: segments retired while a
// query (here, a catalog snapshot) still holds them, and missing files.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/temp_dir_test_util.h"
#include "main/database.h"
#include "main/database_instance.h"

namespace basalt {
namespace {

using testing::TempDir;

// Every row of `sql`'s result, its values as text joined by '|'.
std::vector<std::string> Rows(Connection& con, const std::string& sql) {
  QueryResult r = con.Query(sql);
  EXPECT_TRUE(r.ok) << sql << ": " << r.error_code << " " << r.error_message;
  std::vector<std::string> rows;
  for (idx_t row = 0; row < r.RowCount(); row++) {
    std::string line;
    for (idx_t c = 0; c < r.column_names.size(); c++) {
      if (c > 0) line += "|";
      line += r.GetValue(c, row).ToString();
    }
    rows.push_back(line);
  }
  return rows;
}

constexpr const char* kSegments =
    "SELECT segment_id, schema, \"table\", version, partition, num_rows, is_published, "
    "is_available, is_overshadowed FROM sys.segments ORDER BY is_published DESC, segment_id";

TEST(SysTablesTest, InMemoryTablesHaveNoSegments) {
  Database db(DatabaseOptions{2, ""});
  Connection con(db);
  ASSERT_TRUE(con.Query("CREATE TABLE t (a INTEGER NOT NULL, b DECIMAL(12,2)); "
                        "INSERT INTO t VALUES (1, 2.5), (2, NULL)")
                  .ok);
  EXPECT_EQ(Rows(con, "SELECT * FROM sys.tables"),
            (std::vector<std::string>{"main|t|16385|memory|NULL|none|2|0|0|NULL|NULL"}));
  EXPECT_EQ(
      Rows(con, "SELECT * FROM sys.columns"),
      (std::vector<std::string>{"main|t|a|1|INTEGER|false", "main|t|b|2|DECIMAL(12,2)|true"}));
  EXPECT_TRUE(Rows(con, "SELECT * FROM sys.segments").empty());
}

TEST(SysTablesTest, RetiredSegmentsAreListedWhileHeld) {
  TempDir dir;
  DatabaseOptions options{2, dir.path() + "/data"};
  options.max_segment_rows = 1000;
  Database db(options);
  Connection con(db);
  ASSERT_TRUE(con.Query("CREATE TABLE e (id INT, ts TIMESTAMP) PARTITION BY day(ts); "
                        "INSERT INTO e SELECT i, TIMESTAMP '2024-01-02 00:00:00' + i * "
                        "INTERVAL '1 second' FROM generate_series(1, 1500) AS g(i); "
                        "INSERT INTO e VALUES (5000, TIMESTAMP '2024-01-03 05:00:00')")
                  .ok);
  const std::string d2 = "e_2024-01-02T00:00:00Z_2024-01-03T00:00:00Z_";
  const std::string d3 = "e_2024-01-03T00:00:00Z_2024-01-04T00:00:00Z_";
  {
    // What a running query holds: the table's rows as they were.
    CatalogSnapshot held = db.instance().catalog().Snapshot();
    ASSERT_TRUE(con.Query("INSERT OVERWRITE e SELECT id, ts FROM e WHERE id <= 10").ok);
    EXPECT_EQ(Rows(con, kSegments), (std::vector<std::string>{
                                        d2 + "3_0|main|e|3|0|10|true|true|false",
                                        d3 + "2_0|main|e|2|0|1|true|true|false",
                                        d2 + "1_0|main|e|1|0|1000|false|true|true",
                                        d2 + "1_1|main|e|1|1|500|false|true|true",
                                    }));
    // sys.tables counts what queries from now on read.
    EXPECT_EQ(Rows(con, "SELECT num_rows, num_segments FROM sys.tables"),
              (std::vector<std::string>{"11|2"}));
  }
  // The last holder is gone: the old segments and their files with it.
  EXPECT_EQ(Rows(con, kSegments), (std::vector<std::string>{
                                      d2 + "3_0|main|e|3|0|10|true|true|false",
                                      d3 + "2_0|main|e|2|0|1|true|true|false",
                                  }));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/data/warehouse/main/e/" + d2 + "1_0"));

  // A segment whose file went missing is listed as unavailable.
  std::filesystem::remove(dir.path() + "/data/warehouse/main/e/" + d3 + "2_0/data.bsg");
  EXPECT_EQ(Rows(con, "SELECT segment_id, is_available FROM sys.segments ORDER BY 1"),
            (std::vector<std::string>{d2 + "3_0|true", d3 + "2_0|false"}));
}

TEST(SysTablesTest, SegmentsOfADroppedTableKeepTheirNames) {
  TempDir dir;
  Database db(DatabaseOptions{2, dir.path() + "/data"});
  Connection con(db);
  ASSERT_TRUE(con.Query("CREATE SCHEMA \"my schema\"; "
                        "CREATE TABLE \"my schema\".\"T/1\" (a INT); "
                        "INSERT INTO \"my schema\".\"T/1\" VALUES (1), (2)")
                  .ok);
  {
    CatalogSnapshot held = db.instance().catalog().Snapshot();
    ASSERT_TRUE(con.Query("DROP TABLE \"my schema\".\"T/1\"").ok);
    EXPECT_EQ(Rows(con,
                   "SELECT schema, \"table\", start, \"end\", num_rows, is_published, "
                   "is_overshadowed FROM sys.segments"),
              (std::vector<std::string>{"my schema|T/1|-infinity|infinity|2|false|true"}));
    EXPECT_TRUE(Rows(con, "SELECT * FROM sys.tables").empty());
  }
  EXPECT_TRUE(Rows(con, "SELECT * FROM sys.segments").empty());
}

}  // namespace
}  // namespace basalt
