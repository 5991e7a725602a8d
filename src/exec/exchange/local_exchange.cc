#include "exec/exchange/local_exchange.h"

#include "exec/task_scheduler.h"

namespace basalt {

LocalExchange::LocalExchange(int num_senders, int num_receivers, size_t queue_capacity)
    : capacity_(queue_capacity), open_senders_(num_senders) {
  for (int i = 0; i < num_receivers; i++) queues_.push_back(std::make_unique<Queue>());
  if (num_senders == 0) finished_ = true;
}

bool LocalExchange::TryPush(int receiver, DataChunk& chunk, Task* sender) {
  Queue& q = *queues_[receiver];
  Task* to_wake = nullptr;
  {
    std::lock_guard<std::mutex> lock(q.mutex);
    if (cancelled_) return true;  // dropped: nobody will read it
    if (q.batches.size() >= capacity_) {
      q.waiting_senders.push_back(sender);
      return false;
    }
    q.batches.push_back(std::move(chunk));
    to_wake = q.waiting_receiver;
    q.waiting_receiver = nullptr;
  }
  q.cv.notify_one();
  if (to_wake) to_wake->Wake();
  return true;
}

bool LocalExchange::PushWait(int receiver, DataChunk& chunk) {
  Queue& q = *queues_[receiver];
  Task* to_wake = nullptr;
  {
    std::unique_lock<std::mutex> lock(q.mutex);
    q.blocked_pushers++;
    q.cv.wait(lock, [&] { return cancelled_ || q.batches.size() < capacity_; });
    q.blocked_pushers--;
    if (cancelled_) return false;
    q.batches.push_back(std::move(chunk));
    to_wake = q.waiting_receiver;
    q.waiting_receiver = nullptr;
  }
  q.cv.notify_all();
  if (to_wake) to_wake->Wake();
  return true;
}

void LocalExchange::SenderFinished() {
  {
    std::lock_guard<std::mutex> lock(senders_mutex_);
    if (--open_senders_ > 0) return;
  }
  finished_ = true;
  for (auto& q : queues_) WakeAll(*q);
}

void LocalExchange::WakeAll(Queue& q) {
  Task* receiver;
  std::vector<Task*> senders;
  {
    std::lock_guard<std::mutex> lock(q.mutex);
    receiver = q.waiting_receiver;
    q.waiting_receiver = nullptr;
    senders.swap(q.waiting_senders);
  }
  q.cv.notify_all();
  if (receiver) receiver->Wake();
  for (Task* t : senders) t->Wake();
}

PopResult LocalExchange::Pop(int receiver, DataChunk& out, Task* task) {
  Queue& q = *queues_[receiver];
  std::vector<Task*> senders;
  bool notify_pushers = false;
  {
    std::lock_guard<std::mutex> lock(q.mutex);
    if (cancelled_) return PopResult::kFinished;
    if (q.batches.empty()) {
      // finished_ is set before the final wake-up takes this lock, so checking
      // it under the lock cannot miss the last sender.
      if (finished_) return PopResult::kFinished;
      q.waiting_receiver = task;
      return PopResult::kBlocked;
    }
    out = std::move(q.batches.front());
    q.batches.pop_front();
    senders.swap(q.waiting_senders);
    notify_pushers = q.blocked_pushers > 0;
  }
  if (notify_pushers) q.cv.notify_all();
  for (Task* t : senders) t->Wake();
  return PopResult::kData;
}

PopResult LocalExchange::PopWait(int receiver, DataChunk& out) {
  Queue& q = *queues_[receiver];
  std::vector<Task*> senders;
  bool notify_pushers = false;
  {
    std::unique_lock<std::mutex> lock(q.mutex);
    q.cv.wait(lock, [&] { return cancelled_ || !q.batches.empty() || finished_; });
    if (cancelled_ || q.batches.empty()) return PopResult::kFinished;
    out = std::move(q.batches.front());
    q.batches.pop_front();
    senders.swap(q.waiting_senders);
    notify_pushers = q.blocked_pushers > 0;
  }
  if (notify_pushers) q.cv.notify_all();
  for (Task* t : senders) t->Wake();
  return PopResult::kData;
}

void LocalExchange::Cancel() {
  cancelled_ = true;
  for (auto& q : queues_) {
    {
      std::lock_guard<std::mutex> lock(q->mutex);
      q->batches.clear();
    }
    WakeAll(*q);
  }
}

}  // namespace basalt
