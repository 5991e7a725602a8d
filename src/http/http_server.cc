#include "http/http_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "common/exception.h"
#include "exec/memory_tracker.h"
#include "http/catalog_api.h"
#include "http/console_assets.h"
#include "http/http_json.h"
#include "http/query_api.h"
#include "main/database_instance.h"

namespace basalt::http {

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json NodeJson(const NodeStatus& node, int64_t now) {
  json out = {{"name", node.name},
              {"roles", node.roles},
              {"address", node.address},
              {"rpc_port", node.rpc_port},
              {"sql_port", node.sql_port},
              {"http_port", node.http_port},
              {"health", node.healthy ? "healthy" : "failed"},
              {"cores", node.cores},
              {"memory_bytes", node.memory_bytes},
              {"last_heartbeat", nullptr},
              {"last_heartbeat_ms_ago", nullptr}};
  if (node.last_heartbeat_micros > 0) {
    out["last_heartbeat"] = IsoTime(node.last_heartbeat_micros);
    out["last_heartbeat_ms_ago"] = (now - node.last_heartbeat_micros) / 1000;
  }
  return out;
}

// A Prometheus label value: backslash, quote and newline escaped.
std::string Label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

}  // namespace

HttpServer::HttpServer(Database& db, HttpServerOptions options)
    : db_(db), options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

std::vector<NodeStatus> HttpServer::Nodes() const {
  if (options_.nodes) return options_.nodes();
  NodeStatus self;
  // A single node has no RPC port: it is named by its SQL port, or in an
  // embedded shell by its HTTP port.
  self.name = fmt::format("{}:{}", options_.listen_address,
                          options_.sql_port > 0 ? options_.sql_port : bound_port_);
  self.roles = {"coordinator", "executor", "statestore", "catalog"};
  self.address = options_.listen_address;
  self.sql_port = options_.sql_port;
  self.http_port = bound_port_;
  self.cores = db_.instance().scheduler().threads();
  self.memory_bytes = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) *
                      static_cast<uint64_t>(sysconf(_SC_PAGE_SIZE));
  self.last_heartbeat_micros = NowMicros();
  return {self};
}

std::string HttpServer::Metrics() const {
  const QueryRegistry::Totals totals = db_.instance().queries().totals();
  std::string out;
  auto header = [&](const char* name, const char* type, const char* help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  header("basalt_queries_total", "counter", "Queries that ended, by how they ended.");
  for (const char* state : {"finished", "failed", "cancelled"}) {
    auto it = totals.ended.find(state);
    out += fmt::format("basalt_queries_total{{state=\"{}\"}} {}\n", state,
                       it == totals.ended.end() ? 0 : it->second);
  }
  header("basalt_queries_running", "gauge", "Queries running now.");
  out += fmt::format("basalt_queries_running {}\n", totals.running);
  header("basalt_query_duration_seconds", "histogram", "Durations of the queries that ended.");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < QueryRegistry::kLatencyBuckets.size(); i++) {
    cumulative += totals.latency_buckets[i];
    out += fmt::format("basalt_query_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                       QueryRegistry::kLatencyBuckets[i], cumulative);
  }
  out += fmt::format("basalt_query_duration_seconds_bucket{{le=\"+Inf\"}} {}\n",
                     totals.latency_count);
  out += fmt::format("basalt_query_duration_seconds_sum {}\n", totals.latency_sum_seconds);
  out += fmt::format("basalt_query_duration_seconds_count {}\n", totals.latency_count);
  header("basalt_rows_scanned_total", "counter", "Rows the scans of ended queries returned.");
  out += fmt::format("basalt_rows_scanned_total {}\n", totals.rows_scanned);
  header("basalt_bytes_scanned_total", "counter", "Bytes the scans of ended queries returned.");
  out += fmt::format("basalt_bytes_scanned_total {}\n", totals.bytes_scanned);
  header("basalt_exchange_bytes_total", "counter",
         "Bytes ended queries sent between nodes (compressed).");
  out += fmt::format("basalt_exchange_bytes_total {}\n", totals.exchange_bytes);
  header("basalt_memory_in_use_bytes", "gauge", "What queries' operators hold in this process.");
  out += fmt::format("basalt_memory_in_use_bytes {}\n", QueryMemoryTracker::ProcessCurrent());
  header("basalt_memory_limit_bytes", "gauge",
         "The memory this node offers queries (0: no limit set).");
  out += fmt::format("basalt_memory_limit_bytes {}\n", options_.memory_limit_bytes);
  header("basalt_spill_bytes_total", "counter", "Bytes spilled to disk (Basalt does not spill yet).");
  out += "basalt_spill_bytes_total 0\n";
  AdmissionStatus admission;
  if (options_.admission) admission = options_.admission();
  header("basalt_admission_admitted_total", "counter", "Queries admission control admitted.");
  out += fmt::format("basalt_admission_admitted_total {}\n", admission.admitted);
  header("basalt_admission_queued", "gauge", "Queries waiting for admission now.");
  out += fmt::format("basalt_admission_queued {}\n", admission.queued);
  header("basalt_admission_rejected_total", "counter", "Queries admission control refused.");
  out += fmt::format("basalt_admission_rejected_total {}\n", admission.rejected);
  header("basalt_node_up", "gauge", "1 for a healthy node, 0 for a failed one.");
  for (const NodeStatus& node : Nodes()) {
    std::string roles;
    for (const auto& role : node.roles) roles += (roles.empty() ? "" : ",") + role;
    out += fmt::format("basalt_node_up{{node=\"{}\",roles=\"{}\"}} {}\n", Label(node.name),
                       Label(roles), node.healthy ? 1 : 0);
  }
  return out;
}

std::string HttpServer::Start() {
  server_ = std::make_unique<httplib::Server>();
  queries_ = std::make_unique<QueryApi>(db_);
  httplib::Server& server = *server_;
  server.set_payload_max_length(options_.max_body_bytes);
  // A POST without wait_ms holds its worker until the query ends, so the
  // pool is larger than the library's default (8): listing and cancelling
  // must still be answered while many queries wait.
  server.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  queries_->Register(server);
  RegisterCatalogRoutes(server, db_);
  server.Get("/api/v1/cluster/nodes", [this](const httplib::Request&, httplib::Response& r) {
    json nodes = json::array();
    const int64_t now = NowMicros();
    for (const NodeStatus& node : Nodes()) nodes.push_back(NodeJson(node, now));
    r.set_content(Dump({{"nodes", std::move(nodes)}}), "application/json");
  });
  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& r) {
    r.set_content(Metrics(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server.Get(R"(/[^/]*)", [](const httplib::Request& q, httplib::Response& r) {
    const ConsoleAsset* asset = FindConsoleAsset(q.path);
    if (asset == nullptr) {
      r.status = 404;
      r.set_content(Dump(ErrorJson(sqlstate::kUndefinedObject,
                                   fmt::format("no page \"{}\"", q.path))),
                    "application/json");
      return;
    }
    r.set_header("Cache-Control", "no-cache");
    r.set_content(std::string(asset->body), std::string(asset->content_type));
  });
  // Statuses the library sets itself (an unknown route 404, a body over the
  // limit 413, a bad request 400) get a JSON error like every other.
  server.set_error_handler([](const httplib::Request&, httplib::Response& r) {
    if (!r.body.empty()) return;
    std::string code = r.status == 413 ? sqlstate::kProgramLimitExceeded
                       : r.status == 404 ? sqlstate::kUndefinedObject
                                         : sqlstate::kProtocolViolation;
    std::string message = r.status == 413   ? "the request body is larger than the limit of 1 MiB"
                          : r.status == 404 ? "no such route"
                                            : fmt::format("bad request (HTTP {})", r.status);
    r.set_content(Dump(ErrorJson(code, message)), "application/json");
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& r, std::exception_ptr error) {
        std::string message = "internal error";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          message = std::string("internal error: ") + e.what();
        } catch (...) {
        }
        r.status = 500;
        r.set_content(Dump(ErrorJson(sqlstate::kInternalError, message)), "application/json");
      });
  if (options_.port == 0) {
    bound_port_ = server.bind_to_any_port(options_.listen_address);
  } else if (server.bind_to_port(options_.listen_address, options_.port)) {
    bound_port_ = options_.port;
  }
  if (bound_port_ <= 0) {
    bound_port_ = 0;
    queries_.reset();
    server_.reset();
    return fmt::format("cannot listen for HTTP on {}:{}", options_.listen_address, options_.port);
  }
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_returned_ = true;
  });
  // The library's stop() does nothing until its loop has started: a Stop()
  // right after Start() would leave the thread in accept() for ever.
  while (!server_->is_running() && !listen_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return "";
}

void HttpServer::Stop() {
  if (!server_) return;
  queries_->CancelAll();
  server_->stop();
  if (thread_.joinable()) thread_.join();
  queries_.reset();  // cancels and waits for REST queries still running
  server_.reset();
}

}  // namespace basalt::http
