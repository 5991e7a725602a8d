#include "cluster/admission_controller.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/exception.h"

namespace basalt::cluster {

AdmissionController::Ticket::~Ticket() { controller_.Release(slots_); }

void AdmissionController::SetThreads(int threads) {
  std::lock_guard lock(mu_);
  capacity_ = std::max(0, threads) * options_.slots_per_thread;
  changed_.notify_all();
}

int AdmissionController::capacity() const {
  std::lock_guard lock(mu_);
  return capacity_;
}

int AdmissionController::in_use() const {
  std::lock_guard lock(mu_);
  return in_use_;
}

std::unique_ptr<AdmissionController::Ticket> AdmissionController::Admit(int slots) {
  std::unique_lock lock(mu_);
  if (int(queue_.size()) >= options_.max_queued) {
    ThrowError(sqlstate::kInsufficientResources,
               "the cluster is busy: {} queries are already waiting for executor slots",
               queue_.size());
  }
  const uint64_t ticket = next_ticket_++;
  queue_.push_back(ticket);
  // First come, first served: only the head of the queue may take slots. A
  // query larger than the cluster runs alone.
  auto may_run = [&] {
    return queue_.front() == ticket && (in_use_ + slots <= capacity_ || running_ == 0);
  };
  bool admitted = changed_.wait_for(lock, options_.timeout, may_run);
  if (!admitted) {
    queue_.erase(std::find(queue_.begin(), queue_.end(), ticket));
    changed_.notify_all();
    ThrowError(sqlstate::kInsufficientResources,
               "the cluster is busy: the query waited {} ms for {} executor slots ({} of {} in use)",
               options_.timeout.count(), slots, in_use_, capacity_);
  }
  queue_.pop_front();
  in_use_ += slots;
  running_++;
  changed_.notify_all();  // the next in the queue may fit too
  return std::unique_ptr<Ticket>(new Ticket(*this, slots));
}

void AdmissionController::Release(int slots) {
  std::lock_guard lock(mu_);
  in_use_ -= slots;
  running_--;
  changed_.notify_all();
}

}  // namespace basalt::cluster
