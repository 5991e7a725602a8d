// Types, values and rows of a table to and from their plan messages
// (exec/serde/plan.proto). Part of plan_serde.h; see there for the error
// policy.
#pragma once

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "common/exception.h"
#include "common/types.h"
#include "common/value.h"
#include "exec/serde/plan.pb.h"
#include "storage/data_table.h"

namespace basalt {

// 08P01: the message does not describe a well-formed plan.
template <typename... Args>
[[noreturn]] void ThrowMalformedPlan(fmt::format_string<Args...> format, Args&&... args) {
  throw BasaltError(sqlstate::kProtocolViolation,
                    "malformed plan message: " + fmt::format(format, std::forward<Args>(args)...));
}

// 54000 when the thread has too little stack left to go one level deeper
// into a plan message (the readers recurse per nested node and expression).
void CheckPlanStack();

void TypeToProto(const LogicalType& type, plan::LogicalType* out);
// Nested types are interned in this process's registry (common/nested_type.h).
LogicalType TypeFromProto(const plan::LogicalType& message);

void ValueToProto(const Value& value, plan::Value* out);
Value ValueFromProto(const plan::Value& message);

// The rows of an in-memory table, batch by batch. 0A000 for a table with
// segments (those are always catalog tables, looked up by name instead).
void TableRowsToProto(const DataTable& table, plan::InlineTable* out);
std::vector<DataChunk> TableRowsFromProto(const plan::InlineTable& message,
                                          const std::vector<LogicalType>& types);

}  // namespace basalt
