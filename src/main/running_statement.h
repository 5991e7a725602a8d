// What lets Connection::Cancel, called from another thread, stop the
// statement the connection is running.
//
// The connection's thread brackets each statement with a RunningStatement::Scope;
// the executor registers each QueryExecution it runs with Attach / Detach
// (AttachedExecution). The executor finds the statement through a
// thread-local pointer the Scope sets, so the statement executor's many
// paths to a QueryExecution (SELECT, INSERT ... SELECT, CREATE TABLE AS,
// COPY TO) need not carry it as a parameter.
//
// Thread safety: Cancel may be called from any thread; everything else from
// the connection's thread. mutex_ guards running_, cancelled_ and execution_;
// Cancel calls QueryExecution::Cancel under it, which is why Detach (also
// under it) makes the execution unreachable before it is destroyed.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "exec/query_progress.h"

namespace basalt {

class QueryExecution;

class RunningStatement {
 public:
  // Cancels the running statement: the execution attached now, or the next
  // one the statement attaches. Between statements it does nothing, so a
  // cancel that arrives late never reaches a later statement.
  void Cancel();
  // Whether a statement is running (for logging; may change at once).
  bool running() const;
  // Whether the running statement was cancelled (for waits outside an
  // execution, such as for the write lock).
  bool cancelled() const;

  // What the statement's query executions did, for the query registry: the
  // last one's plan and profile, progress and peak memory over all of them.
  struct Snapshot {
    std::string plan_json;  // main/plan_json.h; empty when no plan ran
    std::string plan_text;  // EXPLAIN ANALYZE text
    ProgressFigures progress;
    uint64_t peak_memory = 0;
  };
  // So far: the executions that ended, plus the attached one's figures
  // (the plan JSON of a running execution covers its finished instances).
  Snapshot Current(bool with_plan) const;
  // Forgets what earlier statements' executions did (a statement that runs
  // no execution, such as COMMIT, must not show the previous one's plan).
  void ResetSnapshot();

  // Marks one statement running on the calling thread, from construction to
  // destruction, and forgets any earlier cancel.
  class Scope {
   public:
    explicit Scope(RunningStatement& statement);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    RunningStatement& statement_;
    RunningStatement* previous_;
  };

  // The statement a Scope marks on this thread, or null.
  static RunningStatement* Current();

  // Makes `execution` reachable by Cancel; throws 57014 when the statement
  // was cancelled already (e.g. while it was being planned).
  void Attach(QueryExecution* execution);
  // `ended` is what the execution did (AttachedExecution renders it).
  void Detach(QueryExecution* execution, Snapshot ended);
  void Detach(QueryExecution* execution) { Detach(execution, Snapshot()); }

 private:
  mutable std::mutex mutex_;
  bool running_ = false;
  bool cancelled_ = false;
  QueryExecution* execution_ = nullptr;
  Snapshot ended_;  // the statement's executions that have ended
};

// Attaches an execution to the current thread's running statement, if any,
// for the lifetime of this object.
class AttachedExecution {
 public:
  explicit AttachedExecution(QueryExecution* execution);
  ~AttachedExecution();
  AttachedExecution(const AttachedExecution&) = delete;
  AttachedExecution& operator=(const AttachedExecution&) = delete;

 private:
  RunningStatement* statement_;
  QueryExecution* execution_;
};

}  // namespace basalt
