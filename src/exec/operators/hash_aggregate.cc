#include "exec/operators/hash_aggregate.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "common/exception.h"
#include "exec/expression_executor.h"
#include "exec/operators/aggregate_states.h"
#include "exec/operators/group_hash_table.h"

namespace basalt {

namespace {

std::vector<LogicalType> ExpressionTypes(const std::vector<ExpressionPtr>& exprs) {
  std::vector<LogicalType> types;
  for (const auto& e : exprs) types.push_back(e->type);
  return types;
}

std::vector<const BoundAggregateFunction*> Functions(const std::vector<AggregateCall>& calls) {
  std::vector<const BoundAggregateFunction*> functions;
  for (const auto& call : calls) functions.push_back(&call.function);
  return functions;
}

// The (group id, arguments) pairs a DISTINCT aggregate has already seen.
struct DistinctFilter {
  explicit DistinctFilter(std::vector<LogicalType> key_types)
      : table(std::move(key_types)), keys(table.keys().ColumnCount()) {}
  GroupHashTable table;
  std::vector<Vector> keys;  // group id column, then the arguments
};

class HashAggregateOperator : public Operator {
 public:
  explicit HashAggregateOperator(const HashAggregateNode& node)
      : Operator(node),
        plan_(node),
        table_(ExpressionTypes(node.groups)),
        states_(Functions(node.aggregates)),
        group_vectors_(node.groups.size()),
        hashes_(kBatchSize),
        group_ids_(kBatchSize, 0),
        pair_ids_(kBatchSize),
        new_rows_(kBatchSize),
        row_states_(kBatchSize),
        addresses_(kBatchSize),
        compacted_(kBatchSize),
        filter_sel_(kBatchSize) {
    for (const AggregateCall& call : node.aggregates) {
      if (!call.distinct) {
        distinct_.push_back(nullptr);
        continue;
      }
      std::vector<LogicalType> key_types{LogicalType(TypeId::kBigint)};
      for (const auto& arg : call.args) key_types.push_back(arg->type);
      distinct_.push_back(std::make_unique<DistinctFilter>(std::move(key_types)));
    }
    // A global aggregate has its single group from the start, so empty input
    // still yields one row.
    if (node.groups.empty()) states_.AddGroups(1);
  }

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (!input_done_) {
      switch (children_[0]->Next(input_)) {
        case OperatorResult::kBlocked:
          return OperatorResult::kBlocked;
        case OperatorResult::kFinished:
          input_done_ = true;
          break;
        case OperatorResult::kHaveData:
          if (input_.size() > 0) {
            Sink(input_);
            memory_.Set(MemoryUsage());
          }
          break;
      }
    }
    return Emit(out);
  }

 private:
  // The group table, the aggregate states and DISTINCT filters' tables.
  uint64_t MemoryUsage() const {
    uint64_t bytes = table_.MemoryUsage() + states_.MemoryUsage();
    for (const auto& d : distinct_) {
      if (d) bytes += d->table.MemoryUsage();
    }
    return bytes;
  }

  void Sink(const DataChunk& input);
  void UpdateAggregate(idx_t a, const DataChunk& input);
  OperatorResult Emit(DataChunk& out);

  const HashAggregateNode& plan_;
  ExpressionExecutor executor_;
  GroupHashTable table_;
  AggregateStates states_;
  std::vector<std::unique_ptr<DistinctFilter>> distinct_;  // per aggregate; null if not DISTINCT

  DataChunk input_;
  bool input_done_ = false;
  idx_t emitted_ = 0;

  // Per-batch scratch, kBatchSize each.
  std::vector<Vector> group_vectors_;
  std::vector<Vector> args_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> group_ids_;
  std::vector<uint32_t> pair_ids_;  // ids of (group, arguments) pairs of a DISTINCT aggregate
  std::vector<uint32_t> new_rows_;
  std::vector<uint8_t*> row_states_;  // state row of each input row's group
  std::vector<uint8_t*> addresses_;   // one aggregate's state of each updated row
  std::vector<uint8_t*> compacted_;
  SelectionVector filter_sel_;
};

void HashAggregateOperator::Sink(const DataChunk& input) {
  const idx_t count = input.size();
  if (plan_.groups.empty()) {
    std::fill(row_states_.begin(), row_states_.begin() + count, states_.Group(0));
  } else {
    for (idx_t g = 0; g < plan_.groups.size(); g++) {
      executor_.Execute(*plan_.groups[g], input, group_vectors_[g]);
    }
    GroupHashTable::HashKeys(group_vectors_, count, hashes_.data());
    const idx_t created = table_.FindOrInsert(group_vectors_, hashes_.data(), count,
                                              group_ids_.data(), new_rows_.data());
    states_.AddGroups(created);
    for (idx_t i = 0; i < count; i++) row_states_[i] = states_.Group(group_ids_[i]);
  }
  for (idx_t a = 0; a < plan_.aggregates.size(); a++) UpdateAggregate(a, input);
}

void HashAggregateOperator::UpdateAggregate(idx_t a, const DataChunk& input) {
  const AggregateCall& call = plan_.aggregates[a];
  idx_t count = input.size();
  const SelectionVector* sel = nullptr;
  if (call.filter) {
    count = executor_.Select(*call.filter, input, filter_sel_);
    if (count == 0) return;
    sel = &filter_sel_;
  }
  // Arguments densely in rows 0..count-1, as update expects.
  args_.resize(call.args.size());
  for (idx_t j = 0; j < call.args.size(); j++) {
    executor_.Execute(*call.args[j], input, sel, count, args_[j]);
    if (sel) args_[j].Slice(*sel, count);
  }
  const idx_t offset = states_.offset(a);
  for (idx_t i = 0; i < count; i++) {
    addresses_[i] = row_states_[sel ? sel->Get(i) : i] + offset;
  }
  uint8_t** addresses = addresses_.data();

  if (DistinctFilter* distinct = distinct_[a].get()) {
    Vector& group_column = distinct->keys[0];
    group_column = Vector(LogicalType(TypeId::kBigint));
    auto* ids = group_column.Data<int64_t>();
    for (idx_t i = 0; i < count; i++) ids[i] = group_ids_[sel ? sel->Get(i) : i];
    for (idx_t j = 0; j < args_.size(); j++) distinct->keys[j + 1].Reference(args_[j]);
    GroupHashTable::HashKeys(distinct->keys, count, hashes_.data());
    // group_ids_ is still needed by later aggregates; the pair ids go elsewhere.
    const idx_t fresh = distinct->table.FindOrInsert(distinct->keys, hashes_.data(), count,
                                                     pair_ids_.data(), new_rows_.data());
    for (auto& key : distinct->keys) key = Vector();  // do not pin the batch's buffers
    if (fresh == 0) return;
    SelectionVector fresh_sel(new_rows_.data());
    for (auto& arg : args_) arg.Slice(fresh_sel, fresh);
    for (idx_t i = 0; i < fresh; i++) compacted_[i] = addresses_[new_rows_[i]];
    addresses = compacted_.data();
    count = fresh;
  }
  call.function.update(args_, count, addresses, call.function.data.get());
  for (auto& arg : args_) arg = Vector();
}

OperatorResult HashAggregateOperator::Emit(DataChunk& out) {
  const idx_t total = states_.size();
  if (emitted_ >= total) return OperatorResult::kFinished;
  const idx_t count = std::min(kBatchSize, total - emitted_);
  DataChunk chunk;
  std::vector<uint32_t> rows(count);
  std::iota(rows.begin(), rows.end(), static_cast<uint32_t>(emitted_));
  for (idx_t g = 0; g < plan_.groups.size(); g++) {
    Vector column(plan_.groups[g]->type);
    table_.keys().Gather(g, rows.data(), count, column, 0);
    chunk.AddColumn(std::move(column));
  }
  for (idx_t a = 0; a < plan_.aggregates.size(); a++) {
    Vector column(plan_.aggregates[a].function.return_type);
    states_.Finalize(a, emitted_, count, column);
    chunk.AddColumn(std::move(column));
  }
  chunk.SetSize(count);
  out.Reference(chunk);
  emitted_ += count;
  return OperatorResult::kHaveData;
}

}  // namespace

std::string HashAggregateNode::Details() const {
  std::string out;
  if (!groups.empty()) out += "groups: " + JoinExpressions(groups);
  for (size_t i = 0; i < aggregates.size(); i++) {
    const AggregateCall& call = aggregates[i];
    if (i == 0) out += out.empty() ? "aggregates: " : "; aggregates: ";
    if (i > 0) out += ", ";
    out += call.function.name + "(";
    if (call.distinct) out += "DISTINCT ";
    out += JoinExpressions(call.args);
    if (call.args.empty()) out += "*";
    out += ")";
    if (call.filter) out += " FILTER (WHERE " + call.filter->ToString() + ")";
  }
  return out;
}

std::unique_ptr<Operator> HashAggregateNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<HashAggregateOperator>(*this);
}

}  // namespace basalt
