// Benchmark (a) baseline: n direct C++ calls of the `std` server's echo tool (the same
// function a workflow's `std.echo(…)` step ends up calling), converted to the language
// value as the interpreter does. Prints nanoseconds per call.
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "runtime/interp/tool_invoker.h"
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
    auto value = orch::interp::ToolInvoker::ToLanguageValue(*raw, false, "std.echo");
    checksum += value->Get("text").as_string().size();
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  double ns = std::chrono::duration<double, std::nano>(elapsed).count() / n;
  std::printf("%.1f\n", ns);
  return checksum == static_cast<size_t>(n) * 4 ? 0 : 1;
}
