#include "main/running_statement.h"

#include <algorithm>

#include "common/exception.h"
#include "exec/query_executor.h"
#include "main/plan_json.h"

namespace basalt {

namespace {
thread_local RunningStatement* current_statement = nullptr;
}  // namespace

void RunningStatement::Cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!running_) return;
  cancelled_ = true;
  if (execution_ != nullptr) execution_->Cancel();
}

bool RunningStatement::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

bool RunningStatement::cancelled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cancelled_;
}

RunningStatement::Scope::Scope(RunningStatement& statement)
    : statement_(statement), previous_(current_statement) {
  {
    std::lock_guard<std::mutex> lock(statement_.mutex_);
    statement_.running_ = true;
    statement_.cancelled_ = false;
    statement_.ended_ = {};
  }
  current_statement = &statement_;
}

RunningStatement::Scope::~Scope() {
  current_statement = previous_;
  std::lock_guard<std::mutex> lock(statement_.mutex_);
  statement_.running_ = false;
  statement_.cancelled_ = false;
  statement_.execution_ = nullptr;
}

RunningStatement* RunningStatement::Current() { return current_statement; }

void RunningStatement::Attach(QueryExecution* execution) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cancelled_) {
    throw BasaltError(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
  execution_ = execution;
}

namespace {
// What `execution` did; its figures are final once it has ended.
RunningStatement::Snapshot Render(const QueryExecution& execution, bool with_plan) {
  RunningStatement::Snapshot out;
  if (with_plan) {
    out.plan_json = PlanProfileJson(execution.plan(), execution.query_profile());
    out.plan_text = execution.plan().ToString(execution.query_profile());
  }
  out.progress = execution.progress().Get();
  out.peak_memory = std::max(execution.query_profile().peak_memory(), execution.peak_memory());
  return out;
}
}  // namespace

void RunningStatement::Detach(QueryExecution* execution, Snapshot ended) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (execution_ == execution) execution_ = nullptr;
  if (!ended.plan_json.empty()) {
    ended_.plan_json = std::move(ended.plan_json);
    ended_.plan_text = std::move(ended.plan_text);
  }
  ended_.progress += ended.progress;
  ended_.peak_memory = std::max(ended_.peak_memory, ended.peak_memory);
}

void RunningStatement::ResetSnapshot() {
  std::lock_guard<std::mutex> lock(mutex_);
  ended_ = {};
}

RunningStatement::Snapshot RunningStatement::Current(bool with_plan) const {
  std::lock_guard<std::mutex> lock(mutex_);
  Snapshot out = ended_;
  if (!with_plan) {
    out.plan_json.clear();
    out.plan_text.clear();
  }
  if (execution_ != nullptr) {
    Snapshot live = Render(*execution_, with_plan);
    if (with_plan) {
      out.plan_json = std::move(live.plan_json);
      out.plan_text = std::move(live.plan_text);
    }
    out.progress += live.progress;
    out.peak_memory = std::max(out.peak_memory, live.peak_memory);
  }
  return out;
}

AttachedExecution::AttachedExecution(QueryExecution* execution)
    : statement_(RunningStatement::Current()), execution_(execution) {
  if (statement_ != nullptr) statement_->Attach(execution_);
}

AttachedExecution::~AttachedExecution() {
  if (statement_ == nullptr) return;
  RunningStatement::Snapshot ended;
  if (execution_ != nullptr) {
    try {
      ended = Render(*execution_, /*with_plan=*/true);
    } catch (...) {
      // A profile that cannot be rendered (out of memory) is left out.
    }
  }
  statement_->Detach(execution_, std::move(ended));
}

}  // namespace basalt
