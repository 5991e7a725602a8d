#include "main/running_statement.h"

#include "common/exception.h"
#include "exec/query_executor.h"

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

void RunningStatement::Detach(QueryExecution* execution) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (execution_ == execution) execution_ = nullptr;
}

AttachedExecution::AttachedExecution(QueryExecution* execution)
    : statement_(RunningStatement::Current()), execution_(execution) {
  if (statement_ != nullptr) statement_->Attach(execution_);
}

AttachedExecution::~AttachedExecution() {
  if (statement_ != nullptr) statement_->Detach(execution_);
}

}  // namespace basalt
