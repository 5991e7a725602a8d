// One fragment instance as a schedulable task: its own operator tree, built
// from the fragment's immutable plan, topped by the sender into the
// fragment's output exchange.
//
// Run() pulls batches from the root operator and sends them for a bounded
// slice of time, then yields so that other instances share the threads. It
// returns kBlocked when the root or the sender is blocked (whatever blocked
// registered the task to be woken), and kDone when the instance finished, the
// query was cancelled, or an error was thrown; errors go to
// QueryContext::Fail, which stops the whole query.
//
// Thread safety: Run() is called by one worker at a time (the scheduler
// guarantees it). Profile() may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exec/exchange/exchange_sender.h"
#include "exec/fragment.h"
#include "exec/physical_node.h"
#include "exec/task_scheduler.h"

namespace basalt {

class ExchangeReceiverOperator;
class ExchangeSink;
class QueryContext;

// Counts unfinished tasks down to zero so that the owner of a plan can wait
// until no task uses it. Tasks hold it by shared_ptr, so the last one can
// still be inside CountDown() when the waiter wakes and leaves.
class CompletionLatch {
 public:
  void Add(int n);
  void CountDown();
  // Waits until the count is zero.
  void Wait();

 private:
  std::mutex mutex_;  // guards count_
  std::condition_variable cv_;
  int count_ = 0;
};

// One operator's statistics, in the tree's pre-order with its depth.
struct OperatorProfile {
  int depth = 0;
  std::string name;
  OperatorStats stats;
};

struct InstanceProfile {
  bool finished = false;  // the fields below are filled once the task is done
  std::vector<OperatorProfile> operators;
  SenderStats sender;
  uint64_t run_nanos = 0;  // wall time inside Run(), all slices
  uint64_t runs = 0;
  uint64_t times_blocked = 0;
};

class FragmentInstanceTask : public Task {
 public:
  // Builds the instance's operators. `output` is the fragment's output
  // exchange; `latch` is counted down once when the task is done.
  FragmentInstanceTask(QueryContext& query, const PlanFragment& fragment, int instance,
                       ExchangeSink& output, std::shared_ptr<CompletionLatch> latch);
  ~FragmentInstanceTask() override;

  TaskResult Run() override;

  int fragment_id() const { return fragment_id_; }
  int instance() const { return instance_; }
  InstanceProfile Profile() const;

  // Upper bounds of one Run() slice.
  static constexpr int kMaxBatchesPerSlice = 64;
  static constexpr uint64_t kSliceNanos = 10'000'000;

 private:
  enum class Phase : uint8_t {
    kRunning,    // pulling batches from the root and sending them
    kFinishing,  // root finished; the sender flushes and signs off
    kDraining,   // dropping input the operators no longer want (after a LIMIT)
    kDone,
  };

  TaskResult RunSlice(uint64_t start_nanos);
  // Records the profile (this instance's, and its share of the query's
  // QueryProfile), frees the operators and counts the latch down; the
  // task must not touch the query afterwards.
  void Finish();

  QueryContext& query_;
  const int fragment_id_;
  const int instance_;
  // Lives as long as the operators, which may keep a reference to it.
  InstanceContext ctx_;
  std::unique_ptr<Operator> root_;
  std::unique_ptr<ExchangeSender> sender_;
  // The tree's exchange receivers, drained in kDraining.
  std::vector<ExchangeReceiverOperator*> receivers_;
  size_t drain_index_ = 0;
  Phase phase_ = Phase::kRunning;
  std::shared_ptr<CompletionLatch> latch_;

  uint64_t run_nanos_ = 0;
  uint64_t runs_ = 0;
  uint64_t times_blocked_ = 0;

  mutable std::mutex profile_mutex_;  // guards profile_
  InstanceProfile profile_;
};

}  // namespace basalt
