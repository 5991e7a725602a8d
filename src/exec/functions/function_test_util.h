// Test helpers for the function library: build vectors in each form, bind a
// function through the registry and run it the way the expression executor
// does (arguments cast to the bound types first).
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/exception.h"
#include "common/vector.h"
#include "exec/cast.h"
#include "exec/function.h"

namespace basalt {
namespace testing_util {

inline Vector MakeFlat(const LogicalType& type, const std::vector<Value>& values) {
  Vector v(type, values.size() < kBatchSize ? kBatchSize : values.size());
  for (size_t i = 0; i < values.size(); i++) {
    v.SetValue(i, values[i].IsNull() ? Value::Null(type) : CastValue(values[i], type));
  }
  return v;
}

inline Vector MakeConstant(const Value& value) { return Vector(value); }

// A dictionary vector whose row i is dictionary[indices[i]].
inline Vector MakeDictionary(const LogicalType& type, const std::vector<Value>& dictionary,
                             const std::vector<uint32_t>& indices) {
  Vector v = MakeFlat(type, dictionary);
  SelectionVector sel(indices.size());
  for (size_t i = 0; i < indices.size(); i++) sel.Set(i, indices[i]);
  v.Slice(sel, indices.size());
  return v;
}

inline SelectionVector MakeSelection(const std::vector<uint32_t>& rows) {
  SelectionVector sel(rows.size() == 0 ? 1 : rows.size());
  for (size_t i = 0; i < rows.size(); i++) sel.Set(i, rows[i]);
  return sel;
}

inline BoundScalarFunction BindOrDie(const std::string& name, const std::vector<LogicalType>& types,
                                     const std::vector<const Value*>& constants = {}) {
  auto bound = FunctionRegistry::Get().BindScalar(name, types, constants);
  if (!bound) {
    std::string sig = name + "(";
    for (size_t i = 0; i < types.size(); i++) sig += (i ? ", " : "") + types[i].ToString();
    throw std::runtime_error("no binding for " + sig + ")");
  }
  return *bound;
}

// Casts `v` to `to` for the computed rows, as the executor would.
inline Vector CastForCall(const Vector& v, const LogicalType& to, const SelectionVector* sel,
                          idx_t count) {
  if (v.type() == to) return v;
  auto cast = BindCast(v.type(), to);
  if (!cast) throw std::runtime_error("no cast " + v.type().ToString() + " -> " + to.ToString());
  Vector out(to, kBatchSize);
  cast->kernel({v}, sel, count, cast->data.get(), out);
  return out;
}

// Binds `name` for the arguments' types (constant vectors are passed as
// constant arguments) and computes `count` rows, selected by `sel` if given.
inline Vector RunScalar(const std::string& name, const std::vector<Vector>& args, idx_t count,
                        const SelectionVector* sel = nullptr, LogicalType* return_type = nullptr) {
  std::vector<LogicalType> types;
  std::vector<Value> constant_values(args.size());
  std::vector<const Value*> constants;
  for (size_t i = 0; i < args.size(); i++) {
    types.push_back(args[i].type());
    if (args[i].kind() == VectorKind::kConstant) constant_values[i] = args[i].GetValue(0);
  }
  for (size_t i = 0; i < args.size(); i++) {
    constants.push_back(args[i].kind() == VectorKind::kConstant ? &constant_values[i] : nullptr);
  }
  BoundScalarFunction f = BindOrDie(name, types, constants);
  std::vector<Vector> cast_args;
  for (size_t i = 0; i < args.size(); i++) {
    cast_args.push_back(CastForCall(args[i], f.arg_types[i], sel, count));
  }
  Vector result(f.return_type, kBatchSize);
  f.kernel(cast_args, sel, count, f.data.get(), result);
  if (return_type) *return_type = f.return_type;
  return result;
}

// Evaluates a function of constant values on one row.
inline Value Eval(const std::string& name, const std::vector<Value>& args) {
  std::vector<Vector> vectors;
  for (const Value& v : args) vectors.emplace_back(v);
  return RunScalar(name, vectors, 1).GetValue(0);
}

// Like Eval, but the arguments are flat vectors (no constant arguments at bind time).
inline Value EvalFlat(const std::string& name, const std::vector<Value>& args) {
  std::vector<Vector> vectors;
  for (const Value& v : args) vectors.push_back(MakeFlat(v.type(), {v}));
  return RunScalar(name, vectors, 1).GetValue(0);
}

inline std::string EvalText(const std::string& name, const std::vector<Value>& args) {
  return Eval(name, args).ToString();
}

// Runs an aggregate over rows [0, count) into one group, in two halves that
// are combined, and returns the finalized value.
inline Value RunAggregate(const std::string& name, const std::vector<Vector>& args, idx_t count,
                          LogicalType* return_type = nullptr) {
  std::vector<LogicalType> types;
  for (const Vector& v : args) types.push_back(v.type());
  auto bound = FunctionRegistry::Get().BindAggregate(name, types);
  if (!bound) throw std::runtime_error("no aggregate binding for " + name);
  std::vector<Vector> cast_args;
  for (size_t i = 0; i < args.size(); i++) {
    cast_args.push_back(CastForCall(args[i], bound->arg_types[i], nullptr, count));
  }
  // Two states, 8-byte aligned as the operator guarantees.
  std::vector<uint64_t> memory((bound->state_size + 7) / 8 * 2 + 2);
  uint8_t* first = reinterpret_cast<uint8_t*>(memory.data());
  uint8_t* second = first + (bound->state_size + 7) / 8 * 8;
  bound->initialize(first);
  bound->initialize(second);
  // Rows before the midpoint go to `first`, the rest to `second`.
  std::vector<uint8_t*> states(count);
  for (idx_t i = 0; i < count; i++) states[i] = i < count / 2 ? first : second;
  bound->update(cast_args, count, states.data(), bound->data.get());
  uint8_t* sources[] = {second};
  uint8_t* targets[] = {first};
  bound->combine(sources, targets, 1, bound->data.get());
  Vector result(bound->return_type, kBatchSize);
  uint8_t* finals[] = {first};
  bound->finalize(finals, 1, result, bound->data.get());
  if (bound->destroy) {
    uint8_t* all[] = {first, second};
    bound->destroy(all, 2);
  }
  if (return_type) *return_type = bound->return_type;
  return result.GetValue(0);
}

// Expects `fn` to throw a BasaltError with this SQLSTATE and message.
template <typename F>
void ExpectError(F&& fn, const std::string& code, const std::string& message) {
  try {
    fn();
    ADD_FAILURE() << "expected error " << code << ": " << message;
  } catch (const BasaltError& e) {
    EXPECT_EQ(std::string(e.code()), code) << e.what();
    EXPECT_EQ(std::string(e.what()), message);
  }
}

}  // namespace testing_util
}  // namespace basalt
