// The sending end of one data stream (data_stream.proto): batches for the
// receivers on one node, serialized on the caller's thread and written by
// the stream's own thread. The queue between them is bounded in bytes: when
// it is full, TryPush says "blocked" and wakes the task once the writer has
// made room, so a slow receiver holds its senders back instead of growing
// memory.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cluster/data_stream.grpc.pb.h"
#include "common/data_chunk.h"
#include "exec/query_progress.h"

namespace basalt {
class Task;
}

namespace basalt::cluster {

struct DataStreamStats {
  uint64_t batches = 0;
  uint64_t rows = 0;
  uint64_t raw_bytes = 0;   // serialized, before compression
  uint64_t wire_bytes = 0;  // as sent
  uint64_t times_blocked = 0;
};

class DataStreamSender {
 public:
  static constexpr size_t kDefaultMaxQueuedBytes = 8u << 20;
  static constexpr std::chrono::seconds kAbortGrace{5};

  // `progress` (may be null; must outlive the pushes) counts the bytes sent.
  DataStreamSender(const std::shared_ptr<grpc::Channel>& channel, StreamHeader header,
                   size_t max_queued_bytes = kDefaultMaxQueuedBytes,
                   QueryProgress* progress = nullptr);
  ~DataStreamSender();

  // Queues `chunk` for `receiver` (the chunk is consumed). False when the
  // queue is full: the chunk is untouched and `task` is woken when there is
  // room. After a failure, batches are dropped (true): the error is in
  // Close() and the query is being failed.
  bool TryPush(int receiver, DataChunk& chunk, Task* task);
  // The same, waiting on the calling thread.
  void PushWait(int receiver, DataChunk& chunk);
  // No more batches: queues end_of_stream and returns (the writer thread
  // sends what is queued, then it).
  void Finish();
  // Finish, then waits for the receiver's answer.
  grpc::Status Close();
  // Why the stream failed, if it did (without waiting).
  std::optional<std::string> Error() const;
  // Ends the stream at once (the query was cancelled). Close() still joins.
  void Cancel();
  // Ends the stream at once with the sending side's error, which the
  // receiving node reports as the query's (its SQLSTATE kept).
  void Abort(const char* code, const std::string& message);

  DataStreamStats stats() const;

 private:
  void WriterLoop();
  bool HasRoomLocked() const { return queued_bytes_ < max_queued_bytes_ || queue_.empty(); }
  void Enqueue(int receiver, DataChunk& chunk);

  const size_t max_queued_bytes_;
  QueryProgress* const progress_;
  std::unique_ptr<DataStream::Stub> stub_;
  grpc::ClientContext context_;
  TransmitResponse response_;
  std::unique_ptr<grpc::ClientWriter<TransmitRequest>> writer_;

  mutable std::mutex mu_;
  std::condition_variable cv_;  // the writer waits for work; PushWait for room
  std::deque<TransmitRequest> queue_;
  size_t queued_bytes_ = 0;
  std::vector<Task*> waiting_tasks_;
  bool closing_ = false;
  bool failed_ = false;
  bool aborting_ = false;
  bool writer_done_ = false;
  DataStreamStats stats_;
  grpc::Status status_;
  std::thread thread_;
};

}  // namespace basalt::cluster
