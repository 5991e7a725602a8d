// Memory accounting for a query: what its operators hold, now and at most,
// against an optional limit (docs/execution.md, "Memory tracking").
//
// Each operator instance has an OperatorMemory. The operators that hold data
// (the joins' build sides, the hash aggregate's groups and states, sort,
// top-N, window) measure the structures they own after each input batch or
// reallocation and Set() that figure; the difference goes to the query's
// QueryMemoryTracker, one atomic add per batch, never per row. The query
// tracker keeps the sum and its peak, and refuses a consumption that would
// take the sum above the limit with SQLSTATE 53200, naming the operator and
// this process's node.
//
// What is not counted: exchange queues, scan buffers, expression scratch and
// the batches passing between operators. Figures are the operators' own
// estimates of their structures (capacity × width plus arena blocks), not
// what the allocator hands out.
//
// Thread safety: QueryMemoryTracker may be used from any thread (atomics;
// its host is set before the first instance runs). An OperatorMemory belongs
// to one operator instance and is single-threaded.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

// "512 B", "64.0 KiB", "1.2 MiB", "2.0 GiB".
std::string FormatBytes(uint64_t bytes);

// A memory size as the setting mem_limit takes it: a number of bytes, or a
// number followed by a unit (B, K/KB/KiB, M/MB/MiB, G/GB/GiB, T/TB/TiB; all
// powers of 1024, any case, spaces allowed), as `512MB` or `2GB`. 0 means no
// limit. Anything else fails with 22023 naming `setting`.
uint64_t ParseMemorySize(std::string_view value, std::string_view setting);

class QueryMemoryTracker {
 public:
  // 0 = no limit. Set before the query's instances start.
  void set_limit(uint64_t bytes) { limit_.store(bytes, std::memory_order_relaxed); }
  uint64_t limit() const { return limit_.load(std::memory_order_relaxed); }
  // The node this part of the query runs on, for error messages; empty in
  // one process. Set before the query's instances start.
  void set_host(std::string host) { host_ = std::move(host); }
  const std::string& host() const { return host_; }

  // Adds `bytes` to the query's total. When that would exceed the limit,
  // nothing is added and a 53200 error is thrown naming `consumer`, which
  // would then hold `consumer_total` bytes.
  void Consume(uint64_t bytes, std::string_view consumer, uint64_t consumer_total);
  void Release(uint64_t bytes);

  uint64_t current() const;
  uint64_t peak() const { return peak_.load(std::memory_order_relaxed); }

  // What every query's operators in this process hold now (/metrics).
  static uint64_t ProcessCurrent();

 private:
  std::atomic<uint64_t> limit_{0};
  std::atomic<int64_t> current_{0};
  std::atomic<uint64_t> peak_{0};
  std::string host_;
};

class OperatorMemory {
 public:
  OperatorMemory() = default;
  // Gives back to the query what the operator still holds.
  ~OperatorMemory();
  OperatorMemory(const OperatorMemory&) = delete;
  OperatorMemory& operator=(const OperatorMemory&) = delete;

  // Reports to `query` (which must outlive this) under `name` from now on;
  // until then figures are kept here only.
  void Attach(QueryMemoryTracker* query, std::string name);
  // The operator's structures now take `bytes`. Growth is consumed from the
  // query (and may throw 53200, leaving the figures as they were), shrinking
  // released.
  void Set(uint64_t bytes);

  uint64_t current() const { return current_; }
  uint64_t peak() const { return peak_; }

 private:
  QueryMemoryTracker* query_ = nullptr;
  std::string name_;
  uint64_t current_ = 0;
  uint64_t peak_ = 0;
};

}  // namespace basalt
