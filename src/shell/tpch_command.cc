#include "shell/tpch_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "common/exception.h"
#include "shell/shell_options.h"
#include "tpch/tpch_generator.h"

namespace basalt {

namespace {

constexpr const char* kUsage =
    "usage: basalt tpch generate --sf SF --dir DIR [--format tbl|csv] [--threads N] "
    "[--tables LIST]\n";

// CLI11's own range checks print the whole range of a double; these say what is expected.
CLI::Validator PositiveNumber() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
            value <= 0) {
          return "expected a number greater than 0, got " + text;
        }
        return "";
      },
      "");
}

CLI::Validator WholeNumber() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int value = -1;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || value < 0) {
          return "expected a whole number >= 0, got " + text;
        }
        return "";
      },
      "");
}

}  // namespace

int RunTpchCommand(int argc, const char* const* argv) {
  CLI::App app{"basalt tpch: TPC-H tools.", "basalt tpch"};
  app.require_subcommand(1);
  CLI::App* generate = app.add_subcommand(
      "generate", "Write the eight TPC-H tables at a scale factor (see bench/tpch/README.md)");

  TpchOptions options;
  std::string format = "tbl";
  std::vector<std::string> tables;
  generate->add_option("--sf", options.scale_factor, "Scale factor, > 0 (0.01 is about 10 MB)")
      ->required()
      ->type_name("SF")
      ->check(PositiveNumber());
  generate->add_option("--dir", options.directory, "Output directory (created when missing)")
      ->required()
      ->type_name("DIR");
  generate->add_option("--format", format, "tbl: dbgen's '|' files; csv: with a header")
      ->check(CLI::IsMember({"tbl", "csv"}));
  generate->add_option("--threads", options.threads, "Generator threads (0: one per core)")
      ->type_name("N")
      ->check(WholeNumber());
  generate->add_option("--tables", tables, "Only these tables, comma-separated (default: all)")
      ->delimiter(',')
      ->type_name("LIST")
      ->check(CLI::Validator(
          [](std::string& name) -> std::string {
            return ParseTpchTable(name) ? "" : "unknown TPC-H table " + name;
          },
          ""));

  try {
    // Parses from "tpch" on, so usage reads "basalt tpch generate ...".
    app.parse(argc - 1, argv + 1);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::cerr << fmt::format("basalt tpch: {}\n{}", e.what(), kUsage);
    return kExitUsage;
  }
  options.format = format == "csv" ? TpchFormat::kCsv : TpchFormat::kTbl;
  for (const std::string& name : tables) options.tables.push_back(*ParseTpchTable(name));

  auto start = std::chrono::steady_clock::now();
  std::vector<TpchTableResult> results;
  try {
    results = GenerateTpch(options);
  } catch (const BasaltError& e) {
    std::cerr << fmt::format("ERROR:  {}\n", e.what());
    return std::strcmp(e.code(), sqlstate::kInvalidParameterValue) == 0 ? kExitUsage
                                                                        : kExitStatementFailed;
  } catch (const std::exception& e) {
    std::cerr << fmt::format("ERROR:  {}\n", e.what());
    return kExitStatementFailed;
  }
  std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;

  int64_t total = 0;
  for (const TpchTableResult& result : results) {
    std::cerr << fmt::format("{:<9} {:>12} rows  {}\n", TpchTableName(result.table), result.rows,
                             result.path);
    total += result.rows;
  }
  std::cerr << fmt::format("TPC-H SF {}: {} rows in {:.2f} s\n", options.scale_factor, total,
                           seconds.count());
  return kExitSuccess;
}

}  // namespace basalt
