// The window operator's materialized input: what it stores per row
// (WindowLayout), and the rows put in (partition, order) order with the
// bounds of every partition and peer group (WindowRows).
//
// Not thread-safe: owned by one operator instance.
#pragma once

#include <cstdint>
#include <vector>

#include "common/data_chunk.h"
#include "exec/expression_executor.h"
#include "exec/operators/column_store.h"
#include "exec/operators/sort_rows.h"
#include "exec/operators/window_frame.h"

namespace basalt {

// The columns of the ColumnStore: the input columns first (what is output),
// then every expression the operator needs that is not simply an input
// column, evaluated once per row. Equal expressions share one column.
class WindowLayout {
 public:
  explicit WindowLayout(std::vector<LogicalType> input_types);

  // The column holding `expr`'s values. Call before any Append; `expr` must
  // outlive the layout.
  idx_t Add(const Expression& expr);

  const std::vector<LogicalType>& types() const { return types_; }
  idx_t input_column_count() const { return input_column_count_; }

  // Evaluates the computed columns over `input` and appends its rows to `store`.
  void Append(ExpressionExecutor& executor, const DataChunk& input, ColumnStore& store);

 private:
  std::vector<LogicalType> types_;
  idx_t input_column_count_ = 0;
  std::vector<const Expression*> computed_;  // column input_column_count_ + i
  std::vector<Vector> computed_values_;      // per-batch scratch
};

class WindowRows {
 public:
  // `partition_columns` and `order_columns` are columns of the store.
  WindowRows(std::vector<LogicalType> store_types, std::vector<idx_t> partition_columns,
             std::vector<SortColumn> order_columns);

  ColumnStore& store() { return store_; }
  const ColumnStore& store() const { return store_; }

  // Once every row is appended: sorts the rows and finds partitions and peers.
  void Finish();

  idx_t size() const { return order_.size(); }
  // Bytes held: the rows, their order, partition and peer starts
  // (memory accounting; the evaluators' own structures are not counted).
  uint64_t MemoryUsage() const {
    return store_.MemoryUsage() +
           (order_.capacity() + partition_starts_.capacity() + peer_starts_.capacity()) *
               sizeof(uint32_t) +
           range_keys_.capacity() * sizeof(double);
  }
  // Row ids of the store in sorted order; position p holds row order()[p].
  const uint32_t* order() const { return order_.data(); }

  // Fills `batch` for positions [first, first + count), count <= kBatchSize.
  void DescribeBatch(idx_t first, idx_t count, WindowBatch& batch) const;

 private:
  void ComputeRangeKeys();
  // Sets starts[p] where the sorted rows p-1 and p differ in `column`.
  void MarkChanges(idx_t column, std::vector<uint8_t>& starts) const;

  ColumnStore store_;
  std::vector<idx_t> partition_columns_;
  std::vector<SortColumn> order_columns_;
  std::vector<uint32_t> order_;
  // Ascending positions where a partition (peer group) begins, then size().
  // Every partition start is also a peer group start.
  std::vector<uint32_t> partition_starts_;
  std::vector<uint32_t> peer_starts_;
  // With a single numeric ORDER BY key: that key per sorted position, see
  // WindowBatch::range_keys.
  std::vector<double> range_keys_;
};

}  // namespace basalt
