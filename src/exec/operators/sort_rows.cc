#include "exec/operators/sort_rows.h"

#include <algorithm>

#include "common/exception.h"
#include "exec/operators/key_compare.h"

namespace basalt {

namespace {

// The value a sort compares: intervals by their length, the rest as stored.
template <typename T>
inline auto ToSortKey(const T& v) {
  if constexpr (std::is_same_v<T, Interval>) {
    return IntervalSortKey(v);
  } else {
    return v;
  }
}

template <typename T>
using SortKeyOf = decltype(ToSortKey(std::declval<T>()));

class RowSorter {
 public:
  RowSorter(const ColumnStore& store, const std::vector<SortColumn>& keys)
      : store_(store), keys_(keys) {}

  void Sort(uint32_t* rows, idx_t count, idx_t level) {
    if (count < 2 || level >= keys_.size()) return;
    DispatchPhysical(store_.types()[keys_[level].column].physical(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      SortLevel<T>(rows, count, level);
    });
  }

 private:
  template <typename T>
  void SortLevel(uint32_t* rows, idx_t count, idx_t level) {
    const SortColumn& key = keys_[level];
    const idx_t column = key.column;
    uint32_t* values = rows;
    idx_t value_count = count;
    uint32_t* nulls = rows + count;
    idx_t null_count = 0;
    if (store_.HasNulls(column)) {
      auto is_null = [&](uint32_t row) { return !store_.IsValid(column, row); };
      if (key.nulls_first) {
        uint32_t* split = std::partition(rows, rows + count, is_null);
        null_count = split - rows;
        nulls = rows;
        values = split;
      } else {
        uint32_t* split =
            std::partition(rows, rows + count, [&](uint32_t r) { return !is_null(r); });
        null_count = rows + count - split;
        nulls = split;
      }
      value_count = count - null_count;
    }
    const T* data = store_.Data<T>(column);
    if (value_count > 1) {
      if (key.descending) {
        SortValues<T, true>(data, values, value_count);
      } else {
        SortValues<T, false>(data, values, value_count);
      }
    }
    if (level + 1 == keys_.size()) return;
    // Rows tied on this key are ordered by the next one.
    Sort(nulls, null_count, level + 1);
    idx_t run_start = 0;
    for (idx_t i = 1; i <= value_count; i++) {
      if (i < value_count &&
          CompareKeys(ToSortKey(data[values[i]]), ToSortKey(data[values[run_start]])) == 0) {
        continue;
      }
      Sort(values + run_start, i - run_start, level + 1);
      run_start = i;
    }
  }

  template <typename T, bool kDescending>
  void SortValues(const T* data, uint32_t* rows, idx_t count) {
    using Key = SortKeyOf<T>;
    struct Entry {
      Key key;
      uint32_t row;
    };
    // Reused across runs; int128_t units keep the entries 16-byte aligned.
    const idx_t units = (count * sizeof(Entry) + sizeof(int128_t) - 1) / sizeof(int128_t);
    if (scratch_.size() < units) scratch_.resize(std::max<idx_t>(units, scratch_.size() * 2));
    auto* entries = reinterpret_cast<Entry*>(scratch_.data());
    for (idx_t i = 0; i < count; i++) entries[i] = Entry{ToSortKey(data[rows[i]]), rows[i]};
    std::sort(entries, entries + count, [](const Entry& a, const Entry& b) {
      if constexpr (kDescending) {
        return CompareKeys(b.key, a.key) < 0;
      } else {
        return CompareKeys(a.key, b.key) < 0;
      }
    });
    for (idx_t i = 0; i < count; i++) rows[i] = entries[i].row;
  }

  const ColumnStore& store_;
  const std::vector<SortColumn>& keys_;
  std::vector<int128_t> scratch_;
};

}  // namespace

void SortRows(const ColumnStore& store, const std::vector<SortColumn>& keys, uint32_t* rows,
              idx_t count) {
  RowSorter sorter(store, keys);
  sorter.Sort(rows, count, 0);
}

idx_t SelectRowsBefore(const std::vector<Vector>& batch_keys, idx_t count,
                       const std::vector<SortColumn>& keys, const ColumnStore& store,
                       uint32_t boundary, uint32_t* out) {
  BASALT_CHECK(count <= kBatchSize);
  // Rows still tied with the boundary on every key so far.
  uint32_t tied[kBatchSize];
  idx_t tied_count = count;
  for (idx_t i = 0; i < count; i++) tied[i] = static_cast<uint32_t>(i);
  idx_t selected = 0;
  for (idx_t k = 0; k < keys.size() && tied_count > 0; k++) {
    const SortColumn& key = keys[k];
    UnifiedFormat in;
    batch_keys[k].ToUnified(count, &in);
    const bool boundary_valid = store.IsValid(key.column, boundary);
    DispatchPhysical(store.types()[key.column].physical(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* values = in.Data<T>();
      const auto bound = ToSortKey(store.Data<T>(key.column)[boundary]);
      idx_t still_tied = 0;
      for (idx_t j = 0; j < tied_count; j++) {
        const uint32_t row = tied[j];
        const uint32_t src = in.sel->Get(row);
        const bool valid = in.validity->IsValid(src);
        int c;
        if (valid && boundary_valid) {
          c = CompareKeys(ToSortKey(values[src]), bound);
          if (key.descending) c = -c;
        } else if (valid == boundary_valid) {
          c = 0;  // both NULL
        } else {
          // Exactly one is NULL: the NULL one goes where nulls_first says.
          c = (valid ? 1 : -1) * (key.nulls_first ? 1 : -1);
        }
        if (c < 0) {
          out[selected++] = row;
        } else if (c == 0) {
          tied[still_tied++] = row;
        }
      }
      tied_count = still_tied;
    });
  }
  return selected;
}

SortLayout::SortLayout(const std::vector<SortKey>& keys, std::vector<LogicalType> input_types)
    : keys_(keys), store_types_(std::move(input_types)) {
  input_column_count_ = store_types_.size();
  for (const SortKey& key : keys) {
    SortColumn column;
    column.descending = key.descending;
    column.nulls_first = key.nulls_first;
    if (key.expr->kind == ExprKind::kInputRef) {
      BASALT_CHECK(key.expr->input_index < input_column_count_);
      column.column = key.expr->input_index;
    } else {
      column.column = store_types_.size();
      store_types_.push_back(key.expr->type);
    }
    columns_.push_back(column);
  }
}

void SortLayout::EvaluateKeys(ExpressionExecutor& executor, const DataChunk& input,
                              std::vector<Vector>& key_vectors) const {
  key_vectors.resize(keys_.size());
  for (idx_t k = 0; k < keys_.size(); k++) executor.Execute(*keys_[k].expr, input, key_vectors[k]);
}

void SortLayout::Append(const DataChunk& input, const std::vector<Vector>& key_vectors,
                        const SelectionVector* sel, idx_t count, ColumnStore& store) const {
  store.Reserve(count);
  for (idx_t c = 0; c < input_column_count_; c++) {
    store.AppendColumn(c, input.column(c), sel, count);
  }
  for (idx_t k = 0; k < keys_.size(); k++) {
    if (columns_[k].column >= input_column_count_) {
      store.AppendColumn(columns_[k].column, key_vectors[k], sel, count);
    }
  }
  store.Commit(count);
}

DataChunk SortLayout::Gather(const ColumnStore& store, const uint32_t* rows, idx_t count) const {
  DataChunk chunk;
  for (idx_t c = 0; c < input_column_count_; c++) {
    Vector column(store_types_[c]);
    store.Gather(c, rows, count, column, 0);
    chunk.AddColumn(std::move(column));
  }
  chunk.SetSize(count);
  return chunk;
}

}  // namespace basalt
