// Sorting rows materialized in a ColumnStore, for Sort and TopN.
//
// Row ids are sorted one key at a time: the rows are ordered by the first
// key alone, then each run of rows with equal first keys by the second key,
// and so on. Each step is a std::sort over contiguous {key value, row id}
// pairs with a comparator specialized for the key's type and direction, so
// the type switch runs once per key and run, never per comparison, and the
// sort touches contiguous memory rather than chasing row ids. NULLs are
// partitioned to their end (first or last, as the key says) before sorting
// and compare equal among themselves. Ordering per type is that of
// key_compare.h: NaN above all numbers, strings byte-wise. Rows with equal
// keys end up in no particular order (the sort is not stable).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/data_chunk.h"
#include "exec/expression_executor.h"
#include "exec/operators/column_store.h"
#include "exec/operators/sort_key.h"

namespace basalt {

// One key of a sort, by its column in the ColumnStore.
struct SortColumn {
  idx_t column = 0;
  bool descending = false;
  bool nulls_first = false;
};

// Orders rows[0..count) (row ids of `store`) by `keys`.
void SortRows(const ColumnStore& store, const std::vector<SortColumn>& keys, uint32_t* rows,
              idx_t count);

// Writes to `out` the rows i < count whose keys (keys[k] is a vector over the
// batch for sort key k) sort strictly before row `boundary` of `store`;
// returns how many. Rows are written in no particular order.
idx_t SelectRowsBefore(const std::vector<Vector>& batch_keys, idx_t count,
                       const std::vector<SortColumn>& keys, const ColumnStore& store,
                       uint32_t boundary, uint32_t* out);

// The ColumnStore layout of Sort and TopN: the input columns first (what is
// output), then every key that is not simply an input column, evaluated.
class SortLayout {
 public:
  SortLayout(const std::vector<SortKey>& keys, std::vector<LogicalType> input_types);

  const std::vector<LogicalType>& store_types() const { return store_types_; }
  const std::vector<SortColumn>& columns() const { return columns_; }
  idx_t input_column_count() const { return input_column_count_; }

  // key_vectors[k] = the values of sort key k over `input`.
  void EvaluateKeys(ExpressionExecutor& executor, const DataChunk& input,
                    std::vector<Vector>& key_vectors) const;
  // Appends rows sel[0..count) (all rows without sel) of `input` and of the
  // evaluated keys to `store`.
  void Append(const DataChunk& input, const std::vector<Vector>& key_vectors,
              const SelectionVector* sel, idx_t count, ColumnStore& store) const;
  // The input columns of rows[0..count) (count <= kBatchSize) as a batch.
  DataChunk Gather(const ColumnStore& store, const uint32_t* rows, idx_t count) const;

 private:
  const std::vector<SortKey>& keys_;
  std::vector<LogicalType> store_types_;
  std::vector<SortColumn> columns_;
  idx_t input_column_count_ = 0;
};

}  // namespace basalt
