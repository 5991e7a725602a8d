#include "main/query_registry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <numeric>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/exception.h"
#include "common/temp_dir_test_util.h"
#include "main/database.h"
#include "main/database_instance.h"
#include "main/running_statement.h"

namespace basalt {
namespace {

using testing::TempDir;

QueryResult Ok(const std::string& tag) {
  QueryResult r;
  r.tag = tag;
  return r;
}

QueryResult Failed(const char* code, const std::string& message, int32_t position = -1) {
  QueryResult r;
  r.ok = false;
  r.error_code = code;
  r.error_message = message;
  r.error_position = position;
  return r;
}

ClientInfo Client(const std::string& user, const std::string& client) {
  ClientInfo info;
  info.user = user;
  info.client = client;
  return info;
}

// Distinct start times, so that "newest first" has one answer.
void NextMicrosecond() { std::this_thread::sleep_for(std::chrono::milliseconds(2)); }

std::string RunOne(QueryRegistry& registry, const std::string& sql, const QueryResult& result,
                const ClientInfo& client = ClientInfo()) {
  QueryRegistry::Entry entry = registry.Begin(sql, client, nullptr);
  std::string id = entry.id();
  entry.Finish(result);
  NextMicrosecond();
  return id;
}

std::vector<std::string> Ids(const std::vector<QueryInfo>& infos) {
  std::vector<std::string> ids;
  for (const QueryInfo& info : infos) ids.push_back(info.record.id);
  return ids;
}

std::unique_ptr<QueryHistoryStore> OpenStore(const TempDir& dir, uint64_t retention) {
  return QueryHistoryStore::Open(dir.File("queries.db"), retention);
}

TEST(QueryRegistryTest, BeginAndFinishStates) {
  QueryRegistry registry;
  QueryRegistry::Entry running = registry.Begin("SELECT 1", Client("bob", "http"), nullptr);
  ASSERT_FALSE(running.id().empty());
  std::optional<QueryInfo> info = registry.Find(running.id());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->record.state, "running");
  EXPECT_EQ(info->record.sql, "SELECT 1");
  EXPECT_EQ(info->record.user, "bob");
  EXPECT_EQ(info->record.client, "http");
  EXPECT_EQ(info->record.end_micros, 0);
  EXPECT_GT(info->record.start_micros, 0);
  EXPECT_EQ(registry.totals().running, 1u);

  const std::string id = running.id();
  running.Finish(Ok("INSERT 0 5"));
  info = registry.Find(id);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->record.state, "finished");
  EXPECT_EQ(info->record.rows, 5u);
  EXPECT_GE(info->record.end_micros, info->record.start_micros);
  EXPECT_TRUE(info->record.error_code.empty());
  EXPECT_EQ(registry.totals().running, 0u);

  const std::string failed =
      RunOne(registry, "SELECT * FROM nope", Failed(sqlstate::kUndefinedTable, "no nope", 14));
  info = registry.Find(failed);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->record.state, "failed");
  EXPECT_EQ(info->record.error_code, "42P01");
  EXPECT_EQ(info->record.error_message, "no nope");
  EXPECT_EQ(info->record.error_position, 14);
  EXPECT_EQ(info->record.rows, 0u);

  const std::string cancelled =
      RunOne(registry, "SELECT 2", Failed(sqlstate::kQueryCanceled, "canceling statement"));
  EXPECT_EQ(registry.Find(cancelled)->record.state, "cancelled");
  EXPECT_EQ(registry.Find(cancelled)->record.error_code, "57014");

  // Tags without a trailing count are 0 rows; ids are unique.
  const std::string ddl = RunOne(registry, "CREATE TABLE a (x INTEGER)", Ok("CREATE TABLE"));
  EXPECT_EQ(registry.Find(ddl)->record.rows, 0u);
  std::set<std::string> ids = {id, failed, cancelled, ddl};
  EXPECT_EQ(ids.size(), 4u);
}

TEST(QueryRegistryTest, EntryDestroyedUnfinishedEndsAsFailed) {
  QueryRegistry registry;
  std::string id;
  {
    QueryRegistry::Entry entry = registry.Begin("SELECT boom", ClientInfo(), nullptr);
    id = entry.id();
    QueryRegistry::Entry moved(std::move(entry));  // only the moved-to entry finishes
  }
  std::optional<QueryInfo> info = registry.Find(id);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->record.state, "failed");
  EXPECT_FALSE(info->record.error_code.empty());
  EXPECT_EQ(registry.totals().ended.at("failed"), 1u);
  EXPECT_EQ(registry.totals().latency_count, 1u);
}

TEST(QueryRegistryTest, UnrecordedClientsAreNotListed) {
  QueryRegistry registry;
  ClientInfo hidden;
  hidden.recorded = false;
  QueryRegistry::Entry entry = registry.Begin("SELECT 1", hidden, nullptr);
  EXPECT_TRUE(entry.id().empty());
  entry.Finish(Ok("SELECT 1"));
  EXPECT_EQ(registry.RecordFailure("SELEC", hidden, Failed(sqlstate::kSyntaxError, "x")), "");
  EXPECT_TRUE(registry.List(100).empty());
  EXPECT_TRUE(registry.totals().ended.empty());
}

TEST(QueryRegistryTest, RowsOfASelectAreItsRowCount) {
  Database db(DatabaseOptions{1, ""});
  Connection con(db);
  QueryResult select = con.Query("SELECT x FROM generate_series(1, 7) g(x)");
  ASSERT_TRUE(select.ok) << select.error_message;
  ASSERT_TRUE(select.returns_rows);
  QueryRegistry registry;
  const std::string id = RunOne(registry, "SELECT ...", select);
  EXPECT_EQ(registry.Find(id)->record.rows, 7u);
}

TEST(QueryRegistryTest, ListsRunningFirstThenNewestFirst) {
  QueryRegistry registry;
  QueryRegistry::Entry a = registry.Begin("running a", ClientInfo(), nullptr);
  NextMicrosecond();
  const std::string b = RunOne(registry, "finished b", Ok("SELECT 0"));
  const std::string c = RunOne(registry, "finished c", Ok("SELECT 0"));
  QueryRegistry::Entry d = registry.Begin("running d", ClientInfo(), nullptr);
  NextMicrosecond();
  const std::string e = RunOne(registry, "failed e", Failed(sqlstate::kSyntaxError, "x"));

  std::vector<QueryInfo> all = registry.List(100);
  EXPECT_EQ(Ids(all), (std::vector<std::string>{d.id(), a.id(), e, c, b}));
  EXPECT_EQ(all[0].record.state, "running");
  EXPECT_EQ(all[1].record.state, "running");
  EXPECT_EQ(all[2].record.state, "failed");
  // No plans in the list.
  for (const QueryInfo& info : all) EXPECT_TRUE(info.record.plan_json.empty());
  // The limit keeps the first ones.
  EXPECT_EQ(Ids(registry.List(3)), (std::vector<std::string>{d.id(), a.id(), e}));
  EXPECT_EQ(Ids(registry.List(1)), (std::vector<std::string>{d.id()}));

  a.Finish(Ok("SELECT 0"));
  all = registry.List(100);
  EXPECT_EQ(Ids(all), (std::vector<std::string>{d.id(), a.id(), e, c, b}));
  EXPECT_EQ(all[1].record.state, "finished");
  d.Finish(Ok("SELECT 0"));
  EXPECT_EQ(registry.List(100).size(), 5u);
}

TEST(QueryRegistryTest, InMemoryListIsBounded) {
  QueryRegistry registry;
  std::string first;
  std::string last;
  for (size_t i = 0; i < QueryRegistry::kRecentInMemory + 20; i++) {
    QueryRegistry::Entry entry = registry.Begin("SELECT " + std::to_string(i), ClientInfo(),
                                                nullptr);
    if (i == 0) first = entry.id();
    last = entry.id();
    entry.Finish(Ok("SELECT 1"));
  }
  std::vector<QueryInfo> all = registry.List(100000);
  EXPECT_EQ(all.size(), QueryRegistry::kRecentInMemory);
  EXPECT_EQ(all.front().record.id, last);
  EXPECT_FALSE(registry.Find(first).has_value());
  EXPECT_EQ(registry.Cancel(first), QueryRegistry::CancelOutcome::kNotFound);
  // Totals count every query, not only the kept ones.
  EXPECT_EQ(registry.totals().ended.at("finished"), QueryRegistry::kRecentInMemory + 20);
}

TEST(QueryRegistryTest, CancelOutcomes) {
  QueryRegistry registry;
  RunningStatement statement;
  std::string id;
  {
    RunningStatement::Scope scope(statement);
    QueryRegistry::Entry entry = registry.Begin("SELECT slow", ClientInfo(), &statement);
    id = entry.id();
    EXPECT_FALSE(statement.cancelled());
    EXPECT_EQ(registry.Cancel(id), QueryRegistry::CancelOutcome::kCancelled);
    EXPECT_TRUE(statement.cancelled());
    entry.Finish(Failed(sqlstate::kQueryCanceled, "canceling statement due to user request"));
  }
  EXPECT_EQ(registry.Find(id)->record.state, "cancelled");
  EXPECT_EQ(registry.Cancel(id), QueryRegistry::CancelOutcome::kEnded);
  EXPECT_EQ(registry.Cancel("q-no-such-id"), QueryRegistry::CancelOutcome::kNotFound);
  EXPECT_EQ(registry.Cancel(""), QueryRegistry::CancelOutcome::kNotFound);
}

TEST(QueryRegistryTest, TotalsCountEndedQueriesAndLatencies) {
  QueryRegistry registry;
  for (int i = 0; i < 4; i++) RunOne(registry, "ok", Ok("SELECT 1"));
  for (int i = 0; i < 2; i++) RunOne(registry, "bad", Failed(sqlstate::kSyntaxError, "x"));
  RunOne(registry, "stopped", Failed(sqlstate::kQueryCanceled, "x"));
  QueryRegistry::Entry open = registry.Begin("open", ClientInfo(), nullptr);

  QueryRegistry::Totals totals = registry.totals();
  EXPECT_EQ(totals.ended.at("finished"), 4u);
  EXPECT_EQ(totals.ended.at("failed"), 2u);
  EXPECT_EQ(totals.ended.at("cancelled"), 1u);
  EXPECT_EQ(totals.running, 1u);
  EXPECT_EQ(totals.latency_count, 7u);
  const uint64_t in_buckets =
      std::accumulate(totals.latency_buckets.begin(), totals.latency_buckets.end(), uint64_t{0});
  // Every one took far less than the last bucket's 60 s.
  EXPECT_EQ(in_buckets, totals.latency_count);
  EXPECT_GE(totals.latency_sum_seconds, 0.0);
  EXPECT_LT(totals.latency_sum_seconds, 7 * 60.0);
  open.Finish(Ok("SELECT 1"));
  EXPECT_EQ(registry.totals().running, 0u);
  EXPECT_EQ(registry.totals().latency_count, 8u);
}

TEST(QueryRegistryTest, RecordFailureIsListedAsFailed) {
  QueryRegistry registry;
  const std::string id = registry.RecordFailure("SELEC 1", Client("carol", "postgres"),
                                                Failed(sqlstate::kSyntaxError, "syntax", 0));
  ASSERT_FALSE(id.empty());
  std::optional<QueryInfo> info = registry.Find(id);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->record.state, "failed");
  EXPECT_EQ(info->record.error_code, "42601");
  EXPECT_EQ(info->record.error_position, 0);
  EXPECT_EQ(info->record.user, "carol");
  EXPECT_EQ(registry.totals().running, 0u);
}

// --- with a QueryHistoryStore ----------------------------------------------

TEST(QueryRegistryHistoryTest, StoreKeepsTheNewestWithinRetention) {
  TempDir dir;
  std::unique_ptr<QueryHistoryStore> store = OpenStore(dir, 3);
  std::vector<std::string> ids;
  for (int i = 0; i < 200; i++) {
    QueryHistoryRecord r;
    r.id = "q" + std::to_string(1000 + i);
    r.sql = "SELECT " + std::to_string(i);
    r.user = "basalt";
    r.client = "embedded";
    r.state = "finished";
    r.start_micros = 1000 + i;
    r.end_micros = 2000 + i;
    r.rows = static_cast<uint64_t>(i);
    r.plan_json = "{\"n\":" + std::to_string(i) + "}";
    store->Append(r);
    ids.push_back(r.id);
  }
  std::vector<QueryHistoryRecord> recent = store->Recent(1000);
  ASSERT_GE(recent.size(), 1u);
  EXPECT_LE(recent.size(), 3u);
  EXPECT_EQ(recent[0].id, ids.back());
  for (size_t i = 1; i < recent.size(); i++) EXPECT_EQ(recent[i].id, ids[ids.size() - 1 - i]);
  EXPECT_TRUE(recent[0].plan_json.empty());  // Recent carries no plans
  EXPECT_FALSE(store->Find(ids.front()).has_value());
  std::optional<QueryHistoryRecord> newest = store->Find(ids.back());
  ASSERT_TRUE(newest.has_value());
  EXPECT_EQ(newest->plan_json, "{\"n\":199}");
  EXPECT_EQ(newest->rows, 199u);
}

TEST(QueryRegistryHistoryTest, LargerRetentionTrimsWithinSlack) {
  TempDir dir;
  std::unique_ptr<QueryHistoryStore> store = OpenStore(dir, 100);
  QueryRegistry registry(std::move(store));
  std::vector<std::string> ids;
  for (int i = 0; i < 200; i++) {
    QueryRegistry::Entry entry = registry.Begin("SELECT " + std::to_string(i), ClientInfo(),
                                                nullptr);
    ids.push_back(entry.id());
    entry.Finish(Ok("SELECT 1"));
  }
  std::vector<QueryInfo> all = registry.List(10000);
  EXPECT_GE(all.size(), 100u);
  EXPECT_LE(all.size(), 100u + 64u);
  EXPECT_EQ(all.front().record.id, ids.back());
  for (size_t i = 1; i < all.size(); i++) {
    EXPECT_EQ(all[i].record.id, ids[ids.size() - 1 - i]) << i;
  }
  EXPECT_TRUE(registry.Find(ids[150]).has_value());
  EXPECT_FALSE(registry.Find(ids[0]).has_value());
}

TEST(QueryRegistryHistoryTest, HistoryIsReopenedFromANewStore) {
  TempDir dir;
  std::string ok;
  std::string failed;
  std::string cancelled;
  {
    QueryRegistry registry(OpenStore(dir, 1000));
    ok = RunOne(registry, "INSERT INTO t VALUES (1), (2)", Ok("INSERT 0 2"), Client("dan", "shell"));
    failed = RunOne(registry, "SELECT * FROM nope", Failed(sqlstate::kUndefinedTable, "nope", 14));
    cancelled = RunOne(registry, "SELECT slow", Failed(sqlstate::kQueryCanceled, "cancelled"));
  }
  QueryRegistry reopened(OpenStore(dir, 1000));
  std::vector<QueryInfo> all = reopened.List(100);
  ASSERT_EQ(Ids(all), (std::vector<std::string>{cancelled, failed, ok}));
  EXPECT_EQ(all[2].record.sql, "INSERT INTO t VALUES (1), (2)");
  EXPECT_EQ(all[2].record.user, "dan");
  EXPECT_EQ(all[2].record.client, "shell");
  EXPECT_EQ(all[2].record.state, "finished");
  EXPECT_EQ(all[2].record.rows, 2u);
  EXPECT_EQ(all[1].record.state, "failed");
  EXPECT_EQ(all[1].record.error_code, "42P01");
  EXPECT_EQ(all[1].record.error_position, 14);
  EXPECT_EQ(all[0].record.state, "cancelled");
  EXPECT_GT(all[0].record.end_micros, 0);
  EXPECT_TRUE(reopened.Find(failed).has_value());
  EXPECT_EQ(reopened.Cancel(ok), QueryRegistry::CancelOutcome::kEnded);
  // Totals start again with the process.
  EXPECT_TRUE(reopened.totals().ended.empty());
}

// --- through a Database and its Connections ----------------------------------

std::optional<QueryInfo> FindBySql(Database& db, const std::string& sql) {
  for (const QueryInfo& info : db.instance().queries().List(1000)) {
    if (info.record.sql == sql) return info;
  }
  return std::nullopt;
}

TEST(QueryRegistryConnectionTest, EveryStatementIsListedWithItsText) {
  Database db(DatabaseOptions{2, ""});
  Connection con(db);
  QueryResult r = con.Query(
      "CREATE TABLE reg (x INTEGER); INSERT INTO reg SELECT * FROM generate_series(1, 5); "
      "SELECT x FROM reg WHERE x > 2 ORDER BY x");
  ASSERT_TRUE(r.ok) << r.error_message;
  const std::string select_id = con.query_id();

  std::vector<QueryInfo> all = db.instance().queries().List(100);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].record.sql, "SELECT x FROM reg WHERE x > 2 ORDER BY x");
  EXPECT_EQ(all[1].record.sql, "INSERT INTO reg SELECT * FROM generate_series(1, 5)");
  EXPECT_EQ(all[2].record.sql, "CREATE TABLE reg (x INTEGER)");
  EXPECT_EQ(all[0].record.id, select_id);
  EXPECT_EQ(all[0].record.rows, 3u);
  EXPECT_EQ(all[1].record.rows, 5u);
  for (const QueryInfo& info : all) {
    EXPECT_EQ(info.record.state, "finished");
    EXPECT_EQ(info.record.client, "embedded");
    EXPECT_EQ(info.record.user, "basalt");
  }

  std::optional<QueryInfo> select = db.instance().queries().Find(select_id);
  ASSERT_TRUE(select.has_value());
  EXPECT_NE(select->record.plan_json.find("\"fragments\""), std::string::npos)
      << select->record.plan_json;
  EXPECT_NE(select->record.plan_json.find("\"slowest\":true"), std::string::npos);
  EXPECT_FALSE(select->record.plan_text.empty());
  EXPECT_GT(select->record.rows_scanned, 0u);
  // A DDL statement shows no plan, not its predecessor's.
  std::optional<QueryInfo> create = db.instance().queries().Find(all[2].record.id);
  ASSERT_TRUE(create.has_value());
  EXPECT_TRUE(create->record.plan_json.empty());
  ASSERT_TRUE(con.Query("CREATE TABLE reg2 (y INTEGER)").ok);
  EXPECT_TRUE(db.instance().queries().Find(con.query_id())->record.plan_json.empty());
}

TEST(QueryRegistryConnectionTest, ErrorsAreRecordedAsFailed) {
  Database db(DatabaseOptions{1, ""});
  Connection con(db);
  con.set_client(Client("erin", "shell"));
  QueryResult syntax = con.Query("SELEC 1");
  ASSERT_FALSE(syntax.ok);
  std::optional<QueryInfo> info = FindBySql(db, "SELEC 1");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->record.id, con.query_id());
  EXPECT_EQ(info->record.state, "failed");
  EXPECT_EQ(info->record.error_code, "42601");
  EXPECT_EQ(info->record.error_position, 0);
  EXPECT_EQ(info->record.user, "erin");
  EXPECT_EQ(info->record.client, "shell");

  QueryResult missing = con.Query("SELECT * FROM no_such_table");
  ASSERT_FALSE(missing.ok);
  info = FindBySql(db, "SELECT * FROM no_such_table");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->record.state, "failed");
  EXPECT_EQ(info->record.error_code, "42P01");
  EXPECT_EQ(info->record.error_position, 14);

  // A statement after a failed one in the same text does not run, nor is it listed.
  ASSERT_FALSE(con.Query("SELECT 1/0; SELECT 'never run'").ok);
  EXPECT_FALSE(FindBySql(db, "SELECT 'never run'").has_value());
  EXPECT_EQ(FindBySql(db, "SELECT 1/0")->record.error_code, "22012");

  QueryRegistry::Totals totals = db.instance().queries().totals();
  EXPECT_EQ(totals.ended.at("failed"), 3u);
}

TEST(QueryRegistryConnectionTest, CancelThroughTheRegistry) {
  Database db(DatabaseOptions{2, ""});
  Connection setup(db);
  ASSERT_TRUE(setup.Query("CREATE TABLE big AS SELECT x FROM generate_series(1, 200000) g(x)").ok);
  Connection con(db);
  QueryResult result;
  std::thread runner([&] { result = con.Query("SELECT count(*) FROM big a, big b"); });
  std::string id;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (id.empty() && std::chrono::steady_clock::now() < deadline) {
    for (const QueryInfo& info : db.instance().queries().List(10)) {
      if (info.record.state == "running" && info.progress.instances_total > 0) id = info.record.id;
    }
    if (id.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(id.empty()) << "the cross join was never listed as running";
  EXPECT_EQ(db.instance().queries().Cancel(id), QueryRegistry::CancelOutcome::kCancelled);
  runner.join();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error_code, "57014");
  std::optional<QueryInfo> info = db.instance().queries().Find(id);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->record.state, "cancelled");
  EXPECT_EQ(db.instance().queries().Cancel(id), QueryRegistry::CancelOutcome::kEnded);
  EXPECT_EQ(db.instance().queries().totals().ended.at("cancelled"), 1u);
}

TEST(QueryRegistryConnectionTest, DataDirectoryKeepsHistoryAcrossReopen) {
  TempDir dir;
  std::string select_id;
  {
    DatabaseOptions options;
    options.threads = 1;
    options.data_dir = dir.File("data");
    Database db(options);
    Connection con(db);
    ASSERT_TRUE(con.Query("CREATE TABLE kept AS SELECT x FROM generate_series(1, 10) g(x)").ok);
    ASSERT_TRUE(con.Query("SELECT sum(x) FROM kept").ok);
    select_id = con.query_id();
    ASSERT_FALSE(con.Query("SELECT * FROM gone").ok);
  }
  EXPECT_TRUE(std::filesystem::exists(dir.File("data/system/queries.db")));
  DatabaseOptions options;
  options.threads = 1;
  options.data_dir = dir.File("data");
  Database db(options);
  std::vector<QueryInfo> all = db.instance().queries().List(100);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].record.sql, "SELECT * FROM gone");
  EXPECT_EQ(all[0].record.state, "failed");
  EXPECT_EQ(all[1].record.id, select_id);
  EXPECT_EQ(all[1].record.rows, 1u);
  EXPECT_EQ(all[2].record.rows, 10u);
  std::optional<QueryInfo> select = db.instance().queries().Find(select_id);
  ASSERT_TRUE(select.has_value());
  EXPECT_FALSE(select->record.plan_json.empty());
  EXPECT_FALSE(select->record.plan_text.empty());

  // sys.queries lists them too.
  Connection con(db);
  QueryResult rows =
      con.Query("SELECT state, rows FROM sys.queries WHERE query_id = '" + select_id + "'");
  ASSERT_TRUE(rows.ok) << rows.error_message;
  ASSERT_EQ(rows.RowCount(), 1u);
  EXPECT_EQ(rows.GetValue(0, 0).ToString(), "finished");
  EXPECT_EQ(rows.GetValue(1, 0).ToString(), "1");
}

TEST(QueryRegistryConnectionTest, NoHistoryWhenQueryHistoryIsZero) {
  TempDir dir;
  DatabaseOptions options;
  options.threads = 1;
  options.data_dir = dir.File("data");
  options.query_history = 0;
  {
    Database db(options);
    Connection con(db);
    ASSERT_TRUE(con.Query("SELECT 1").ok);
    EXPECT_EQ(db.instance().queries().List(10).size(), 1u);
  }
  Database db(options);
  EXPECT_TRUE(db.instance().queries().List(10).empty());
}


// A history file that cannot be opened (here a directory stands at its
// path) costs the history, never the database: queries run and are listed
// from memory.
TEST(QueryRegistryConnectionTest, AHistoryThatCannotBeOpenedLeavesTheDatabaseWorking) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("history/queries.db"));
  DatabaseOptions options;
  options.threads = 1;
  options.query_history_path = dir.File("history/queries.db");
  ::testing::internal::CaptureStderr();
  Database db(options);
  const std::string warning = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(warning.find("WARNING:  finished queries are not kept in the history"),
            std::string::npos)
      << warning;
  Connection con(db);
  QueryResult result = con.Query("SELECT 42 AS answer");
  ASSERT_TRUE(result.ok) << result.error_message;
  std::vector<QueryInfo> listed = db.instance().queries().List(10);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].record.sql, "SELECT 42 AS answer");
  EXPECT_EQ(listed[0].record.state, "finished");
}

}  // namespace
}  // namespace basalt
