#include "cluster/cluster_site.h"

#include <fmt/format.h>

#include "exec/exchange/local_exchange.h"
#include "exec/query_context.h"

namespace basalt::cluster {

std::shared_ptr<grpc::Channel> ChannelCache::Get(const std::string& address) {
  std::lock_guard lock(mu_);
  auto& channel = channels_[address];
  if (!channel) channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  return channel;
}

// The output of one local sending instance: receiver r's batches go to the
// local exchange when r runs here, else to the stream to r's node. Every node
// with receivers gets a stream, even one that will carry no rows, because
// each receiving node counts this instance among its senders and must hear
// its end_of_stream.
class ClusterSite::RoutingSink final : public ExchangeSink {
 public:
  RoutingSink(std::shared_ptr<LocalExchange> local, QueryContext& query)
      : local_(std::move(local)), query_(query) {}

  void AddStream(int node, std::string address, std::unique_ptr<DataStreamSender> stream) {
    addresses_[stream.get()] = std::move(address);
    streams_[node] = std::move(stream);
  }
  void Route(std::vector<DataStreamSender*> route) { route_ = std::move(route); }

  int num_receivers() const override { return static_cast<int>(route_.size()); }

  bool TryPush(int receiver, DataChunk& chunk, Task* sender) override {
    DataStreamSender* stream = route_[receiver];
    if (stream == nullptr) return local_->TryPush(receiver, chunk, sender);
    if (auto error = stream->Error()) {
      query_.Fail(BasaltError(sqlstate::kConnectionFailure,
                              fmt::format("sending to {} failed: {}", addresses_[stream], *error)));
      return true;
    }
    return stream->TryPush(receiver, chunk, sender);
  }

  void SenderFinished() override {
    local_->SenderFinished();
    for (auto& [node, stream] : streams_) stream->Finish();
    finished_ = true;
  }

  // Ends every stream: waits for those that were finished; the rest (the
  // instance stopped early) end at once, carrying the query's error when it
  // failed, so the receiving node reports that error rather than a lost
  // stream. Returns the first error of a stream.
  std::optional<BasaltError> Close(const std::optional<BasaltError>& query_error) {
    std::optional<BasaltError> error;
    for (auto& [node, stream] : streams_) {
      if (!finished_) {
        if (query_error) {
          stream->Abort(query_error->code(), query_error->what());
        } else {
          stream->Cancel();
        }
        stream->Close();
        continue;
      }
      grpc::Status status = stream->Close();
      if (!status.ok() && !error) {
        error = BasaltError(sqlstate::kConnectionFailure,
                            fmt::format("sending to {} failed: {}", addresses_[stream.get()],
                                        status.error_message()));
      }
    }
    return error;
  }

 private:
  std::shared_ptr<LocalExchange> local_;
  QueryContext& query_;
  std::vector<DataStreamSender*> route_;  // per receiver; nullptr = local
  std::map<int, std::unique_ptr<DataStreamSender>> streams_;  // by node
  std::map<const DataStreamSender*, std::string> addresses_;
  bool finished_ = false;
};

ClusterSite::ClusterSite(QueryPlacement placement, int self, NodeId self_id,
                         ExchangeRegistry& registry, ChannelCache& channels)
    : placement_(std::move(placement)),
      self_(self),
      self_id_(std::move(self_id)),
      registry_(registry),
      channels_(channels) {}

ClusterSite::~ClusterSite() {
  if (!finished_) Finish();
}

void ClusterSite::Begin(QueryContext& query, const FragmentedPlan& plan) {
  query_ = &query;
  exchange_consumer_ = plan.exchange_consumer;
  ScanShare share;
  for (size_t i = 0; i < placement_.scan_nodes.size(); i++) {
    const int node = placement_.scan_nodes[i];
    if (node < 0 || node >= int(placement_.nodes.size())) {
      ThrowError(sqlstate::kInternalError, "internal error: scan node {} is not placed", node);
    }
    if (node == self_) share.index = int(i);
    share.nodes.push_back(placement_.nodes[size_t(node)]);
  }
  query.set_scan_share(std::move(share));
  // Profiles and out-of-memory errors name the node.
  if (self_ >= 0 && self_ < int(placement_.nodes.size())) {
    query.set_host(placement_.nodes[size_t(self_)]);
  }
}

int ClusterSite::NodeOf(int fragment_id, int instance) const {
  auto it = placement_.instance_nodes.find(fragment_id);
  if (it == placement_.instance_nodes.end() || instance >= int(it->second.size())) {
    ThrowError(sqlstate::kInternalError,
               "internal error: no node placed for instance {} of fragment {}", instance,
               fragment_id);
  }
  return it->second[size_t(instance)];
}

bool ClusterSite::RunsHere(const PlanFragment& fragment, int instance) const {
  return NodeOf(fragment.id, instance) == self_;
}

void ClusterSite::ExchangeCreated(int id, const std::shared_ptr<LocalExchange>& exchange,
                                  const std::vector<LogicalType>& types) {
  QueryContext* query = query_;
  registry_.Register(placement_.query_id, id,
                     {exchange, types, [query](const char* code, const std::string& error) {
                        query->Fail(BasaltError(code, error));
                      }});
}

ExchangeSink& ClusterSite::SinkFor(const PlanFragment& fragment, int instance,
                                   const std::shared_ptr<LocalExchange>& local) {
  const int exchange = fragment.output_exchange;
  if (exchange < 0 || exchange >= int(exchange_consumer_.size())) {
    ThrowError(sqlstate::kInternalError, "internal error: fragment {} sends to no exchange",
               fragment.id);
  }
  const int consumer = exchange_consumer_[size_t(exchange)];
  auto sink = std::make_unique<RoutingSink>(local, *query_);
  std::vector<DataStreamSender*> route(size_t(local->num_receivers()), nullptr);
  std::map<int, DataStreamSender*> stream_to_node;
  for (int r = 0; r < local->num_receivers(); r++) {
    const int node = NodeOf(consumer, r);
    if (node == self_) continue;
    if (node < 0 || node >= int(placement_.nodes.size())) {
      ThrowError(sqlstate::kInternalError, "internal error: node {} is not in the placement", node);
    }
    DataStreamSender*& stream = stream_to_node[node];
    if (stream == nullptr) {
      // One stream per receiving node, opened now: see RoutingSink.
      StreamHeader header;
      header.set_query_id(placement_.query_id);
      header.set_exchange_id(exchange);
      header.set_sender_instance(instance);
      *header.mutable_sender() = self_id_;
      auto sender = std::make_unique<DataStreamSender>(
          channels_.Get(placement_.nodes[size_t(node)]), std::move(header),
          DataStreamSender::kDefaultMaxQueuedBytes, &query_->progress());
      stream = sender.get();
      sink->AddStream(node, placement_.nodes[size_t(node)], std::move(sender));
    }
    route[size_t(r)] = stream;
  }
  sink->Route(std::move(route));
  sinks_.push_back(std::move(sink));
  return *sinks_.back();
}

std::optional<BasaltError> ClusterSite::Finish() {
  finished_ = true;
  std::optional<BasaltError> error;
  std::optional<BasaltError> query_error = query_ ? query_->error() : std::nullopt;
  for (auto& sink : sinks_) {
    std::optional<BasaltError> e = sink->Close(query_error);
    if (e && !error) error = e;
  }
  registry_.Unregister(placement_.query_id);
  return error;
}

}  // namespace basalt::cluster
