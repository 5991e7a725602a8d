#include "cluster/exchange_registry.h"

namespace basalt::cluster {

void ExchangeRegistry::Register(const std::string& query_id, int exchange_id,
                                ExchangeEndpoint endpoint) {
  std::lock_guard lock(mu_);
  endpoints_[{query_id, exchange_id}] = std::move(endpoint);
  registered_.notify_all();
}

void ExchangeRegistry::Unregister(const std::string& query_id) {
  std::unique_lock lock(mu_);
  endpoints_.erase(endpoints_.lower_bound({query_id, std::numeric_limits<int>::min()}),
                   endpoints_.upper_bound({query_id, std::numeric_limits<int>::max()}));
  failed_.wait(lock, [&] { return failing_.count(query_id) == 0; });
  errors_.erase(query_id);
}

std::optional<ExchangeEndpoint> ExchangeRegistry::Find(const std::string& query_id,
                                                       int exchange_id,
                                                       std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  auto key = std::make_pair(query_id, exchange_id);
  registered_.wait_for(lock, wait, [&] { return endpoints_.count(key) > 0; });
  auto it = endpoints_.find(key);
  if (it == endpoints_.end()) return std::nullopt;
  return it->second;
}

void ExchangeRegistry::Fail(const std::string& query_id, const char* code,
                            const std::string& error) {
  std::vector<ExchangeEndpoint> affected;
  {
    std::lock_guard lock(mu_);
    for (auto it = endpoints_.lower_bound({query_id, std::numeric_limits<int>::min()});
         it != endpoints_.end() && it->first.first == query_id; ++it) {
      affected.push_back(it->second);
    }
    // A stream that breaks after its query ended (routine after a LIMIT)
    // has nobody to tell; remembering its error would only leak.
    if (affected.empty()) return;
    errors_.emplace(query_id, error);
    failing_[query_id]++;
  }
  // The query fails before its exchanges end, so that no receiver mistakes
  // the cancelled exchange for the end of its input.
  for (auto& endpoint : affected) {
    if (endpoint.fail_query) endpoint.fail_query(code, error);
  }
  for (auto& endpoint : affected) endpoint.exchange->Cancel();
  std::lock_guard lock(mu_);
  if (--failing_[query_id] == 0) failing_.erase(query_id);
  failed_.notify_all();
}

std::string ExchangeRegistry::Error(const std::string& query_id) const {
  std::lock_guard lock(mu_);
  auto it = errors_.find(query_id);
  return it == errors_.end() ? "" : it->second;
}

}  // namespace basalt::cluster
