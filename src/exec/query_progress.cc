#include "exec/query_progress.h"

#include <algorithm>

namespace basalt {

ProgressFigures& ProgressFigures::operator+=(const ProgressFigures& other) {
  instances_done += other.instances_done;
  instances_total += other.instances_total;
  rows_scanned += other.rows_scanned;
  bytes_scanned += other.bytes_scanned;
  rows_estimated += other.rows_estimated;
  exchange_bytes += other.exchange_bytes;
  return *this;
}

double ProgressFigures::Fraction() const {
  if (instances_total > 0 && instances_done >= instances_total) return 1.0;
  if (rows_estimated > 0) {
    return std::min(0.99, static_cast<double>(rows_scanned) / static_cast<double>(rows_estimated));
  }
  if (instances_total == 0) return 0.0;
  return static_cast<double>(instances_done) / static_cast<double>(instances_total);
}

void QueryProgress::SetPart(const std::string& part, const ProgressFigures& figures) {
  std::lock_guard<std::mutex> lock(parts_mutex_);
  parts_[part] = figures;
}

ProgressFigures QueryProgress::Get() const {
  ProgressFigures figures;
  figures.instances_done = instances_done_.load(kOrder);
  figures.instances_total = instances_total_.load(kOrder);
  figures.rows_scanned = rows_scanned_.load(kOrder);
  figures.bytes_scanned = bytes_scanned_.load(kOrder);
  figures.rows_estimated = rows_estimated_.load(kOrder);
  figures.exchange_bytes = exchange_bytes_.load(kOrder);
  std::lock_guard<std::mutex> lock(parts_mutex_);
  for (const auto& [part, reported] : parts_) figures += reported;
  return figures;
}

}  // namespace basalt
