#include "exec/exchange/exchange_sender.h"

#include <algorithm>

#include "common/exception.h"
#include "exec/exchange/exchange_sink.h"
#include "common/vector_hash.h"

namespace basalt {

ExchangeSender::ExchangeSender(ExchangeSink& exchange, ExchangeType type,
                               std::vector<idx_t> hash_columns, std::vector<LogicalType> types,
                               Task* task)
    : exchange_(exchange),
      type_(type),
      hash_columns_(std::move(hash_columns)),
      types_(std::move(types)),
      task_(task),
      num_receivers_(exchange.num_receivers()) {
  // With one receiver there is nothing to partition: pass batches through.
  if (type_ == ExchangeType::kHash && num_receivers_ == 1) type_ = ExchangeType::kGather;
  for (idx_t column : hash_columns_) BASALT_CHECK(column < types_.size());
  if (type_ == ExchangeType::kHash) {
    buffers_.resize(num_receivers_);
    for (auto& b : buffers_) b.Initialize(types_);
    partition_rows_.resize(num_receivers_);
  }
}

bool ExchangeSender::Send(DataChunk& chunk) {
  BASALT_CHECK(pending_.empty());
  BASALT_CHECK(!finished_);
  idx_t count = chunk.size();
  if (count == 0) return true;
  switch (type_) {
    case ExchangeType::kGather:
      pending_.emplace_back(0, std::move(chunk));
      break;
    case ExchangeType::kBroadcast:
      for (int r = 0; r < num_receivers_; r++) {
        DataChunk copy;
        copy.Reference(chunk);
        pending_.emplace_back(r, std::move(copy));
      }
      break;
    case ExchangeType::kHash:
      Partition(chunk);
      break;
  }
  chunk = DataChunk();
  return Flush();
}

void ExchangeSender::Partition(const DataChunk& chunk) {
  BASALT_CHECK_EQ(chunk.ColumnCount(), types_.size());
  idx_t count = chunk.size();
  hashes_.resize(count);
  if (hash_columns_.empty()) {
    std::fill(hashes_.begin(), hashes_.end(), 0);
  } else {
    for (size_t i = 0; i < hash_columns_.size(); i++) {
      HashVector(chunk.column(hash_columns_[i]), count, hashes_.data(), i > 0);
    }
  }
  for (auto& rows : partition_rows_) rows.clear();
  for (idx_t i = 0; i < count; i++) {
    partition_rows_[HashPartition(hashes_[i], num_receivers_)].push_back(static_cast<uint32_t>(i));
  }
  for (int r = 0; r < num_receivers_; r++) {
    auto& rows = partition_rows_[r];
    if (!rows.empty()) AppendRows(r, chunk, rows.data(), rows.size());
  }
}

void ExchangeSender::AppendRows(int receiver, const DataChunk& chunk, uint32_t* sel, idx_t count) {
  idx_t done = 0;
  while (done < count) {
    DataChunk& buffer = buffers_[receiver];
    idx_t n = std::min(count - done, buffer.capacity() - buffer.size());
    SelectionVector rows(sel + done);
    for (idx_t c = 0; c < types_.size(); c++) {
      buffer.column(c).CopyFrom(chunk.column(c), rows, n, buffer.size());
    }
    buffer.SetSize(buffer.size() + n);
    done += n;
    if (buffer.size() == buffer.capacity()) QueueBuffer(receiver);
  }
}

void ExchangeSender::QueueBuffer(int receiver) {
  DataChunk& buffer = buffers_[receiver];
  pending_.emplace_back(receiver, std::move(buffer));
  buffer = DataChunk(types_);
}

bool ExchangeSender::Flush() {
  // Batches for a receiver whose queue is full wait behind the first one
  // refused, so each receiver still gets its batches in order and the task is
  // registered with each full queue only once.
  std::vector<bool> refused(num_receivers_, false);
  size_t kept = 0;
  for (size_t i = 0; i < pending_.size(); i++) {
    auto& [receiver, batch] = pending_[i];
    if (!refused[receiver]) {
      idx_t rows = batch.size();
      if (exchange_.TryPush(receiver, batch, task_)) {
        stats_.rows_sent += rows;
        stats_.batches_sent++;
        continue;
      }
      refused[receiver] = true;
    }
    if (kept != i) pending_[kept] = std::move(pending_[i]);
    kept++;
  }
  pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(kept), pending_.end());
  if (kept > 0) stats_.times_blocked++;
  return kept == 0;
}

bool ExchangeSender::Finish() {
  if (finished_) return true;
  if (type_ == ExchangeType::kHash) {
    // Runs once: a blocked Finish comes back with the buffers already queued.
    for (size_t r = 0; r < buffers_.size(); r++) {
      if (buffers_[r].size() == 0) continue;
      pending_.emplace_back(static_cast<int>(r), std::move(buffers_[r]));
    }
    buffers_.clear();
  }
  if (!Flush()) return false;
  finished_ = true;
  exchange_.SenderFinished();
  return true;
}

}  // namespace basalt
