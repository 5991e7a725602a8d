// Writers of one managed table from several connections at once: their
// statements are serialized, so every statement's rows arrive whole and the
// segments add up, before and after a restart.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/temp_dir_test_util.h"
#include "main/database.h"

namespace basalt {
namespace {

int64_t QueryInt(Connection& con, const std::string& sql) {
  QueryResult r = con.Query(sql);
  EXPECT_TRUE(r.ok) << sql << ": " << r.error_message;
  return r.ok ? r.GetValue(0, 0).GetInt64() : -1;
}

TEST(ManagedWritesTest, ConcurrentWritersAreSerialized) {
  testing::TempDir dir;
  DatabaseOptions options;
  options.threads = 2;
  options.data_dir = dir.path() + "/data";
  options.max_segment_rows = 700;
  constexpr int kWriters = 4;
  constexpr int kStatements = 25;
  {
    Database db(options);
    Connection setup(db);
    ASSERT_TRUE(setup.Query("CREATE TABLE t (writer INTEGER, statement INTEGER, n INTEGER)").ok);
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; w++) {
      threads.emplace_back([&db, w] {
        Connection con(db);
        for (int s = 0; s < kStatements; s++) {
          // 1,000 rows a statement: two segments each, written while the
          // other writers wait.
          QueryResult r = con.Query("INSERT INTO t SELECT " + std::to_string(w) + ", " +
                                    std::to_string(s) + ", i FROM generate_series(1, 1000) g(i)");
          EXPECT_TRUE(r.ok) << r.error_message;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(QueryInt(setup, "SELECT count(*) FROM t"), kWriters * kStatements * 1000);
  }
  Database db(options);
  Connection con(db);
  EXPECT_EQ(QueryInt(con, "SELECT count(*) FROM t"), kWriters * kStatements * 1000);
  // Every statement's rows are all there, none twice.
  EXPECT_EQ(QueryInt(con, "SELECT count(*) FROM (SELECT writer, statement, count(*) AS c, "
                          "count(DISTINCT n) AS d FROM t GROUP BY writer, statement) x "
                          "WHERE c = 1000 AND d = 1000"),
            kWriters * kStatements);
  EXPECT_EQ(QueryInt(con, "SELECT CAST(sum(num_rows) AS BIGINT) FROM sys.segments WHERE \"table\" = 't'"),
            kWriters * kStatements * 1000);
  // Appends extend one chunk's version with new partition numbers, never reusing one.
  EXPECT_EQ(QueryInt(con, "SELECT count(DISTINCT partition) FROM sys.segments"),
            QueryInt(con, "SELECT count(*) FROM sys.segments"));
}

}  // namespace
}  // namespace basalt

namespace basalt {
namespace {

// A writer queued behind a long one can be cancelled while it waits.
TEST(ManagedWritesTest, WaitingWriterCanBeCancelled) {
  Database db(DatabaseOptions{2, ""});
  Connection setup(db);
  ASSERT_TRUE(setup.Query("CREATE TABLE t (n BIGINT)").ok);
  Connection long_writer(db);
  Connection waiting(db);
  QueryResult long_result;
  std::thread a([&] {
    // Ten billion joined rows to count: long enough, in little memory.
    long_result = long_writer.Query(
        "INSERT INTO t SELECT count(*) FROM generate_series(1, 100000) a(i), "
        "generate_series(1, 100000) b(j)");
  });
  // Time for the long writer to take the lock (it plans a small query).
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  QueryResult waiting_result;
  std::atomic<bool> done{false};
  std::thread b([&] {
    waiting_result = waiting.Query("INSERT INTO t VALUES (1)");
    done = true;
  });
  // A cancel before the statement starts is dropped, so keep asking.
  while (!done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    waiting.Cancel();
  }
  b.join();
  EXPECT_FALSE(waiting_result.ok);
  EXPECT_EQ(waiting_result.error_code, "57014") << waiting_result.error_message;
  long_writer.Cancel();
  a.join();
  EXPECT_EQ(long_result.error_code, "57014");
  EXPECT_EQ(QueryInt(setup, "SELECT count(*) FROM t"), 0);
}

}  // namespace
}  // namespace basalt
