// A coordinator's side of the catalog service (docs/cluster.md, "The catalog
// service"), for coordinators without the catalog role: CatalogReplica keeps
// the database's catalog equal to the catalog topic, and ForwardStatement
// sends the statements that would change it to the catalog node.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "catalog/catalog.h"
#include "cluster/catalog.grpc.pb.h"
#include "cluster/cluster_site.h"
#include "cluster/statestore_subscriber.h"
#include "main/database.h"
#include "main/session_settings.h"
#include "plan/statement_parameters.h"

namespace basalt::cluster {

class CatalogReplica {
 public:
  CatalogReplica(Database& database, StatestoreSubscriber& subscriber);

  // Installs the catalog topic as last received; the subscriber calls it
  // when the topic changes. Objects whose bytes did not change keep their
  // entries (and so their open segment readers). A damaged object is logged
  // and left out.
  void Apply();
  // Waits until the replica holds `version` or a later one of the same
  // catalog process. False when `timeout_ms` passed first.
  bool WaitFor(const CatalogVersion& version, int timeout_ms);

 private:
  struct Object {
    std::string bytes;
    std::shared_ptr<TableEntry> table;
    std::shared_ptr<ViewEntry> view;
    std::shared_ptr<CatalogSchema> schema;
  };

  Database& database_;
  StatestoreSubscriber& subscriber_;
  std::mutex mu_;  // guards everything below; held while applying
  std::condition_variable cv_;
  std::map<std::string, Object> objects_;  // by topic key
  CatalogVersion version_;
};

// Runs `statement` on the live catalog node and, when it succeeded, waits
// (up to 10 s) for `replica` to hold its change, so that the client's next
// statement sees it. No live catalog node, or one that fails during the
// call, is 08006.
QueryResult ForwardStatement(const sql::Statement& statement, const StatementParameters* parameters,
                             const SessionSettings& settings, const NodeId& self,
                             const std::vector<NodeInfo>& catalog_nodes, ChannelCache& channels,
                             CatalogReplica& replica);

}  // namespace basalt::cluster
