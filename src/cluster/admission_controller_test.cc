#include "cluster/admission_controller.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/exception.h"

namespace basalt::cluster {
namespace {

using namespace std::chrono_literals;

TEST(AdmissionControllerTest, QueriesWaitForSlotsFirstComeFirstServed) {
  AdmissionController admission({/*slots_per_thread=*/2, /*timeout=*/5000ms, /*max_queued=*/10});
  admission.SetCapacity(2, 0);  // 4 slots
  auto a = admission.Admit(3);
  EXPECT_EQ(admission.in_use(), 3);
  std::atomic<int> admitted{0};
  std::thread b([&] {
    auto ticket = admission.Admit(2);  // does not fit while a runs
    admitted++;
  });
  std::this_thread::sleep_for(50ms);
  std::thread c([&] {
    auto ticket = admission.Admit(1);  // would fit, but b came first
    admitted++;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(admitted.load(), 0) << "nobody may pass the head of the queue";
  EXPECT_EQ(admission.in_use(), 3);
  a.reset();
  b.join();
  c.join();
  EXPECT_EQ(admitted.load(), 2);
  EXPECT_EQ(admission.in_use(), 0);
}

TEST(AdmissionControllerTest, ABigQueryRunsAloneAndAWaitEndsWith53000) {
  AdmissionController admission({1, 100ms, 10});
  admission.SetCapacity(1, 0);  // 1 slot
  auto big = admission.Admit(5);  // more than the cluster: runs alone
  try {
    admission.Admit(1);
    FAIL() << "admitted while the big query ran";
  } catch (const BasaltError& e) {
    EXPECT_EQ(std::string(e.code()), "53000");
    EXPECT_NE(std::string(e.what()).find("waited 100 ms"), std::string::npos) << e.what();
  }
  big.reset();
  EXPECT_NO_THROW(admission.Admit(1));
}

TEST(AdmissionControllerTest, AFullQueueRefusesAtOnce) {
  AdmissionController admission({1, 2000ms, 1});
  admission.SetCapacity(1, 0);
  auto running = admission.Admit(1);
  std::thread waiting([&] { EXPECT_NO_THROW(admission.Admit(1)); });
  std::this_thread::sleep_for(50ms);
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(admission.Admit(1), BasaltError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
  running.reset();
  waiting.join();
}

TEST(AdmissionControllerTest, QueriesWaitForMemoryOnTheExecutors) {
  constexpr uint64_t kMiB = 1 << 20;
  AdmissionController admission({8, 200ms, 10});
  admission.SetCapacity(4, 100 * kMiB);  // 32 slots; 100 MiB per executor
  auto a = admission.Admit(2, 60 * kMiB);
  EXPECT_EQ(admission.memory_in_use(), 60 * kMiB);
  // Slots are free, memory is not: the second waits, then gives up.
  try {
    admission.Admit(2, 50 * kMiB);
    FAIL() << "admitted beyond the executors' memory";
  } catch (const BasaltError& e) {
    EXPECT_EQ(std::string(e.code()), "53000");
    EXPECT_NE(std::string(e.what()).find("60.0 MiB of 100.0 MiB reserved"), std::string::npos)
        << e.what();
  }
  // Once the first is done, it fits.
  std::atomic<bool> admitted{false};
  std::thread waiting([&] {
    auto ticket = admission.Admit(2, 50 * kMiB);
    admitted = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(admitted.load());
  a.reset();
  waiting.join();
  EXPECT_TRUE(admitted.load());
  EXPECT_EQ(admission.memory_in_use(), 0u);
  // More than an executor has can never run: refused at once.
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(admission.Admit(1, 101 * kMiB), BasaltError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
}

}  // namespace
}  // namespace basalt::cluster
