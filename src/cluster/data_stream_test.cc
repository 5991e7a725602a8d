#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "cluster/data_stream_sender.h"
#include "cluster/data_stream_service.h"
#include "cluster/exchange_registry.h"

namespace basalt::cluster {
namespace {

using namespace std::chrono_literals;

const std::vector<LogicalType> kTypes = {TypeId::kBigint, TypeId::kVarchar};

DataChunk Rows(int64_t first, idx_t count) {
  DataChunk chunk(kTypes);
  for (idx_t i = 0; i < count; i++) {
    int64_t k = first + int64_t(i);
    chunk.column(0).Data<int64_t>()[i] = k;
    chunk.column(1).SetString(i, "a string longer than twelve bytes " + std::to_string(k));
  }
  chunk.SetSize(count);
  return chunk;
}

// A node's receiving side on a loopback port.
class Receiver {
 public:
  explicit Receiver(std::chrono::milliseconds registration_wait = 2000ms)
      : service_(registry_, registration_wait) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                   grpc::InsecureChannelCredentials());
  }
  ~Receiver() { server_->Shutdown(std::chrono::system_clock::now() + 1s); }

  std::shared_ptr<LocalExchange> Register(const std::string& query, int senders, int receivers,
                                          size_t capacity = 8) {
    auto exchange = std::make_shared<LocalExchange>(senders, receivers, capacity);
    registry_.Register(query, 0, {exchange, kTypes});
    return exchange;
  }
  ExchangeRegistry& registry() { return registry_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

 private:
  ExchangeRegistry registry_;
  DataStreamService service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  int port_ = 0;
};

StreamHeader Header(const std::string& query, int instance) {
  StreamHeader header;
  header.set_query_id(query);
  header.set_exchange_id(0);
  header.set_sender_instance(instance);
  header.mutable_sender()->set_name("127.0.0.1:9999");
  return header;
}

// Pops every batch of `receiver` until the exchange finishes: (rows, sum of keys).
std::pair<int64_t, int64_t> Consume(LocalExchange& exchange, int receiver) {
  int64_t rows = 0, sum = 0;
  DataChunk chunk;
  while (exchange.PopWait(receiver, chunk) == PopResult::kData) {
    for (idx_t i = 0; i < chunk.size(); i++) {
      int64_t k = chunk.column(0).Data<int64_t>()[i];
      sum += k;
      EXPECT_EQ(chunk.column(1).GetValue(i).ToString(),
                "a string longer than twelve bytes " + std::to_string(k));
    }
    rows += int64_t(chunk.size());
  }
  return {rows, sum};
}

TEST(DataStreamTest, TwoSendersThreeReceiversGetEveryRowOnce) {
  Receiver node;
  auto exchange = node.Register("q1", 2, 3);
  std::vector<std::pair<int64_t, int64_t>> got(3);
  std::vector<std::thread> consumers;
  for (int r = 0; r < 3; r++) consumers.emplace_back([&, r] { got[r] = Consume(*exchange, r); });
  constexpr int kBatches = 300;
  std::vector<std::thread> senders;
  for (int s = 0; s < 2; s++) {
    senders.emplace_back([&, s] {
      DataStreamSender sender(node.channel(), Header("q1", s));
      for (int b = 0; b < kBatches; b++) {
        DataChunk chunk = Rows(int64_t(s * kBatches + b) * 1000, 1000);
        sender.PushWait(b % 3, chunk);
      }
      grpc::Status status = sender.Close();
      EXPECT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(sender.stats().rows, uint64_t(kBatches) * 1000);
      EXPECT_LT(sender.stats().wire_bytes, sender.stats().raw_bytes);
    });
  }
  for (auto& t : senders) t.join();
  for (auto& t : consumers) t.join();
  int64_t rows = 0, sum = 0;
  for (auto [r, s] : got) {
    rows += r;
    sum += s;
  }
  const int64_t n = 2 * kBatches * 1000;
  EXPECT_EQ(rows, n);
  EXPECT_EQ(sum, n * (n - 1) / 2);
  EXPECT_EQ(node.registry().Error("q1"), "");
}

TEST(DataStreamTest, ASlowReceiverHoldsTheSenderBack) {
  Receiver node;
  auto exchange = node.Register("q2", 1, 1, /*capacity=*/2);
  std::atomic<int> pushed{0};
  DataStreamSender sender(node.channel(), Header("q2", 0), /*max_queued_bytes=*/64 << 10);
  std::thread producer([&] {
    for (int b = 0; b < 400; b++) {
      DataChunk chunk = Rows(b * 2048, 2048);
      sender.PushWait(0, chunk);
      pushed++;
    }
  });
  // Nobody reads: the receiver's queue (2 batches), gRPC's windows and the
  // sender's 64 KB queue fill, and the producer stops well short of 400.
  std::this_thread::sleep_for(1500ms);
  int stalled_at = pushed.load();
  EXPECT_LT(stalled_at, 400);
  EXPECT_GT(sender.stats().times_blocked, 0u);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(pushed.load(), stalled_at) << "the producer must stay blocked";
  std::pair<int64_t, int64_t> got;
  std::thread consumer([&] { got = Consume(*exchange, 0); });
  producer.join();
  EXPECT_TRUE(sender.Close().ok());
  consumer.join();
  EXPECT_EQ(got.first, 400 * 2048);
}

TEST(DataStreamTest, AStreamThatBreaksFailsTheQueryInsteadOfEndingIt) {
  Receiver node;
  auto exchange = node.Register("q3", 1, 1);
  std::pair<int64_t, int64_t> got;
  std::thread consumer([&] { got = Consume(*exchange, 0); });
  {
    DataStreamSender sender(node.channel(), Header("q3", 7));
    DataChunk chunk = Rows(0, 100);
    sender.PushWait(0, chunk);
    std::this_thread::sleep_for(200ms);
    sender.Cancel();  // as if the sending node died mid-stream
  }
  consumer.join();  // ends: the exchange is cancelled, not finished
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (node.registry().Error("q3").empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_NE(node.registry().Error("q3").find("lost the data stream from 127.0.0.1:9999 (instance 7)"),
            std::string::npos)
      << node.registry().Error("q3");
}

TEST(DataStreamTest, AStreamForAnUnknownQueryIsRefused) {
  Receiver node(/*registration_wait=*/100ms);
  DataStreamSender sender(node.channel(), Header("nobody", 0));
  DataChunk chunk = Rows(0, 10);
  sender.PushWait(0, chunk);
  grpc::Status status = sender.Close();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("query nobody"), std::string::npos);
}

TEST(DataStreamTest, AReceiverOutOfRangeFailsTheQuery) {
  Receiver node;
  auto exchange = node.Register("q4", 1, 2);
  DataStreamSender sender(node.channel(), Header("q4", 0));
  DataChunk chunk = Rows(0, 10);
  sender.PushWait(5, chunk);
  grpc::Status status = sender.Close();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(node.registry().Error("q4").find("receiver 5 of 2"), std::string::npos);
}

}  // namespace
}  // namespace basalt::cluster
