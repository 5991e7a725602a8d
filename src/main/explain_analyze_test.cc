// EXPLAIN ANALYZE through a connection: it runs the query and reports, per
// operator, what each did. Timings vary, so only rows, structure and errors
// are checked.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

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

// The lines right after the first line containing `part` that describe its
// instances ("instance N...").
std::vector<std::string> InstanceLines(const std::string& text, const std::string& part) {
  std::vector<std::string> lines;
  size_t at = text.find(part);
  if (at == std::string::npos) return lines;
  size_t start = text.find('\n', at);
  while (start != std::string::npos && start + 1 < text.size()) {
    size_t end = text.find('\n', start + 1);
    std::string line = text.substr(start + 1, end - start - 1);
    std::string trimmed = line.substr(line.find_first_not_of(' '));
    if (trimmed.rfind("instance ", 0) != 0 && trimmed.rfind("... ", 0) != 0) break;
    lines.push_back(trimmed);
    start = end;
  }
  return lines;
}

// A "name=<size>" figure in bytes ("peak_memory=1.5 MiB" -> 1572864); -1 if absent.
double SizeFigure(const std::string& line, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(line, m, std::regex(name + R"(=([0-9.]+) (B|KiB|MiB|GiB))"))) return -1;
  double value = std::stod(m[1]);
  const std::string unit = m[2];
  if (unit == "KiB") value *= 1024;
  if (unit == "MiB") value *= 1024 * 1024;
  if (unit == "GiB") value *= 1024.0 * 1024 * 1024;
  return value;
}

TEST_F(ExplainAnalyzeTest, ShowsBytesPeakMemoryAndEachInstance) {
  std::string text = PlanText(con_,
                              "EXPLAIN ANALYZE SELECT a.x % 10 AS g, count(*) FROM t a JOIN t b "
                              "ON a.x = b.x GROUP BY g ORDER BY g");
  // Each scan returns 10,000 INTEGERs: 40,000 bytes.
  std::string scan = LineWith(text, "TableScan");
  EXPECT_EQ(SizeFigure(scan, "bytes"), 39.1 * 1024) << text;
  // A scan holds nothing; the join's build side, the aggregates' groups and
  // the sort's rows do.
  EXPECT_EQ(SizeFigure(scan, "peak_memory"), -1) << text;
  EXPECT_GT(SizeFigure(LineWith(text, "HashJoin"), "peak_memory"), 10000 * 4) << text;
  EXPECT_GT(SizeFigure(LineWith(text, "HashAggregate"), "peak_memory"), 0) << text;
  EXPECT_GT(SizeFigure(LineWith(text, "Sort"), "peak_memory"), 0) << text;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(\nPeak memory: ([0-9.]+) (B|KiB|MiB))")))
      << text;
  EXPECT_GT(std::stod(m[1]), 0) << text;

  // The scan ran as two instances: one line each, in one process without a
  // host, their rows adding up, the slowest marked once.
  std::vector<std::string> instances = InstanceLines(text, "TableScan");
  ASSERT_EQ(instances.size(), 2u) << text;
  int64_t rows = 0;
  int slowest = 0;
  for (size_t i = 0; i < instances.size(); i++) {
    EXPECT_EQ(instances[i].rfind("instance " + std::to_string(i) + ": rows=", 0), 0u)
        << instances[i];
    EXPECT_NE(instances[i].find(" bytes="), std::string::npos) << instances[i];
    EXPECT_NE(instances[i].find(" time="), std::string::npos) << instances[i];
    rows += std::stoll(instances[i].substr(instances[i].find("rows=") + 5));
    slowest += instances[i].find("(slowest)") != std::string::npos;
  }
  EXPECT_EQ(rows, 10000) << text;
  EXPECT_EQ(slowest, 1) << text;
  // The join's instances each report the memory they held.
  for (const std::string& line : InstanceLines(text, "HashJoin")) {
    EXPECT_GT(SizeFigure(line, "peak_memory"), 0) << line;
  }
  // The root fragment's nodes run once: no instance lines.
  EXPECT_TRUE(InstanceLines(text, "Sort").empty()) << text;
}

TEST_F(ExplainAnalyzeTest, InstanceLinesAreCappedWithTheSlowestKept) {
  Database wide{DatabaseOptions{20, ""}};
  Connection con{wide};
  ASSERT_TRUE(con.Query("CREATE TABLE t AS SELECT range AS x FROM range(100000)").ok);
  std::string text = PlanText(con, "EXPLAIN ANALYZE SELECT count(*) FROM t WHERE x % 3 = 0");
  EXPECT_NE(text.find("[20 instances]"), std::string::npos) << text;
  std::vector<std::string> lines = InstanceLines(text, "TableScan");
  ASSERT_EQ(lines.size(), 17u) << text;  // 16 instances, then the rest counted
  EXPECT_EQ(lines.back(), "... 4 more instances") << text;
  int slowest = 0;
  for (const std::string& line : lines) slowest += line.find("(slowest)") != std::string::npos;
  EXPECT_EQ(slowest, 1) << text;

  ASSERT_TRUE(con.Query("SET explain_instance_lines = 2").ok);
  text = PlanText(con, "EXPLAIN ANALYZE SELECT count(*) FROM t WHERE x % 3 = 0");
  lines = InstanceLines(text, "TableScan");
  ASSERT_EQ(lines.size(), 3u) << text;
  EXPECT_EQ(lines.back(), "... 18 more instances") << text;
  EXPECT_NE((lines[0] + lines[1]).find("(slowest)"), std::string::npos) << text;

  ASSERT_TRUE(con.Query("SET explain_instance_lines = 0").ok);
  text = PlanText(con, "EXPLAIN ANALYZE SELECT count(*) FROM t WHERE x % 3 = 0");
  EXPECT_TRUE(InstanceLines(text, "TableScan").empty()) << text;
}

TEST_F(ExplainAnalyzeTest, MemLimitFailsTheQueryNamingTheOperator) {
  ASSERT_TRUE(con_.Query("SET mem_limit = '256KB'").ok);
  const std::string join =
      "SELECT count(*) FROM range(0, 200000) a(i) JOIN range(0, 200000) b(j) ON i = j";
  QueryResult r = con_.Query(join);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error_code, "53200") << r.error_message;
  EXPECT_NE(r.error_message.find("out of memory: the query needs more than its limit of 256.0 "
                                 "KiB here (HashJoin used "),
            std::string::npos)
      << r.error_message;
  r = con_.Query("EXPLAIN ANALYZE " + join);
  EXPECT_EQ(r.error_code, "53200") << r.error_message;
  r = con_.Query("SELECT i FROM range(0, 200000) r(i) ORDER BY i DESC");
  EXPECT_EQ(r.error_code, "53200") << r.error_message;
  EXPECT_NE(r.error_message.find("(Sort used "), std::string::npos) << r.error_message;

  ASSERT_TRUE(con_.Query("SET mem_limit = 0").ok);
  r = con_.Query(join);
  ASSERT_TRUE(r.ok) << r.error_message;
  EXPECT_EQ(r.GetValue(0, 0).GetInt64(), 200000);

  r = con_.Query("SET mem_limit = 'a lot'");
  EXPECT_EQ(r.error_code, "22023") << r.error_message;
}

}  // namespace
}  // namespace basalt
