#include "cluster/data_stream_service.h"

#include <fmt/format.h>

#include "cluster/wire_error.h"
#include "common/exception.h"
#include "exec/exchange/batch_serde.h"

namespace basalt::cluster {

grpc::Status DataStreamService::Transmit(grpc::ServerContext* context,
                                         grpc::ServerReader<TransmitRequest>* reader,
                                         TransmitResponse* response) {
  TransmitRequest message;
  if (!reader->Read(&message)) return grpc::Status::CANCELLED;
  if (!message.has_header()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "the first message of a stream needs a header"};
  }
  const StreamHeader header = message.header();
  auto endpoint = registry_.Find(header.query_id(), header.exchange_id(), registration_wait_);
  if (!endpoint) {
    return {grpc::StatusCode::NOT_FOUND,
            fmt::format("exchange {} of query {} is not running on this node",
                        header.exchange_id(), header.query_id())};
  }
  const std::string from =
      fmt::format("{} (instance {})", header.sender().name(), header.sender_instance());
  auto fail = [&](grpc::StatusCode code, const std::string& error,
                  const char* sqlstate = sqlstate::kConnectionFailure) {
    registry_.Fail(header.query_id(), sqlstate, error);
    return grpc::Status(code, error);
  };
  do {
    if (!message.error_code().empty()) {
      // The sender's part of the query failed: its error, not a lost stream.
      return fail(grpc::StatusCode::ABORTED,
                  fmt::format("on {}: {}", header.sender().name(), message.error_message()),
                  InternSqlstate(message.error_code()));
    }
    if (!message.batch().empty()) {
      if (message.receiver() < 0 || message.receiver() >= endpoint->exchange->num_receivers()) {
        return fail(grpc::StatusCode::INVALID_ARGUMENT,
                    fmt::format("the data stream from {} names receiver {} of {}", from,
                                message.receiver(), endpoint->exchange->num_receivers()));
      }
      DataChunk chunk;
      try {
        chunk = DeserializeBatch(message.batch(), message.raw_size(), message.compressed(),
                                 endpoint->types);
      } catch (const BasaltError& e) {
        return fail(grpc::StatusCode::DATA_LOSS,
                    fmt::format("a batch from {} is damaged: {}", from, e.what()));
      }
      batches_received_++;
      response->set_batches(response->batches() + 1);
      response->set_rows(response->rows() + chunk.size());
      if (!endpoint->exchange->PushWait(message.receiver(), chunk)) {
        return {grpc::StatusCode::CANCELLED,
                fmt::format("query {} was cancelled on the receiving node", header.query_id())};
      }
    }
    if (message.end_of_stream()) {
      endpoint->exchange->SenderFinished();
      return grpc::Status::OK;
    }
  } while (reader->Read(&message));
  // The stream ended without end_of_stream: the sender's node died or the
  // network failed. The receivers must not finish as if all rows came.
  return fail(grpc::StatusCode::UNAVAILABLE,
              fmt::format("lost the data stream from {}{}", from,
                          context->IsCancelled() ? " (cancelled)" : ""));
}

}  // namespace basalt::cluster
