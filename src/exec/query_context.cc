#include "exec/query_context.h"

#include "exec/scan_assignment.h"

namespace basalt {

void QueryContext::Fail(const BasaltError& error) {
  {
    std::lock_guard<std::mutex> lock(error_mutex_);
    // After a cancel, operators see their inputs end early; what fails then
    // is a consequence, not the query's error.
    if (!error_ && !IsCancelled()) error_ = error;
  }
  Cancel();
}

void QueryContext::Cancel() {
  if (cancelled_.exchange(true)) return;
  for (auto& e : exchanges_) e->Cancel();
}

std::optional<BasaltError> QueryContext::error() const {
  std::lock_guard<std::mutex> lock(error_mutex_);
  return error_;
}

std::vector<bool> ScanShare::Mine(const std::vector<std::string>& range_ids) const {
  std::vector<bool> mine(range_ids.size(), true);
  if (whole()) return mine;
  std::vector<int> owner = ScanAssignment(nodes).Assign(range_ids);
  for (size_t r = 0; r < range_ids.size(); r++) mine[r] = owner[r] == index;
  return mine;
}

}  // namespace basalt
