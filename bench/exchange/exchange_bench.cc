// Exchange throughput between two processes on loopback: one process sends
// TPC-H lineitem batches over DataStream streams (src/cluster/data_stream_*),
// the other receives them into a LocalExchange and a consumer thread drains
// it, as an executor's exchange receiver would.
//
//   basalt_exchange_bench [--sf 0.1] [--passes 5] [--streams 1] [--pin]
//
// --pin puts the receiver on CPU 0 and the sender on CPU 1. MB/s are the
// batches' serialized bytes (before LZ4) per second, and the bytes actually
// written to the socket.
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "cluster/data_stream_sender.h"
#include "cluster/data_stream_service.h"
#include "cluster/exchange_registry.h"
#include "common/data_chunk.h"
#include "exec/exchange/batch_serde.h"
#include "storage/csv_reader.h"
#include "tpch/tpch_generator.h"

namespace {

using basalt::DataChunk;
using basalt::LogicalType;
using basalt::TypeId;
using Clock = std::chrono::steady_clock;

std::vector<LogicalType> LineitemTypes() {
  const LogicalType money = LogicalType::Decimal(15, 2);
  return {TypeId::kBigint, TypeId::kInteger, TypeId::kInteger, TypeId::kInteger, money, money,
          money,           money,            TypeId::kVarchar, TypeId::kVarchar, TypeId::kDate,
          TypeId::kDate,   TypeId::kDate,    TypeId::kVarchar, TypeId::kVarchar, TypeId::kVarchar};
}

std::vector<DataChunk> LoadLineitem(double sf, const std::string& dir) {
  std::filesystem::create_directories(dir);
  basalt::TpchOptions tpch;
  tpch.scale_factor = sf;
  tpch.directory = dir;
  tpch.tables = {basalt::TpchTable::kLineitem};
  const auto generated = basalt::GenerateTpch(tpch);
  auto types = LineitemTypes();
  std::vector<std::string> names;
  for (size_t i = 0; i < types.size(); i++) names.push_back("c" + std::to_string(i));
  basalt::CsvOptions csv;
  csv.delimiter = '|';
  basalt::CsvReader reader(generated.at(0).path, csv, types, names);
  std::vector<DataChunk> chunks;
  while (true) {
    DataChunk chunk(types);
    if (!reader.ReadChunk(chunk)) break;
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

void Pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof(set), &set);
}

int RunSender(const std::vector<DataChunk>& chunks, int port, int passes, int streams) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                     grpc::InsecureChannelCredentials());
  std::vector<std::thread> threads;
  std::vector<basalt::cluster::DataStreamStats> stats(streams);
  for (int s = 0; s < streams; s++) {
    threads.emplace_back([&, s] {
      basalt::cluster::StreamHeader header;
      header.set_query_id("bench");
      header.set_exchange_id(0);
      header.set_sender_instance(s);
      basalt::cluster::DataStreamSender sender(channel, header);
      for (int p = 0; p < passes; p++) {
        for (size_t i = s; i < chunks.size(); i += streams) {
          DataChunk copy;
          copy.Reference(chunks[i]);
          sender.PushWait(0, copy);
        }
      }
      auto status = sender.Close();
      if (!status.ok()) std::fprintf(stderr, "sender: %s\n", status.error_message().c_str());
      stats[s] = sender.stats();
    });
  }
  for (auto& t : threads) t.join();
  uint64_t raw = 0, wire = 0;
  for (const auto& s : stats) {
    raw += s.raw_bytes;
    wire += s.wire_bytes;
  }
  std::printf("sent %.1f MB serialized, %.1f MB on the wire (LZ4 %.2fx)\n", raw / 1e6, wire / 1e6,
              double(raw) / double(wire));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  double sf = 0.1;
  int passes = 5;
  int streams = 1;
  bool pin = false;
  for (int i = 1; i < argc; i++) {
    std::string arg = argv[i];
    if (arg == "--sf" && i + 1 < argc) sf = std::atof(argv[++i]);
    else if (arg == "--passes" && i + 1 < argc) passes = std::atoi(argv[++i]);
    else if (arg == "--streams" && i + 1 < argc) streams = std::atoi(argv[++i]);
    else if (arg == "--pin") pin = true;
    else {
      std::fprintf(stderr, "usage: basalt_exchange_bench [--sf 0.1] [--passes 5] [--streams 1] [--pin]\n");
      return 2;
    }
  }
  const std::string dir = "/tmp/basalt_exchange_bench";
  auto chunks = LoadLineitem(sf, dir);
  uint64_t rows = 0;
  for (const auto& c : chunks) rows += c.size();
  std::printf("lineitem SF %g: %llu rows in %zu batches, %d passes, %d stream(s)%s\n", sf,
              (unsigned long long)rows, chunks.size(), passes, streams, pin ? ", pinned" : "");

  // gRPC must not be initialized before fork: each process starts its own.
  int port_pipe[2];
  if (pipe(port_pipe) != 0) return 1;
  pid_t child = fork();
  if (child == 0) {
    if (pin) Pin(1);
    int port = 0;
    if (read(port_pipe[0], &port, sizeof(port)) != sizeof(port)) _exit(1);
    int code = RunSender(chunks, port, passes, streams);
    std::fflush(stdout);
    _exit(code);
  }
  if (pin) Pin(0);
  basalt::cluster::ExchangeRegistry registry;
  basalt::cluster::DataStreamService service(registry, std::chrono::seconds(10));
  auto exchange = std::make_shared<basalt::LocalExchange>(streams, 1, 8);
  registry.Register("bench", 0, {exchange, LineitemTypes()});
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  if (write(port_pipe[1], &port, sizeof(port)) != sizeof(port)) return 1;

  // The clock starts at the first batch, so the sender's setup is not counted.
  DataChunk chunk;
  uint64_t received = 0;
  Clock::time_point start;
  bool first = true;
  while (exchange->PopWait(0, chunk) == basalt::PopResult::kData) {
    if (first) {
      start = Clock::now();
      first = false;
    }
    received += chunk.size();
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  int status = 0;
  waitpid(child, &status, 0);
  server->Shutdown();
  std::fflush(stdout);
  basalt::SerializedBatch probe;
  uint64_t raw_per_pass = 0;
  for (const auto& c : chunks) {
    basalt::SerializeBatch(c, &probe);
    raw_per_pass += probe.raw_size;
  }
  const double raw_mb = double(raw_per_pass) * passes / 1e6;
  std::printf("received %llu rows (%s) in %.3f s: %.0f MB/s serialized, %.1f M rows/s\n",
              (unsigned long long)received,
              received == rows * uint64_t(passes) ? "all" : "MISSING ROWS", seconds,
              raw_mb / seconds, double(received) / seconds / 1e6);
  return received == rows * uint64_t(passes) && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
