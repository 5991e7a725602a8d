#include "exec/task_scheduler.h"

namespace basalt {

void Task::Wake() {
  int s = state_.load();
  while (true) {
    if (s == kIdle) {
      if (state_.compare_exchange_weak(s, kQueued)) {
        scheduler_->Push(shared_from_this());
        return;
      }
    } else if (s == kRunning) {
      if (state_.compare_exchange_weak(s, kRunningWoken)) return;
    } else {
      return;  // already queued, already woken, or done
    }
  }
}

TaskScheduler::TaskScheduler(int threads) {
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; i++) workers_.emplace_back([this] { WorkerLoop(); });
}

TaskScheduler::~TaskScheduler() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_) w.join();
}

void TaskScheduler::Schedule(std::shared_ptr<Task> task) {
  task->scheduler_ = this;
  task->state_.store(Task::kQueued);
  Push(std::move(task));
}

void TaskScheduler::Push(std::shared_ptr<Task> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void TaskScheduler::WorkerLoop() {
  while (true) {
    std::shared_ptr<Task> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task->state_.store(Task::kRunning);
    TaskResult result = task->Run();
    switch (result) {
      case TaskResult::kDone:
        task->state_.store(Task::kDone);
        break;
      case TaskResult::kYield:
        task->state_.store(Task::kQueued);
        Push(std::move(task));
        break;
      case TaskResult::kBlocked: {
        int expected = Task::kRunning;
        if (!task->state_.compare_exchange_strong(expected, Task::kIdle)) {
          // Woken while running: whatever it waited for may be there already.
          task->state_.store(Task::kQueued);
          Push(std::move(task));
        }
        break;
      }
    }
  }
}

}  // namespace basalt
