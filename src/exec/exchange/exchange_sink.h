// Where an ExchangeSender puts batches: the in-process LocalExchange, or, in
// a cluster, a sink that hands each receiver's batches to the local exchange
// or to a network stream to the receiver's node (src/cluster/data_stream_*).
// Called per batch, never per row.
#pragma once

#include "common/data_chunk.h"

namespace basalt {

class Task;

class ExchangeSink {
 public:
  virtual ~ExchangeSink() = default;

  virtual int num_receivers() const = 0;
  // Moves `chunk` towards `receiver`; false (chunk untouched) when there is
  // no room now, in which case `sender` is woken once there is.
  virtual bool TryPush(int receiver, DataChunk& chunk, Task* sender) = 0;
  // Called once by each sender when it has no more batches.
  virtual void SenderFinished() = 0;
};

}  // namespace basalt
