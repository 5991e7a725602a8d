#include "exec/memory_tracker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "common/exception.h"

namespace basalt {
namespace {

// The error `f` throws, or a BasaltError with an empty code if none.
template <typename F>
BasaltError ErrorOf(F&& f) {
  try {
    f();
  } catch (const BasaltError& e) {
    return e;
  }
  return BasaltError("", "no error");
}

TEST(MemoryTrackerTest, FormatsBytesInBinaryUnits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1024), "1.0 KiB");
  EXPECT_EQ(FormatBytes(1536 * 1024), "1.5 MiB");
  EXPECT_EQ(FormatBytes(uint64_t{3} << 30), "3.0 GiB");
}

TEST(MemoryTrackerTest, ParsesSizesWithUnits) {
  EXPECT_EQ(ParseMemorySize("0", "mem_limit"), 0u);
  EXPECT_EQ(ParseMemorySize("12345", "mem_limit"), 12345u);
  EXPECT_EQ(ParseMemorySize("512MB", "mem_limit"), 512u << 20);
  EXPECT_EQ(ParseMemorySize("2gb", "mem_limit"), uint64_t{2} << 30);
  EXPECT_EQ(ParseMemorySize("64 KiB", "mem_limit"), 64u << 10);
  EXPECT_EQ(ParseMemorySize("1T", "mem_limit"), uint64_t{1} << 40);
  EXPECT_EQ(ParseMemorySize("100b", "mem_limit"), 100u);
  for (const char* bad :
       {"", "-1", "1.5GB", "abc", "10 XB", "1 MBB", "99999999999999999999", "20000000000T"}) {
    BasaltError e = ErrorOf([&] { ParseMemorySize(bad, "mem_limit"); });
    EXPECT_EQ(std::string(e.code()), "22023") << bad;
    EXPECT_NE(std::string(e.what()).find("mem_limit"), std::string::npos) << e.what();
  }
}

TEST(MemoryTrackerTest, OperatorsConsumeAndReleaseIntoTheQuery) {
  QueryMemoryTracker query;
  {
    OperatorMemory join;
    OperatorMemory sort;
    join.Attach(&query, "HashJoin");
    sort.Attach(&query, "Sort");
    join.Set(1000);
    sort.Set(500);
    EXPECT_EQ(query.current(), 1500u);
    join.Set(4000);
    EXPECT_EQ(query.current(), 4500u);
    join.Set(100);  // shrinks: released
    EXPECT_EQ(query.current(), 600u);
    EXPECT_EQ(join.current(), 100u);
    EXPECT_EQ(join.peak(), 4000u);
    EXPECT_EQ(sort.peak(), 500u);
  }
  // Operators that go give back what they held; the peak stays.
  EXPECT_EQ(query.current(), 0u);
  EXPECT_EQ(query.peak(), 4500u);
}

TEST(MemoryTrackerTest, ExceedingTheLimitFailsWith53200NamingOperatorAndNode) {
  QueryMemoryTracker query;
  query.set_limit(64 << 20);
  query.set_host("127.0.0.1:1234");
  OperatorMemory join;
  join.Attach(&query, "HashJoin");
  join.Set(60 << 20);
  BasaltError e = ErrorOf([&] { join.Set(65 << 20); });
  EXPECT_EQ(std::string(e.code()), "53200");
  EXPECT_EQ(std::string(e.what()),
            "out of memory: the query needs more than its limit of 64.0 MiB on 127.0.0.1:1234 "
            "(HashJoin used 65.0 MiB)");
  // The refused growth is not counted.
  EXPECT_EQ(join.current(), uint64_t{60} << 20);
  EXPECT_EQ(query.current(), uint64_t{60} << 20);
  EXPECT_EQ(query.peak(), uint64_t{60} << 20);

  // In one process there is no node name.
  QueryMemoryTracker local;
  local.set_limit(1000);
  e = ErrorOf([&] { local.Consume(1001, "Sort", 1001); });
  EXPECT_EQ(std::string(e.code()), "53200");
  EXPECT_NE(std::string(e.what()).find("limit of 1000 B here (Sort used 1001 B)"),
            std::string::npos)
      << e.what();
  // No limit: anything goes.
  QueryMemoryTracker unlimited;
  unlimited.Consume(uint64_t{1} << 40, "Sort", uint64_t{1} << 40);
  EXPECT_EQ(unlimited.peak(), uint64_t{1} << 40);
}

TEST(MemoryTrackerTest, ConcurrentConsumersKeepAnExactSumAndABoundedPeak) {
  QueryMemoryTracker query;
  constexpr int kThreads = 8;
  constexpr int kRounds = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&] {
      OperatorMemory op;
      op.Attach(&query, "Op");
      for (int i = 0; i < kRounds; i++) op.Set(uint64_t(i % 100) * 10);
      op.Set(990);
    });
  }
  for (auto& t : threads) t.join();
  // Every operator released what it held when it went.
  EXPECT_EQ(query.current(), 0u);
  EXPECT_GE(query.peak(), 990u);
  EXPECT_LE(query.peak(), uint64_t{kThreads} * 990);

  // With a limit, concurrent consumers never push the sum past it.
  QueryMemoryTracker limited;
  limited.set_limit(10000);
  std::atomic<int> refused{0};
  threads.clear();
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRounds; i++) {
        try {
          limited.Consume(3000, "Op", 3000);
          limited.Release(3000);
        } catch (const BasaltError& e) {
          EXPECT_EQ(std::string(e.code()), "53200");
          refused++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(limited.current(), 0u);
  EXPECT_LE(limited.peak(), 10000u);
}

}  // namespace
}  // namespace basalt
