#include "exec/function.h"

#include <algorithm>

#include "exec/functions/register_functions.h"

namespace basalt {

FunctionRegistry::FunctionRegistry() {
  // Before the string and catalog-array functions: a LIST argument to len,
  // array_length or a[i] must bind here first.
  RegisterNestedFunctions(*this);
  RegisterArithmeticFunctions(*this);
  RegisterComparisonFunctions(*this);
  RegisterStringFunctions(*this);
  RegisterStringSearchFunctions(*this);
  RegisterLikeFunctions(*this);
  RegisterRegexFunctions(*this);
  RegisterArrayTextFunctions(*this);
  RegisterMathFunctions(*this);
  RegisterDateFunctions(*this);
  RegisterCountAggregates(*this);
  RegisterSumAggregates(*this);
  RegisterMinMaxAggregates(*this);
  RegisterBoolAggregates(*this);
  RegisterVarianceAggregates(*this);
  RegisterSingleValueAggregate(*this);
}

const FunctionRegistry& FunctionRegistry::Get() {
  // Built on first use; C++ guarantees the initialization runs once even when
  // several threads race to it, and the registry is read-only afterwards.
  static const FunctionRegistry* registry = new FunctionRegistry();
  return *registry;
}

std::vector<std::string> FunctionRegistry::ScalarNames() const {
  std::vector<std::string> names;
  for (const auto& [name, binders] : scalars_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> FunctionRegistry::AggregateNames() const {
  std::vector<std::string> names;
  for (const auto& [name, binders] : aggregates_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

void FunctionRegistry::AddScalar(const std::string& name, ScalarBinder binder) {
  scalars_[name].push_back(std::move(binder));
}

void FunctionRegistry::AddAggregate(const std::string& name, AggregateBinder binder) {
  aggregates_[name].push_back(std::move(binder));
}

std::optional<BoundScalarFunction> FunctionRegistry::BindScalar(
    const std::string& name, const std::vector<LogicalType>& arg_types,
    const std::vector<const Value*>& constant_args) const {
  auto it = scalars_.find(name);
  if (it == scalars_.end()) return std::nullopt;
  for (const ScalarBinder& binder : it->second) {
    std::optional<BoundScalarFunction> bound = binder(arg_types, constant_args);
    if (bound) {
      if (bound->name.empty()) bound->name = name;
      return bound;
    }
  }
  return std::nullopt;
}

std::optional<BoundAggregateFunction> FunctionRegistry::BindAggregate(
    const std::string& name, const std::vector<LogicalType>& arg_types) const {
  auto it = aggregates_.find(name);
  if (it == aggregates_.end()) return std::nullopt;
  for (const AggregateBinder& binder : it->second) {
    std::optional<BoundAggregateFunction> bound = binder(arg_types);
    if (bound) {
      if (bound->name.empty()) bound->name = name;
      return bound;
    }
  }
  return std::nullopt;
}

}  // namespace basalt
