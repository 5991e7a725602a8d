// EXPLAIN ANALYZE through a connection: it runs the query and reports, per
// operator, what each did. Timings vary, so only rows, structure and errors
// are checked.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "main/database.h"

namespace basalt {
namespace {

std::string PlanText(Connection& con, const std::string& sql) {
  QueryResult r = con.Query(sql);
  EXPECT_TRUE(r.ok) << r.error_message;
  EXPECT_EQ(r.tag, "EXPLAIN");
  std::string text;
  for (idx_t i = 0; i < r.RowCount(); i++) text += r.GetValue(0, i).ToString() + "\n";
  return text;
}

// The line of `text` that contains `part` (the first one).
std::string LineWith(const std::string& text, const std::string& part) {
  size_t at = text.find(part);
  if (at == std::string::npos) return "";
  size_t start = text.rfind('\n', at);
  start = start == std::string::npos ? 0 : start + 1;
  return text.substr(start, text.find('\n', at) - start);
}

// The actual rows on `line` ("rows=N"), or -1.
int64_t ActualRows(const std::string& line) {
  std::smatch m;
  if (!std::regex_search(line, m, std::regex(R"(\[rows=(\d+))"))) return -1;
  return std::stoll(m[1]);
}

class ExplainAnalyzeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(con_.Query("CREATE TABLE t (x INTEGER)").ok);
    // Several batches, so that both scan instances have work.
    ASSERT_TRUE(con_.Query("INSERT INTO t SELECT range FROM range(10000)").ok);
  }

  Database db_{DatabaseOptions{2, ""}};
  Connection con_{db_};
};

TEST_F(ExplainAnalyzeTest, ReportsEachOperatorsRowsInTheFragmentedPlan) {
  std::string text = PlanText(con_, "EXPLAIN ANALYZE SELECT count(*) FROM t WHERE x > 5");
  // The plan's shape is EXPLAIN's: fragments, instances, exchanges.
  EXPECT_NE(text.find("Fragment 0 [1 instance] -> client"), std::string::npos) << text;
  EXPECT_NE(text.find("Fragment 1 [2 instances] -> gather exchange 0"), std::string::npos) << text;

  // 0..9999 has 9,994 values above 5; the scan applies the filter itself.
  std::string scan = LineWith(text, "TableScan");
  EXPECT_EQ(ActualRows(scan), 9994) << text;
  EXPECT_NE(scan.find("(est "), std::string::npos) << scan;
  EXPECT_NE(scan.find("self="), std::string::npos) << scan;
  EXPECT_NE(scan.find(" ms"), std::string::npos) << scan;

  // The partial aggregates send what the receiver gets, across fragments;
  // the final aggregate makes the one row.
  int64_t partial = ActualRows(LineWith(text, "count_star"));
  EXPECT_GE(partial, 1) << text;
  EXPECT_LE(partial, 2) << text;
  EXPECT_EQ(ActualRows(LineWith(text, "ExchangeReceiver")), partial) << text;
  EXPECT_EQ(ActualRows(LineWith(text, "count_merge")), 1) << text;
  // Several instances: the slowest one is shown beside the sum.
  EXPECT_NE(scan.find("(max "), std::string::npos) << scan;

  EXPECT_NE(text.find("Rows returned: 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Execution time: "), std::string::npos) << text;
}

TEST_F(ExplainAnalyzeTest, PlainExplainShowsEstimatesOnly) {
  std::string text = PlanText(con_, "EXPLAIN SELECT count(*) FROM t WHERE x > 5");
  EXPECT_NE(text.find("rows)"), std::string::npos) << text;
  EXPECT_EQ(text.find("rows="), std::string::npos) << text;
  EXPECT_EQ(text.find("Execution time"), std::string::npos) << text;
}

TEST_F(ExplainAnalyzeTest, ProducersStoppedAfterALimitStillReport) {
  std::string text = PlanText(con_, "EXPLAIN ANALYZE SELECT x FROM t WHERE x > 5 LIMIT 3");
  EXPECT_EQ(ActualRows(LineWith(text, "Limit")), 3) << text;  // Fragment 0's comes first
  EXPECT_GE(ActualRows(LineWith(text, "TableScan")), 3) << text;
  EXPECT_NE(text.find("Rows returned: 3\n"), std::string::npos) << text;
}

TEST_F(ExplainAnalyzeTest, RunsTheQuerySoRunTimeErrorsSurface) {
  // EXPLAIN alone does not run it; EXPLAIN ANALYZE does, and fails as it would.
  EXPECT_TRUE(con_.Query("EXPLAIN SELECT 1 / x FROM t").ok);
  QueryResult r = con_.Query("EXPLAIN ANALYZE SELECT 1 / x FROM t");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error_code, "22012") << r.error_message;
}

TEST_F(ExplainAnalyzeTest, OnlyQueriesAreAnalyzed) {
  QueryResult r = con_.Query("EXPLAIN ANALYZE INSERT INTO t VALUES (1)");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error_code, "0A000") << r.error_message;
  r = con_.Query("SELECT count(*) FROM t");
  ASSERT_TRUE(r.ok) << r.error_message;
  EXPECT_EQ(r.GetValue(0, 0).GetInt64(), 10000);  // nothing was inserted
}

TEST_F(ExplainAnalyzeTest, CanBeCancelled) {
  std::thread canceller([&] {
    while (!con_.Executing()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    con_.Cancel();
  });
  QueryResult r = con_.Query(
      "EXPLAIN ANALYZE SELECT count(*) FROM range(1000000) a, range(1000000) b "
      "WHERE a.range + b.range = 7");
  canceller.join();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error_code, "57014") << r.error_message;
}

}  // namespace
}  // namespace basalt
