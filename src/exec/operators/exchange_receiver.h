// The operator of an ExchangeReceiverNode (declared in exec/fragment.h): pops
// the batches an exchange delivers to this fragment instance.
#pragma once

#include "exec/fragment.h"

namespace basalt {

class LocalExchange;

class ExchangeReceiverOperator : public Operator {
 public:
  ExchangeReceiverOperator(const ExchangeReceiverNode& node, InstanceContext& ctx);

  // Reads and drops whatever is still to come, so that senders blocked on
  // this receiver's full queue can finish when the operators above stopped
  // early (a LIMIT). Returns kFinished once the senders are done, kBlocked
  // (the task is registered, as in NextInternal) when nothing is queued, and
  // kHaveData after dropping `max_batches` batches, to let the task yield.
  OperatorResult Drain(int max_batches);

 protected:
  OperatorResult NextInternal(DataChunk& out) override;

 private:
  LocalExchange& exchange_;
  int receiver_;
  Task* task_;
  bool finished_ = false;
};

}  // namespace basalt
