// How far a running query has come, for progress bars, the REST status and
// the console: fragment instances done of all, and rows the scans returned
// of what the optimizer expected them to return. Also the totals /metrics
// adds up once the query ends (rows and bytes scanned, bytes exchanged).
//
// This process's instances and scans update the local counters: once per
// instance and once per scan batch, never per row. In a cluster each
// executor reports its part's figures while it runs (QueryPartStatus
// PROGRESS), and the coordinator keeps the latest report of each part.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace basalt {

struct ProgressFigures {
  uint64_t instances_done = 0;
  uint64_t instances_total = 0;
  uint64_t rows_scanned = 0;
  uint64_t bytes_scanned = 0;
  uint64_t rows_estimated = 0;
  uint64_t exchange_bytes = 0;  // sent to other nodes

  ProgressFigures& operator+=(const ProgressFigures& other);
  // In [0, 1]: rows scanned of the estimate when there is one (capped below
  // 1 until every instance is done, since estimates err), else instances done.
  double Fraction() const;
};

class QueryProgress {
 public:
  // Called once per plan before its instances start.
  void AddInstances(uint64_t count) { instances_total_.fetch_add(count, kOrder); }
  void AddEstimate(uint64_t rows) { rows_estimated_.fetch_add(rows, kOrder); }
  void InstanceDone() { instances_done_.fetch_add(1, kOrder); }
  void AddScanned(uint64_t rows, uint64_t bytes) {
    rows_scanned_.fetch_add(rows, kOrder);
    bytes_scanned_.fetch_add(bytes, kOrder);
  }
  void AddExchangeBytes(uint64_t bytes) { exchange_bytes_.fetch_add(bytes, kOrder); }
  // Replaces what `part` (an executor) last reported.
  void SetPart(const std::string& part, const ProgressFigures& figures);

  // The local counters plus every part's latest report.
  ProgressFigures Get() const;

 private:
  static constexpr std::memory_order kOrder = std::memory_order_relaxed;
  std::atomic<uint64_t> instances_done_{0};
  std::atomic<uint64_t> instances_total_{0};
  std::atomic<uint64_t> rows_scanned_{0};
  std::atomic<uint64_t> bytes_scanned_{0};
  std::atomic<uint64_t> rows_estimated_{0};
  std::atomic<uint64_t> exchange_bytes_{0};
  mutable std::mutex parts_mutex_;  // guards parts_
  std::map<std::string, ProgressFigures> parts_;
};

}  // namespace basalt
