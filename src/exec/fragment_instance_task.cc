#include "exec/fragment_instance_task.h"

#include <fmt/format.h>

#include <chrono>
#include <new>

#include "common/exception.h"
#include "exec/operators/exchange_receiver.h"
#include "exec/query_context.h"

namespace basalt {

namespace {

uint64_t NowNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

void CollectReceivers(Operator& op, std::vector<ExchangeReceiverOperator*>& out) {
  if (auto* receiver = dynamic_cast<ExchangeReceiverOperator*>(&op)) out.push_back(receiver);
  for (auto& child : op.children()) CollectReceivers(*child, out);
}

void CollectStats(Operator& op, int depth, std::vector<OperatorProfile>& out) {
  out.push_back(OperatorProfile{depth, op.node().Name(), op.stats()});
  for (auto& child : op.children()) CollectStats(*child, depth + 1, out);
}

}  // namespace

void CompletionLatch::Add(int n) {
  std::lock_guard<std::mutex> lock(mutex_);
  count_ += n;
}

void CompletionLatch::CountDown() {
  // Notify under the lock: the waiter cannot return (and its owner free the
  // plan) before this thread is done with the latch's condition variable.
  std::lock_guard<std::mutex> lock(mutex_);
  if (--count_ == 0) cv_.notify_all();
}

void CompletionLatch::Wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  cv_.wait(lock, [&] { return count_ <= 0; });
}

FragmentInstanceTask::FragmentInstanceTask(QueryContext& query, const PlanFragment& fragment,
                                           int instance, ExchangeSink& output,
                                           std::shared_ptr<CompletionLatch> latch)
    : query_(query), fragment_id_(fragment.id), instance_(instance), latch_(std::move(latch)) {
  ctx_.query = &query;
  ctx_.instance = instance;
  ctx_.num_instances = fragment.parallelism;
  ctx_.task = this;
  root_ = CreateOperatorTree(*fragment.root, ctx_);
  sender_ = std::make_unique<ExchangeSender>(output, fragment.output_type, fragment.hash_columns,
                                             fragment.root->types, this);
  CollectReceivers(*root_, receivers_);
}

FragmentInstanceTask::~FragmentInstanceTask() = default;

TaskResult FragmentInstanceTask::Run() {
  if (phase_ == Phase::kDone) return TaskResult::kDone;
  uint64_t start = NowNanos();
  runs_++;
  TaskResult result = TaskResult::kDone;
  try {
    result = RunSlice(start);
  } catch (const BasaltError& e) {
    query_.Fail(e);
  } catch (const std::bad_alloc&) {
    query_.Fail(BasaltError(sqlstate::kOutOfMemory, "out of memory"));
  } catch (const std::exception& e) {
    query_.Fail(BasaltError(sqlstate::kInternalError, fmt::format("internal error: {}", e.what())));
  } catch (...) {
    query_.Fail(BasaltError(sqlstate::kInternalError, "internal error: unknown exception"));
  }
  run_nanos_ += NowNanos() - start;
  if (result == TaskResult::kBlocked) times_blocked_++;
  if (result == TaskResult::kDone) Finish();
  return result;
}

TaskResult FragmentInstanceTask::RunSlice(uint64_t start_nanos) {
  int batches = 0;
  while (true) {
    // Cancellation (or another instance's error) ends the instance without
    // signing off from the exchange: the exchanges are cancelled too.
    if (query_.IsCancelled()) return TaskResult::kDone;
    switch (phase_) {
      case Phase::kRunning: {
        if (sender_->HasPending() && !sender_->Flush()) return TaskResult::kBlocked;
        DataChunk chunk;
        OperatorResult r = root_->Next(chunk);
        if (r == OperatorResult::kBlocked) return TaskResult::kBlocked;
        if (r == OperatorResult::kFinished) {
          phase_ = Phase::kFinishing;
          continue;
        }
        batches++;
        if (!sender_->Send(chunk)) return TaskResult::kBlocked;
        break;
      }
      case Phase::kFinishing:
        if (!sender_->Finish()) return TaskResult::kBlocked;
        phase_ = Phase::kDraining;
        continue;
      case Phase::kDraining:
        while (drain_index_ < receivers_.size()) {
          OperatorResult r = receivers_[drain_index_]->Drain(kMaxBatchesPerSlice);
          if (r == OperatorResult::kBlocked) return TaskResult::kBlocked;
          if (r == OperatorResult::kHaveData) return TaskResult::kYield;
          drain_index_++;
        }
        return TaskResult::kDone;
      case Phase::kDone:
        return TaskResult::kDone;
    }
    if (batches >= kMaxBatchesPerSlice || NowNanos() - start_nanos >= kSliceNanos) {
      return TaskResult::kYield;
    }
  }
}

void FragmentInstanceTask::Finish() {
  phase_ = Phase::kDone;
  {
    std::lock_guard<std::mutex> lock(profile_mutex_);
    profile_.finished = true;
    if (root_) CollectStats(*root_, 0, profile_.operators);
    if (sender_) profile_.sender = sender_->stats();
    profile_.run_nanos = run_nanos_;
    profile_.runs = runs_;
    profile_.times_blocked = times_blocked_;
  }
  // Instances stopped early merge too: after a LIMIT the query stops the
  // producers it no longer needs, and the work they did is part of the
  // query's cost. (A failed or cancelled query's profile is never shown.)
  if (root_) query_.profile().AddInstance(*root_, query_.host());
  // Operators may hold references into the plan and the query's shared
  // state; they go now, while both surely exist.
  receivers_.clear();
  sender_.reset();
  root_.reset();
  query_.progress().InstanceDone();
  std::shared_ptr<CompletionLatch> latch = std::move(latch_);
  latch->CountDown();
}

InstanceProfile FragmentInstanceTask::Profile() const {
  std::lock_guard<std::mutex> lock(profile_mutex_);
  return profile_;
}

}  // namespace basalt
