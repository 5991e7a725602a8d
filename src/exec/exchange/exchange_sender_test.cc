#include "exec/exchange/exchange_sender.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "exec/exchange/local_exchange.h"
#include "exec/task_scheduler.h"
#include "common/vector_hash.h"

namespace basalt {
namespace {

const LogicalType kBigint(TypeId::kBigint);
const LogicalType kVarchar(TypeId::kVarchar);

// `count` rows (k, text of k) with k = first, first + 1, ...
DataChunk Rows(int64_t first, idx_t count) {
  DataChunk chunk({kBigint, kVarchar});
  for (idx_t i = 0; i < count; i++) {
    int64_t k = first + static_cast<int64_t>(i);
    chunk.column(0).Data<int64_t>()[i] = k;
    chunk.column(1).SetString(i, "a string longer than twelve bytes " + std::to_string(k));
  }
  chunk.SetSize(count);
  return chunk;
}

int Partition(int64_t k, int receivers) {
  Vector v(kBigint, 1);
  v.Data<int64_t>()[0] = k;
  uint64_t h;
  HashVector(v, 1, &h, false);
  return HashPartition(h, receivers);
}

// Everything queued for `receiver` (the exchange must be finished).
std::vector<DataChunk> Drain(LocalExchange& exchange, int receiver) {
  std::vector<DataChunk> out;
  DataChunk chunk;
  while (exchange.PopWait(receiver, chunk) == PopResult::kData) out.push_back(std::move(chunk));
  return out;
}

TEST(ExchangeSenderTest, HashFillsWholeBatches) {
  constexpr int kReceivers = 3;
  LocalExchange exchange(1, kReceivers, /*queue_capacity=*/1000);
  ExchangeSender sender(exchange, ExchangeType::kHash, {0}, {kBigint, kVarchar}, nullptr);
  constexpr int64_t kRows = 20'000;
  for (int64_t first = 0; first < kRows; first += 100) {
    DataChunk chunk = Rows(first, 100);
    ASSERT_TRUE(sender.Send(chunk));
    EXPECT_EQ(chunk.size(), 0u);
  }
  ASSERT_TRUE(sender.Finish());
  ASSERT_TRUE(sender.Finish());  // a second call does nothing
  int64_t total = 0;
  for (int r = 0; r < kReceivers; r++) {
    std::vector<DataChunk> batches = Drain(exchange, r);
    ASSERT_FALSE(batches.empty());
    for (size_t b = 0; b < batches.size(); b++) {
      // Only the last batch of each receiver may be partly filled.
      if (b + 1 < batches.size()) {
        EXPECT_EQ(batches[b].size(), kBatchSize);
      }
      for (idx_t i = 0; i < batches[b].size(); i++) {
        int64_t k = batches[b].GetValue(0, i).GetInt64();
        ASSERT_EQ(Partition(k, kReceivers), r);
        ASSERT_EQ(batches[b].GetValue(1, i).GetString(),
                  "a string longer than twelve bytes " + std::to_string(k));
      }
      total += static_cast<int64_t>(batches[b].size());
    }
  }
  EXPECT_EQ(total, kRows);
  EXPECT_EQ(sender.stats().rows_sent, static_cast<uint64_t>(kRows));
}

TEST(ExchangeSenderTest, PartitionDoesNotFixTheLowHashBits) {
  // Hash tables downstream use the low bits; each receiver must see them all.
  Vector keys(kBigint);
  for (idx_t i = 0; i < kBatchSize; i++) keys.Data<int64_t>()[i] = static_cast<int64_t>(i);
  std::vector<uint64_t> hashes(kBatchSize);
  HashVector(keys, kBatchSize, hashes.data(), false);
  for (int receivers : {2, 4, 8}) {
    std::vector<std::set<uint64_t>> low_bits(receivers);
    for (uint64_t h : hashes) low_bits[HashPartition(h, receivers)].insert(h & 15);
    for (int r = 0; r < receivers; r++) EXPECT_EQ(low_bits[r].size(), 16u) << receivers;
  }
}

TEST(ExchangeSenderTest, HashWithoutColumnsSendsEverythingToOneReceiver) {
  LocalExchange exchange(1, 2, 100);
  ExchangeSender sender(exchange, ExchangeType::kHash, {}, {}, nullptr);
  DataChunk rows;  // no columns: only a row count, as for count(*)
  rows.SetSize(3000);
  ASSERT_TRUE(sender.Send(rows));
  ASSERT_TRUE(sender.Finish());
  idx_t first = 0, second = 0;
  for (auto& b : Drain(exchange, 0)) first += b.size();
  for (auto& b : Drain(exchange, 1)) second += b.size();
  EXPECT_EQ(first + second, 3000u);
  EXPECT_TRUE(first == 0 || second == 0);
}

TEST(ExchangeSenderTest, GatherPassesBatchesThrough) {
  LocalExchange exchange(1, 1, 100);
  ExchangeSender sender(exchange, ExchangeType::kGather, {}, {kBigint, kVarchar}, nullptr);
  for (int i = 0; i < 5; i++) {
    DataChunk chunk = Rows(i * 10, 10);
    ASSERT_TRUE(sender.Send(chunk));
  }
  ASSERT_TRUE(sender.Finish());
  std::vector<DataChunk> batches = Drain(exchange, 0);
  ASSERT_EQ(batches.size(), 5u);
  for (int i = 0; i < 5; i++) EXPECT_EQ(batches[i].GetValue(0, 0).GetInt64(), i * 10);
}

TEST(ExchangeSenderTest, BroadcastSharesTheBatch) {
  constexpr int kReceivers = 4;
  LocalExchange exchange(1, kReceivers, 100);
  ExchangeSender sender(exchange, ExchangeType::kBroadcast, {}, {kBigint, kVarchar}, nullptr);
  DataChunk chunk = Rows(0, 1000);
  Vector original = chunk.column(0);
  ASSERT_TRUE(sender.Send(chunk));
  ASSERT_TRUE(sender.Finish());
  for (int r = 0; r < kReceivers; r++) {
    std::vector<DataChunk> batches = Drain(exchange, r);
    ASSERT_EQ(batches.size(), 1u);
    ASSERT_EQ(batches[0].size(), 1000u);
    // No copy: every receiver reads the sender's buffer.
    EXPECT_EQ(batches[0].column(0).Data<int64_t>(), original.Data<int64_t>());
  }
}

// A task that sends `batches` batches through a hash sender into queues of
// capacity 1, so it blocks over and over and must resume where it stopped.
class SendingTask : public Task {
 public:
  SendingTask(LocalExchange& exchange, int batches)
      : sender_(exchange, ExchangeType::kHash, {0}, {kBigint, kVarchar}, this), batches_(batches) {}

  TaskResult Run() override {
    if (sender_.HasPending() && !sender_.Flush()) return TaskResult::kBlocked;
    while (sent_ < batches_) {
      DataChunk chunk = Rows(static_cast<int64_t>(sent_) * 1000, 1000);
      sent_++;
      if (!sender_.Send(chunk)) return TaskResult::kBlocked;
    }
    if (!sender_.Finish()) return TaskResult::kBlocked;
    times_blocked = sender_.stats().times_blocked;
    done = true;
    return TaskResult::kDone;
  }

  std::atomic<bool> done{false};
  uint64_t times_blocked = 0;

 private:
  ExchangeSender sender_;
  int batches_;
  int sent_ = 0;
};

TEST(ExchangeSenderTest, BackPressureResumesWithoutLosingRows) {
  constexpr int kReceivers = 2;
  constexpr int kBatches = 100;
  TaskScheduler scheduler(2);
  LocalExchange exchange(1, kReceivers, /*queue_capacity=*/1);
  auto task = std::make_shared<SendingTask>(exchange, kBatches);
  std::vector<std::vector<int>> seen(kReceivers, std::vector<int>(kBatches * 1000, 0));
  std::vector<std::thread> readers;
  for (int r = 0; r < kReceivers; r++) {
    readers.emplace_back([&, r] {
      DataChunk chunk;
      int pops = 0;
      while (exchange.PopWait(r, chunk) == PopResult::kData) {
        for (idx_t i = 0; i < chunk.size(); i++) seen[r][chunk.GetValue(0, i).GetInt64()]++;
        // Slow readers at first, so the sender surely finds full queues.
        if (pops++ < 5) std::this_thread::sleep_for(std::chrono::milliseconds(30));
      }
    });
  }
  scheduler.Schedule(task);
  for (auto& t : readers) t.join();
  // The task may still be returning from its last Run().
  for (int i = 0; i < 5000 && !task->done; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(task->done);
  EXPECT_GT(task->times_blocked, 0u);
  for (int64_t k = 0; k < kBatches * 1000; k++) {
    int r = Partition(k, kReceivers);
    ASSERT_EQ(seen[r][k], 1) << k;
    ASSERT_EQ(seen[1 - r][k], 0) << k;
  }
}

}  // namespace
}  // namespace basalt
