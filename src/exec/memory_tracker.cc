#include "exec/memory_tracker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>

#include "common/exception.h"

namespace basalt {

std::string FormatBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    unit++;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

uint64_t ParseMemorySize(std::string_view value, std::string_view setting) {
  auto fail = [&]() -> uint64_t {
    ThrowError(sqlstate::kInvalidParameterValue,
               "invalid value for {}: \"{}\" (a number of bytes, 0 for no limit, or a number with "
               "a unit such as 512MB or 2GB)",
               setting, value);
  };
  std::string v;
  for (char c : value) {
    if (c != ' ') v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  size_t digits = 0;
  while (digits < v.size() && v[digits] >= '0' && v[digits] <= '9') digits++;
  if (digits == 0 || digits > 18) return fail();
  uint64_t number = std::stoull(v.substr(0, digits));
  std::string unit = v.substr(digits);
  int shift = -1;
  if (unit.empty() || unit == "b") {
    shift = 0;
  } else {
    static constexpr const char* kPrefixes = "kmgt";
    const char* p = unit.size() <= 3 ? std::strchr(kPrefixes, unit[0]) : nullptr;
    std::string rest = unit.substr(1);
    if (p != nullptr && *p != '\0' && (rest.empty() || rest == "b" || rest == "ib")) {
      shift = 10 * static_cast<int>(p - kPrefixes + 1);
    }
  }
  if (shift < 0) return fail();
  if (shift > 0 && number > (std::numeric_limits<uint64_t>::max() >> shift)) return fail();
  return number << shift;
}

namespace {
// The sum of every tracker's current_, kept beside them (one more relaxed
// add per batch) so /metrics need not find the running queries.
std::atomic<int64_t> process_current{0};
}  // namespace

uint64_t QueryMemoryTracker::ProcessCurrent() {
  return static_cast<uint64_t>(std::max<int64_t>(0, process_current.load(std::memory_order_relaxed)));
}

void QueryMemoryTracker::Consume(uint64_t bytes, std::string_view consumer,
                                 uint64_t consumer_total) {
  const int64_t delta = static_cast<int64_t>(bytes);
  const int64_t now = current_.fetch_add(delta, std::memory_order_relaxed) + delta;
  const uint64_t limit = limit_.load(std::memory_order_relaxed);
  if (limit > 0 && static_cast<uint64_t>(now) > limit) {
    current_.fetch_sub(delta, std::memory_order_relaxed);
    ThrowError(sqlstate::kOutOfMemory,
               "out of memory: the query needs more than its limit of {} {}({} used {})",
               FormatBytes(limit), host_.empty() ? std::string("here ") : "on " + host_ + " ",
               consumer.empty() ? std::string_view("an operator") : consumer,
               FormatBytes(consumer_total));
  }
  process_current.fetch_add(delta, std::memory_order_relaxed);
  uint64_t peak = peak_.load(std::memory_order_relaxed);
  while (
      static_cast<uint64_t>(now) > peak &&
      !peak_.compare_exchange_weak(peak, static_cast<uint64_t>(now), std::memory_order_relaxed)) {
  }
}

void QueryMemoryTracker::Release(uint64_t bytes) {
  current_.fetch_sub(static_cast<int64_t>(bytes), std::memory_order_relaxed);
  process_current.fetch_sub(static_cast<int64_t>(bytes), std::memory_order_relaxed);
}

uint64_t QueryMemoryTracker::current() const {
  return static_cast<uint64_t>(std::max<int64_t>(0, current_.load(std::memory_order_relaxed)));
}

OperatorMemory::~OperatorMemory() {
  if (query_ != nullptr && current_ > 0) query_->Release(current_);
}

void OperatorMemory::Attach(QueryMemoryTracker* query, std::string name) {
  query_ = query;
  name_ = std::move(name);
}

void OperatorMemory::Set(uint64_t bytes) {
  if (bytes > current_) {
    if (query_ != nullptr) query_->Consume(bytes - current_, name_, bytes);
  } else if (bytes < current_) {
    if (query_ != nullptr) query_->Release(current_ - bytes);
  }
  current_ = bytes;
  peak_ = std::max(peak_, bytes);
}

}  // namespace basalt
