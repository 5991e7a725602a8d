// The coordinator's admission control (Tajo's query scheduler, Impala's
// admission controller): a query placed on the executors runs only while the
// cluster has slots for its fragment instances; otherwise it waits in a
// first-come first-served queue, and is refused (53000) when the queue is
// full or it has waited too long. A query that needs more slots than the
// cluster has runs when nothing else does, so every query can run.
//
// Slots are counted per coordinator: two coordinators each admit up to the
// whole capacity. Memory is not counted yet.
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
};

class AdmissionController {
 public:
  explicit AdmissionController(AdmissionOptions options) : options_(options) {}

  // Holds a query's slots until destroyed.
  class Ticket {
   public:
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;

   private:
    friend class AdmissionController;
    Ticket(AdmissionController& controller, int slots) : controller_(controller), slots_(slots) {}
    AdmissionController& controller_;
    int slots_;
  };

  // The executors' query threads (the membership changed).
  void SetThreads(int threads);
  // Waits for `slots`; throws 53000 when refused. `query` names the query
  // in the message.
  std::unique_ptr<Ticket> Admit(int slots);

  int capacity() const;
  int in_use() const;

 private:
  void Release(int slots);

  const AdmissionOptions options_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  int capacity_ = 0;
  int in_use_ = 0;
  int running_ = 0;
  uint64_t next_ticket_ = 0;
  std::deque<uint64_t> queue_;  // tickets waiting, first come first
};

}  // namespace basalt::cluster
