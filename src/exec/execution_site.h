// Where the fragment instances of a query run. Without a site, QueryExecution
// runs every instance in this process. In a cluster each node runs the
// instances placed on it, with a site (src/cluster/cluster_site.h) that says
// which those are, publishes this node's receiving exchanges to the data
// stream service, and routes each sending instance's batches to the nodes of
// their receivers.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/exception.h"
#include "exec/exchange/exchange_sink.h"
#include "exec/fragment.h"

namespace basalt {

class LocalExchange;
class QueryContext;

class ExecutionSite {
 public:
  virtual ~ExecutionSite() = default;

  // Called first, before anything else: the query these instances belong to
  // and its whole plan.
  virtual void Begin(QueryContext& query, const FragmentedPlan& plan) = 0;
  virtual bool RunsHere(const PlanFragment& fragment, int instance) const = 0;
  // `exchange` holds this node's receivers of exchange `id` (it has a queue
  // for every receiver of the exchange; only the local ones are read).
  virtual void ExchangeCreated(int id, const std::shared_ptr<LocalExchange>& exchange,
                               const std::vector<LogicalType>& types) = 0;
  // Where a local sending instance puts its batches; `local` is this node's
  // exchange (for receivers that run here). The site owns the sink.
  virtual ExchangeSink& SinkFor(const PlanFragment& fragment, int instance,
                                const std::shared_ptr<LocalExchange>& local) = 0;
  // Every local instance has finished: ends the streams this node opened and
  // returns the first error they had.
  virtual std::optional<BasaltError> Finish() = 0;
};

}  // namespace basalt
