#include "exec/operators/column_statistics.h"

#include <algorithm>

#include "common/exception.h"
#include "storage/data_table.h"

namespace basalt {

ColumnStatisticsAccumulator::ColumnStatisticsAccumulator(const std::vector<LogicalType>& types)
    : columns_(types.size()), sketches_(types.size()), states_(kBatchSize, nullptr) {
  const FunctionRegistry& registry = FunctionRegistry::Get();
  for (size_t c = 0; c < types.size(); c++) {
    Column& column = columns_[c];
    column.type = types[c];
    auto min = registry.BindAggregate("min", {types[c]});
    auto max = registry.BindAggregate("max", {types[c]});
    if (!min || !max || min->arg_types[0] != types[c] || max->arg_types[0] != types[c]) continue;
    column.has_extremes = true;
    for (auto [extreme, function] :
         {std::pair{&column.min, &*min}, std::pair{&column.max, &*max}}) {
      extreme->function = std::move(*function);
      extreme->state.assign((extreme->function.state_size + 7) / 8 + 1, 0);
      extreme->function.initialize(extreme->data());
    }
  }
}

ColumnStatisticsAccumulator::~ColumnStatisticsAccumulator() {
  for (Column& column : columns_) {
    if (!column.has_extremes) continue;
    for (Extreme* extreme : {&column.min, &column.max}) {
      uint8_t* state = extreme->data();
      if (extreme->function.destroy) extreme->function.destroy(&state, 1);
    }
  }
}

void ColumnStatisticsAccumulator::Update(Extreme& extreme, const Vector& input, idx_t count,
                                         std::vector<uint8_t*>& states) {
  std::fill(states.begin(), states.begin() + count, extreme.data());
  std::vector<Vector> args(1);
  args[0].Reference(input);
  extreme.function.update(args, count, states.data(), extreme.function.data.get());
}

void ColumnStatisticsAccumulator::Add(const DataChunk& chunk) {
  const idx_t count = chunk.size();
  if (count == 0) return;
  row_count_ += count;
  for (size_t c = 0; c < columns_.size(); c++) {
    Column& column = columns_[c];
    const Vector& input = chunk.column(c);
    UnifiedFormat f;
    input.ToUnified(count, &f);
    if (!f.validity->AllValid()) {
      for (idx_t r = 0; r < count; r++) column.null_count += !f.validity->IsValid(f.sel->Get(r));
    }
    if (column.has_extremes) {
      Update(column.min, input, count, states_);
      Update(column.max, input, count, states_);
    }
  }
  AddToSketches(chunk, &sketches_);
}

void ColumnStatisticsAccumulator::Merge(const ColumnStatisticsAccumulator& other) {
  row_count_ += other.row_count_;
  for (size_t c = 0; c < columns_.size(); c++) {
    Column& column = columns_[c];
    const Column& from = other.columns_[c];
    column.null_count += from.null_count;
    if (column.has_extremes) {
      for (auto [target, source] :
           {std::pair{&column.min, &from.min}, std::pair{&column.max, &from.max}}) {
        // combine reads the source state only.
        uint8_t* s = const_cast<Extreme*>(source)->data();
        uint8_t* t = target->data();
        target->function.combine(&s, &t, 1, target->function.data.get());
      }
    }
    sketches_[c].Merge(other.sketches_[c]);
  }
}

Value ColumnStatisticsAccumulator::Finalize(const Extreme& extreme, const LogicalType& type) {
  Vector result(type, 1);
  uint8_t* state = const_cast<Extreme&>(extreme).data();
  extreme.function.finalize(&state, 1, result, extreme.function.data.get());
  return result.GetValue(0);
}

Value ColumnStatisticsAccumulator::Min(idx_t column) const {
  const Column& c = columns_[column];
  return c.has_extremes ? Finalize(c.min, c.type) : Value::Null(c.type);
}

Value ColumnStatisticsAccumulator::Max(idx_t column) const {
  const Column& c = columns_[column];
  return c.has_extremes ? Finalize(c.max, c.type) : Value::Null(c.type);
}

namespace {

class ColumnStatisticsOperator : public Operator {
 public:
  explicit ColumnStatisticsOperator(const ColumnStatisticsNode& node)
      : Operator(node), sink_(*node.sink), local_(node.input_types) {}

 protected:
  OperatorResult NextInternal(DataChunk& out) override {
    while (true) {
      switch (children_[0]->Next(input_)) {
        case OperatorResult::kBlocked:
          return OperatorResult::kBlocked;
        case OperatorResult::kHaveData:
          local_.Add(input_);
          input_ = DataChunk();
          // A long scan checks between batches whether the query was stopped.
          if (QueryStopped()) return OperatorResult::kFinished;
          break;
        case OperatorResult::kFinished:
          if (!merged_) sink_.Merge(local_);
          merged_ = true;
          return OperatorResult::kFinished;
      }
    }
  }

 private:
  ColumnStatisticsSink& sink_;
  ColumnStatisticsAccumulator local_;
  DataChunk input_;
  bool merged_ = false;
};

}  // namespace

std::unique_ptr<Operator> ColumnStatisticsNode::CreateOperator(InstanceContext& ctx) const {
  if (!sink)
    ThrowError(sqlstate::kInternalError, "internal error: ColumnStatistics without a sink");
  return std::make_unique<ColumnStatisticsOperator>(*this);
}

}  // namespace basalt
