#include "main/database.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace basalt {
namespace {

std::string PlanText(Connection& con, const std::string& sql) {
  QueryResult r = con.Query("EXPLAIN " + sql);
  EXPECT_TRUE(r.ok) << r.error_message;
  std::string text;
  for (idx_t i = 0; i < r.RowCount(); i++) text += r.GetValue(0, i).ToString() + "\n";
  return text;
}

int CountOccurrences(const std::string& text, const std::string& word) {
  int n = 0;
  for (size_t pos = text.find(word); pos != std::string::npos; pos = text.find(word, pos + 1)) n++;
  return n;
}

std::string Show(Connection& con, const std::string& name) {
  QueryResult r = con.Query("SHOW " + name);
  EXPECT_TRUE(r.ok) << r.error_message;
  return r.ok ? r.GetValue(0, 0).ToString() : "";
}

TEST(DatabaseTest, SettingsBelongToTheirConnection) {
  Database db(DatabaseOptions{2, ""});
  Connection a(db);
  Connection b(db);
  ASSERT_TRUE(a.Query("SET application_name = 'one'").ok);
  EXPECT_EQ(Show(a, "application_name"), "one");
  EXPECT_EQ(Show(b, "application_name"), "");
  // The defaults PostgreSQL clients read, case-insensitively.
  EXPECT_EQ(Show(b, "TimeZone"), "UTC");
  EXPECT_EQ(Show(b, "datestyle"), "ISO, MDY");
  EXPECT_EQ(Show(b, "threads"), "2");
  QueryResult settings = a.Query("SELECT setting FROM pg_settings WHERE name = 'application_name'");
  ASSERT_TRUE(settings.ok) << settings.error_message;
  EXPECT_EQ(settings.GetValue(0, 0).ToString(), "one");
}

TEST(DatabaseTest, RollbackUndoesSetAndCommitKeepsIt) {
  Database db(DatabaseOptions{1, ""});
  Connection con(db);
  ASSERT_TRUE(con.Query("SET search_path = x").ok);
  ASSERT_TRUE(con.Query("BEGIN").ok);
  ASSERT_TRUE(con.Query("SET search_path = y").ok);
  QueryResult rollback = con.Query("ROLLBACK");
  EXPECT_TRUE(rollback.ok) << rollback.error_message;  // a SET alone can be undone
  EXPECT_EQ(Show(con, "search_path"), "x");
  ASSERT_TRUE(con.Query("BEGIN; SET search_path = z; COMMIT").ok);
  EXPECT_EQ(Show(con, "search_path"), "z");
  // A failed block rolls back its SETs at COMMIT too.
  ASSERT_TRUE(con.Query("BEGIN; SET search_path = w").ok);
  EXPECT_FALSE(con.Query("SELECT nope").ok);
  EXPECT_TRUE(con.Query("COMMIT").ok);
  EXPECT_EQ(Show(con, "search_path"), "z");
}

TEST(DatabaseTest, ExplainOfJoinWithAggregateShowsFragmentsAndExchanges) {
  Database db(DatabaseOptions{2, ""});
  Connection con(db);
  ASSERT_TRUE(con.Query("CREATE TABLE a AS SELECT range AS id, range % 7 AS g FROM range(50000)").ok);
  ASSERT_TRUE(con.Query("CREATE TABLE b AS SELECT range AS id, range % 3 AS h FROM range(40000)").ok);
  std::string plan =
      PlanText(con, "SELECT a.g, count(*) FROM a JOIN b ON a.id = b.id GROUP BY a.g ORDER BY 1");
  EXPECT_GE(CountOccurrences(plan, "Fragment "), 2) << plan;
  EXPECT_GE(CountOccurrences(plan, "ExchangeReceiver"), 1) << plan;
  EXPECT_NE(plan.find("hash exchange"), std::string::npos) << plan;
  EXPECT_NE(plan.find("HashJoin"), std::string::npos) << plan;
  EXPECT_NE(plan.find("HashAggregate"), std::string::npos) << plan;
  EXPECT_NE(plan.find("[2 instances]"), std::string::npos) << plan;

  // And it runs to the right answer.
  QueryResult r = con.Query("SELECT a.g, count(*) FROM a JOIN b ON a.id = b.id GROUP BY a.g ORDER BY 1");
  ASSERT_TRUE(r.ok) << r.error_message;
  ASSERT_EQ(r.RowCount(), 7u);
  int64_t total = 0;
  for (idx_t i = 0; i < 7; i++) total += r.GetValue(1, i).GetInt64();
  EXPECT_EQ(total, 40000);
}

TEST(DatabaseTest, ErrorsCarryCodeMessageAndPosition) {
  Database db(DatabaseOptions{2, ""});
  Connection con(db);
  QueryResult r = con.Query("SELECT 1;\nSELECT nope FROM (SELECT 1 AS x) t");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error_code, "42703");
  EXPECT_EQ(r.error_message, "column \"nope\" does not exist");
  EXPECT_EQ(r.error_position, 17);  // the offset of "nope" in the whole text

  r = con.Query("SELECT * FROM missing_table");
  EXPECT_EQ(r.error_code, "42P01");
  EXPECT_EQ(r.error_position, 14);

  r = con.Query("SELECT 2147483647::INTEGER + 1");
  EXPECT_EQ(r.error_code, "22003");
}

TEST(DatabaseTest, QueryEachStopsAtTheFirstError) {
  Database db(DatabaseOptions{2, ""});
  Connection con(db);
  std::vector<std::string> tags;
  bool ok = con.QueryEach("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1); SELECT 1/0; "
                          "INSERT INTO t VALUES (2)",
                          [&](QueryResult& r) {
                            tags.push_back(r.ok ? r.tag : r.error_code);
                            return true;
                          });
  EXPECT_FALSE(ok);
  EXPECT_EQ(tags, (std::vector<std::string>{"CREATE TABLE", "INSERT 0 1", "22012"}));
  QueryResult r = con.Query("SELECT count(*) FROM t");
  EXPECT_EQ(r.GetValue(0, 0).GetInt64(), 1);
}

TEST(DatabaseTest, QueryEachStopsWhenTheCallerSaysSo) {
  Database db(DatabaseOptions{2, ""});
  Connection con(db);
  std::vector<std::string> tags;
  bool ok = con.QueryEach("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1); "
                          "INSERT INTO t VALUES (2)",
                          [&](QueryResult& r) {
                            tags.push_back(r.tag);
                            return tags.size() < 2;  // stop after the first INSERT
                          });
  EXPECT_FALSE(ok);
  EXPECT_EQ(tags, (std::vector<std::string>{"CREATE TABLE", "INSERT 0 1"}));
  QueryResult r = con.Query("SELECT count(*) FROM t");
  EXPECT_EQ(r.GetValue(0, 0).GetInt64(), 1);
  // Every statement ran and succeeded.
  EXPECT_TRUE(con.QueryEach("SELECT 1; SELECT 2", [](QueryResult&) { return true; }));
}

TEST(DatabaseTest, ConnectionsRunQueriesConcurrently) {
  Database db(DatabaseOptions{2, ""});
  {
    Connection con(db);
    ASSERT_TRUE(con.Query("CREATE TABLE t AS SELECT range AS x FROM range(100000)").ok);
  }
  std::vector<std::thread> threads;
  std::vector<int64_t> sums(4, 0);
  for (int i = 0; i < 4; i++) {
    threads.emplace_back([&, i] {
      Connection con(db);
      for (int k = 0; k < 10; k++) {
        QueryResult r = con.Query("SELECT sum(x) FROM t WHERE x % 2 = 0");
        if (r.ok) sums[i] = static_cast<int64_t>(r.GetValue(0, 0).GetDecimal());
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int64_t s : sums) EXPECT_EQ(s, 2499950000);
}

TEST(DatabaseTest, OneThreadGivesTheSameRowsAsSeveral) {
  const char* kQuery =
      "SELECT x % 10 AS k, count(*), sum(x), min(x), max(x) FROM range(30000) t(x) "
      "GROUP BY x % 10 ORDER BY k";
  std::vector<std::string> results;
  for (int threads : {1, 2, 4}) {
    Database db(DatabaseOptions{threads, ""});
    Connection con(db);
    QueryResult r = con.Query(kQuery);
    ASSERT_TRUE(r.ok) << r.error_message;
    std::string text;
    for (const auto& c : r.chunks) text += c.ToString();
    results.push_back(text);
  }
  EXPECT_EQ(results[0], results[1]);
  EXPECT_EQ(results[0], results[2]);
}

TEST(DatabaseTest, DeepNestingGivesAResultOrAClearError) {
  Database db(DatabaseOptions{2, ""});
  Connection con(db);
  // A 200-deep expression works.
  std::string nested = "1";
  for (int i = 0; i < 200; i++) nested = "(" + nested + " + 1)";
  QueryResult r = con.Query("SELECT " + nested);
  ASSERT_TRUE(r.ok) << r.error_message;
  EXPECT_EQ(r.GetValue(0, 0).GetInt64(), 201);

  // Far longer chains are refused with 54000, never a crash.
  for (int terms : {20000, 200000}) {
    std::string chain = "SELECT 1";
    for (int i = 1; i < terms; i++) chain += "+1";
    r = con.Query(chain);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error_code, "54000") << terms;
  }

  // A 50-way join.
  std::string from, where;
  for (int i = 0; i < 50; i++) {
    ASSERT_TRUE(con.Query("CREATE TABLE j" + std::to_string(i) +
                          " AS SELECT range AS id FROM range(20)")
                    .ok);
    from += (i ? ", j" : "j") + std::to_string(i);
    if (i > 0) {
      where += (i > 1 ? " AND j" : "j") + std::to_string(i - 1) + ".id = j" + std::to_string(i) + ".id";
    }
  }
  r = con.Query("SELECT count(*) FROM " + from + " WHERE " + where);
  ASSERT_TRUE(r.ok) << r.error_message;
  EXPECT_EQ(r.GetValue(0, 0).GetInt64(), 20);
}

}  // namespace
}  // namespace basalt
