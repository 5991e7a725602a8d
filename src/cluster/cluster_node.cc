#include "cluster/cluster_node.h"

#include <fmt/format.h>

#include <algorithm>

#include "cluster/catalog_objects.h"
#include "cluster/coordinator_site.h"
#include "cluster/node_identity.h"
#include "cluster/plan_placement.h"
#include "common/exception.h"
#include "main/database_instance.h"
#include "server/server_log.h"

namespace basalt::cluster {

namespace {
constexpr int kMaxRpcMessageBytes = 1 << 30;

uint64_t SmallestMemory(const std::vector<NodeInfo>& nodes) {
  uint64_t smallest = 0;
  for (const NodeInfo& n : nodes) {
    if (smallest == 0 || n.memory_bytes() < smallest) smallest = n.memory_bytes();
  }
  return smallest;
}
}  // namespace

ClusterNode::ClusterNode(ClusterNodeOptions options) : options_(std::move(options)) {}

ClusterNode::~ClusterNode() { Stop(); }

bool ClusterNode::Has(const char* role) const {
  return std::find(options_.roles.begin(), options_.roles.end(), role) != options_.roles.end();
}

std::string ClusterNode::Start() {
  if (options_.statestore_address.empty() && !Has(kRoleStatestore)) {
    return "a node without the statestore role needs --statestore HOST:PORT";
  }
  // The catalog keeps the data directory. A coordinator without it has an
  // in-memory database whose catalog is a replica of the catalog topic; an
  // executor alone one for its threads and the tables plans bring along.
  if (Has(kRoleCatalog)) {
    if (options_.database.data_dir.empty()) {
      ServerLog("the catalog has no --data-dir: its tables are kept in memory, and other "
                "coordinators and the executors cannot read them");
    }
    database_ = std::make_unique<Database>(options_.database);
  } else if (Has(kRoleCoordinator) || Has(kRoleExecutor)) {
    DatabaseOptions in_memory;
    in_memory.threads = options_.database.threads;
    // A coordinator given a directory keeps its finished queries there.
    if (Has(kRoleCoordinator) && !options_.database.data_dir.empty()) {
      in_memory.query_history = options_.database.query_history;
      in_memory.query_history_path = options_.database.data_dir + "/system/queries.db";
    }
    database_ = std::make_unique<Database>(in_memory);
  }
  grpc::ServerBuilder builder;
  // A plan carries the rows of the tables made for its query (range(),
  // VALUES), which can exceed gRPC's default 4 MB per message.
  builder.SetMaxReceiveMessageSize(kMaxRpcMessageBytes);
  builder.AddListeningPort(NodeName(options_.host, options_.rpc_port),
                           grpc::InsecureServerCredentials(), &rpc_port_);
  node_service_ = std::make_unique<NodeService>();
  builder.RegisterService(node_service_.get());
  if (Has(kRoleExecutor) || Has(kRoleCoordinator)) {
    // A stream may reach a node just before its receiving fragment instance
    // registers; ten seconds is far longer than fragment start-up.
    data_streams_ = std::make_unique<DataStreamService>(exchanges_, std::chrono::seconds(10));
    builder.RegisterService(data_streams_.get());
  }
  if (Has(kRoleExecutor)) {
    executor_service_ = std::make_unique<ExecutorService>(
        *database_, exchanges_, channels_, [this](const NodeId& id) { return IsLiveCoordinator(id); });
    std::string cache_dir = options_.cache_dir;
    if (cache_dir.empty() && !options_.database.data_dir.empty()) {
      cache_dir = options_.database.data_dir + "/cache";
    }
    if (!cache_dir.empty()) {
      try {
        executor_service_->set_segment_cache(
            std::make_unique<SegmentCache>(cache_dir, options_.cache_bytes));
      } catch (const BasaltError& e) {
        return e.what();
      }
    }
    builder.RegisterService(executor_service_.get());
  }
  if (Has(kRoleCatalog)) {
    catalog_service_ = std::make_unique<CatalogServiceImpl>(
        *database_,
        [this] {
          // Requests come only from live coordinators, which know this node
          // from the statestore, so after Start.
          if (!ready_.load(std::memory_order_acquire)) return CatalogVersion();
          return catalog_publisher_->version();
        },
        [this](const NodeId& id) { return IsLiveCoordinator(id); });
    builder.RegisterService(catalog_service_.get());
  }
  if (Has(kRoleStatestore)) {
    statestore_ = std::make_unique<StatestoreService>(options_.statestore);
    builder.RegisterService(statestore_.get());
  }
  rpc_server_ = builder.BuildAndStart();
  if (!rpc_server_ || rpc_port_ == 0) {
    rpc_server_.reset();
    return fmt::format("cannot listen for RPCs on {}:{}", options_.host, options_.rpc_port);
  }

  if (Has(kRoleCoordinator) && !Has(kRoleExecutor)) {
    // Queries this coordinator can hand out run on the executors. Set before
    // clients can connect; until the node knows itself (ready_), queries run
    // here.
    admission_ = std::make_unique<AdmissionController>(options_.admission);
    database_->instance().set_site_factory([this](const FragmentedPlan& plan) {
      return ready_.load(std::memory_order_acquire) ? MakeCoordinatorSite(plan) : nullptr;
    });
    database_->instance().set_placement_describer([this](FragmentedPlan& plan) {
      if (ready_.load(std::memory_order_acquire)) DescribePlacement(plan);
    });
  }
  if (Has(kRoleCoordinator) && !Has(kRoleCatalog)) {
    database_->instance().set_statement_forwarder(
        [this](const sql::Statement& statement, const StatementParameters* parameters,
               const SessionSettings& settings) {
          if (!ready_.load(std::memory_order_acquire)) {
            ThrowError(sqlstate::kConnectionFailure, "the coordinator is still starting");
          }
          return ForwardStatement(statement, parameters, settings, self_.id(),
                                  LiveNodesWith(kRoleCatalog), channels_, *catalog_replica_);
        });
  }
  if (Has(kRoleCatalog)) {
    // Every statement that may have changed the catalog publishes it; until
    // the node is ready, the first full publication below covers them.
    database_->instance().set_change_listener([this] {
      if (ready_.load(std::memory_order_acquire)) catalog_publisher_->Publish();
    });
  }
  if (Has(kRoleCoordinator)) {
    pg_server_ = std::make_unique<PgServer>(*database_, options_.pg);
    std::string error = pg_server_->Start();
    if (!error.empty()) return error;
  }

  self_ = MakeLocalNode(options_.host, uint32_t(rpc_port_), uint32_t(sql_port()), options_.roles);
  if (database_) self_.set_threads(uint32_t(database_->instance().scheduler().threads()));
  self_.set_memory_bytes(options_.memory_bytes > 0 ? options_.memory_bytes
                                                   : self_.memory_bytes() / 10 * 8);
  statestore_address_ = options_.statestore_address.empty()
                            ? NodeName(options_.host, uint32_t(rpc_port_))
                            : options_.statestore_address;
  if (Has(kRoleCoordinator) && options_.http_port >= 0) {
    http::HttpServerOptions http;
    http.listen_address = options_.host;
    http.port = options_.http_port;
    http.sql_port = sql_port();
    http.nodes = [this] { return HttpNodes(); };
    if (admission_) {
      http.admission = [this] {
        AdmissionController::Counters c = admission_->counters();
        return http::AdmissionStatus{c.admitted, c.queued, c.rejected};
      };
    }
    http.memory_limit_bytes = self_.memory_bytes();
    http_server_ = std::make_unique<http::HttpServer>(*database_, std::move(http));
    std::string error = http_server_->Start();
    if (!error.empty()) {
      // The console is a convenience: SQL clients are served all the same.
      ServerLog(error + "; going on without the HTTP API");
      http_server_.reset();
    }
  }
  self_.set_http_port(uint32_t(http_port()));
  if (pg_server_) pg_server_->set_http_port(http_port());
  node_service_->set_self(self_);
  if (executor_service_) executor_service_->set_self(self_.id());

  SubscriberOptions subscriber;
  subscriber.statestore_address = statestore_address_;
  subscriber.self = self_;
  subscriber.heartbeat_interval_ms = options_.statestore.heartbeat_interval_ms;
  subscriber.failure_timeout_ms = options_.statestore.failure_timeout_ms;
  if (Has(kRoleCoordinator) && !Has(kRoleCatalog)) subscriber.topics.push_back(kCatalogTopic);
  subscriber_ = std::make_unique<StatestoreSubscriber>(std::move(subscriber));
  if (Has(kRoleCatalog)) {
    // Published in full once registered, then after every change.
    catalog_publisher_ =
        std::make_unique<CatalogPublisher>(*database_, *subscriber_, self_.id().incarnation());
  }
  if (Has(kRoleCoordinator) && !Has(kRoleCatalog)) {
    catalog_replica_ = std::make_unique<CatalogReplica>(*database_, *subscriber_);
    subscriber_->AddListener([this](const std::string& topic) {
      if (topic == kCatalogTopic) catalog_replica_->Apply();
    });
  }
  if (Has(kRoleCoordinator) && !Has(kRoleExecutor)) {
    // One instance per executor thread; the membership topic keeps it current.
    database_->instance().set_cluster_parallelism(ClusterParallelism({}, options_.max_slices));
    subscriber_->AddListener([this](const std::string& topic) {
      if (topic != kMembershipTopic) return;
      std::vector<NodeInfo> executors = LiveNodesWith(kRoleExecutor);
      database_->instance().set_cluster_parallelism(
          ClusterParallelism(executors, options_.max_slices));
      int threads = 0;
      for (const NodeInfo& e : executors) threads += int(std::max(1u, e.threads()));
      admission_->SetCapacity(threads, SmallestMemory(executors));
    });
  }
  subscriber_->Start();
  ready_.store(true, std::memory_order_release);
  if (catalog_publisher_) catalog_publisher_->Publish();
  return "";
}

std::vector<http::NodeStatus> ClusterNode::HttpNodes() const {
  auto status_of = [](const NodeInfo& node, bool healthy, int64_t heard_ms) {
    http::NodeStatus out;
    out.name = node.id().name();
    out.roles.assign(node.roles().begin(), node.roles().end());
    out.address = node.host();
    out.rpc_port = int(node.rpc_port());
    out.sql_port = int(node.sql_port());
    out.http_port = int(node.http_port());
    out.healthy = healthy;
    out.cores = int(node.cores());
    out.memory_bytes = node.memory_bytes();
    out.last_heartbeat_micros = heard_ms * 1000;
    return out;
  };
  std::vector<http::NodeStatus> nodes;
  if (auto membership = FetchMembership(statestore_address_, 1000)) {
    for (const NodeInfo& node : membership->live()) {
      auto heard = membership->last_heard_ms().find(node.id().name());
      nodes.push_back(status_of(node, true,
                                heard == membership->last_heard_ms().end() ? 0 : heard->second));
    }
    for (const FailedNode& failed : membership->failed()) {
      nodes.push_back(status_of(failed.node(), false, failed.last_heard_ms()));
    }
  } else if (ready_.load(std::memory_order_acquire)) {
    // The statestore is away: what this node last heard (subscriber_ is
    // set before ready_, and HTTP requests may come before either).
    for (const NodeInfo& node : subscriber_->LiveNodes()) nodes.push_back(status_of(node, true, 0));
  }
  std::sort(nodes.begin(), nodes.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return nodes;
}

std::vector<NodeInfo> ClusterNode::LiveNodesWith(const char* role) const {
  std::vector<NodeInfo> nodes;
  if (!subscriber_) return nodes;
  for (NodeInfo& node : subscriber_->LiveNodes()) {
    if (HasRole(node, role)) nodes.push_back(std::move(node));
  }
  return nodes;
}

bool ClusterNode::IsLiveCoordinator(const NodeId& id) const {
  if (!ready_.load(std::memory_order_acquire)) return false;
  for (const NodeInfo& node : LiveNodesWith(kRoleCoordinator)) {
    if (node.id().name() == id.name() && node.id().incarnation() == id.incarnation()) return true;
  }
  return false;
}

std::unique_ptr<ExecutionSite> ClusterNode::MakeCoordinatorSite(const FragmentedPlan& plan) {
  if (!CanRunOnExecutors(plan)) return nullptr;
  std::vector<NodeInfo> executors = LiveNodesWith(kRoleExecutor);
  if (executors.empty()) {
    ThrowError(sqlstate::kConnectionFailure,
               "no executor is live in this cluster; the coordinator cannot run the query");
  }
  // Every instance but the root's takes a slot while the query runs.
  int instances = 0;
  for (const PlanFragment& f : plan.fragments) {
    if (f.output_exchange != kClientExchange) instances += f.parallelism;
  }
  // The query runs on every executor and reserves the same memory on each.
  const uint64_t memory = QueryMemoryReservation(options_.admission, SmallestMemory(executors));
  std::unique_ptr<AdmissionController::Ticket> ticket = admission_->Admit(instances, memory);
  std::string query_id = fmt::format("{}-{:x}-{}", self_.id().name(), self_.id().incarnation(),
                                     next_query_++);
  return std::make_unique<CoordinatorSite>(std::move(query_id), self_, std::move(executors),
                                           exchanges_, channels_, std::move(ticket));
}

void ClusterNode::DescribePlacement(FragmentedPlan& plan) const {
  std::vector<NodeInfo> executors = LiveNodesWith(kRoleExecutor);
  if (!CanRunOnExecutors(plan) || executors.empty()) {
    for (PlanFragment& f : plan.fragments) f.hosts = "the coordinator " + self_.id().name();
    return;
  }
  std::vector<std::string> nodes = {self_.id().name()};
  for (const NodeInfo& e : executors) nodes.push_back(e.id().name());
  QueryPlacement placement = CoordinatorSite::Place(plan, "", nodes);
  for (PlanFragment& f : plan.fragments) {
    std::vector<int> used;
    for (int node : placement.instance_nodes[f.id]) {
      if (std::find(used.begin(), used.end(), node) == used.end()) used.push_back(node);
    }
    std::string hosts;
    for (int node : used) {
      hosts += (hosts.empty() ? "" : ", ") +
               (node == 0 ? "the coordinator " + nodes[0] : nodes[size_t(node)]);
    }
    f.hosts = hosts;
  }
}

void ClusterNode::Stop() {
  // Leave first, so the statestore records a departure rather than a failure.
  if (subscriber_) subscriber_->Stop();
  if (http_server_) http_server_->Stop();
  if (pg_server_) pg_server_->Stop();
  if (statestore_) statestore_->Shutdown();
  if (rpc_server_) rpc_server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  http_server_.reset();
  pg_server_.reset();
  rpc_server_.reset();
  catalog_service_.reset();
  catalog_publisher_.reset();
  catalog_replica_.reset();
  subscriber_.reset();
  database_.reset();
  statestore_.reset();
  executor_service_.reset();
  data_streams_.reset();
  node_service_.reset();
}

}  // namespace basalt::cluster
