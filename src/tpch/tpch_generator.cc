#include "tpch/tpch_generator.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "common/exception.h"
#include "tpch/ordered_file_writer.h"
#include "tpch/tpch_row_writer.h"
#include "tpch/tpch_tables.h"

namespace basalt {

namespace {

using tpch::OrderedFileWriter;
using tpch::TableContext;

// The specification defines scale factors up to 100,000.
constexpr double kMaxScaleFactor = 100000;

// What drives a job's rows: orders make two tables at once, partsupp rows
// come four to a part.
enum class Driver { kNation, kRegion, kSupplier, kCustomer, kPart, kPartsupp, kOrders };

struct Job {
  Driver driver;
  int64_t driving_rows;    // nations, parts, orders, ...
  int64_t chunk_rows;      // driving rows per chunk
  size_t bytes_per_chunk;  // initial buffer size, to avoid regrowing
  // One writer per table the job makes; null when that table was not asked for.
  OrderedFileWriter* first = nullptr;   // the driving table's file (orders for kOrders)
  OrderedFileWriter* second = nullptr;  // lineitem for kOrders
  TpchTable first_table;
  TpchTable second_table = TpchTable::kLineitem;

  int64_t chunks() const { return (driving_rows + chunk_rows - 1) / chunk_rows; }
};

struct Unit {
  size_t job;
  int64_t chunk;
};

// Shared by the worker threads. error_mutex guards error; the counters are atomic.
struct RunState {
  std::atomic<size_t> next_unit{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  std::array<std::atomic<int64_t>, kAllTpchTables.size()> rows{};
};

void CheckOptions(const TpchOptions& options) {
  double sf = options.scale_factor;
  if (!std::isfinite(sf) || sf <= 0 || sf > kMaxScaleFactor) {
    ThrowError(sqlstate::kInvalidParameterValue,
               "scale factor must be greater than 0 and at most {}, got {}", kMaxScaleFactor, sf);
  }
  if (options.threads < 0) {
    ThrowError(sqlstate::kInvalidParameterValue,
               "thread count must be 0 (one per core) or more, got {}", options.threads);
  }
  if (options.directory.empty()) {
    ThrowError(sqlstate::kInvalidParameterValue, "an output directory is required");
  }
}

void MakeDirectory(const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    ThrowError(sqlstate::kIoError, "could not create directory \"{}\": {}", directory,
               error.message());
  }
  if (!std::filesystem::is_directory(directory, error)) {
    ThrowError(sqlstate::kIoError, "\"{}\" is not a directory", directory);
  }
}

size_t TableIndex(TpchTable table) { return static_cast<size_t>(table); }

// Generates one chunk of a job and hands it to the job's writers.
void RunUnit(const TableContext& context, const Job& job, int64_t chunk, RunState& state) {
  if (job.first != nullptr && !job.first->WaitForTurn(chunk)) return;
  if (job.second != nullptr && !job.second->WaitForTurn(chunk)) return;
  const int64_t begin = chunk * job.chunk_rows;
  const int64_t end = std::min(job.driving_rows, begin + job.chunk_rows);

  std::string first_text;
  std::string second_text;
  first_text.reserve(job.bytes_per_chunk);
  if (chunk == 0) tpch::RowWriter::Header(context.format, job.first_table, &first_text);
  int64_t first_rows = 0;
  int64_t second_rows = 0;
  switch (job.driver) {
    case Driver::kNation:
      first_rows = GenerateNation(context, begin, end, &first_text);
      break;
    case Driver::kRegion:
      first_rows = GenerateRegion(context, begin, end, &first_text);
      break;
    case Driver::kSupplier:
      first_rows = GenerateSupplier(context, begin, end, &first_text);
      break;
    case Driver::kCustomer:
      first_rows = GenerateCustomer(context, begin, end, &first_text);
      break;
    case Driver::kPart:
      first_rows = GeneratePart(context, begin, end, &first_text);
      break;
    case Driver::kPartsupp:
      first_rows = GeneratePartsupp(context, begin, end, &first_text);
      break;
    case Driver::kOrders: {
      if (job.second != nullptr) {
        second_text.reserve(job.bytes_per_chunk * 4);
        if (chunk == 0) tpch::RowWriter::Header(context.format, job.second_table, &second_text);
      }
      tpch::OrderRows rows = GenerateOrdersAndLineitems(
          context, begin, end, job.first != nullptr ? &first_text : nullptr,
          job.second != nullptr ? &second_text : nullptr);
      first_rows = rows.orders;
      second_rows = rows.lineitems;
      break;
    }
  }
  if (job.first != nullptr) {
    job.first->Submit(chunk, std::move(first_text));
    state.rows[TableIndex(job.first_table)] += first_rows;
  }
  if (job.second != nullptr) {
    job.second->Submit(chunk, std::move(second_text));
    state.rows[TableIndex(job.second_table)] += second_rows;
  }
}

}  // namespace

std::vector<TpchTableResult> GenerateTpch(const TpchOptions& options) {
  CheckOptions(options);
  std::vector<TpchTable> wanted = options.tables;
  if (wanted.empty()) wanted.assign(kAllTpchTables.begin(), kAllTpchTables.end());
  auto wants = [&wanted](TpchTable table) {
    return std::find(wanted.begin(), wanted.end(), table) != wanted.end();
  };
  MakeDirectory(options.directory);

  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(threads, 1);
  const int64_t window = 2 * threads + 2;
  const std::string extension = options.format == TpchFormat::kCsv ? ".csv" : ".tbl";

  // Files are created before any thread starts, so a bad path fails at once.
  std::array<std::unique_ptr<OrderedFileWriter>, kAllTpchTables.size()> writers;
  for (TpchTable table : kAllTpchTables) {
    if (!wants(table)) continue;
    std::filesystem::path path =
        std::filesystem::path(options.directory) / (std::string(TpchTableName(table)) + extension);
    writers[TableIndex(table)] = std::make_unique<OrderedFileWriter>(path.string(), window);
  }
  auto writer = [&writers](TpchTable table) { return writers[TableIndex(table)].get(); };

  const tpch::TpchScale scale(options.scale_factor);
  const tpch::TextPool& text = tpch::TextPool::Default();
  const tpch::SupplierComments supplier_comments =
      wants(TpchTable::kSupplier) ? tpch::ChooseSupplierComments(scale) : tpch::SupplierComments{};
  const TableContext context{scale, text, supplier_comments, options.format};

  // Largest jobs first, so the small ones fill the gaps at the end.
  std::vector<Job> jobs;
  auto add_job = [&](Driver driver, TpchTable table, int64_t rows, int64_t chunk_rows,
                     size_t bytes_per_row) {
    if (writer(table) == nullptr) return;
    jobs.push_back({driver, rows, chunk_rows, static_cast<size_t>(chunk_rows) * bytes_per_row,
                    writer(table), nullptr, table});
  };
  if (wants(TpchTable::kOrders) || wants(TpchTable::kLineitem)) {
    jobs.push_back({Driver::kOrders, scale.orders, 10000, 10000 * 140, writer(TpchTable::kOrders),
                    writer(TpchTable::kLineitem), TpchTable::kOrders});
  }
  add_job(Driver::kPartsupp, TpchTable::kPartsupp, scale.parts, 5000, 4 * 170);
  add_job(Driver::kPart, TpchTable::kPart, scale.parts, 20000, 160);
  add_job(Driver::kCustomer, TpchTable::kCustomer, scale.customers, 20000, 200);
  add_job(Driver::kSupplier, TpchTable::kSupplier, scale.suppliers, 20000, 180);
  add_job(Driver::kNation, TpchTable::kNation, 25, 25, 140);
  add_job(Driver::kRegion, TpchTable::kRegion, 5, 5, 140);

  std::vector<Unit> units;
  for (size_t job = 0; job < jobs.size(); ++job) {
    for (int64_t chunk = 0; chunk < jobs[job].chunks(); ++chunk) units.push_back({job, chunk});
  }

  RunState state;
  auto work = [&]() {
    while (!state.failed.load()) {
      size_t unit = state.next_unit.fetch_add(1);
      if (unit >= units.size()) return;
      try {
        RunUnit(context, jobs[units[unit].job], units[unit].chunk, state);
      } catch (...) {
        {
          std::lock_guard lock(state.error_mutex);
          if (!state.error) state.error = std::current_exception();
        }
        state.failed = true;
        for (auto& file : writers) {
          if (file != nullptr) file->Abort();
        }
        return;
      }
    }
  };
  std::vector<std::thread> workers;
  const auto thread_count = std::min<size_t>(static_cast<size_t>(threads), units.size());
  for (size_t i = 1; i < thread_count; ++i) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  if (state.error) std::rethrow_exception(state.error);

  std::vector<TpchTableResult> results;
  for (TpchTable table : kAllTpchTables) {
    if (writer(table) == nullptr) continue;
    writer(table)->Close();
    results.push_back({table, state.rows[TableIndex(table)].load(), writer(table)->path()});
  }
  return results;
}

}  // namespace basalt
