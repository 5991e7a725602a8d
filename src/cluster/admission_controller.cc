#include "cluster/admission_controller.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/exception.h"

namespace basalt::cluster {

AdmissionController::Ticket::~Ticket() { controller_.Release(slots_, memory_); }

namespace {

std::string Mib(uint64_t bytes) { return fmt::format("{:.1f} MiB", double(bytes) / (1 << 20)); }

}  // namespace

uint64_t QueryMemoryReservation(const AdmissionOptions& options, uint64_t smallest_executor_memory) {
  return options.query_memory > 0 ? options.query_memory : smallest_executor_memory / 8;
}

void AdmissionController::SetCapacity(int threads, uint64_t executor_memory) {
  std::lock_guard lock(mu_);
  capacity_ = std::max(0, threads) * options_.slots_per_thread;
  memory_capacity_ = executor_memory;
  changed_.notify_all();
}

uint64_t AdmissionController::memory_in_use() const {
  std::lock_guard lock(mu_);
  return memory_in_use_;
}

int AdmissionController::capacity() const {
  std::lock_guard lock(mu_);
  return capacity_;
}

AdmissionController::Counters AdmissionController::counters() const {
  std::lock_guard lock(mu_);
  return {admitted_, static_cast<uint64_t>(queue_.size()), rejected_};
}

int AdmissionController::in_use() const {
  std::lock_guard lock(mu_);
  return in_use_;
}

std::unique_ptr<AdmissionController::Ticket> AdmissionController::Admit(int slots,
                                                                        uint64_t memory) {
  std::unique_lock lock(mu_);
  if (memory > 0 && memory_capacity_ > 0 && memory > memory_capacity_) {
    rejected_++;
    ThrowError(sqlstate::kInsufficientResources,
               "the query reserves {} on each executor, more than the {} an executor offers",
               Mib(memory), Mib(memory_capacity_));
  }
  if (int(queue_.size()) >= options_.max_queued) {
    rejected_++;
    ThrowError(sqlstate::kInsufficientResources,
               "the cluster is busy: {} queries are already waiting for executor slots",
               queue_.size());
  }
  const uint64_t ticket = next_ticket_++;
  queue_.push_back(ticket);
  // First come, first served: only the head of the queue may take slots. A
  // query larger than the cluster runs alone.
  auto may_run = [&] {
    const bool memory_fits = memory_capacity_ == 0 || memory_in_use_ + memory <= memory_capacity_;
    return queue_.front() == ticket && memory_fits && (in_use_ + slots <= capacity_ || running_ == 0);
  };
  bool admitted = changed_.wait_for(lock, options_.timeout, may_run);
  if (!admitted) {
    queue_.erase(std::find(queue_.begin(), queue_.end(), ticket));
    changed_.notify_all();
    rejected_++;
    ThrowError(sqlstate::kInsufficientResources,
               "the cluster is busy: the query waited {} ms for {} executor slots ({} of {} in "
               "use) and {} of memory on each executor ({} of {} reserved)",
               options_.timeout.count(), slots, in_use_, capacity_, Mib(memory),
               Mib(memory_in_use_), Mib(memory_capacity_));
  }
  queue_.pop_front();
  in_use_ += slots;
  memory_in_use_ += memory;
  running_++;
  admitted_++;
  changed_.notify_all();  // the next in the queue may fit too
  return std::unique_ptr<Ticket>(new Ticket(*this, slots, memory));
}

void AdmissionController::Release(int slots, uint64_t memory) {
  std::lock_guard lock(mu_);
  in_use_ -= slots;
  memory_in_use_ -= memory;
  running_--;
  changed_.notify_all();
}

}  // namespace basalt::cluster
