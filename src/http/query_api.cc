#include "http/query_api.h"

#include <fmt/format.h>

#include <chrono>
#include <charconv>
#include <optional>
#include <thread>

#include "common/exception.h"
#include "http/http_json.h"
#include "main/database_instance.h"

namespace basalt::http {

namespace {

void Reply(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(Dump(body), "application/json");
}

// An error of the API itself (not of a statement): its status is given.
void ReplyError(httplib::Response& response, int status, const std::string& code,
                const std::string& message) {
  Reply(response, status, ErrorJson(code, message));
}

// An integer query parameter within [min, max]; `fallback` when absent.
// False (and a 400 reply) when it is not one.
bool IntParam(const httplib::Request& request, httplib::Response& response, const char* name,
              int64_t fallback, int64_t min, int64_t max, int64_t* out) {
  *out = fallback;
  if (!request.has_param(name)) return true;
  const std::string text = request.get_param_value(name);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    ReplyError(response, 400, sqlstate::kProtocolViolation,
               fmt::format("parameter \"{}\" must be an integer from {} to {}, not \"{}\"", name,
                           min, max, text));
    return false;
  }
  *out = value;
  return true;
}

json Columns(const QueryResult& result) {
  json columns = json::array();
  for (size_t i = 0; i < result.column_names.size(); i++) {
    columns.push_back({{"name", result.column_names[i]},
                       {"type", i < result.column_types.size() ? result.column_types[i].ToString()
                                                               : std::string()}});
  }
  return columns;
}

// Rows [offset, offset + limit) of `result` with the paging fields.
json Page(const std::string& id, const QueryResult& result, int64_t offset, int64_t limit) {
  const uint64_t total = result.RowCount();
  const uint64_t first = std::min<uint64_t>(static_cast<uint64_t>(offset), total);
  const uint64_t last = std::min<uint64_t>(first + static_cast<uint64_t>(limit), total);
  json rows = json::array();
  uint64_t chunk_start = 0;
  for (const DataChunk& chunk : result.chunks) {
    const uint64_t chunk_end = chunk_start + chunk.size();
    if (chunk_end > first && chunk_start < last) {
      for (uint64_t r = std::max(first, chunk_start); r < std::min(last, chunk_end); r++) {
        json row = json::array();
        for (idx_t c = 0; c < chunk.ColumnCount(); c++) {
          row.push_back(ValueJson(chunk.GetValue(c, static_cast<idx_t>(r - chunk_start))));
        }
        rows.push_back(std::move(row));
      }
    }
    chunk_start = chunk_end;
    if (chunk_start >= last) break;
  }
  return {{"id", id},
          {"columns", Columns(result)},
          {"rows", std::move(rows)},
          {"row_count", total},
          {"offset", first},
          {"next_offset", last < total ? json(last) : json(nullptr)}};
}

uint64_t ApproximateBytes(const QueryResult& result) {
  uint64_t bytes = 0;
  for (const DataChunk& chunk : result.chunks) bytes += chunk.ApproximateBytes();
  return bytes;
}

}  // namespace

QueryApi::~QueryApi() {
  CancelAll();
  std::unique_lock<std::mutex> lock(mutex_);
  idle_cv_.wait(lock, [&] { return runs_.empty(); });
}

void QueryApi::CancelAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  stopping_ = true;
  for (const auto& run : runs_) run->connection.Cancel();
}

void QueryApi::Register(httplib::Server& server) {
  server.Post("/api/v1/query", [this](const httplib::Request& q, httplib::Response& r) {
    PostQuery(q, r);
  });
  server.Get("/api/v1/queries", [this](const httplib::Request& q, httplib::Response& r) {
    GetQueries(q, r);
  });
  server.Get(R"(/api/v1/queries/([^/]+))", [this](const httplib::Request& q,
                                                   httplib::Response& r) { GetQuery(q, r); });
  server.Get(R"(/api/v1/queries/([^/]+)/rows)",
             [this](const httplib::Request& q, httplib::Response& r) { GetRows(q, r); });
  server.Delete(R"(/api/v1/queries/([^/]+))", [this](const httplib::Request& q,
                                                      httplib::Response& r) { DeleteQuery(q, r); });
}

void QueryApi::PostQuery(const httplib::Request& request, httplib::Response& response) {
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    ReplyError(response, 400, sqlstate::kProtocolViolation, "the request body is not valid JSON");
    return;
  }
  if (!body.is_object() || !body.contains("sql") || !body["sql"].is_string()) {
    ReplyError(response, 400, sqlstate::kProtocolViolation,
               "the request body must be a JSON object with a string \"sql\"");
    return;
  }
  std::optional<int64_t> wait_ms;
  int64_t page_size = kDefaultPageSize;
  for (const char* name : {"wait_ms", "page_size"}) {
    if (!body.contains(name)) continue;
    const json& value = body[name];
    const int64_t max = std::string_view(name) == "wait_ms" ? int64_t{86400000} : kMaxPageSize;
    const int64_t min = std::string_view(name) == "wait_ms" ? 0 : 1;
    if (!value.is_number_integer() || value.get<int64_t>() < min || value.get<int64_t>() > max) {
      ReplyError(response, 400, sqlstate::kProtocolViolation,
                 fmt::format("\"{}\" must be an integer from {} to {}", name, min, max));
      return;
    }
    (std::string_view(name) == "wait_ms" ? wait_ms.emplace() : page_size) = value.get<int64_t>();
  }
  ClientInfo client;
  client.client = "http";
  if (body.contains("user")) {
    if (!body["user"].is_string() || body["user"].get<std::string>().empty()) {
      ReplyError(response, 400, sqlstate::kProtocolViolation, "\"user\" must be a non-empty string");
      return;
    }
    client.user = body["user"].get<std::string>();
  }

  auto run = std::make_shared<Run>(db_);
  run->connection.set_client(client);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      ReplyError(response, 503, sqlstate::kConnectionFailure, "the server is shutting down");
      return;
    }
    runs_.push_back(run);
  }
  // The thread holds the run; the destructor waits for every run to end.
  std::thread([this, run, sql = body["sql"].get<std::string>()]() mutable {
    Execute(run, std::move(sql));
  }).detach();

  std::unique_lock<std::mutex> lock(run->mutex);
  if (wait_ms) {
    run->done_cv.wait_for(lock, std::chrono::milliseconds(*wait_ms), [&] { return run->done; });
  } else {
    run->done_cv.wait(lock, [&] { return run->done; });
  }
  if (!run->done) {
    lock.unlock();
    // The id appears once the first statement is parsed: moments after start.
    std::string id = run->connection.query_id();
    for (int i = 0; id.empty() && i < 200; i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      id = run->connection.query_id();
    }
    json out = {{"id", id}, {"state", "running"}, {"progress", nullptr}};
    if (auto info = db_.instance().queries().Find(id)) {
      out["progress"] = ProgressJson(info->progress);
    }
    Reply(response, 202, out);
    return;
  }
  std::shared_ptr<const QueryResult> kept = run->result;
  const QueryResult& result = *kept;
  const std::string id = run->connection.query_id();
  lock.unlock();
  if (!result.ok) {
    json out = {{"id", id},
                {"state", result.error_code == sqlstate::kQueryCanceled ? "cancelled" : "failed"}};
    out.update(ErrorJson(result.error_code, result.error_message, result.error_position));
    Reply(response, StatusOfError(result.error_code), out);
    return;
  }
  json out = Page(id, result, 0, page_size);
  out["state"] = "finished";
  out["tag"] = result.tag;
  out["duration_ms"] = nullptr;
  if (auto info = db_.instance().queries().Find(id)) out["duration_ms"] = QueryJson(*info)["duration_ms"];
  json notices = json::array();
  for (const auto& notice : result.notices) {
    notices.push_back({{"code", notice.code}, {"message", notice.message}});
  }
  out["notices"] = std::move(notices);
  Reply(response, 200, out);
}

void QueryApi::Execute(const std::shared_ptr<Run>& run, std::string sql) {
  std::vector<std::string> ids;
  QueryResult last;
  last.tag = "EMPTY";
  run->connection.QueryEach(sql, [&](QueryResult& result) {
    ids.push_back(run->connection.query_id());
    last = std::move(result);
    return true;
  });
  auto kept = std::make_shared<QueryResult>(std::move(last));
  if (kept->ok && kept->returns_rows) Keep(ids, kept);
  {
    std::lock_guard<std::mutex> lock(run->mutex);
    run->result = kept;
    run->done = true;
  }
  run->done_cv.notify_all();
  std::lock_guard<std::mutex> lock(mutex_);
  std::erase(runs_, run);
  idle_cv_.notify_all();
}

void QueryApi::Keep(const std::vector<std::string>& ids, std::shared_ptr<const QueryResult> result) {
  if (ids.empty()) return;
  const uint64_t bytes = ApproximateBytes(*result);
  if (bytes > kKeptBytes) return;  // too large to keep: only the first page was sent
  std::lock_guard<std::mutex> lock(mutex_);
  for (const std::string& id : ids) results_[id] = Kept{result, bytes};
  result_order_.push_back(ids.back());
  kept_bytes_ += bytes;
  // Drops the oldest runs' rows (under every id they were kept as).
  while (result_order_.size() > kKeptResults || kept_bytes_ > kKeptBytes) {
    auto oldest = results_.find(result_order_.front());
    result_order_.pop_front();
    if (oldest == results_.end()) continue;
    std::shared_ptr<const QueryResult> dropped = oldest->second.result;
    kept_bytes_ -= oldest->second.bytes;
    std::erase_if(results_, [&](const auto& entry) { return entry.second.result == dropped; });
  }
}

std::shared_ptr<const QueryResult> QueryApi::FindKept(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = results_.find(id);
  return it == results_.end() ? nullptr : it->second.result;
}

void QueryApi::GetQueries(const httplib::Request& request, httplib::Response& response) {
  int64_t limit = 0;
  int64_t session = 0;
  if (!IntParam(request, response, "limit", 100, 1, 10000, &limit) ||
      !IntParam(request, response, "session", 0, 0, INT32_MAX, &session)) {
    return;
  }
  json queries = json::array();
  if (session > 0) {
    // One PostgreSQL session's queries: what the basalt shell polls for its
    // progress bar, so only the running ones are looked at.
    for (const QueryInfo& info : db_.instance().queries().Running()) {
      if (info.record.session == session) queries.push_back(QueryJson(info));
    }
  } else {
    for (const QueryInfo& info : db_.instance().queries().List(static_cast<size_t>(limit))) {
      queries.push_back(QueryJson(info));
    }
  }
  Reply(response, 200, {{"queries", std::move(queries)}});
}

void QueryApi::GetQuery(const httplib::Request& request, httplib::Response& response) {
  const std::string id = request.matches[1];
  std::optional<QueryInfo> info = db_.instance().queries().Find(id);
  if (!info) {
    ReplyError(response, 404, sqlstate::kUndefinedObject, fmt::format("query \"{}\" does not exist", id));
    return;
  }
  json out = QueryJson(*info);
  out["plan"] = nullptr;
  if (!info->record.plan_json.empty()) {
    out["plan"] = json::parse(info->record.plan_json, nullptr, /*allow_exceptions=*/false);
    if (out["plan"].is_discarded()) out["plan"] = nullptr;
  }
  out["plan_text"] = info->record.plan_text;
  out["has_rows"] = FindKept(id) != nullptr;
  Reply(response, 200, out);
}

void QueryApi::GetRows(const httplib::Request& request, httplib::Response& response) {
  const std::string id = request.matches[1];
  int64_t offset = 0;
  int64_t limit = 0;
  if (!IntParam(request, response, "offset", 0, 0, INT64_MAX / 2, &offset) ||
      !IntParam(request, response, "limit", kDefaultPageSize, 1, kMaxPageSize, &limit)) {
    return;
  }
  if (std::shared_ptr<const QueryResult> result = FindKept(id)) {
    Reply(response, 200, Page(id, *result, offset, limit));
    return;
  }
  std::optional<QueryInfo> info = db_.instance().queries().Find(id);
  if (info && info->record.end_micros == 0) {
    ReplyError(response, 409, "55000", fmt::format("query \"{}\" is still running", id));
    return;
  }
  ReplyError(response, 404, sqlstate::kUndefinedObject,
             info ? fmt::format("the rows of query \"{}\" are not kept (only the last {} REST "
                                "queries' are)",
                                id, kKeptResults)
                  : fmt::format("query \"{}\" does not exist", id));
}

void QueryApi::DeleteQuery(const httplib::Request& request, httplib::Response& response) {
  const std::string id = request.matches[1];
  switch (db_.instance().queries().Cancel(id)) {
    case QueryRegistry::CancelOutcome::kCancelled:
      Reply(response, 200, {{"id", id}, {"cancelled", true}});
      return;
    case QueryRegistry::CancelOutcome::kEnded:
      ReplyError(response, 409, "55000", fmt::format("query \"{}\" has already ended", id));
      return;
    case QueryRegistry::CancelOutcome::kNotFound:
      ReplyError(response, 404, sqlstate::kUndefinedObject, fmt::format("query \"{}\" does not exist", id));
      return;
  }
}

}  // namespace basalt::http
