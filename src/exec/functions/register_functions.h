// One registration entry point per group of built-in functions; the registry
// calls each once when it is first used (function_registry.cc).
#pragma once

#include "exec/function.h"

namespace basalt {

void RegisterNestedFunctions(FunctionRegistry& registry);
void RegisterArithmeticFunctions(FunctionRegistry& registry);
void RegisterComparisonFunctions(FunctionRegistry& registry);
void RegisterStringFunctions(FunctionRegistry& registry);
void RegisterStringSearchFunctions(FunctionRegistry& registry);
void RegisterLikeFunctions(FunctionRegistry& registry);
void RegisterRegexFunctions(FunctionRegistry& registry);
void RegisterArrayTextFunctions(FunctionRegistry& registry);
void RegisterMathFunctions(FunctionRegistry& registry);
void RegisterDateFunctions(FunctionRegistry& registry);

void RegisterCountAggregates(FunctionRegistry& registry);
void RegisterSumAggregates(FunctionRegistry& registry);
void RegisterMinMaxAggregates(FunctionRegistry& registry);
void RegisterBoolAggregates(FunctionRegistry& registry);
void RegisterVarianceAggregates(FunctionRegistry& registry);
void RegisterSingleValueAggregate(FunctionRegistry& registry);

}  // namespace basalt
