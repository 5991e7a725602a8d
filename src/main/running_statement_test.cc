#include "main/running_statement.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/exception.h"
#include "main/database.h"

namespace basalt {
namespace {

constexpr const char* kLongQuery =
    "SELECT count(*) FROM range(1000000) a, range(1000000) b WHERE a.range + b.range = 7";

TEST(ConnectionCancelTest, CancelsTheRunningStatementFromAnotherThread) {
  DatabaseOptions options;
  options.threads = 2;
  Database db(options);
  Connection connection(db);
  EXPECT_FALSE(connection.Executing());
  std::thread canceller([&] {
    // Waits until the statement runs, so the cancel cannot land between statements.
    while (!connection.Executing()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    connection.Cancel();
  });
  auto start = std::chrono::steady_clock::now();
  QueryResult result = connection.Query(kLongQuery);
  canceller.join();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error_code, "57014");
  EXPECT_EQ(result.error_message, "canceling statement due to user request");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  // The connection goes on, and the cancel does not reach the next statement.
  result = connection.Query("SELECT count(*) FROM range(300) a, range(300) b");
  ASSERT_TRUE(result.ok) << result.error_message;
  EXPECT_EQ(result.GetValue(0, 0).ToString(), "90000");
}

TEST(ConnectionCancelTest, CancelBetweenStatementsDoesNothing) {
  Database db;
  Connection connection(db);
  connection.Cancel();
  QueryResult result = connection.Query("SELECT 1");
  ASSERT_TRUE(result.ok) << result.error_message;
}

TEST(RunningStatementTest, CancelDuringPlanningFailsTheNextAttach) {
  RunningStatement statement;
  statement.Cancel();  // idle: forgotten
  {
    RunningStatement::Scope scope(statement);
    EXPECT_TRUE(statement.running());
    EXPECT_EQ(RunningStatement::Current(), &statement);
    statement.Attach(nullptr);  // not cancelled: fine
    statement.Detach(nullptr);
    statement.Cancel();
    try {
      AttachedExecution attached(nullptr);
      FAIL() << "Attach after Cancel must throw";
    } catch (const BasaltError& e) {
      EXPECT_STREQ(e.code(), "57014");
    }
  }
  EXPECT_FALSE(statement.running());
  EXPECT_EQ(RunningStatement::Current(), nullptr);
  RunningStatement::Scope next(statement);  // a new statement starts clean
  AttachedExecution attached(nullptr);
}

}  // namespace
}  // namespace basalt
