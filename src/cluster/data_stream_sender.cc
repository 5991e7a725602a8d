#include "cluster/data_stream_sender.h"

#include "exec/exchange/batch_serde.h"
#include "exec/task_scheduler.h"

namespace basalt::cluster {

DataStreamSender::DataStreamSender(const std::shared_ptr<grpc::Channel>& channel,
                                   StreamHeader header, size_t max_queued_bytes,
                                   QueryProgress* progress)
    : max_queued_bytes_(max_queued_bytes),
      progress_(progress),
      stub_(DataStream::NewStub(channel)) {
  writer_ = stub_->Transmit(&context_, &response_);
  TransmitRequest first;
  *first.mutable_header() = std::move(header);
  queue_.push_back(std::move(first));
  thread_ = std::thread([this] { WriterLoop(); });
}

DataStreamSender::~DataStreamSender() {
  {
    std::lock_guard lock(mu_);
    if (!closing_) {
      failed_ = true;  // destroyed without Close: the receiver must not see a clean end
      context_.TryCancel();
    }
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DataStreamSender::Enqueue(int receiver, DataChunk& chunk) {
  SerializedBatch batch;
  SerializeBatch(chunk, &batch);
  chunk = DataChunk();
  TransmitRequest message;
  message.set_receiver(receiver);
  message.set_raw_size(batch.raw_size);
  message.set_rows(batch.rows);
  message.set_compressed(batch.compressed);
  stats_.batches++;
  stats_.rows += batch.rows;
  stats_.raw_bytes += batch.raw_size;
  stats_.wire_bytes += batch.bytes.size();
  if (progress_ != nullptr) progress_->AddExchangeBytes(batch.bytes.size());
  queued_bytes_ += batch.bytes.size();
  message.set_batch(std::move(batch.bytes));
  queue_.push_back(std::move(message));
}

bool DataStreamSender::TryPush(int receiver, DataChunk& chunk, Task* task) {
  {
    std::lock_guard lock(mu_);
    if (failed_) return true;
    if (!HasRoomLocked()) {
      stats_.times_blocked++;
      waiting_tasks_.push_back(task);
      return false;
    }
    Enqueue(receiver, chunk);
  }
  cv_.notify_all();
  return true;
}

void DataStreamSender::PushWait(int receiver, DataChunk& chunk) {
  {
    std::unique_lock lock(mu_);
    if (!HasRoomLocked()) stats_.times_blocked++;
    cv_.wait(lock, [&] { return failed_ || HasRoomLocked(); });
    if (failed_) return;
    Enqueue(receiver, chunk);
  }
  cv_.notify_all();
}

void DataStreamSender::Finish() {
  {
    std::lock_guard lock(mu_);
    if (closing_) return;
    closing_ = true;
    TransmitRequest last;
    last.set_end_of_stream(true);
    queue_.push_back(std::move(last));
  }
  cv_.notify_all();
}

grpc::Status DataStreamSender::Close() {
  Finish();
  {
    // A stream ended by Abort or Cancel gets a few seconds to say so; a
    // receiver that does not read by then is cut off.
    std::unique_lock lock(mu_);
    if (failed_ || aborting_) {
      if (!cv_.wait_for(lock, kAbortGrace, [&] { return writer_done_; })) context_.TryCancel();
    }
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  return status_;
}

std::optional<std::string> DataStreamSender::Error() const {
  std::lock_guard lock(mu_);
  if (!failed_) return std::nullopt;
  return status_.ok() ? std::string("the data stream failed") : status_.error_message();
}

void DataStreamSender::Cancel() {
  {
    std::lock_guard lock(mu_);
    failed_ = true;
    closing_ = true;
    queue_.clear();
    // The tasks that waited for room are being stopped by their query; the
    // writer must not wake them after they are gone.
    waiting_tasks_.clear();
    context_.TryCancel();
  }
  cv_.notify_all();
}

void DataStreamSender::Abort(const char* code, const std::string& message) {
  {
    std::lock_guard lock(mu_);
    if (closing_ || failed_) return;
    closing_ = true;
    aborting_ = true;
    waiting_tasks_.clear();
    // Batches still queued are dropped; a header not yet sent must go first.
    std::deque<TransmitRequest> keep;
    for (auto& m : queue_) {
      if (m.has_header()) keep.push_back(std::move(m));
    }
    queue_.swap(keep);
    queued_bytes_ = 0;
    TransmitRequest error;
    error.set_error_code(code);
    error.set_error_message(message);
    queue_.push_back(std::move(error));
  }
  cv_.notify_all();
}

DataStreamStats DataStreamSender::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void DataStreamSender::WriterLoop() {
  bool ok = true;
  while (ok) {
    TransmitRequest message;
    std::vector<Task*> to_wake;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return failed_ || !queue_.empty(); });
      if (failed_) {
        ok = false;
        break;
      }
      message = std::move(queue_.front());
      queue_.pop_front();
      queued_bytes_ -= message.batch().size();
      if (HasRoomLocked()) to_wake.swap(waiting_tasks_);
    }
    cv_.notify_all();
    for (Task* task : to_wake) task->Wake();
    // Blocks while the receiver's flow-control window is full.
    ok = writer_->Write(message);
    if (message.end_of_stream() || !message.error_code().empty()) break;
  }
  writer_->WritesDone();
  grpc::Status status = writer_->Finish();
  std::vector<Task*> to_wake;
  {
    std::lock_guard lock(mu_);
    if (!status.ok() || !ok) failed_ = true;
    status_ = !status.ok() ? status
              : ok         ? grpc::Status::OK
                           : grpc::Status(grpc::StatusCode::CANCELLED, "the stream was cancelled");
    queue_.clear();
    queued_bytes_ = 0;
    to_wake.swap(waiting_tasks_);
    writer_done_ = true;
  }
  cv_.notify_all();
  for (Task* task : to_wake) task->Wake();
}

}  // namespace basalt::cluster
