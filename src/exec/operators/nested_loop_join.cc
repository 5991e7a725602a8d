#include "exec/operators/nested_loop_join.h"

#include <algorithm>

#include "exec/operators/join_operator.h"

namespace basalt {

namespace {

class NestedLoopJoinOperator : public JoinOperator {
 public:
  explicit NestedLoopJoinOperator(const NestedLoopJoinNode& node)
      : JoinOperator(node, node.join_type, node.condition.get()) {}

 protected:
  void SinkBuild(const DataChunk& chunk) override {
    build_store().Append(chunk, nullptr, chunk.size());
  }

  void StartProbeBatch(const DataChunk& probe) override {
    probe_count_ = probe.size();
    cursor_ = 0;
    build_cursor_ = 0;
  }

  // Pairs in probe-row-major order, so that a batch of pairs is full
  // whatever the sizes of the two sides.
  idx_t NextPairs(uint32_t* probe_rows, uint32_t* build_rows) override {
    const idx_t build_size = build_store().size();
    if (build_size == 0) return 0;
    idx_t n = 0;
    while (cursor_ < probe_count_ && n < kBatchSize) {
      const uint32_t row = static_cast<uint32_t>(cursor_);
      if (ProbeRowDone(row) || OnePairPerRow()) {
        if (!ProbeRowDone(row)) {
          probe_rows[n] = row;
          build_rows[n++] = 0;
        }
        cursor_++;
        build_cursor_ = 0;
        continue;
      }
      const idx_t take = std::min(build_size - build_cursor_, kBatchSize - n);
      for (idx_t b = 0; b < take; b++) {
        probe_rows[n] = row;
        build_rows[n++] = static_cast<uint32_t>(build_cursor_ + b);
      }
      build_cursor_ += take;
      if (build_cursor_ == build_size) {
        cursor_++;
        build_cursor_ = 0;
      }
    }
    return n;
  }

 private:
  idx_t probe_count_ = 0;
  idx_t cursor_ = 0;
  idx_t build_cursor_ = 0;
};

}  // namespace

std::string NestedLoopJoinNode::Details() const {
  std::string out = JoinTypeName(join_type);
  if (condition) out += "; condition: " + condition->ToString();
  return out;
}

std::unique_ptr<Operator> NestedLoopJoinNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<NestedLoopJoinOperator>(*this);
}

}  // namespace basalt
