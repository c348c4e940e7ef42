// Benchmark (a) baseline: n direct C++ calls of the `std` server's echo tool, the function
// a workflow's `std.echo(…)` step ends up calling, done as a C++ user of the library would:
// build the arguments once, call the tool, read the text of its result. Everything the
// interpreter adds on top (argument records per step, policies, the observer, turning the
// CallToolResult into the language's ToolResult) is the overhead being measured, so none
// of it is in the baseline. Prints nanoseconds per call.
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "stdlib/std_server/std_server.h"

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  auto server = orch::stdlib::MakeStdServer({});
  orch::mcp::CallOptions options;
  orch::Value args(orch::Record{{"message", orch::Value("ping")}});
  size_t checksum = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    auto raw = server->CallTool("echo", args, options);
    if (!raw) return 1;
    checksum += raw->Get("content").as_list().at(0).Get("text").as_string().size();
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  double ns = std::chrono::duration<double, std::nano>(elapsed).count() / n;
  std::printf("%.1f\n", ns);
  return checksum == static_cast<size_t>(n) * 4 ? 0 : 1;
}
