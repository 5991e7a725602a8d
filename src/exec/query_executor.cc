#include "exec/query_executor.h"

#include <fmt/format.h>

#include <chrono>
#include <unordered_set>

#include "common/exception.h"
#include "exec/exchange/local_exchange.h"
#include "exec/execution_site.h"
#include "exec/fragment_instance_task.h"
#include "exec/task_scheduler.h"

namespace basalt {

namespace {

void CreateSharedStates(const PhysicalNode& node, QueryContext& query,
                        std::unordered_set<int>& ids) {
  if (std::shared_ptr<void> state = node.CreateSharedState(query)) {
    // Shared states are keyed by node id; two nodes with one id would share.
    if (!ids.insert(node.id).second) {
      ThrowError(sqlstate::kInternalError, "internal error: plan node id {} is not unique",
                 node.id);
    }
    query.SetSharedState(node.id, std::move(state));
  }
  for (const auto& child : node.children) CreateSharedStates(*child, query, ids);
}

uint64_t NowNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

std::string FormatMillis(uint64_t nanos) { return fmt::format("{:.3f} ms", nanos / 1e6); }

// "1 row", "2 rows"; `plural` for words that do not just take an s.
std::string Plural(uint64_t n, const char* word, const char* plural = nullptr) {
  if (n == 1) return fmt::format("1 {}", word);
  return plural ? fmt::format("{} {}", n, plural) : fmt::format("{} {}s", n, word);
}

}  // namespace

QueryExecution::QueryExecution(FragmentedPlan plan, TaskScheduler& scheduler, ExecutionSite* site)
    : plan_(std::move(plan)),
      scheduler_(scheduler),
      site_(site),
      latch_(std::make_shared<CompletionLatch>()) {}

QueryExecution::~QueryExecution() {
  StopTasks();
  latch_->Wait();
  FinishSite();
}

void QueryExecution::FinishSite() {
  if (site_ == nullptr) return;
  if (std::optional<BasaltError> error = site_->Finish()) query_.Fail(*error);
  site_ = nullptr;
}

namespace {
// What the plan's scans under `node` are expected to return.
uint64_t ScanEstimate(const PhysicalNode& node) {
  if (node.IsScan()) return static_cast<uint64_t>(std::max(0.0, node.estimated_rows));
  uint64_t rows = 0;
  for (const auto& child : node.children) rows += ScanEstimate(*child);
  return rows;
}
}  // namespace

void QueryExecution::Start() {
  std::lock_guard<std::mutex> lock(mutex_);
  BASALT_CHECK(!started_);
  started_ = true;
  start_nanos_ = NowNanos();
  if (user_cancelled_) return;  // Next() reports the cancel

  BASALT_CHECK(!plan_.fragments.empty());
  BASALT_CHECK(plan_.fragments[0].output_exchange == kClientExchange);
  BASALT_CHECK_EQ(plan_.exchange_consumer.size(), static_cast<size_t>(plan_.num_exchanges));
  auto fragment_by_id = [&](int id) -> const PlanFragment& {
    for (const PlanFragment& f : plan_.fragments) {
      if (f.id == id) return f;
    }
    ThrowError(sqlstate::kInternalError, "internal error: no fragment {} in the plan", id);
  };

  // Each exchange has one sender per instance of the fragments feeding it and
  // one receiver per instance of the fragment reading it.
  std::vector<int> senders(plan_.num_exchanges, 0);
  int client_senders = 0;
  for (const PlanFragment& f : plan_.fragments) {
    BASALT_CHECK(f.parallelism >= 1);
    BASALT_CHECK(f.root != nullptr);
    if (f.output_exchange == kClientExchange) {
      client_senders += f.parallelism;
    } else {
      BASALT_CHECK(f.output_exchange >= 0 && f.output_exchange < plan_.num_exchanges);
      senders[f.output_exchange] += f.parallelism;
    }
  }
  if (site_) site_->Begin(query_, plan_);
  auto runs_here = [&](const PlanFragment& f, int instance) {
    return site_ == nullptr || site_->RunsHere(f, instance);
  };
  auto has_instance_here = [&](const PlanFragment& f) {
    for (int i = 0; i < f.parallelism; i++) {
      if (runs_here(f, i)) return true;
    }
    return false;
  };
  // The process with the root fragment counts the whole plan for progress:
  // every instance, wherever it runs, and every scan's estimate. Executors
  // report only what they did.
  if (runs_here(plan_.fragments[0], 0)) {
    uint64_t instances = 0;
    for (const PlanFragment& f : plan_.fragments) {
      instances += static_cast<uint64_t>(f.parallelism);
      query_.progress().AddEstimate(ScanEstimate(*f.root));
    }
    query_.progress().AddInstances(instances);
  }
  std::vector<std::shared_ptr<LocalExchange>> exchanges;
  for (int id = 0; id < plan_.num_exchanges; id++) {
    const PlanFragment& consumer = fragment_by_id(plan_.exchange_consumer[id]);
    auto exchange =
        std::make_shared<LocalExchange>(senders[id], consumer.parallelism, kExchangeQueueCapacity);
    int added = query_.AddExchange(exchange);
    BASALT_CHECK_EQ(added, id);
    exchanges.push_back(exchange);
    if (site_ && has_instance_here(consumer)) {
      std::vector<LogicalType> types;
      for (const PlanFragment& f : plan_.fragments) {
        if (f.output_exchange == id) types = f.root->types;
      }
      site_->ExchangeCreated(id, exchange, types);
    }
  }
  auto client = std::make_shared<LocalExchange>(client_senders, 1, kExchangeQueueCapacity);
  client_exchange_ = query_.AddExchange(client);

  std::unordered_set<int> ids;
  for (const PlanFragment& f : plan_.fragments) {
    if (has_instance_here(f)) CreateSharedStates(*f.root, query_, ids);
  }

  // Every instance is built before any is scheduled, so a plan that fails to
  // build throws here with nothing running.
  std::vector<std::shared_ptr<FragmentInstanceTask>> tasks;
  for (const PlanFragment& f : plan_.fragments) {
    bool to_client = f.output_exchange == kClientExchange;
    for (int i = 0; i < f.parallelism; i++) {
      if (!runs_here(f, i)) continue;
      ExchangeSink* output = to_client ? client.get() : exchanges[f.output_exchange].get();
      if (site_ && !to_client) output = &site_->SinkFor(f, i, exchanges[f.output_exchange]);
      tasks.push_back(std::make_shared<FragmentInstanceTask>(query_, f, i, *output, latch_));
    }
  }
  latch_->Add(static_cast<int>(tasks.size()));
  tasks_ = std::move(tasks);
  for (const auto& task : tasks_) scheduler_.Schedule(task);
}

bool QueryExecution::Next(DataChunk& out) {
  if (finished_) return false;
  if (!user_cancelled_) {
    BASALT_CHECK(client_exchange_ >= 0);  // Start() succeeded
    while (query_.exchange(client_exchange_).PopWait(0, out) == PopResult::kData) {
      if (out.size() > 0) {
        rows_returned_ += out.size();
        return true;
      }
    }
  }
  // The client exchange ended: all rows were read, an instance failed, or the
  // query was cancelled. Either way stop what still runs (producers a LIMIT
  // no longer needs) and wait, so the profile is complete.
  finished_ = true;
  StopTasks();
  latch_->Wait();
  FinishSite();
  query_.profile().SetHostPeakMemory(query_.host(), query_.memory().peak());
  query_.profile().SetTotals(NowNanos() - start_nanos_, rows_returned_);
  if (std::optional<BasaltError> error = query_.error()) throw *error;
  if (user_cancelled_) {
    throw BasaltError(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
  return false;
}

void QueryExecution::Wait() {
  latch_->Wait();
  FinishSite();
  query_.profile().SetHostPeakMemory(query_.host(), query_.memory().peak());
  finished_ = true;
  if (std::optional<BasaltError> error = query_.error()) throw *error;
  if (user_cancelled_) {
    throw BasaltError(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
}

void QueryExecution::Cancel() {
  user_cancelled_ = true;
  StopTasks();
}

void QueryExecution::StopTasks() {
  std::lock_guard<std::mutex> lock(mutex_);
  query_.Cancel();
  // Exchanges wake the tasks waiting on them; this reaches tasks blocked on
  // anything else. A task that already finished ignores the wake-up.
  for (const auto& task : tasks_) task->Wake();
}

std::string QueryExecution::Profile() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  for (const PlanFragment& f : plan_.fragments) {
    out += fmt::format("Fragment {} [{}] -> ", f.id, Plural(f.parallelism, "instance"));
    out += f.output_exchange == kClientExchange ? std::string("client")
                                                : fmt::format("exchange {}", f.output_exchange);
    out += "\n";
    for (const auto& task : tasks_) {
      if (task->fragment_id() != f.id) continue;
      InstanceProfile p = task->Profile();
      if (!p.finished) {
        out += fmt::format("  Instance {}: running\n", task->instance());
        continue;
      }
      out += fmt::format("  Instance {}: {} in {}, blocked {}; sent {} in {}\n", task->instance(),
                         FormatMillis(p.run_nanos), Plural(p.runs, "run"),
                         Plural(p.times_blocked, "time"), Plural(p.sender.rows_sent, "row"),
                         Plural(p.sender.batches_sent, "batch", "batches"));
      for (size_t i = 0; i < p.operators.size(); i++) {
        const OperatorProfile& op = p.operators[i];
        // Operator times include their children's; self time subtracts them.
        uint64_t children_nanos = 0;
        for (size_t j = i + 1; j < p.operators.size() && p.operators[j].depth > op.depth; j++) {
          if (p.operators[j].depth == op.depth + 1) {
            children_nanos += p.operators[j].stats.cpu_nanos;
          }
        }
        uint64_t self =
            op.stats.cpu_nanos > children_nanos ? op.stats.cpu_nanos - children_nanos : 0;
        out.append(static_cast<size_t>(op.depth) * 2 + 4, ' ');
        out +=
            fmt::format("{}: {} in {}, {} (self {})\n", op.name, Plural(op.stats.rows_out, "row"),
                        Plural(op.stats.batches_out, "batch", "batches"),
                        FormatMillis(op.stats.cpu_nanos), FormatMillis(self));
      }
    }
  }
  return out;
}

}  // namespace basalt
