#include "exec/operators/window_rows.h"

#include <cmath>

#include <algorithm>
#include <numeric>

#include "common/exception.h"
#include "exec/operators/key_compare.h"

namespace basalt {

WindowLayout::WindowLayout(std::vector<LogicalType> input_types) : types_(std::move(input_types)) {
  input_column_count_ = types_.size();
}

idx_t WindowLayout::Add(const Expression& expr) {
  if (expr.kind == ExprKind::kInputRef) {
    BASALT_CHECK(expr.input_index < input_column_count_);
    return expr.input_index;
  }
  for (idx_t i = 0; i < computed_.size(); i++) {
    if (computed_[i]->Equals(expr)) return input_column_count_ + i;
  }
  computed_.push_back(&expr);
  computed_values_.emplace_back();
  types_.push_back(expr.type);
  return types_.size() - 1;
}

void WindowLayout::Append(ExpressionExecutor& executor, const DataChunk& input,
                          ColumnStore& store) {
  const idx_t count = input.size();
  for (idx_t i = 0; i < computed_.size(); i++) {
    executor.Execute(*computed_[i], input, computed_values_[i]);
  }
  store.Reserve(count);
  for (idx_t c = 0; c < input_column_count_; c++) {
    store.AppendColumn(c, input.column(c), nullptr, count);
  }
  for (idx_t i = 0; i < computed_.size(); i++) {
    store.AppendColumn(input_column_count_ + i, computed_values_[i], nullptr, count);
    computed_values_[i] = Vector();  // do not pin the batch's buffers
  }
  store.Commit(count);
}

WindowRows::WindowRows(std::vector<LogicalType> store_types, std::vector<idx_t> partition_columns,
                       std::vector<SortColumn> order_columns)
    : store_(std::move(store_types)),
      partition_columns_(std::move(partition_columns)),
      order_columns_(std::move(order_columns)) {}

void WindowRows::Finish() {
  const idx_t n = store_.size();
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), uint32_t{0});
  // Partitions may come out in any order, so their keys sort in any fixed
  // direction; what matters is that equal keys (NULLs included) end up adjacent.
  std::vector<SortColumn> keys;
  for (idx_t column : partition_columns_) keys.push_back(SortColumn{column, false, false});
  keys.insert(keys.end(), order_columns_.begin(), order_columns_.end());
  SortRows(store_, keys, order_.data(), n);

  std::vector<uint8_t> starts(n, 0);
  if (n > 0) starts[0] = 1;
  for (idx_t column : partition_columns_) MarkChanges(column, starts);
  for (idx_t p = 0; p < n; p++) {
    if (starts[p]) partition_starts_.push_back(static_cast<uint32_t>(p));
  }
  partition_starts_.push_back(static_cast<uint32_t>(n));
  // Without ORDER BY every row of a partition is a peer of every other.
  for (const SortColumn& key : order_columns_) MarkChanges(key.column, starts);
  for (idx_t p = 0; p < n; p++) {
    if (starts[p]) peer_starts_.push_back(static_cast<uint32_t>(p));
  }
  peer_starts_.push_back(static_cast<uint32_t>(n));
  ComputeRangeKeys();
}

void WindowRows::ComputeRangeKeys() {
  if (order_columns_.size() != 1) return;
  const SortColumn& key = order_columns_[0];
  const LogicalType& type = store_.types()[key.column];
  if (!type.IsNumeric()) return;
  const idx_t n = order_.size();
  range_keys_.resize(n);
  // NULLs sort at one end: -inf there keeps the array non-decreasing.
  const double null_key = key.nulls_first ? -INFINITY : INFINITY;
  const double scale = type.id() == TypeId::kDecimal ? std::pow(10.0, type.scale()) : 1.0;
  DispatchPhysical(type.physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, int128_t>) {
      const T* data = store_.Data<T>(key.column);
      for (idx_t p = 0; p < n; p++) {
        const uint32_t row = order_[p];
        if (store_.HasNulls(key.column) && !store_.IsValid(key.column, row)) {
          range_keys_[p] = null_key;
          continue;
        }
        double v = static_cast<double>(data[row]) / scale;
        range_keys_[p] = key.descending ? -v : v;
      }
    }
  });
}

void WindowRows::MarkChanges(idx_t column, std::vector<uint8_t>& starts) const {
  const idx_t n = order_.size();
  const uint32_t* order = order_.data();
  DispatchPhysical(store_.types()[column].physical(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* data = store_.Data<T>(column);
    // Equality is the sort's (CompareKeys), so peers are exactly the rows the
    // sort could not order apart.
    if (!store_.HasNulls(column)) {
      for (idx_t p = 1; p < n; p++) {
        starts[p] |= CompareKeys(data[order[p - 1]], data[order[p]]) != 0;
      }
      return;
    }
    for (idx_t p = 1; p < n; p++) {
      const uint32_t a = order[p - 1];
      const uint32_t b = order[p];
      const bool a_valid = store_.IsValid(column, a);
      const bool b_valid = store_.IsValid(column, b);
      starts[p] |= a_valid != b_valid || (a_valid && CompareKeys(data[a], data[b]) != 0);
    }
  });
}

void WindowRows::DescribeBatch(idx_t first, idx_t count, WindowBatch& batch) const {
  BASALT_CHECK(count <= kBatchSize && first + count <= order_.size());
  batch.first = first;
  batch.count = count;
  batch.rows = order_.data() + first;
  if (count == 0) return;
  // The partition and peer group holding `first`, and the partition's first group.
  const auto find = [](const std::vector<uint32_t>& starts, idx_t position) {
    return static_cast<idx_t>(
        std::upper_bound(starts.begin(), starts.end(), static_cast<uint32_t>(position)) -
        starts.begin() - 1);
  };
  idx_t partition = find(partition_starts_, first);
  idx_t group = find(peer_starts_, first);
  idx_t partition_first_group = find(peer_starts_, partition_starts_[partition]);
  for (idx_t j = 0; j < count; j++) {
    const uint32_t p = static_cast<uint32_t>(first + j);
    // The sentinels (size()) stop both walks.
    while (peer_starts_[group + 1] <= p) group++;
    if (partition_starts_[partition + 1] <= p) {
      while (partition_starts_[partition + 1] <= p) partition++;
      partition_first_group = group;  // a partition starts with a peer group
    }
    batch.range_keys = range_keys_.empty() ? nullptr : range_keys_.data();
    batch.partition_begin[j] = partition_starts_[partition];
    batch.partition_end[j] = partition_starts_[partition + 1];
    batch.peer_begin[j] = peer_starts_[group];
    batch.peer_end[j] = peer_starts_[group + 1];
    batch.peer_group[j] = static_cast<uint32_t>(group - partition_first_group);
  }
}

}  // namespace basalt
