#include "main/plan_roundtrip.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "main/database.h"

namespace basalt {
namespace {

std::vector<std::string> Rows(Connection& con, const std::string& sql) {
  QueryResult r = con.Query(sql);
  EXPECT_TRUE(r.ok) << sql << ": " << r.error_message;
  std::vector<std::string> rows;
  for (idx_t i = 0; i < r.RowCount(); i++) {
    std::string row;
    for (idx_t c = 0; c < r.column_names.size(); c++) {
      row += (c > 0 ? "|" : "") + r.GetValue(c, i).ToString();
    }
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// The session setting turns the check on for one connection: the same rows
// come back through a serialized copy of each plan, in both formats.
TEST(PlanRoundTripTest, SessionSettingRunsTheDeserializedCopy) {
  Database db(DatabaseOptions{2, ""});
  Connection con(db);
  ASSERT_TRUE(con.Query("CREATE TABLE t (k INTEGER, s VARCHAR, d DECIMAL(38,4))").ok);
  ASSERT_TRUE(con.Query("INSERT INTO t VALUES (1, 'apple', 1.5), (2, 'banana', -2.25), "
                        "(3, NULL, 99999999999999999999999999999999.9999)")
                  .ok);
  const std::vector<std::string> queries = {
      "SELECT k, s FROM t WHERE s LIKE 'b%' OR s ILIKE 'APP%'",
      "SELECT CASE WHEN k > 1 THEN CAST(k AS DECIMAL(10,2)) ELSE d END FROM t",
      "SELECT count(*), sum(d), avg(k) FROM t",
      "SELECT g, t.s FROM generate_series(1, 5000) AS x(g) LEFT JOIN t ON t.k = g WHERE g % 1000 = "
      "1",
      "SELECT k, row_number() OVER (ORDER BY d DESC) FROM t",
      "SELECT relname FROM pg_catalog.pg_class WHERE pg_table_is_visible(oid) AND relname = 't'",
  };
  std::vector<std::vector<std::string>> expected;
  for (const auto& q : queries) expected.push_back(Rows(con, q));
  for (const char* mode : {"binary", "json"}) {
    ASSERT_TRUE(con.Query(std::string("SET plan_roundtrip = '") + mode + "'").ok);
    for (size_t i = 0; i < queries.size(); i++) {
      EXPECT_EQ(Rows(con, queries[i]), expected[i]) << mode << ": " << queries[i];
    }
  }
  ASSERT_TRUE(con.Query("SET plan_roundtrip = 'xml'").ok);
  QueryResult r = con.Query("SELECT 1");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error_code, "22023");
}

}  // namespace
}  // namespace basalt
