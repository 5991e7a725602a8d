#include "exec/query_profile.h"

#include <gtest/gtest.h>

#include "exec/physical_node.h"

namespace basalt {
namespace {

class FakeNode : public PhysicalNode {
 public:
  std::string Name() const override { return "Fake"; }
  std::unique_ptr<Operator> CreateOperator(InstanceContext&) const override { return nullptr; }
};

// An operator whose statistics the test sets, as if it had run.
class FakeOperator : public Operator {
 public:
  FakeOperator(const PhysicalNode& node, uint64_t rows, uint64_t cpu_nanos,
               std::map<std::string, uint64_t> counters = {})
      : Operator(node) {
    stats_.rows_out = rows;
    stats_.batches_out = 1;
    stats_.cpu_nanos = cpu_nanos;
    stats_.counters = std::move(counters);
  }

 protected:
  OperatorResult NextInternal(DataChunk&) override { return OperatorResult::kFinished; }
};

// One instance: `parent` (total `parent_nanos`) over `child` (`child_nanos`).
std::unique_ptr<Operator> Instance(const PhysicalNode& parent, const PhysicalNode& child,
                                   uint64_t parent_nanos, uint64_t child_nanos, uint64_t child_rows,
                                   uint64_t blocks) {
  auto root = std::make_unique<FakeOperator>(parent, 1, parent_nanos);
  root->AddChild(std::make_unique<FakeOperator>(
      child, child_rows, child_nanos, std::map<std::string, uint64_t>{{"blocks", blocks}}));
  return root;
}

TEST(QueryProfileTest, SumsInstancesAndTakesSelfTimeWithinEach) {
  FakeNode parent;
  parent.id = 1;
  FakeNode child;
  child.id = 2;
  QueryProfile profile;
  EXPECT_FALSE(profile.node(1).has_value());

  profile.AddInstance(*Instance(parent, child, 100, 70, 10, 3));
  profile.AddInstance(*Instance(parent, child, 50, 10, 20, 4));

  std::optional<NodeProfile> p = profile.node(1);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->instances, 2u);
  EXPECT_EQ(p->rows_out, 2u);
  EXPECT_EQ(p->batches_out, 2u);
  EXPECT_EQ(p->total_nanos, 150u);
  EXPECT_EQ(p->max_total_nanos, 100u);
  // Self times are 30 and 40: the maximum is the second instance's, though
  // its total is the smaller.
  EXPECT_EQ(p->self_nanos, 70u);
  EXPECT_EQ(p->max_self_nanos, 40u);
  EXPECT_TRUE(p->counters.empty());

  std::optional<NodeProfile> c = profile.node(2);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->instances, 2u);
  EXPECT_EQ(c->rows_out, 30u);
  EXPECT_EQ(c->self_nanos, 80u);  // a leaf's self time is all of its time
  EXPECT_EQ(c->max_self_nanos, 70u);
  EXPECT_EQ(c->counters, (std::map<std::string, uint64_t>{{"blocks", 7}}));
}

TEST(QueryProfileTest, ChildTimeAboveTheParentsGivesZeroSelfTime) {
  FakeNode parent;
  parent.id = 1;
  FakeNode child;
  child.id = 2;
  QueryProfile profile;
  profile.AddInstance(*Instance(parent, child, 10, 12, 0, 0));
  EXPECT_EQ(profile.node(1)->self_nanos, 0u);
}

TEST(QueryProfileTest, KeepsTotals) {
  QueryProfile profile;
  profile.SetTotals(1'500'000, 42);
  EXPECT_EQ(profile.wall_nanos(), 1'500'000u);
  EXPECT_EQ(profile.rows_returned(), 42u);
}

TEST(QueryProfileTest, KeepsBytesPeakMemoryAndEachInstance) {
  FakeNode node;
  node.id = 1;
  QueryProfile profile;
  for (int i = 0; i < 2; i++) {
    FakeOperator op(node, 10 * (i + 1), 100 + uint64_t(i));
    op.set_instance(i);
    op.memory().Set(1000 * uint64_t(i + 1));  // unattached: counted here only
    op.memory().Set(10);                      // the peak stays
    profile.AddInstance(op, "127.0.0.1:1");
  }
  // What another node's instances did, as a coordinator merges it.
  NodeProfile remote;
  remote.instances = 1;
  remote.rows_out = 5;
  remote.bytes_out = 40;
  remote.peak_memory = 5000;
  remote.per_instance.push_back({2, "127.0.0.1:2", 5, 40, 7, 5000});
  profile.MergeNode(1, remote);

  NodeProfile p = *profile.node(1);
  EXPECT_EQ(p.instances, 3u);
  EXPECT_EQ(p.bytes_out, 40u);  // the fake operators returned no batch
  EXPECT_EQ(p.peak_memory, 5000u);
  ASSERT_EQ(p.per_instance.size(), 3u);
  EXPECT_EQ(p.per_instance[0].instance, 0);
  EXPECT_EQ(p.per_instance[0].host, "127.0.0.1:1");
  EXPECT_EQ(p.per_instance[0].rows_out, 10u);
  EXPECT_EQ(p.per_instance[0].total_nanos, 100u);
  EXPECT_EQ(p.per_instance[0].peak_memory, 1000u);
  EXPECT_EQ(p.per_instance[1].instance, 1);
  EXPECT_EQ(p.per_instance[1].peak_memory, 2000u);
  EXPECT_EQ(p.per_instance[2].host, "127.0.0.1:2");

  // The query's peak: each process's, summed.
  profile.SetHostPeakMemory("127.0.0.1:1", 3000);
  profile.SetHostPeakMemory("127.0.0.1:2", 5000);
  EXPECT_EQ(profile.peak_memory(), 8000u);
  EXPECT_EQ(profile.host_peak_memory().size(), 2u);
}

}  // namespace
}  // namespace basalt
