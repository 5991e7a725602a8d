#include "exec/operators/exchange_receiver.h"

#include "exec/exchange/local_exchange.h"
#include "exec/query_context.h"

namespace basalt {

ExchangeReceiverOperator::ExchangeReceiverOperator(const ExchangeReceiverNode& node,
                                                   InstanceContext& ctx)
    : Operator(node),
      exchange_(ctx.query->exchange(node.exchange_id)),
      receiver_(ctx.instance),
      task_(ctx.task) {}

OperatorResult ExchangeReceiverOperator::NextInternal(DataChunk& out) {
  while (!finished_) {
    switch (exchange_.Pop(receiver_, out, task_)) {
      case PopResult::kData:
        if (out.size() == 0) continue;
        return OperatorResult::kHaveData;
      case PopResult::kBlocked:
        return OperatorResult::kBlocked;
      case PopResult::kFinished:
        finished_ = true;
        break;
    }
  }
  return OperatorResult::kFinished;
}

OperatorResult ExchangeReceiverOperator::Drain(int max_batches) {
  DataChunk discard;
  while (!finished_) {
    switch (exchange_.Pop(receiver_, discard, task_)) {
      case PopResult::kData:
        if (--max_batches <= 0) return OperatorResult::kHaveData;
        break;
      case PopResult::kBlocked:
        return OperatorResult::kBlocked;
      case PopResult::kFinished:
        finished_ = true;
        break;
    }
  }
  return OperatorResult::kFinished;
}

}  // namespace basalt
