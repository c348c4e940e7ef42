// orch_mcp_bench: measures orchestrator's MCP client over stdio against one server:
// cold start to the first result, sequential latency over N calls (median, p99),
// throughput with K calls in flight, and this process's CPU time per call (user + system,
// from getrusage; the server's CPU is not counted). With --pipe it instead measures a bare
// pipe round trip: one JSON-RPC-sized line written to the child and read back (use `cat`),
// the floor any stdio client pays. Prints one JSON object. See bench/mcp/run.py.
//   orch_mcp_bench [--calls N] [--inflight K] [--batches B] [--pipe] -- COMMAND ARGS...
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/mcp/client.h"
#include "runtime/mcp/tool_result.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double CpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

double Percentile(std::vector<double> sorted, double p) {
  std::sort(sorted.begin(), sorted.end());
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

/// Round trips of one line through a child that echoes its input (e.g. `cat`).
int BarePipe(const std::vector<std::string>& command, int calls) {
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0) return 1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, in[1]);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<char*> argv;
  for (const auto& s : command) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) return 1;
  close(in[0]);
  close(out[1]);
  std::string line = R"({"jsonrpc":"2.0","id":12345,"method":"tools/call","params":{"name":"echo","arguments":{"message":"m1234"}}})";
  line += '\n';
  std::vector<double> latencies;
  char buffer[4096];
  for (int i = 0; i < calls; ++i) {
    auto t = Clock::now();
    if (write(in[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) return 1;
    size_t got = 0;
    while (got < line.size()) {
      ssize_t n = read(out[0], buffer, sizeof buffer);
      if (n <= 0) return 1;
      got += static_cast<size_t>(n);
    }
    latencies.push_back(Ms(Clock::now() - t));
  }
  close(in[1]);
  waitpid(pid, nullptr, 0);
  std::cout << fmt::format(R"({{"client":"bare-pipe","sequential_median_ms":{:.4f},"sequential_p99_ms":{:.4f}}})",
                           Percentile(latencies, 0.5), Percentile(latencies, 0.99))
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int calls = 2000, inflight = 64, batches = 20;
  bool pipe_only = false;
  std::vector<std::string> command;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      command.assign(argv + i + 1, argv + argc);
      break;
    }
    if (arg == "--pipe") pipe_only = true;
    else if (arg == "--calls" && i + 1 < argc) calls = std::stoi(argv[++i]);
    else if (arg == "--inflight" && i + 1 < argc) inflight = std::stoi(argv[++i]);
    else if (arg == "--batches" && i + 1 < argc) batches = std::stoi(argv[++i]);
    else {
      std::cerr << "usage: orch_mcp_bench [--calls N] [--inflight K] [--batches B] [--pipe] -- COMMAND ARGS...\n";
      return 2;
    }
  }
  if (command.empty()) {
    std::cerr << "error: no server command after `--`\n";
    return 2;
  }
  if (pipe_only) return BarePipe(command, calls);

  orch::config::ServerConfig server;
  server.name = "bench";
  server.command = command[0];
  server.args.assign(command.begin() + 1, command.end());
  orch::mcp::ClientOptions options;
  options.log_dir = "";
  options.default_timeout = std::chrono::seconds(60);

  auto cold_start = Clock::now();
  orch::mcp::Client client(server, options);
  auto echo = [&](const std::string& message) {
    orch::Record args{{"message", message}};
    auto result = client.CallTool("echo", orch::Value(std::move(args)), {});
    if (!result.ok()) {
      std::cerr << "error: " << result.error().message << "\n";
      std::exit(3);
    }
  };
  echo("first");
  double cold_ms = Ms(Clock::now() - cold_start);

  std::vector<double> latencies;
  latencies.reserve(calls);
  double cpu = CpuMs();
  for (int i = 0; i < calls; ++i) {
    auto t = Clock::now();
    echo("m" + std::to_string(i));
    latencies.push_back(Ms(Clock::now() - t));
  }
  double sequential_cpu = (CpuMs() - cpu) / calls;

  // K client threads, each with one call outstanding at a time: K calls in flight.
  int total = inflight * batches;
  std::atomic<int> next{0};
  cpu = CpuMs();
  auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < inflight; ++w) {
    workers.emplace_back([&] {
      for (int i = next++; i < total; i = next++) echo("p" + std::to_string(i));
    });
  }
  for (auto& w : workers) w.join();
  double elapsed = Ms(Clock::now() - start);
  double parallel_cpu = (CpuMs() - cpu) / total;
  client.Close();

  std::cout << fmt::format(
                   R"({{"client":"orchestrator","cold_start_ms":{:.3f},"sequential_median_ms":{:.4f},)"
                   R"("sequential_p99_ms":{:.4f},"sequential_cpu_us_per_call":{:.2f},)"
                   R"("throughput_calls_per_s":{:.1f},"parallel_cpu_us_per_call":{:.2f}}})",
                   cold_ms, Percentile(latencies, 0.5), Percentile(latencies, 0.99), sequential_cpu * 1000,
                   total / (elapsed / 1000), parallel_cpu * 1000)
            << "\n";
  return 0;
}
