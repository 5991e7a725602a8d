// basalt_tpch_runner: loads a database once and times SQL files against it,
// in-process, for bench/tpch/run.sh and the tests/tpch answer test.
//
//   basalt_tpch_runner --threads N --setup schema.sql --setup load.sql
//                      --runs R --out DIR q01.sql q02.sql ...
//
// For each query file it runs the whole file --warmup times (default 1),
// keeps the rows of the first run, then runs it --runs more times and times
// each run with std::chrono (the statements only: the rows are materialized
// in a QueryResult, as a client would receive them, but not formatted). A
// file may hold several statements (Q15 creates, queries and drops a view);
// its rows are those of the last statement that returns rows.
//
// With --data-dir DIR the tables are managed (segments in DIR, which is
// emptied first); the database is then closed and opened again after the
// load, so the queries read what a restart finds on disk.
//
// One process rather than the shell: the shell stops a script at its first
// failing statement, and loading SF 1 once per query would cost more than the
// queries. A failing query is recorded and the runner goes on to the next.
//
// Output, in DIR:
//   <stem>.csv   the rows, RFC 4180, LF line ends; the header's fields are
//                `name:TYPE`; NULL is an empty field, the empty string "".
//   timings.tsv  one line per query, appended and flushed as each finishes:
//                stem TAB status TAB ms,ms,... TAB rows TAB message
//                status is `ok`, `error:<SQLSTATE>` or `timeout`; the first
//                line is `@load` for the setup files.
// If a run exceeds --timeout-s the runner records `timeout` and exits with
// status 3 (a query cannot be cancelled yet), so the caller can start a new
// runner for the queries left. A crash leaves the query without a line.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common/exception.h"
#include "main/database.h"
#include "shell/remote_session.h"
#include "shell/session.h"
#include "shell/statement_splitter.h"

namespace basalt {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  int threads = 0;
  int warmup = 1;
  int runs = 5;
  double timeout_s = 0;  // 0 = none
  std::vector<std::string> setup_files;
  std::vector<std::string> query_files;
  std::string out_dir;
  std::string data_dir;  // empty: in memory
  // With a host: the statements run on that server (a cluster's coordinator)
  // through the PostgreSQL protocol instead of an embedded database.
  std::string host;
  int port = 5433;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Keeps messages on one TSV line.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

void WriteCsvField(std::ostream& out, const std::string& field) {
  if (!field.empty() && field.find_first_of(",\"\r\n") == std::string::npos) {
    out << field;
    return;
  }
  out << '"';
  for (char c : field) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

void WriteCsv(const QueryResult& result, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const size_t columns = result.column_names.size();
  for (size_t c = 0; c < columns; ++c) {
    if (c > 0) out << ',';
    WriteCsvField(out, result.column_names[c] + ":" + result.column_types[c].ToString());
  }
  out << '\n';
  for (const DataChunk& chunk : result.chunks) {
    for (idx_t r = 0; r < chunk.size(); ++r) {
      for (size_t c = 0; c < columns; ++c) {
        if (c > 0) out << ',';
        Value value = chunk.GetValue(c, r);
        if (!value.IsNull()) WriteCsvField(out, value.ToString());
      }
      out << '\n';
    }
  }
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", path));
}

// Runs every statement of `sql`; on success returns the last result that
// returns rows (or the last result).
QueryResult RunScript(Session& session, const std::string& sql) {
  StatementSplitter splitter;
  splitter.Append(sql);
  QueryResult last;
  QueryResult last_rows;
  bool have_rows = false;
  auto run = [&](const std::string& statement) {
    QueryResult result = session.Run(statement);
    if (!result.ok) {
      last = std::move(result);
      return false;
    }
    if (result.returns_rows) {
      last_rows = std::move(result);
      have_rows = true;
    } else {
      last = std::move(result);
    }
    return true;
  };
  while (auto statement = splitter.Next()) {
    if (!run(statement->text)) return last;
  }
  if (auto rest = splitter.Finish()) {
    if (!run(rest->text)) return last;
  }
  return have_rows ? std::move(last_rows) : std::move(last);
}

// Ends the process when one run takes longer than the limit: the engine has
// no cancellation yet, and the caller restarts a runner for the rest.
class Watchdog {
 public:
  Watchdog(double limit_s, std::ofstream& timings) : limit_s_(limit_s), timings_(timings) {
    if (limit_s_ > 0) thread_ = std::thread([this] { Loop(); });
  }
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  void Start(const std::string& name) {
    std::lock_guard lock(mu_);
    name_ = name;
    deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(limit_s_));
    armed_ = true;
    cv_.notify_all();
  }
  void Stop() {
    std::lock_guard lock(mu_);
    armed_ = false;
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      if (!armed_) {
        cv_.wait(lock);
        continue;
      }
      if (cv_.wait_until(lock, deadline_) == std::cv_status::timeout && armed_ &&
          Clock::now() >= deadline_) {
        timings_ << name_ << "\ttimeout\t\t\tno result after " << limit_s_ << " s\n";
        timings_.flush();
        std::cerr << fmt::format("{}: timeout after {} s\n", name_, limit_s_);
        std::_Exit(3);
      }
    }
  }

  // mu_ guards every member below; the timings stream is only written by the
  // watchdog while a run is armed, when the main thread is inside the engine.
  std::mutex mu_;
  std::condition_variable cv_;
  double limit_s_;
  std::ofstream& timings_;
  std::string name_;
  Clock::time_point deadline_;
  bool armed_ = false;
  bool stop_ = false;
  std::thread thread_;
};

double Milliseconds(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

int Run(const Options& options) {
  fs::create_directories(options.out_dir);
  std::ofstream timings(fs::path(options.out_dir) / "timings.tsv", std::ios::app);
  if (!timings) {
    std::cerr << "cannot write " << options.out_dir << "/timings.tsv\n";
    return 2;
  }
  // Read every file first so a typo fails before the load.
  std::vector<std::string> setup_sql;
  for (const auto& f : options.setup_files) setup_sql.push_back(ReadFile(f));
  std::vector<std::string> query_sql;
  for (const auto& f : options.query_files) query_sql.push_back(ReadFile(f));

  DatabaseOptions db_options;
  db_options.threads = options.threads;
  if (!options.data_dir.empty()) {
    fs::remove_all(options.data_dir);
    db_options.data_dir = options.data_dir;
  }
  std::unique_ptr<Database> db;
  std::unique_ptr<Connection> connection_owner;
  std::unique_ptr<Session> session;
  auto open = [&] {
    if (!options.host.empty()) {
      RemoteOptions remote;
      remote.host = options.host;
      remote.port = options.port;
      std::string error;
      session = RemoteSession::Connect(remote, &error);
      if (!session) throw std::runtime_error("cannot connect: " + error);
      return;
    }
    db = std::make_unique<Database>(db_options);
    connection_owner = std::make_unique<Connection>(*db);
    session = std::make_unique<EmbeddedSession>(*connection_owner, "embedded");
  };
  open();

  auto load_start = Clock::now();
  for (size_t i = 0; i < setup_sql.size(); ++i) {
    QueryResult result = RunScript(*session, setup_sql[i]);
    if (!result.ok) {
      std::string message = fmt::format("{}: {} (SQLSTATE {})", options.setup_files[i],
                                        result.error_message, result.error_code);
      timings << "@load\terror:" << result.error_code << "\t\t\t" << OneLine(message) << "\n";
      std::cerr << "load failed: " << message << "\n";
      return 2;
    }
  }
  double load_ms = Milliseconds(Clock::now() - load_start);
  if (!options.data_dir.empty() && options.host.empty()) {
    session.reset();
    connection_owner.reset();
    db.reset();  // lets go of the directory's lock first
    open();
  }
  timings << "@load\tok\t" << fmt::format("{:.3f}", load_ms) << "\t\t\n";
  timings.flush();
  std::cerr << fmt::format("loaded in {:.0f} ms\n", load_ms);

  Watchdog watchdog(options.timeout_s, timings);
  for (size_t q = 0; q < query_sql.size(); ++q) {
    const std::string name = fs::path(options.query_files[q]).stem().string();
    std::vector<double> times;
    QueryResult kept;
    bool failed = false;
    for (int run = 0; run < options.warmup + options.runs; ++run) {
      watchdog.Start(name);
      auto start = Clock::now();
      QueryResult result = RunScript(*session, query_sql[q]);
      double ms = Milliseconds(Clock::now() - start);
      watchdog.Stop();
      if (!result.ok) {
        timings << name << "\terror:" << result.error_code << "\t\t\t"
                << OneLine(result.error_message) << "\n";
        std::cerr << fmt::format("{}: ERROR {} (SQLSTATE {})\n", name,
                                 OneLine(result.error_message), result.error_code);
        failed = true;
        break;
      }
      if (run == 0) {
        kept = std::move(result);
      }
      if (run >= options.warmup) times.push_back(ms);
    }
    if (failed) {
      timings.flush();
      continue;
    }
    WriteCsv(kept, (fs::path(options.out_dir) / (name + ".csv")).string());
    std::string list;
    for (double t : times) list += (list.empty() ? "" : ",") + fmt::format("{:.3f}", t);
    timings << name << "\tok\t" << list << "\t" << kept.RowCount() << "\t\n";
    timings.flush();
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    std::cerr << fmt::format("{}: {} rows", name, kept.RowCount());
    if (!sorted.empty()) std::cerr << fmt::format(", median {:.1f} ms", sorted[sorted.size() / 2]);
    std::cerr << "\n";
  }
  return 0;
}

}  // namespace
}  // namespace basalt

int main(int argc, char** argv) {
  basalt::Options options;
  CLI::App app{"Loads a database once and times SQL files against it (TPC-H harness)."};
  app.add_option("--threads", options.threads, "worker threads; 0 = one per core");
  app.add_option("--host", options.host, "run on this server (PostgreSQL protocol) instead");
  app.add_option("--port", options.port, "the server's port (default 5433)");
  app.add_option("--data-dir", options.data_dir,
                 "managed tables in this directory (emptied first; reopened after the load)");
  app.add_option("--setup", options.setup_files, "SQL file run once before the queries")
      ->check(CLI::ExistingFile);
  app.add_option("--warmup", options.warmup, "untimed runs per query (the rows kept are the first run's)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--runs", options.runs, "timed runs per query")->check(CLI::Range(0, 1000));
  app.add_option("--timeout-s", options.timeout_s, "end the process when one run takes longer");
  app.add_option("--out", options.out_dir, "directory for <query>.csv and timings.tsv")->required();
  app.add_option("queries", options.query_files, "query files, run in this order")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  try {
    return basalt::Run(options);
  } catch (const std::exception& e) {
    std::cerr << "basalt_tpch_runner: " << e.what() << "\n";
    return 2;
  }
}
