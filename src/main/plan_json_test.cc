// The plan-with-profile JSON the REST API and the web console read
// (main/plan_json.h), from queries run through a connection and found in the
// database's query registry.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "main/database.h"
#include "main/database_instance.h"

namespace basalt {
namespace {

using nlohmann::json;

class PlanJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(con_.Query("CREATE TABLE t (x INTEGER, g VARCHAR)").ok);
    ASSERT_TRUE(con_.Query("INSERT INTO t SELECT range, 'g' || (range % 7) FROM range(10000)").ok);
  }

  // The plan JSON the registry kept for the last statement run.
  json LastPlan() {
    auto info = db_.instance().queries().Find(con_.query_id());
    EXPECT_TRUE(info.has_value());
    if (!info || info->record.plan_json.empty()) return nullptr;
    return json::parse(info->record.plan_json);
  }

  // Calls `visit` on every operator of every fragment.
  static void ForEachOperator(const json& plan, const std::function<void(const json&)>& visit) {
    std::function<void(const json&)> walk = [&](const json& node) {
      visit(node);
      for (const json& child : node["children"]) walk(child);
    };
    for (const json& fragment : plan["fragments"]) walk(fragment["root"]);
  }

  Database db_{DatabaseOptions{2, ""}};
  Connection con_{db_};
};

TEST_F(PlanJsonTest, HasFragmentsOperatorsWithFiguresAndOneSlowest) {
  QueryResult r = con_.Query("SELECT g, count(*) FROM t WHERE x > 5 GROUP BY g ORDER BY g");
  ASSERT_TRUE(r.ok) << r.error_message;
  json plan = LastPlan();
  ASSERT_TRUE(plan.is_object());
  EXPECT_EQ(plan["rows_returned"], 7);
  ASSERT_GE(plan["fragments"].size(), 2u);
  EXPECT_EQ(plan["fragments"][0]["id"], 0);
  EXPECT_EQ(plan["fragments"][0]["output"], "client");

  int slowest = 0;
  int scans = 0;
  int receivers = 0;
  ForEachOperator(plan, [&](const json& node) {
    EXPECT_TRUE(node["name"].is_string());
    ASSERT_TRUE(node["rows"].is_number()) << node.dump();  // every instance finished
    EXPECT_GE(node["self_ms"].get<double>(), 0.0);
    EXPECT_GE(node["time_ms"].get<double>(), node["self_ms"].get<double>() - 1e-9);
    if (node["slowest"].get<bool>()) slowest++;
    if (node["name"] == "TableScan") {
      scans++;
      EXPECT_EQ(node["rows"], 9994);  // the scan applies the filter itself
      EXPECT_EQ(node["instances"], 2);
    }
    if (node["name"] == "ExchangeReceiver") {
      receivers++;
      EXPECT_TRUE(node["source_fragment"].is_number());
      EXPECT_TRUE(node["exchange_type"].is_string());
    }
  });
  EXPECT_EQ(slowest, 1);
  EXPECT_EQ(scans, 1);
  EXPECT_GE(receivers, 1);
}

TEST_F(PlanJsonTest, CommandsWithoutAPlanHaveNone) {
  ASSERT_TRUE(con_.Query("SELECT count(*) FROM t").ok);
  ASSERT_TRUE(LastPlan().is_object());
  // CREATE runs no query plan, and must not show the previous statement's.
  ASSERT_TRUE(con_.Query("CREATE TABLE u (y INTEGER)").ok);
  EXPECT_TRUE(LastPlan().is_null());
  ASSERT_TRUE(con_.Query("BEGIN").ok);
  EXPECT_TRUE(LastPlan().is_null());
  ASSERT_TRUE(con_.Query("COMMIT").ok);
}

TEST_F(PlanJsonTest, NamesWithQuotesAndMarkupSurviveAsText) {
  ASSERT_TRUE(con_.Query(R"(CREATE TABLE "we""ird<b>" ("a""b" INTEGER))").ok);
  ASSERT_TRUE(con_.Query(R"(SELECT * FROM "we""ird<b>" WHERE "a""b" > 1)").ok);
  json plan = LastPlan();
  ASSERT_TRUE(plan.is_object());
  std::string details;
  ForEachOperator(plan, [&](const json& node) {
    if (node["name"] == "TableScan") details = node["details"];
  });
  EXPECT_NE(details.find("we\"ird<b>"), std::string::npos) << details;
}

TEST_F(PlanJsonTest, ProgressCountsInstancesAndScannedRows) {
  ASSERT_TRUE(con_.Query("SELECT sum(x) FROM t").ok);
  auto info = db_.instance().queries().Find(con_.query_id());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->record.rows_scanned, 10000u);
  EXPECT_GT(info->record.bytes_scanned, 0u);
  EXPECT_EQ(info->progress.instances_done, info->progress.instances_total);
  EXPECT_GT(info->progress.instances_total, 1u);
  EXPECT_EQ(info->progress.rows_estimated, 10000u);
  EXPECT_DOUBLE_EQ(info->progress.Fraction(), 1.0);
}

}  // namespace
}  // namespace basalt
