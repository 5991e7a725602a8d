// A query split across two "nodes" in one process: each node has its own
// exchange registry and data stream service on a loopback port and runs the
// fragment instances placed on it, and every exchange between instances on
// different nodes crosses gRPC. The rows must equal the query run locally.
#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "cluster/cluster_site.h"
#include "cluster/coordinator_site.h"
#include "cluster/data_stream_service.h"
#include "cluster/executor_service.h"
#include "exec/query_executor.h"
#include "main/database.h"
#include "main/database_instance.h"
#include "optimizer/optimizer.h"
#include "optimizer/physical_planner.h"
#include "plan/binder.h"
#include "sql/parser.h"

namespace basalt::cluster {
namespace {

using namespace std::chrono_literals;

class Node {
 public:
  // With a `database`, the node is also an executor of it: it runs the parts
  // of queries that a node `is_live_coordinator` accepts sends it.
  explicit Node(Database* database = nullptr,
                std::function<bool(const NodeId&)> is_live_coordinator = nullptr)
      : service_(registry_, 10s) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    if (database) {
      executor_ = std::make_unique<ExecutorService>(*database, registry_, channels_,
                                                    std::move(is_live_coordinator));
      builder.RegisterService(executor_.get());
    }
    server_ = builder.BuildAndStart();
    id_.set_name(address());
    id_.set_incarnation(uint64_t(port_));
    if (executor_) executor_->set_self(id_);
  }
  ~Node() { server_->Shutdown(std::chrono::system_clock::now() + 1s); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  ExchangeRegistry& registry() { return registry_; }
  ChannelCache& channels() { return channels_; }
  uint64_t batches_received() const { return service_.batches_received(); }
  const NodeId& id() const { return id_; }
  // As the membership describes the node.
  NodeInfo info() const {
    NodeInfo info;
    *info.mutable_id() = id_;
    info.set_host("127.0.0.1");
    info.set_rpc_port(uint32_t(port_));
    return info;
  }

 private:
  ExchangeRegistry registry_;
  DataStreamService service_;
  ChannelCache channels_;
  std::unique_ptr<ExecutorService> executor_;  // outlives the server
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  NodeId id_;
};

class DistributedQueryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    DatabaseOptions options;
    options.threads = 2;
    db_ = new Database(options);
    Connection connection(*db_);
    for (const char* sql :
         {"CREATE TABLE t AS SELECT i AS k, i % 7 AS g, 'name ' || i AS s, "
          "CAST(i AS DECIMAL(12,2)) / 4 AS d FROM range(0, 60000) r(i)",
          "CREATE TABLE small AS SELECT i AS x, 'group ' || i AS label FROM range(0, 5) r(i)"}) {
      QueryResult result = connection.Query(sql);
      ASSERT_TRUE(result.ok) << result.error_message;
    }
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }

  static FragmentedPlan Plan(const std::string& sql, int parallelism) {
    auto statements = sql::ParseSql(sql);
    auto& select = static_cast<sql::SelectStatement&>(*statements.at(0));
    Binder binder(db_->instance().catalog());
    BoundQuery bound = binder.BindQuery(*select.query);
    LogicalOperatorPtr optimized = Optimize(std::move(bound.plan));
    return CreateFragmentedPlan(*optimized, parallelism, bound.names);
  }

  static std::vector<std::string> Rows(const std::vector<DataChunk>& chunks) {
    std::vector<std::string> rows;
    for (const auto& chunk : chunks) {
      for (idx_t r = 0; r < chunk.size(); r++) {
        std::string row;
        for (idx_t c = 0; c < chunk.ColumnCount(); c++) row += chunk.GetValue(c, r).ToString() + "|";
        rows.push_back(row);
      }
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  // The root on node 0, every other fragment's instances alternating between
  // the nodes; table scans split between the two.
  QueryPlacement Place(const FragmentedPlan& plan, const std::string& query_id) {
    QueryPlacement placement;
    placement.query_id = query_id;
    placement.nodes = {nodes_[0].address(), nodes_[1].address()};
    placement.scan_nodes = {0, 1};
    for (const auto& f : plan.fragments) {
      auto& where = placement.instance_nodes[f.id];
      for (int i = 0; i < f.parallelism; i++) {
        where.push_back(f.output_exchange == kClientExchange ? 0 : i % 2);
      }
    }
    return placement;
  }

  // Runs `sql` across the two nodes; `stop_node_1` cancels node 1's part once
  // it has started (a node lost mid-query).
  std::vector<std::string> RunDistributed(const std::string& sql, bool stop_node_1 = false) {
    static std::atomic<int> next_query{0};
    std::string query_id = "q" + std::to_string(next_query++);
    FragmentedPlan plan0 = Plan(sql, 4);
    FragmentedPlan plan1 = Plan(sql, 4);
    EXPECT_GT(plan0.fragments.size(), 1u) << plan0.ToString();
    ClusterSite site0(Place(plan0, query_id), 0, nodes_[0].id(), nodes_[0].registry(),
                      nodes_[0].channels());
    ClusterSite site1(Place(plan1, query_id), 1, nodes_[1].id(), nodes_[1].registry(),
                      nodes_[1].channels());
    QueryExecution part1(std::move(plan1), db_->instance().scheduler(), &site1);
    QueryExecution part0(std::move(plan0), db_->instance().scheduler(), &site0);
    part1.Start();
    part0.Start();
    std::thread node1([&] {
      if (stop_node_1) {
        std::this_thread::sleep_for(5ms);
        part1.Cancel();
      }
      try {
        part1.Wait();
      } catch (const BasaltError&) {
      }
    });
    std::vector<DataChunk> chunks;
    DataChunk chunk;
    try {
      while (part0.Next(chunk)) {
        DataChunk copy(chunk.Types());
        copy.Append(chunk);
        chunks.push_back(std::move(copy));
      }
    } catch (...) {
      node1.join();
      throw;
    }
    node1.join();
    return Rows(chunks);
  }

  std::vector<std::string> RunLocal(const std::string& sql) {
    Connection connection(*db_);
    QueryResult result = connection.Query(sql);
    EXPECT_TRUE(result.ok) << result.error_message;
    return Rows(result.chunks);
  }

  void ExpectSameRows(const std::string& sql) {
    std::vector<std::string> local = RunLocal(sql);
    uint64_t received[2] = {nodes_[0].batches_received(), nodes_[1].batches_received()};
    std::vector<std::string> distributed = RunDistributed(sql);
    EXPECT_FALSE(local.empty()) << sql;
    EXPECT_EQ(local, distributed) << sql;
    // Batches really crossed between the nodes (which way depends on the
    // plan: a query whose exchanges all gather into the root only sends to
    // node 0).
    EXPECT_GT(nodes_[0].batches_received() + nodes_[1].batches_received(),
              received[0] + received[1])
        << sql;
  }

  static Database* db_;
  Node nodes_[2];
};

Database* DistributedQueryTest::db_ = nullptr;

TEST_F(DistributedQueryTest, GroupByAcrossNodes) {
  uint64_t before = nodes_[1].batches_received();
  ExpectSameRows("SELECT g, count(*), sum(k), min(s), max(d) FROM t GROUP BY g");
  // The hash exchange on g sends partial groups from node 0 to node 1's
  // final aggregates, not only to the root.
  EXPECT_GT(nodes_[1].batches_received(), before);
}

TEST_F(DistributedQueryTest, JoinsAcrossNodes) {
  ExpectSameRows("SELECT count(*), sum(a.k) FROM t a JOIN t b ON a.k = b.k + 1 WHERE b.g = 3");
  ExpectSameRows(
      "SELECT small.label, count(*), avg(t.d) FROM t JOIN small ON t.g = small.x GROUP BY 1");
  ExpectSameRows("SELECT s FROM t WHERE k NOT IN (SELECT k * 2 FROM t WHERE k < 100) AND k < 50");
}

TEST_F(DistributedQueryTest, OrderLimitDistinctAndWindowAcrossNodes) {
  ExpectSameRows("SELECT k, s FROM t ORDER BY k DESC LIMIT 7");
  ExpectSameRows("SELECT count(DISTINCT g), count(DISTINCT s), avg(k) FROM t");
  ExpectSameRows(
      "SELECT g, k, row_number() OVER (PARTITION BY g ORDER BY k DESC) AS rn FROM t "
      "WHERE k % 1000 = 1");
  ExpectSameRows("SELECT k FROM t WHERE k % 1000 = 1 UNION ALL SELECT x FROM small");
}

TEST_F(DistributedQueryTest, AnErrorOnEitherNodeKeepsItsSqlstate) {
  // Division by zero where k = 40000, on whichever node reads that row.
  for (int repeat = 0; repeat < 5; repeat++) {
    try {
      RunDistributed("SELECT g, sum(k / (k - 40000)) FROM t GROUP BY g");
      FAIL() << "the division by zero was not reported";
    } catch (const BasaltError& e) {
      EXPECT_EQ(std::string(e.code()), "22012") << e.what();
    }
  }
}

TEST_F(DistributedQueryTest, ALostNodeFailsTheQueryWithAClearError) {
  try {
    RunDistributed("SELECT a.g, count(*) FROM t a JOIN t b ON a.k = b.k GROUP BY a.g", true);
    FAIL() << "the query succeeded although node 1 stopped";
  } catch (const BasaltError& e) {
    EXPECT_EQ(std::string(e.code()), "08006") << e.what();
    // Whichever side noticed first, the message names the lost node.
    EXPECT_NE(std::string(e.what()).find(nodes_[1].address()), std::string::npos) << e.what();
  }
}

// The coordinator's path: CoordinatorSite sends the plan to two executors
// (ExecutorService), which run every fragment but the root, and merges the
// profiles they send back; the session's memory limit goes with the plan.
class CoordinatorTest : public DistributedQueryTest {
 protected:
  // Runs `sql` from nodes_[0] as coordinator of the first `executors`
  // executors with `limit` bytes per node; returns EXPLAIN ANALYZE's text.
  // Throws the query's error.
  std::string RunFromCoordinator(const std::string& sql, uint64_t limit, int executors = 2) {
    static std::atomic<int> next_query{0};
    std::vector<NodeInfo> infos;
    for (int e = 0; e < executors; e++) infos.push_back(executors_[e].info());
    CoordinatorSite site("c" + std::to_string(next_query++), nodes_[0].info(), std::move(infos),
                         nodes_[0].registry(), nodes_[0].channels(), nullptr);
    QueryExecution execution(Plan(sql, 4), db_->instance().scheduler(), &site);
    execution.set_memory_limit(limit);
    execution.Start();
    DataChunk chunk;
    while (execution.Next(chunk)) chunk = DataChunk();
    return execution.plan().ToString(execution.query_profile());
  }

  std::function<bool(const NodeId&)> is_coordinator_ = [this](const NodeId& id) {
    return id.name() == nodes_[0].address() && id.incarnation() == nodes_[0].id().incarnation();
  };
  Node executors_[2] = {Node(db_, is_coordinator_), Node(db_, is_coordinator_)};
};

TEST_F(CoordinatorTest, ProfilesNameTheInstancesOnEachExecutor) {
  std::string text = RunFromCoordinator(
      "SELECT i % 7 AS g, count(*), sum(i) FROM range(0, 200000) r(i) GROUP BY g", 0);
  // The scan's four instances ran two on each executor, and its line in the
  // plan sums them all.
  size_t scan = text.find("TableScan");
  ASSERT_NE(scan, std::string::npos) << text;
  EXPECT_NE(text.find("[rows=200000 ", scan), std::string::npos) << text;
  size_t next_node = text.find("Fragment", scan);
  std::string scan_part = text.substr(scan, next_node - scan);
  // Instances alternate between the executors: 0 and 2 on the first.
  for (int i = 0; i < 4; i++) {
    std::string line = fmt::format("instance {} on {}: rows=", i, executors_[i % 2].address());
    EXPECT_NE(scan_part.find(line), std::string::npos) << text;
  }
  EXPECT_NE(scan_part.find(" bytes="), std::string::npos) << text;
  // The partial aggregates held memory on the executors; the query's peak
  // names every node.
  EXPECT_NE(text.find("peak_memory="), std::string::npos) << text;
  EXPECT_NE(text.find("Peak memory: "), std::string::npos) << text;
  for (const Node& e : executors_) {
    EXPECT_NE(text.find(" on " + e.address(), text.find("Peak memory: ")), std::string::npos)
        << text;
  }
}

TEST_F(CoordinatorTest, TheCoordinatorsMemoryLimitFailsAnExecutorsPart) {
  // (range() travels in the plan as values, and a plan must stay below
  // gRPC's 4 MiB.) One executor: with two, the one that did not run out may
  // report first that its streams to the other were cut (08006).
  const std::string join =
      "SELECT count(*) FROM range(0, 150000) a(i) JOIN range(0, 150000) b(j) ON i = j";
  try {
    RunFromCoordinator(join, 256 * 1024, 1);
    FAIL() << "the query ran within 256 KiB";
  } catch (const BasaltError& e) {
    const std::string message = e.what();
    EXPECT_EQ(std::string(e.code()), "53200") << message;
    // The executor that ran out names itself; the error reaches the
    // coordinator from that executor ("on executor X: ...") or through a
    // data stream ("on X: ..."), whichever is first.
    const std::string executor = executors_[0].address();
    EXPECT_NE(message.find(executor +
                           ": out of memory: the query needs more than its limit of 256.0 KiB on " +
                           executor + " (HashJoin used "),
              std::string::npos)
        << message;
  }
  // Without a limit it runs.
  EXPECT_NE(RunFromCoordinator(join, 0, 1).find("Rows returned: 1"), std::string::npos);
}

}  // namespace
}  // namespace basalt::cluster
