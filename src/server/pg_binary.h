// PostgreSQL's binary wire format for each Basalt type, both ways: result
// values a client asked for in binary, and parameter values it bound in text
// or binary. Layouts follow PostgreSQL's send/recv functions: big-endian
// integers and IEEE floats, dates and timestamps counted from 2000-01-01,
// intervals as (microseconds, days, months), numeric as base-10000 digits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/types.h"
#include "common/value.h"
#include "server/pg_messages.h"

namespace basalt {

// The binary format of a non-NULL value (without the length word).
std::string PgBinaryOf(const Value& value);

// The Basalt type of a parameter type OID from Parse. kInvalid for 0 and
// "unknown" (705): the type is then inferred, or the value stays an untyped
// literal. DECIMAL comes back as DECIMAL(38, 0): each value brings its own
// scale. False for an OID Basalt has no type for.
bool LogicalTypeOfPgOid(int32_t oid, LogicalType* out);

// A bound parameter's value. `type` is the parameter's declared or inferred
// type (kInvalid = unknown: text then stays an untyped VARCHAR literal).
// Throws BasaltError: 22P02 for text that does not parse, 22P03 for binary
// data of the wrong shape, 42P18 for binary data of unknown type.
Value PgParameterValue(const std::optional<std::string>& data, PgFormat format,
                       const LogicalType& type, int parameter_number);

}  // namespace basalt
