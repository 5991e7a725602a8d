// The sink at the top of a fragment instance: hands the instance's batches to
// the receivers of its output exchange.
//
//   kGather     every batch to receiver 0, as is.
//   kBroadcast  the same batch to every receiver. The copies share vectors
//               (buffers are reference counted), which is safe because
//               receivers only read their input.
//   kHash       each row to receiver hash(hash_columns) % receivers. Rows are
//               copied into one buffer per receiver that is sent when full, so
//               receivers get few, full batches rather than many slivers.
//
// Back-pressure: when a receiver's queue is full the batch is kept, the task
// is registered with the exchange, and Send/Flush/Finish report "blocked";
// after the task is woken, Flush (or Finish) retries. Not thread-safe: it
// belongs to its fragment instance's task.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "common/data_chunk.h"
#include "exec/fragment.h"

namespace basalt {

class ExchangeSink;
class Task;

struct SenderStats {
  // Rows and batches handed to the exchange (a broadcast counts each copy).
  uint64_t rows_sent = 0;
  uint64_t batches_sent = 0;
  // How often a full receiver queue made the sender wait.
  uint64_t times_blocked = 0;
};

// The receiver of a row with this hash among `receivers`. It uses the high
// 32 bits, because hash tables downstream pick slots with the low bits of the
// same hash: partitioning on those (hash % 4) would leave each receiver's
// table with keys that all share their low bits and crowd a quarter of it.
inline int HashPartition(uint64_t hash, int receivers) {
  return static_cast<int>(((hash >> 32) * static_cast<uint64_t>(receivers)) >> 32);
}

class ExchangeSender {
 public:
  ExchangeSender(ExchangeSink& exchange, ExchangeType type, std::vector<idx_t> hash_columns,
                 std::vector<LogicalType> types, Task* task);

  // Takes the rows of `chunk` (which is left empty). Returns false when some
  // could not be delivered yet: they are kept, and Flush() must succeed
  // before the next Send.
  bool Send(DataChunk& chunk);
  // Retries the batches kept by a blocked Send; true when none are left.
  bool Flush();
  bool HasPending() const { return !pending_.empty(); }
  // The instance has no more rows: sends the partly filled buffers, then
  // tells the exchange (once). False when blocked; call again when woken.
  bool Finish();

  const SenderStats& stats() const { return stats_; }

 private:
  void Partition(const DataChunk& chunk);
  // Copies rows `sel[0, count)` of `chunk` into receiver r's buffer, queueing
  // the buffer whenever it fills up.
  void AppendRows(int receiver, const DataChunk& chunk, uint32_t* sel, idx_t count);
  void QueueBuffer(int receiver);

  ExchangeSink& exchange_;
  ExchangeType type_;
  std::vector<idx_t> hash_columns_;
  std::vector<LogicalType> types_;
  Task* task_;
  int num_receivers_;

  // Batches waiting for room in their receiver's queue, oldest first.
  std::vector<std::pair<int, DataChunk>> pending_;
  // kHash: the partly filled batch of each receiver, and scratch space.
  std::vector<DataChunk> buffers_;
  std::vector<uint64_t> hashes_;
  std::vector<std::vector<uint32_t>> partition_rows_;
  bool finished_ = false;
  SenderStats stats_;
};

}  // namespace basalt
