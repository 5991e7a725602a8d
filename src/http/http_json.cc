#include "http/http_json.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <ctime>

#include "common/exception.h"

namespace basalt::http {

json ValueJson(const Value& value) {
  if (value.IsNull()) return nullptr;
  switch (value.type().id()) {
    case TypeId::kBoolean:
      return value.GetBool();
    case TypeId::kSmallint:
    case TypeId::kInteger:
    case TypeId::kBigint:
      return value.GetInt64();
    case TypeId::kReal:
    case TypeId::kDouble: {
      double d = value.GetDouble();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return d;
    }
    default:
      return value.ToString();
  }
}

json ErrorJson(const std::string& code, const std::string& message, int32_t position) {
  json error = {{"code", code}, {"message", message}};
  if (position >= 0) error["position"] = position;
  return {{"error", std::move(error)}};
}

int StatusOfError(const std::string& code) {
  if (code == sqlstate::kQueryCanceled || code.rfind("55", 0) == 0) return 409;
  if (code.rfind("53", 0) == 0 || code.rfind("08", 0) == 0) return 503;
  // Errors in what the client sent: syntax and names (42), data (22),
  // unsupported features (0A), bad transaction state (25), constraints (23),
  // a schema that does not exist (3F).
  for (const char* prefix : {"42", "22", "0A", "25", "23", "3F", "21", "2B", "26", "34", "54"}) {
    if (code.rfind(prefix, 0) == 0) return 400;
  }
  return 500;
}

std::string IsoTime(int64_t micros) {
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                     (micros / 1000) % 1000);
}

json ProgressJson(const ProgressFigures& p) {
  return {{"instances_done", p.instances_done},
          {"instances_total", p.instances_total},
          {"rows_scanned", p.rows_scanned},
          {"bytes_scanned", p.bytes_scanned},
          {"rows_estimated", p.rows_estimated},
          {"fraction", p.Fraction()}};
}

json QueryJson(const QueryInfo& info) {
  const QueryHistoryRecord& r = info.record;
  const bool running = r.end_micros == 0;
  int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  json out = {{"id", r.id},
              {"sql", r.sql},
              {"user", r.user},
              {"client", r.client},
              {"session", r.session},
              {"state", r.state},
              {"start", IsoTime(r.start_micros)},
              {"duration_ms", static_cast<double>((running ? now : r.end_micros) - r.start_micros) /
                                  1e3},
              {"rows", r.rows},
              {"rows_scanned", info.progress.rows_scanned},
              {"peak_memory", r.peak_memory},
              {"error", nullptr},
              {"progress", nullptr}};
  if (!r.error_code.empty()) {
    out["error"] = ErrorJson(r.error_code, r.error_message, r.error_position)["error"];
  }
  if (running) out["progress"] = ProgressJson(info.progress);
  return out;
}

std::string Dump(const json& body) {
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace basalt::http
