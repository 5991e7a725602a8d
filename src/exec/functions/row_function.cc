#include "exec/functions/row_function.h"

#include <memory>

#include "exec/functions/kernel_helpers.h"

namespace basalt {
namespace {

struct RowFunctionData : FunctionData {
  RowFunction fn;
  bool strict = false;
};

void RowKernel(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
               const FunctionData* data, Vector& result) {
  const auto& f = static_cast<const RowFunctionData&>(*data);
  std::vector<Value> values(args.size());
  for (idx_t i = 0; i < count; i++) {
    uint32_t row = RowAt(sel, i);
    bool any_null = false;
    for (size_t a = 0; a < args.size(); a++) {
      values[a] = args[a].GetValue(row);
      any_null |= values[a].IsNull();
    }
    if (f.strict && any_null) {
      result.validity().SetInvalid(row);
    } else {
      result.SetValue(row, f.fn(values));
    }
  }
}

BoundScalarFunction Make(std::string name, std::vector<LogicalType> arg_types,
                         LogicalType return_type, RowFunction fn, bool strict) {
  auto data = std::make_shared<RowFunctionData>();
  data->fn = std::move(fn);
  data->strict = strict;
  BoundScalarFunction f;
  f.name = std::move(name);
  f.arg_types = std::move(arg_types);
  f.return_type = return_type;
  f.kernel = &RowKernel;
  f.data = std::move(data);
  return f;
}

}  // namespace

BoundScalarFunction MakeRowFunction(std::string name, std::vector<LogicalType> arg_types,
                                    LogicalType return_type, RowFunction fn) {
  return Make(std::move(name), std::move(arg_types), return_type, std::move(fn), false);
}

BoundScalarFunction MakeStrictRowFunction(std::string name, std::vector<LogicalType> arg_types,
                                          LogicalType return_type, RowFunction fn) {
  return Make(std::move(name), std::move(arg_types), return_type, std::move(fn), true);
}

}  // namespace basalt
