// The exchanges whose receivers run on this node, by query and exchange id,
// so that data streams arriving from other nodes find them. A stream may
// arrive before its receiving fragment instance has registered: Find waits a
// while (a sending node can start first), then gives up.
#pragma once

#include <chrono>
#include <limits>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/types.h"
#include "exec/exchange/local_exchange.h"

namespace basalt::cluster {

struct ExchangeEndpoint {
  std::shared_ptr<LocalExchange> exchange;
  std::vector<LogicalType> types;  // of the batches
  // Fails the query the exchange belongs to (a stream into it broke, or its
  // sender failed); may be empty. Called without the registry's lock, but
  // never after Unregister of the query has returned.
  std::function<void(const char* code, const std::string& error)> fail_query;
};

class ExchangeRegistry {
 public:
  void Register(const std::string& query_id, int exchange_id, ExchangeEndpoint endpoint);
  // Removes every exchange of the query (it ended); waits for Fail calls of
  // the query in progress, so nothing calls into the query afterwards.
  void Unregister(const std::string& query_id);
  std::optional<ExchangeEndpoint> Find(const std::string& query_id, int exchange_id,
                                       std::chrono::milliseconds wait);
  // A stream of the query failed: fails the query, cancels its exchanges
  // here and keeps the first error. Nothing happens for a query that is not
  // (or no longer) registered here.
  void Fail(const std::string& query_id, const char* code, const std::string& error);
  std::string Error(const std::string& query_id) const;

 private:
  mutable std::mutex mu_;
  std::condition_variable registered_;  // an exchange registered
  std::condition_variable failed_;      // a Fail call ended
  std::map<std::pair<std::string, int>, ExchangeEndpoint> endpoints_;
  std::map<std::string, std::string> errors_;
  std::map<std::string, int> failing_;  // Fail calls in progress, by query
};

}  // namespace basalt::cluster
