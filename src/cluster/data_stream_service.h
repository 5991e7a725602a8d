// The receiving end of data streams (data_stream.proto): decodes each batch
// and pushes it into the exchange registered for the stream's query, waiting
// while the receiver's queue is full, which stops reading the stream and so
// holds the sender back through gRPC's flow control.
#pragma once

#include <atomic>
#include <chrono>

#include "cluster/data_stream.grpc.pb.h"
#include "cluster/exchange_registry.h"

namespace basalt::cluster {

class DataStreamService final : public DataStream::Service {
 public:
  // `registration_wait`: how long a stream waits for its exchange to be
  // registered on this node before it is refused.
  DataStreamService(ExchangeRegistry& registry, std::chrono::milliseconds registration_wait)
      : registry_(registry), registration_wait_(registration_wait) {}

  grpc::Status Transmit(grpc::ServerContext* context, grpc::ServerReader<TransmitRequest>* reader,
                        TransmitResponse* response) override;

  // Batches received since start, by every stream (for tests and profiles).
  uint64_t batches_received() const { return batches_received_.load(); }

 private:
  ExchangeRegistry& registry_;
  const std::chrono::milliseconds registration_wait_;
  std::atomic<uint64_t> batches_received_{0};
};

}  // namespace basalt::cluster
