// The thread pool that runs fragment instances.
//
// A Task runs until it yields (its time slice is used up), blocks (waiting for
// an exchange) or finishes; it never blocks a worker thread. A blocked task is
// re-queued by Wake() when whatever it waits for changes. Wake() may come
// from any thread at any time, including while the task is still running; the
// state machine below makes sure the wake-up is never lost and the task is
// never queued twice.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace basalt {

class TaskScheduler;

enum class TaskResult : uint8_t { kYield, kBlocked, kDone };

class Task : public std::enable_shared_from_this<Task> {
 public:
  virtual ~Task() = default;
  // Does a bounded amount of work.
  virtual TaskResult Run() = 0;
  // Thread-safe; re-queues the task if it is blocked.
  void Wake();

 private:
  friend class TaskScheduler;
  enum State : int { kIdle, kQueued, kRunning, kRunningWoken, kDone };
  std::atomic<int> state_{kIdle};
  TaskScheduler* scheduler_ = nullptr;
};

class TaskScheduler {
 public:
  explicit TaskScheduler(int threads);
  ~TaskScheduler();
  TaskScheduler(const TaskScheduler&) = delete;
  TaskScheduler& operator=(const TaskScheduler&) = delete;

  void Schedule(std::shared_ptr<Task> task);
  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  friend class Task;
  void Push(std::shared_ptr<Task> task);
  void WorkerLoop();

  // mutex_ guards queue_ and stopping_.
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Task>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace basalt
