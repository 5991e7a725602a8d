// The coordinator's admission control (Tajo's query scheduler, Impala's
// admission controller): a query placed on the executors runs only while the
// cluster has slots for its fragment instances and every executor has the
// memory the query reserves on it; otherwise it waits in a first-come
// first-served queue, and is refused (53000) when the queue is full or it has
// waited too long. A query that needs more slots than the cluster has runs
// when nothing else does, so every query can run; one that reserves more
// memory than an executor offers is refused at once.
//
// A query runs on every executor, so it reserves the same memory on each:
// the controller counts one sum against the smallest executor's memory.
// Slots and memory are counted per coordinator: two coordinators each admit
// up to the whole capacity.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

namespace basalt::cluster {

struct AdmissionOptions {
  int slots_per_thread = 8;  // instances admitted per executor query thread
  std::chrono::milliseconds timeout{60000};
  int max_queued = 100;
  // Memory a query reserves on each executor (and may use there at most);
  // 0: an eighth of the smallest live executor's memory.
  uint64_t query_memory = 0;
};

// What a query reserves on each executor: `options.query_memory`, or an
// eighth of `smallest_executor_memory`.
uint64_t QueryMemoryReservation(const AdmissionOptions& options, uint64_t smallest_executor_memory);

class AdmissionController {
 public:
  explicit AdmissionController(AdmissionOptions options) : options_(options) {}

  // Holds a query's slots until destroyed.
  class Ticket {
   public:
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    // The memory the query reserved on each executor (0: not counted).
    uint64_t memory() const { return memory_; }

   private:
    friend class AdmissionController;
    Ticket(AdmissionController& controller, int slots, uint64_t memory)
        : controller_(controller), slots_(slots), memory_(memory) {}
    AdmissionController& controller_;
    int slots_;
    uint64_t memory_;
  };

  // The executors' query threads and the memory the smallest of them
  // offers to queries (the membership changed); 0 memory: not counted.
  void SetCapacity(int threads, uint64_t executor_memory);
  // Waits for `slots` and `memory` bytes on every executor; throws 53000
  // when refused.
  std::unique_ptr<Ticket> Admit(int slots, uint64_t memory = 0);

  int capacity() const;
  int in_use() const;
  uint64_t memory_in_use() const;

  // Since start, for /metrics.
  struct Counters {
    uint64_t admitted = 0;
    uint64_t queued = 0;  // waiting now
    uint64_t rejected = 0;
  };
  Counters counters() const;

 private:
  void Release(int slots, uint64_t memory);

  const AdmissionOptions options_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  int capacity_ = 0;
  int in_use_ = 0;
  uint64_t memory_capacity_ = 0;  // per executor; 0: not counted
  uint64_t memory_in_use_ = 0;    // reserved on each executor
  int running_ = 0;
  uint64_t next_ticket_ = 0;
  std::deque<uint64_t> queue_;  // tickets waiting, first come first
  uint64_t admitted_ = 0;
  uint64_t rejected_ = 0;
};

}  // namespace basalt::cluster
