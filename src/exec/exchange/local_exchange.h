// The in-process transport of an exchange: S senders (instances of the
// producing fragment) hand batches to R receivers (instances of the
// consuming fragment), each receiver with its own bounded queue. A full queue
// blocks the sender (back-pressure); an empty one blocks the receiver; both
// by returning "blocked" and being woken later, never by holding a thread.
// The network transport (cluster issue) keeps this interface.
//
// Thread safety: every method may be called from any thread. Each queue's
// mutex guards its batches, waiters and counters; no two queue locks are
// ever held together.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "common/data_chunk.h"
#include "exec/exchange/exchange_sink.h"

namespace basalt {

class Task;

enum class PopResult : uint8_t { kData, kBlocked, kFinished };

class LocalExchange final : public ExchangeSink {
 public:
  LocalExchange(int num_senders, int num_receivers, size_t queue_capacity = 8);

  int num_receivers() const override { return static_cast<int>(queues_.size()); }

  // Moves `chunk` into receiver's queue; false (chunk untouched) when the
  // queue is full, in which case `sender` is woken once there is room.
  bool TryPush(int receiver, DataChunk& chunk, Task* sender) override;
  // The same for a sender that is a thread rather than a task (the receiving
  // end of a network stream): waits for room. False when the exchange was
  // cancelled (the chunk is dropped).
  bool PushWait(int receiver, DataChunk& chunk);
  // Called once by each sender when it has no more batches.
  void SenderFinished() override;

  // Takes the next batch for `receiver`. kBlocked registers `task` to be
  // woken when a batch arrives or the senders finish.
  PopResult Pop(int receiver, DataChunk& out, Task* task);
  // The same, waiting on the calling thread (the client side of the root).
  PopResult PopWait(int receiver, DataChunk& out);

  // Ends the exchange early (query failed or cancelled): wakes everyone,
  // drops queued batches, and makes further pushes and pops finish.
  void Cancel();

 private:
  struct Queue {
    std::mutex mutex;
    std::condition_variable cv;  // for PopWait and PushWait
    int blocked_pushers = 0;     // threads waiting in PushWait
    std::deque<DataChunk> batches;
    Task* waiting_receiver = nullptr;
    std::vector<Task*> waiting_senders;
  };
  void WakeAll(Queue& q);

  size_t capacity_;
  std::vector<std::unique_ptr<Queue>> queues_;
  std::mutex senders_mutex_;  // guards open_senders_
  int open_senders_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> cancelled_{false};
};

}  // namespace basalt
