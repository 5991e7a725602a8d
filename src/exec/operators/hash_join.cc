#include "exec/operators/hash_join.h"

#include "common/exception.h"
#include "exec/expression_executor.h"
#include "exec/operators/join_hash_table.h"
#include "exec/operators/join_operator.h"

namespace basalt {

namespace {

std::vector<LogicalType> KeyTypes(const HashJoinNode& node) {
  BASALT_CHECK_EQ(node.probe_keys.size(), node.build_keys.size());
  std::vector<LogicalType> types;
  for (idx_t k = 0; k < node.build_keys.size(); k++) {
    const LogicalType& type = node.build_keys[k]->type;
    if (node.probe_keys[k]->type != type) {
      ThrowError(sqlstate::kInternalError, "internal error: hash join key {} is {} = {}", k,
                 node.probe_keys[k]->type.ToString(), type.ToString());
    }
    types.push_back(type);
  }
  return types;
}

// Writes the rows (< count) whose key columns are all non-NULL to `rows`;
// returns how many.
idx_t RowsWithoutNullKeys(const std::vector<Vector>& keys, idx_t count, uint32_t* rows,
                          std::vector<uint8_t>& has_null) {
  bool any_null = false;
  for (const Vector& key : keys) {
    UnifiedFormat in;
    key.ToUnified(count, &in);
    if (in.validity->AllValid()) continue;
    if (!any_null) std::fill(has_null.begin(), has_null.begin() + count, 0);
    any_null = true;
    for (idx_t i = 0; i < count; i++) has_null[i] |= !in.validity->IsValid(in.sel->Get(i));
  }
  idx_t n = 0;
  for (idx_t i = 0; i < count; i++) {
    if (!any_null || !has_null[i]) rows[n++] = static_cast<uint32_t>(i);
  }
  return n;
}

class HashJoinOperator : public JoinOperator {
 public:
  explicit HashJoinOperator(const HashJoinNode& node)
      : JoinOperator(node, node.join_type, node.residual.get()),
        plan_(node),
        index_(KeyTypes(node)),
        keys_(node.build_keys.size()),
        rows_(kBatchSize),
        row_ids_(kBatchSize),
        has_null_(kBatchSize),
        chains_(kBatchSize) {}

 protected:
  void SinkBuild(const DataChunk& chunk) override {
    const idx_t count = chunk.size();
    for (idx_t k = 0; k < keys_.size(); k++) {
      executor_.Execute(*plan_.build_keys[k], chunk, keys_[k]);
    }
    const idx_t valid = RowsWithoutNullKeys(keys_, count, rows_.data(), has_null_);
    // Right and full joins output unmatched build rows, NULL keys included;
    // the other types never look at a row with a NULL key again.
    const bool keep_all = join_type() == JoinType::kRight || join_type() == JoinType::kFull;
    ColumnStore& store = build_store();
    const uint32_t base = static_cast<uint32_t>(store.size());
    SelectionVector valid_sel(rows_.data());
    if (keep_all || valid == count) {
      store.Append(chunk, nullptr, count);
      for (idx_t i = 0; i < valid; i++) row_ids_[i] = base + rows_[i];
    } else {
      store.Append(chunk, &valid_sel, valid);
      for (idx_t i = 0; i < valid; i++) row_ids_[i] = base + static_cast<uint32_t>(i);
    }
    if (valid < count) {
      for (Vector& key : keys_) key.Slice(valid_sel, valid);
    }
    index_.Insert(keys_, valid, row_ids_.data());
    for (Vector& key : keys_) key = Vector();
  }

  uint64_t BuildIndexMemory() const override { return index_.MemoryUsage(); }

  void StartProbeBatch(const DataChunk& probe) override {
    probe_count_ = probe.size();
    cursor_ = 0;
    for (idx_t k = 0; k < keys_.size(); k++) {
      executor_.Execute(*plan_.probe_keys[k], probe, keys_[k]);
    }
    index_.Probe(keys_, probe_count_, chains_.data());
    for (Vector& key : keys_) key = Vector();
  }

  idx_t NextPairs(uint32_t* probe_rows, uint32_t* build_rows) override {
    idx_t n = 0;
    // chains_[row] is where the row's walk resumes: one probe row may have
    // more matches than fit in one batch of pairs.
    while (cursor_ < probe_count_ && n < kBatchSize) {
      const uint32_t row = static_cast<uint32_t>(cursor_);
      uint32_t build = ProbeRowDone(row) ? JoinHashTable::kEndOfChain : chains_[row];
      if (OnePairPerRow()) {
        if (build != JoinHashTable::kEndOfChain) {
          probe_rows[n] = row;
          build_rows[n++] = build;
        }
        build = JoinHashTable::kEndOfChain;
      } else {
        while (build != JoinHashTable::kEndOfChain && n < kBatchSize) {
          probe_rows[n] = row;
          build_rows[n++] = build;
          build = index_.Next(build);
        }
      }
      chains_[row] = build;
      if (build == JoinHashTable::kEndOfChain) cursor_++;
    }
    return n;
  }

 private:
  const HashJoinNode& plan_;
  ExpressionExecutor executor_;
  JoinHashTable index_;
  std::vector<Vector> keys_;
  std::vector<uint32_t> rows_;
  std::vector<uint32_t> row_ids_;
  std::vector<uint8_t> has_null_;
  // Probe batch state.
  std::vector<uint32_t> chains_;
  idx_t probe_count_ = 0;
  idx_t cursor_ = 0;
};

}  // namespace

std::string HashJoinNode::Details() const {
  std::string out = JoinTypeName(join_type);
  for (size_t k = 0; k < probe_keys.size(); k++) {
    out += k == 0 ? "; keys: " : ", ";
    out += probe_keys[k]->ToString() + " = " + build_keys[k]->ToString();
  }
  if (residual) out += "; residual: " + residual->ToString();
  return out;
}

std::unique_ptr<Operator> HashJoinNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<HashJoinOperator>(*this);
}

}  // namespace basalt
