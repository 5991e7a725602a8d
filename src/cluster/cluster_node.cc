#include "cluster/cluster_node.h"

#include <fmt/format.h>

#include <algorithm>

#include "cluster/node_identity.h"

namespace basalt::cluster {

ClusterNode::ClusterNode(ClusterNodeOptions options) : options_(std::move(options)) {}

ClusterNode::~ClusterNode() { Stop(); }

bool ClusterNode::Has(const char* role) const {
  return std::find(options_.roles.begin(), options_.roles.end(), role) != options_.roles.end();
}

std::string ClusterNode::Start() {
  if (options_.statestore_address.empty() && !Has(kRoleStatestore)) {
    return "a node without the statestore role needs --statestore HOST:PORT";
  }
  grpc::ServerBuilder builder;
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
  if (Has(kRoleStatestore)) {
    statestore_ = std::make_unique<StatestoreService>(options_.statestore);
    builder.RegisterService(statestore_.get());
  }
  rpc_server_ = builder.BuildAndStart();
  if (!rpc_server_ || rpc_port_ == 0) {
    rpc_server_.reset();
    return fmt::format("cannot listen for RPCs on {}:{}", options_.host, options_.rpc_port);
  }

  if (Has(kRoleCoordinator)) {
    database_ = std::make_unique<Database>(options_.database);
    pg_server_ = std::make_unique<PgServer>(*database_, options_.pg);
    std::string error = pg_server_->Start();
    if (!error.empty()) return error;
  }

  SubscriberOptions subscriber;
  subscriber.statestore_address = options_.statestore_address.empty()
                                      ? NodeName(options_.host, uint32_t(rpc_port_))
                                      : options_.statestore_address;
  subscriber.self = MakeLocalNode(options_.host, uint32_t(rpc_port_), uint32_t(sql_port()),
                                  options_.roles);
  node_service_->set_self(subscriber.self);
  subscriber.heartbeat_interval_ms = options_.statestore.heartbeat_interval_ms;
  subscriber.failure_timeout_ms = options_.statestore.failure_timeout_ms;
  subscriber_ = std::make_unique<StatestoreSubscriber>(std::move(subscriber));
  subscriber_->Start();
  return "";
}

void ClusterNode::Stop() {
  // Leave first, so the statestore records a departure rather than a failure.
  if (subscriber_) subscriber_->Stop();
  if (pg_server_) pg_server_->Stop();
  if (statestore_) statestore_->Shutdown();
  if (rpc_server_) rpc_server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  subscriber_.reset();
  pg_server_.reset();
  database_.reset();
  rpc_server_.reset();
  statestore_.reset();
  data_streams_.reset();
  node_service_.reset();
}

}  // namespace basalt::cluster
