// Wake-up races between the task scheduler and local exchanges: many small
// tasks pushing through queues of capacity 1 and yielding at random, so
// wake-ups keep arriving while their targets are running, queued or idle.
// A lost wake-up shows as a hang (caught by a timeout), a doubled one as a
// task run on two threads at once or a batch delivered twice.

#include "exec/task_scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "exec/exchange/local_exchange.h"

namespace basalt {
namespace {

// Counts finished tasks; the test waits on it with a timeout.
struct DoneCounter {
  std::mutex mutex;
  std::condition_variable cv;
  int done = 0;

  void Add() {
    std::lock_guard<std::mutex> lock(mutex);
    done++;
    cv.notify_all();
  }
  bool WaitFor(int n, std::chrono::seconds timeout) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, timeout, [&] { return done >= n; });
  }
};

// Checks that the scheduler never runs one task on two threads at once.
class ExclusiveRun {
 public:
  explicit ExclusiveRun(std::atomic<bool>& flag) : flag_(flag) {
    if (flag_.exchange(true)) overlapped = true;
  }
  ~ExclusiveRun() { flag_ = false; }
  static inline std::atomic<bool> overlapped{false};

 private:
  std::atomic<bool>& flag_;
};

DataChunk OneValue(int64_t v) {
  DataChunk chunk({LogicalType(TypeId::kBigint)});
  chunk.column(0).Data<int64_t>()[0] = v;
  chunk.SetSize(1);
  return chunk;
}

class Producer : public Task {
 public:
  Producer(LocalExchange& exchange, int id, int count, int receivers, DoneCounter& done)
      : exchange_(exchange),
        id_(id),
        count_(count),
        receivers_(receivers),
        done_(done),
        rng_(static_cast<unsigned>(id) * 7919u + 1) {}

  TaskResult Run() override {
    ExclusiveRun guard(running_);
    while (next_ < count_) {
      int64_t value = static_cast<int64_t>(id_) * count_ + next_;
      if (!has_pending_) {
        pending_ = OneValue(value);
        has_pending_ = true;
      }
      if (!exchange_.TryPush(static_cast<int>(value % receivers_), pending_, this)) {
        return TaskResult::kBlocked;
      }
      has_pending_ = false;
      next_++;
      if (rng_() % 4 == 0) return TaskResult::kYield;
    }
    exchange_.SenderFinished();
    done_.Add();
    return TaskResult::kDone;
  }

 private:
  LocalExchange& exchange_;
  int id_, count_, receivers_;
  DoneCounter& done_;
  std::mt19937 rng_;
  int next_ = 0;
  DataChunk pending_;
  bool has_pending_ = false;
  std::atomic<bool> running_{false};
};

class Consumer : public Task {
 public:
  Consumer(LocalExchange& exchange, int receiver, DoneCounter& done)
      : exchange_(exchange),
        receiver_(receiver),
        done_(done),
        rng_(static_cast<unsigned>(receiver) * 104729u + 3) {}

  TaskResult Run() override {
    ExclusiveRun guard(running_);
    while (true) {
      DataChunk chunk;
      switch (exchange_.Pop(receiver_, chunk, this)) {
        case PopResult::kData:
          for (idx_t i = 0; i < chunk.size(); i++) {
            values.push_back(chunk.column(0).Data<int64_t>()[i]);
          }
          if (rng_() % 3 == 0) return TaskResult::kYield;
          break;
        case PopResult::kBlocked:
          return TaskResult::kBlocked;
        case PopResult::kFinished:
          done_.Add();
          return TaskResult::kDone;
      }
    }
  }

  std::vector<int64_t> values;

 private:
  LocalExchange& exchange_;
  int receiver_;
  DoneCounter& done_;
  std::mt19937 rng_;
  std::atomic<bool> running_{false};
};

void RunProducersAndConsumers(int threads, int producers, int consumers, int per_producer) {
  TaskScheduler scheduler(threads);
  LocalExchange exchange(producers, consumers, /*queue_capacity=*/1);
  DoneCounter done;
  std::vector<std::shared_ptr<Consumer>> consumer_tasks;
  std::vector<std::shared_ptr<Producer>> producer_tasks;
  for (int r = 0; r < consumers; r++) {
    consumer_tasks.push_back(std::make_shared<Consumer>(exchange, r, done));
  }
  for (int p = 0; p < producers; p++) {
    producer_tasks.push_back(
        std::make_shared<Producer>(exchange, p, per_producer, consumers, done));
  }
  // Interleave so some consumers start before and some after the producers.
  for (int i = 0; i < std::max(producers, consumers); i++) {
    if (i < consumers) scheduler.Schedule(consumer_tasks[i]);
    if (i < producers) scheduler.Schedule(producer_tasks[i]);
  }
  bool finished = done.WaitFor(producers + consumers, std::chrono::seconds(60));
  if (!finished) {
    exchange.Cancel();  // unblock everything so the scheduler can shut down
    done.WaitFor(producers + consumers, std::chrono::seconds(10));
  }
  ASSERT_TRUE(finished) << "tasks hung: a wake-up was lost";
  EXPECT_FALSE(ExclusiveRun::overlapped.load()) << "a task ran on two threads at once";

  std::vector<int> seen(static_cast<size_t>(producers) * per_producer, 0);
  for (int r = 0; r < consumers; r++) {
    for (int64_t v : consumer_tasks[r]->values) {
      ASSERT_GE(v, 0);
      ASSERT_LT(v, static_cast<int64_t>(seen.size()));
      EXPECT_EQ(v % consumers, r) << "value delivered to the wrong receiver";
      seen[v]++;
    }
  }
  for (size_t v = 0; v < seen.size(); v++) {
    ASSERT_EQ(seen[v], 1) << "value " << v << (seen[v] == 0 ? " lost" : " duplicated");
  }
}

TEST(TaskSchedulerTest, ManyProducersOneConsumerCapacityOne) {
  for (int round = 0; round < 5; round++) RunProducersAndConsumers(4, 16, 1, 500);
}

TEST(TaskSchedulerTest, ManyProducersManyConsumersCapacityOne) {
  for (int round = 0; round < 5; round++) RunProducersAndConsumers(3, 12, 5, 400);
}

TEST(TaskSchedulerTest, MoreTasksThanThreadsTwoThreads) {
  for (int round = 0; round < 3; round++) RunProducersAndConsumers(2, 40, 8, 100);
}

// Wake() arriving from another thread at any point of a task's life: the task
// counts its runs and finishes after a number of wake-ups; each Wake either
// requeues it, marks it woken while running, or is absorbed by a pending run.
class PingTask : public Task {
 public:
  explicit PingTask(DoneCounter& done) : done_(done) {}
  TaskResult Run() override {
    ExclusiveRun guard(running_);
    runs++;
    if (stop.load()) {
      done_.Add();
      return TaskResult::kDone;
    }
    return TaskResult::kBlocked;
  }
  std::atomic<bool> stop{false};
  std::atomic<int> runs{0};

 private:
  DoneCounter& done_;
  std::atomic<bool> running_{false};
};

TEST(TaskSchedulerTest, WakeFromOtherThreadsIsNeverLost) {
  TaskScheduler scheduler(3);
  DoneCounter done;
  constexpr int kTasks = 8;
  std::vector<std::shared_ptr<PingTask>> tasks;
  for (int i = 0; i < kTasks; i++) {
    tasks.push_back(std::make_shared<PingTask>(done));
    scheduler.Schedule(tasks.back());
  }
  std::vector<std::thread> wakers;
  for (int w = 0; w < 3; w++) {
    wakers.emplace_back([&] {
      for (int i = 0; i < 20000; i++) tasks[i % kTasks]->Wake();
    });
  }
  for (auto& t : wakers) t.join();
  // The last wake-up after `stop` must get every task to run once more.
  for (auto& t : tasks) t->stop = true;
  for (auto& t : tasks) t->Wake();
  ASSERT_TRUE(done.WaitFor(kTasks, std::chrono::seconds(30))) << "a wake-up was lost";
  EXPECT_FALSE(ExclusiveRun::overlapped.load());
  for (auto& t : tasks) EXPECT_GE(t->runs.load(), 2);
}

}  // namespace
}  // namespace basalt
