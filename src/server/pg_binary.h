// Bound parameter values, in text or binary, and the types Parse declares
// for them. The binary format itself, both ways, is in pg_binary_format.h
// (kept free of exec/ so the fuzz target links it); text goes through the
// engine's casts (exec/cast.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/types.h"
#include "common/value.h"
#include "server/pg_binary_format.h"
#include "server/pg_messages.h"

namespace basalt {

// The Basalt type of a parameter type OID from Parse. kInvalid for 0 and
// "unknown" (705): the type is then inferred, or the value stays an untyped
// literal. DECIMAL comes back as DECIMAL(38, 0): each value brings its own
// scale. False for an OID Basalt has no type for.
bool LogicalTypeOfPgOid(int32_t oid, LogicalType* out);

// A bound parameter's value. `type` is the parameter's declared or inferred
// type (kInvalid = unknown: text then stays an untyped VARCHAR literal).
// Throws BasaltError: 22P02 for text that does not parse, and for binary
// what PgValueFromBinary throws (22P03 for data of the wrong shape, 42P18
// for binary data of unknown type, ...).
Value PgParameterValue(const std::optional<std::string>& data, PgFormat format,
                       const LogicalType& type, int parameter_number);

}  // namespace basalt
