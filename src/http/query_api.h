// The query routes of the REST API (docs/http_api.md, "Queries"):
// POST /api/v1/query, GET /api/v1/queries[/{id}[/rows]], DELETE
// /api/v1/queries/{id}.
//
// A POSTed text runs on its own thread in a fresh Connection (client
// "http"), so the request can answer after `wait_ms` while the query goes
// on; its statements are registered in the QueryRegistry like any other
// client's, which is where the list, status and cancel routes look. Result
// rows are kept for the last kKeptResults REST queries (at most
// kKeptBytes in all) so that clients can page through them.
//
// Thread safety: handlers run on cpp-httplib's worker threads; mutex_
// guards runs_ and results_.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "main/database.h"

namespace basalt::http {

class QueryApi {
 public:
  static constexpr size_t kKeptResults = 100;
  static constexpr uint64_t kKeptBytes = 256ull << 20;
  static constexpr int64_t kDefaultPageSize = 1000;
  static constexpr int64_t kMaxPageSize = 100000;

  explicit QueryApi(Database& db) : db_(db) {}
  // Cancels the queries still running and waits for their threads.
  ~QueryApi();

  void Register(httplib::Server& server);
  // Cancels every running REST query and refuses new ones, so that handlers
  // waiting for them return (before the server stops its threads).
  void CancelAll();

 private:
  // One POSTed text, run on its own thread.
  struct Run {
    explicit Run(Database& db) : connection(db) {}
    Connection connection;
    std::mutex mutex;  // guards done and result
    std::condition_variable done_cv;
    bool done = false;
    std::shared_ptr<const QueryResult> result;  // the last statement's, or the first error
  };
  // Rows of a finished query, shared by every id of its run.
  struct Kept {
    std::shared_ptr<const QueryResult> result;
    uint64_t bytes = 0;
  };

  void PostQuery(const httplib::Request& request, httplib::Response& response);
  void GetQueries(const httplib::Request& request, httplib::Response& response);
  void GetQuery(const httplib::Request& request, httplib::Response& response);
  void GetRows(const httplib::Request& request, httplib::Response& response);
  void DeleteQuery(const httplib::Request& request, httplib::Response& response);

  // Runs `run` on this thread to its end, then keeps its rows.
  void Execute(const std::shared_ptr<Run>& run, std::string sql);
  void Keep(const std::vector<std::string>& ids, std::shared_ptr<const QueryResult> result);
  std::shared_ptr<const QueryResult> FindKept(const std::string& id) const;

  Database& db_;
  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable idle_cv_;
  std::vector<std::shared_ptr<Run>> runs_;  // running now
  bool stopping_ = false;
  std::map<std::string, Kept> results_;
  std::deque<std::string> result_order_;  // oldest first, one per kept run
  uint64_t kept_bytes_ = 0;
};

}  // namespace basalt::http
