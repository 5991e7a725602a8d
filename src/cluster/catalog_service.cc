#include "cluster/catalog_service.h"

#include <fmt/format.h>

#include "cluster/catalog_objects.h"
#include "common/exception.h"
#include "exec/serde/value_serde.h"
#include "main/database_instance.h"
#include "main/statement_executor.h"
#include "server/server_log.h"
#include "sql/ast_statement.h"

namespace basalt::cluster {

CatalogPublisher::CatalogPublisher(Database& database, StatestoreSubscriber& subscriber,
                                   uint64_t incarnation)
    : database_(database), subscriber_(subscriber) {
  version_.set_catalog_incarnation(incarnation);
  version_.set_version(0);
  const DatabaseOptions& options = database_.instance().options();
  version_.set_data_dir(options.data_dir);
}

CatalogVersion CatalogPublisher::Publish() {
  std::lock_guard lock(mu_);
  try {
    std::map<std::string, std::string> entries =
        CatalogObjectEntries(database_.instance().catalog().Snapshot());
    if (version_.version() > 0 && entries == published_) return version_;
    CatalogVersion next = version_;
    next.set_version(version_.version() + 1);
    published_ = entries;
    entries[kCatalogVersionKey] = next.SerializeAsString();
    subscriber_.PublishTopic(kCatalogTopic, entries);
    version_ = next;
  } catch (const std::exception& e) {
    ServerLog(fmt::format("catalog: cannot publish the catalog: {}", e.what()));
  }
  return version_;
}

CatalogVersion CatalogPublisher::version() {
  std::lock_guard lock(mu_);
  return version_;
}

CatalogServiceImpl::CatalogServiceImpl(Database& database,
                                       std::function<CatalogVersion()> published_version,
                                       CoordinatorCheck is_live_coordinator)
    : database_(database),
      published_version_(std::move(published_version)),
      is_live_coordinator_(std::move(is_live_coordinator)) {}

namespace {

void ResultToOutcome(const QueryResult& result, StatementOutcome* out) {
  out->set_ok(result.ok);
  out->set_error_code(result.error_code);
  out->set_error_message(result.error_message);
  out->set_error_position(result.error_position);
  out->set_tag(result.tag);
  for (const QueryResult::Notice& notice : result.notices) {
    StatementOutcome::Notice* n = out->add_notices();
    n->set_code(notice.code);
    n->set_message(notice.message);
  }
}

QueryResult Refusal(const char* code, std::string message) {
  QueryResult result;
  result.ok = false;
  result.error_code = code;
  result.error_message = std::move(message);
  return result;
}

}  // namespace

grpc::Status CatalogServiceImpl::ExecuteStatement(grpc::ServerContext*,
                                                  const ForwardedStatement* request,
                                                  StatementOutcome* response) {
  if (!is_live_coordinator_(request->coordinator())) {
    return {grpc::StatusCode::PERMISSION_DENIED,
            fmt::format("{} is not a live coordinator of this cluster",
                        request->coordinator().name())};
  }
  Connection connection(database_);
  // The forwarding coordinator lists the statement as its client's; here it
  // is listed as the catalog service's work.
  ClientInfo client;
  client.client = "catalog";
  connection.set_client(client);
  for (const auto& [name, value] : request->settings()) connection.settings().Set(name, value);
  std::vector<LogicalType> types;
  std::vector<Value> values;
  QueryResult result;
  try {
    for (const auto& parameter : request->parameters()) {
      values.push_back(ValueFromProto(parameter.value()));
      types.push_back(parameter.untyped() ? LogicalType(TypeId::kInvalid) : values.back().type());
    }
  } catch (const BasaltError& e) {
    result = Refusal(e.code(), e.what());
  }
  if (result.ok) {
    PreparedStatement prepared;
    result = connection.Prepare(request->sql(), types, &prepared);
    if (result.ok && (!prepared.statement || !RunsOnCatalogService(*prepared.statement))) {
      // Anything else runs on the coordinator that received it.
      result = Refusal(sqlstate::kProtocolViolation,
                       "the catalog service runs only statements that change the catalog");
    } else if (result.ok) {
      result = connection.ExecutePrepared(prepared, values);
    }
  }
  ResultToOutcome(result, response);
  // The statement published its change as it ended (the change listener).
  *response->mutable_catalog_version() = published_version_();
  return grpc::Status::OK;
}

}  // namespace basalt::cluster
