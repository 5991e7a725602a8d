// Scalar and aggregate function interfaces.
//
// A function is looked up by name at bind time with the argument types. Its
// Bind step picks an overload, says which types the arguments must be cast to
// (implicit casts follow PostgreSQL: smallint < integer < bigint < decimal <
// double; date < timestamp), computes the result type (decimal precision and
// scale depend on the arguments) and may prepare state (a compiled LIKE
// pattern). The kernel then runs a batch at a time.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/vector.h"

namespace basalt {

// Bind-time state shared read-only by every thread that runs the function.
struct FunctionData {
  virtual ~FunctionData() = default;
};

// Computes result rows for the rows named by `sel` (nullptr = rows 0..count-1).
// `args` hold the evaluated arguments in any vector form, already cast to the
// bound argument types; `result` is a fresh flat vector with room for every
// row index in `sel`, all rows valid; the kernel writes each selected row
// (value or NULL) at its own index and leaves other rows untouched.
// Errors (overflow, division by zero, bad input) are thrown as BasaltError.
using ScalarKernel = void (*)(const std::vector<Vector>& args, const SelectionVector* sel,
                              idx_t count, const FunctionData* data, Vector& result);

struct BoundScalarFunction {
  std::string name;
  std::vector<LogicalType> arg_types;  // the caller casts each argument to these
  LogicalType return_type;
  ScalarKernel kernel = nullptr;
  std::shared_ptr<const FunctionData> data;
  // False for functions whose value changes between calls with equal
  // arguments (random(), now()): they are never constant folded.
  bool deterministic = true;
};

// `constant_args[i]` is the argument's value when it is a constant at bind
// time (so LIKE can compile its pattern once), else nullptr.
using ScalarBinder = std::function<std::optional<BoundScalarFunction>(
    const std::vector<LogicalType>& arg_types, const std::vector<const Value*>& constant_args)>;

// Aggregates keep a fixed-size state per group in memory the operator owns.
// Two-phase aggregation (partial before an exchange, final after it) is done
// by the planner with a merge function per aggregate (count -> sum of counts,
// avg -> sum and count), so states never cross an exchange.
struct BoundAggregateFunction {
  std::string name;
  std::vector<LogicalType> arg_types;
  LogicalType return_type;
  idx_t state_size = 0;
  // Zero-arg aggregates (count(*)) get an empty args vector.
  void (*initialize)(uint8_t* state) = nullptr;
  // For each row i < count: fold args' row i into states[i] (several rows may
  // share a state). NULL inputs are skipped by the function itself.
  void (*update)(const std::vector<Vector>& args, idx_t count, uint8_t** states,
                 const FunctionData* data) = nullptr;
  // targets[i] <- merge(targets[i], sources[i]).
  void (*combine)(uint8_t** sources, uint8_t** targets, idx_t count,
                  const FunctionData* data) = nullptr;
  // Writes states[i]'s value into result row i (flat result).
  void (*finalize)(uint8_t** states, idx_t count, Vector& result, const FunctionData* data) = nullptr;
  // Releases memory a state holds outside the state bytes (may be nullptr).
  void (*destroy)(uint8_t** states, idx_t count) = nullptr;
  std::shared_ptr<const FunctionData> data;
};

using AggregateBinder =
    std::function<std::optional<BoundAggregateFunction>(const std::vector<LogicalType>& arg_types)>;

// Every built-in function, by lowercase name. Read-only after start-up, so it
// is safe to use from any thread.
class FunctionRegistry {
 public:
  static const FunctionRegistry& Get();

  void AddScalar(const std::string& name, ScalarBinder binder);
  void AddAggregate(const std::string& name, AggregateBinder binder);

  bool HasScalar(const std::string& name) const { return scalars_.count(name) > 0; }
  bool HasAggregate(const std::string& name) const { return aggregates_.count(name) > 0; }
  // Every registered name, sorted (a test binds each to check that plans can
  // bind them again by name: exec/serde/plan_serde_test.cc).
  std::vector<std::string> ScalarNames() const;
  std::vector<std::string> AggregateNames() const;
  // Tries each binder registered under `name` in order; nullopt when none accepts.
  std::optional<BoundScalarFunction> BindScalar(const std::string& name,
                                                const std::vector<LogicalType>& arg_types,
                                                const std::vector<const Value*>& constant_args) const;
  std::optional<BoundAggregateFunction> BindAggregate(const std::string& name,
                                                      const std::vector<LogicalType>& arg_types) const;

 private:
  FunctionRegistry();
  std::unordered_map<std::string, std::vector<ScalarBinder>> scalars_;
  std::unordered_map<std::string, std::vector<AggregateBinder>> aggregates_;
};

}  // namespace basalt
