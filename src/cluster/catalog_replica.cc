#include "cluster/catalog_replica.h"

#include <fmt/format.h>

#include <chrono>

#include "cluster/catalog_objects.h"
#include "cluster/node_identity.h"
#include "common/exception.h"
#include "exec/serde/value_serde.h"
#include "main/database_instance.h"
#include "server/server_log.h"
#include "sql/ast_statement.h"

namespace basalt::cluster {

namespace {

// How long a coordinator waits for its replica to show a change it asked
// for; the topic brings it within milliseconds unless the statestore is down.
constexpr int kCatchUpTimeoutMs = 10000;

}  // namespace

CatalogReplica::CatalogReplica(Database& database, StatestoreSubscriber& subscriber)
    : database_(database), subscriber_(subscriber) {}

void CatalogReplica::Apply() {
  std::map<std::string, std::string> entries = subscriber_.TopicEntries(kCatalogTopic);
  std::lock_guard lock(mu_);
  auto version_entry = entries.find(kCatalogVersionKey);
  CatalogVersion version;
  // Nothing published yet (no catalog node has come up): keep what we have.
  if (version_entry == entries.end() || !version.ParseFromString(version_entry->second)) return;
  entries.erase(version_entry);

  std::map<std::string, Object> objects;
  for (auto& [key, bytes] : entries) {
    auto old = objects_.find(key);
    if (old != objects_.end() && old->second.bytes == bytes) {
      objects[key] = std::move(old->second);
      continue;
    }
    try {
      CatalogObject message;
      if (!message.ParseFromString(bytes)) ThrowError(sqlstate::kProtocolViolation, "unreadable");
      Object object;
      switch (message.kind_case()) {
        case CatalogObject::kSchema:
          object.schema = std::make_shared<CatalogSchema>(message.schema());
          break;
        case CatalogObject::kTable:
          object.table = TableFromObject(message.table(), version.data_dir());
          break;
        case CatalogObject::kView:
          object.view = ViewFromObject(message.view());
          break;
        case CatalogObject::KIND_NOT_SET:
          ThrowError(sqlstate::kProtocolViolation, "an object of no known kind");
      }
      object.bytes = std::move(bytes);
      objects[key] = std::move(object);
    } catch (const std::exception& e) {
      ServerLog(fmt::format("catalog replica: leaving out \"{}\": {}", key, e.what()));
    }
  }

  std::map<std::string, ReplicatedSchema> schemas;
  for (const auto& [key, object] : objects) {
    if (object.schema) {
      ReplicatedSchema& schema = schemas[object.schema->name()];
      schema.name = object.schema->name();
      schema.oid = object.schema->oid();
    }
  }
  for (const auto& [key, object] : objects) {
    if (object.table && schemas.contains(object.table->schema)) {
      schemas[object.table->schema].tables.push_back(object.table);
    } else if (object.view && schemas.contains(object.view->schema)) {
      schemas[object.view->schema].views.push_back(object.view);
    }
  }
  std::vector<ReplicatedSchema> list;
  for (auto& [name, schema] : schemas) list.push_back(std::move(schema));
  database_.instance().catalog().InstallReplica(std::move(list), !version.data_dir().empty());
  objects_ = std::move(objects);
  version_ = version;
  cv_.notify_all();
}

bool CatalogReplica::WaitFor(const CatalogVersion& version, int timeout_ms) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return version_.catalog_incarnation() == version.catalog_incarnation() &&
           version_.version() >= version.version();
  });
}

QueryResult ForwardStatement(const sql::Statement& statement, const StatementParameters* parameters,
                             const SessionSettings& settings, const NodeId& self,
                             const std::vector<NodeInfo>& catalog_nodes, ChannelCache& channels,
                             CatalogReplica& replica) {
  if (catalog_nodes.empty()) {
    ThrowErrorAt(sqlstate::kConnectionFailure, statement.position,
                 "no catalog service is live in this cluster; statements that change the catalog "
                 "or a table cannot run until it is back");
  }
  const NodeInfo& catalog = catalog_nodes.front();
  ForwardedStatement request;
  *request.mutable_coordinator() = self;
  request.set_sql(statement.text);
  if (parameters) {
    for (size_t i = 0; i < parameters->values.size(); i++) {
      ForwardedStatement::Parameter* p = request.add_parameters();
      ValueToProto(parameters->values[i], p->mutable_value());
      p->set_untyped(i >= parameters->types.size() ||
                     parameters->types[i].id() == TypeId::kInvalid);
    }
  }
  for (const auto& [name, value] : settings.Changed()) (*request.mutable_settings())[name] = value;

  auto stub = CatalogService::NewStub(channels.Get(catalog.id().name()));
  grpc::ClientContext context;
  StatementOutcome outcome;
  grpc::Status status = stub->ExecuteStatement(&context, request, &outcome);
  if (!status.ok()) {
    ThrowErrorAt(sqlstate::kConnectionFailure, statement.position,
                 "the catalog service at {} failed: {}", catalog.id().name(),
                 status.error_message());
  }
  QueryResult result;
  result.ok = outcome.ok();
  result.error_code = outcome.error_code();
  result.error_message = outcome.error_message();
  // Positions are into the statement's own text, which starts at
  // statement.position of what the client sent.
  result.error_position =
      outcome.error_position() >= 0 ? outcome.error_position() + statement.position : -1;
  result.tag = outcome.tag();
  for (const auto& notice : outcome.notices()) {
    result.notices.push_back({notice.code(), notice.message()});
  }
  if (!replica.WaitFor(outcome.catalog_version(), kCatchUpTimeoutMs)) {
    result.notices.push_back(
        {"01000", fmt::format("the change is made, but this coordinator had not received it "
                              "from the catalog service within {} s",
                              kCatchUpTimeoutMs / 1000)});
  }
  return result;
}

}  // namespace basalt::cluster
