// The $1, $2, ... of a statement prepared through the extended query
// protocol, as the binder sees them. Describing a statement binds it without
// values (parameters stay placeholders whose types the binder infers from
// how they are used); executing it binds the values in as constants, so each
// execution is planned for its own values.
#pragma once

#include <vector>

#include "common/types.h"
#include "common/value.h"

namespace basalt {

struct StatementParameters {
  // One per parameter: its declared type, or kInvalid to be inferred (while
  // describing) or to take the value as an untyped literal (while executing).
  std::vector<LogicalType> types;
  // One per parameter when executing; empty while describing.
  std::vector<Value> values;

  bool describing() const { return values.empty() && !types.empty(); }
};

}  // namespace basalt
