// JSON pieces the REST API shares (docs/http_api.md, "Conventions"): result
// values, error bodies and the HTTP status each SQLSTATE maps to.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "common/value.h"
#include "main/database.h"
#include "main/query_registry.h"

namespace basalt::http {

using nlohmann::json;

// One value as a JSON value: null, boolean, number, or text (DECIMAL and
// everything that is not a boolean or a number, so nothing loses precision).
json ValueJson(const Value& value);

// {"error": {"code", "message"[, "position"]}}.
json ErrorJson(const std::string& code, const std::string& message, int32_t position = -1);
// The HTTP status for a statement that failed with SQLSTATE `code`
// (docs/http_api.md, "Conventions"): the API's own errors (an unknown query
// id, a malformed body) choose theirs.
int StatusOfError(const std::string& code);

// "2026-11-21T10:00:00.123Z" for microseconds since 1970.
std::string IsoTime(int64_t micros);

// A query as GET /api/v1/queries lists it (no plan).
json QueryJson(const QueryInfo& info);
json ProgressJson(const ProgressFigures& progress);

// Text for the wire: invalid UTF-8 replaced rather than failing the answer.
std::string Dump(const json& body);

}  // namespace basalt::http
