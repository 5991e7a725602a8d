// The catalog role of a cluster node (docs/cluster.md, "The catalog
// service"): it owns the metadata store (the node's data directory),
// publishes the catalog on the statestore's catalog topic after every change
// (CatalogPublisher), and runs the statements coordinators without the
// catalog role send it (CatalogServiceImpl).
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "cluster/catalog.grpc.pb.h"
#include "cluster/statestore_subscriber.h"
#include "main/database.h"

namespace basalt::cluster {

// Publishes the catalog of `database` as the whole catalog topic. Thread
// safe: statements finishing at once publish one after the other, each
// including every change committed before it.
class CatalogPublisher {
 public:
  CatalogPublisher(Database& database, StatestoreSubscriber& subscriber, uint64_t incarnation);

  // Publishes what changed since the last call (the first call publishes
  // everything) and returns the version holding the catalog as it is now.
  // Never throws: a failure is logged and the last version returned.
  CatalogVersion Publish();
  // The version last published.
  CatalogVersion version();

 private:
  Database& database_;
  StatestoreSubscriber& subscriber_;
  std::mutex mu_;
  std::map<std::string, std::string> published_;  // without the version entry
  CatalogVersion version_;
};

class CatalogServiceImpl final : public CatalogService::Service {
 public:
  // Whether a node is a live coordinator of this node's membership.
  using CoordinatorCheck = std::function<bool(const NodeId& node)>;

  // `published_version` is CatalogPublisher::version of this node: a
  // statement run here has published its change before it returns (the
  // database's change listener), so the answer carries that version.
  CatalogServiceImpl(Database& database, std::function<CatalogVersion()> published_version,
                     CoordinatorCheck is_live_coordinator);

  grpc::Status ExecuteStatement(grpc::ServerContext* context, const ForwardedStatement* request,
                                StatementOutcome* response) override;

 private:
  Database& database_;
  std::function<CatalogVersion()> published_version_;
  CoordinatorCheck is_live_coordinator_;
};

}  // namespace basalt::cluster
