// ColumnStatistics: the end of ANALYZE's scan (main/table_statistics_statements.cc).
//
// Each instance folds the rows its share of the scan yields into its own
// accumulator: the row count and, per column, the NULL count, the smallest and
// largest value (with the min and max aggregates, so with their ordering:
// NaN above all numbers, strings byte-wise, intervals by length) and a
// HyperLogLog sketch fed with the same hashes as the table's own sketches
// (AddToSketches). When its input ends it merges that into the sink every
// instance shares, once. The node outputs no rows.
//
// Thread safety: an accumulator belongs to one thread; the sink's mutex
// guards its total.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/data_chunk.h"
#include "common/hyperloglog.h"
#include "common/value.h"
#include "exec/function.h"
#include "exec/physical_node.h"

namespace basalt {

class ColumnStatisticsAccumulator {
 public:
  explicit ColumnStatisticsAccumulator(const std::vector<LogicalType>& types);
  ~ColumnStatisticsAccumulator();
  ColumnStatisticsAccumulator(const ColumnStatisticsAccumulator&) = delete;
  ColumnStatisticsAccumulator& operator=(const ColumnStatisticsAccumulator&) = delete;

  // `chunk` has one column per type, in order.
  void Add(const DataChunk& chunk);
  void Merge(const ColumnStatisticsAccumulator& other);

  uint64_t row_count() const { return row_count_; }
  uint64_t null_count(idx_t column) const { return columns_[column].null_count; }
  // NULL when the column had no non-NULL value.
  Value Min(idx_t column) const;
  Value Max(idx_t column) const;
  const std::vector<HyperLogLog>& sketches() const { return sketches_; }

 private:
  // One bound min or max aggregate and its state (8-byte aligned, as
  // aggregate states require).
  struct Extreme {
    BoundAggregateFunction function;
    std::vector<uint64_t> state;
    uint8_t* data() { return reinterpret_cast<uint8_t*>(state.data()); }
  };
  struct Column {
    LogicalType type;
    uint64_t null_count = 0;
    bool has_extremes = false;  // false when min/max do not bind (no such type yet)
    Extreme min;
    Extreme max;
  };
  static void Update(Extreme& extreme, const Vector& input, idx_t count,
                     std::vector<uint8_t*>& states);
  static Value Finalize(const Extreme& extreme, const LogicalType& type);

  uint64_t row_count_ = 0;
  std::vector<Column> columns_;
  std::vector<HyperLogLog> sketches_;
  std::vector<uint8_t*> states_;  // scratch: kBatchSize pointers to one state
};

// Where the instances of one ColumnStatisticsNode leave their results.
class ColumnStatisticsSink {
 public:
  explicit ColumnStatisticsSink(const std::vector<LogicalType>& types) : total_(types) {}

  void Merge(const ColumnStatisticsAccumulator& part) {
    std::lock_guard<std::mutex> lock(mutex_);
    total_.Merge(part);
  }
  // Every instance's rows, once the query has finished.
  const ColumnStatisticsAccumulator& total() const { return total_; }

 private:
  std::mutex mutex_;
  ColumnStatisticsAccumulator total_;
};

class ColumnStatisticsNode : public PhysicalNode {
 public:
  // Shared with whoever planned the query, who reads it afterwards; the node
  // itself never changes it, its instances only merge into it.
  std::shared_ptr<ColumnStatisticsSink> sink;
  // The input's column types (the node's own output has none).
  std::vector<LogicalType> input_types;

  std::string Name() const override { return "ColumnStatistics"; }
  std::unique_ptr<Operator> CreateOperator(InstanceContext& ctx) const override;
};

}  // namespace basalt
