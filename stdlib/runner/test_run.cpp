// RunTest: one test on its own thread with mocks and a deadline; see test_run.h.
#include "stdlib/runner/test_run.h"

#include <fmt/format.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "runtime/interp/interpreter.h"
#include "runtime/interp/mock_table.h"
#include "runtime/interp/tool_invoker.h"
#include "stdlib/builtins/builtins.h"

namespace orch::stdlib {
namespace {

/// How long a cancelled test may take to unwind before it is abandoned.
constexpr std::chrono::milliseconds kGrace{2000};

/// Collects `log` lines.
class LogCollector final : public interp::Observer {
 public:
  void OnLog(const std::string& text, compiler::Span) override {
    std::lock_guard lock(mutex_);
    logs_.push_back(text);
  }
  std::vector<std::string> Take() {
    std::lock_guard lock(mutex_);
    return std::move(logs_);
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> logs_;
};

/// Everything one test run owns; shared with its thread so an abandoned thread keeps it.
struct TestState {
  std::shared_ptr<const ir::Module> module;
  std::shared_ptr<const interp::NativeCode> native;
  LogCollector logs;
  interp::MockTable mocks;
  std::unique_ptr<interp::ToolInvoker> tools;
  std::unique_ptr<interp::Interpreter> interpreter;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  interp::RunResult result;
};

std::string FormatDuration(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return fmt::format("{}s", d.count() / 1000);
  return fmt::format("{}ms", d.count());
}

}  // namespace

TestOutcome RunTest(std::shared_ptr<const ir::Module> module, uint32_t index, std::chrono::milliseconds timeout,
                    std::shared_ptr<const interp::NativeCode> native) {
  TestOutcome outcome;
  auto started = std::chrono::steady_clock::now();
  auto state = std::make_shared<TestState>();
  state->module = std::move(module);
  state->native = std::move(native);
  // Tests start no server: the lookup refuses every name (calls never get this far,
  // ExecTool answers them from the mocks first).
  auto no_servers = [](const std::string& name) -> ErrorOr<std::shared_ptr<mcp::ToolServer>> {
    return MakeError("test", fmt::format("tests start no server (`{}`)", name));
  };
  state->tools = std::make_unique<interp::ToolInvoker>(no_servers, nullptr, nullptr, std::chrono::milliseconds(0));
  interp::InterpreterOptions options;
  options.native = state->native.get();
  state->interpreter =
      std::make_unique<interp::Interpreter>(*state->module, Builtins(), *state->tools, &state->logs, options);
  state->interpreter->UseMocks(&state->mocks);
  const ir::Function& fn = state->module->functions[index];
  if (auto loaded = state->interpreter->Load(); !loaded) {
    interp::RuntimeError e = interp::FromError(loaded.error(), fn.span);
    outcome.error = std::move(e);
    return outcome;
  }

  std::thread runner([state, index] {
    interp::RunResult result = state->interpreter->Run(index, {});
    std::lock_guard lock(state->mutex);
    state->result = std::move(result);
    state->done = true;
    state->finished.notify_all();
  });

  bool timed_out = false;
  {
    std::unique_lock lock(state->mutex);
    if (!state->finished.wait_for(lock, timeout, [&] { return state->done; })) {
      timed_out = true;
      state->interpreter->Cancel();
      state->finished.wait_for(lock, kGrace, [&] { return state->done; });
    }
  }
  bool unwound;
  {
    std::lock_guard lock(state->mutex);
    unwound = state->done;
  }
  if (unwound) {
    runner.join();
  } else {
    runner.detach();  // still running after cancellation: abandon it (it owns `state`)
  }
  outcome.elapsed = std::chrono::steady_clock::now() - started;
  outcome.logs = state->logs.Take();
  if (timed_out) {
    outcome.timed_out = true;
    std::string limit = FormatDuration(timeout);
    interp::RuntimeError e;
    e.kind = "timeout";
    e.diag = compiler::DiagKind::kTestTimedOut;
    e.diag_args = {limit};
    e.message = fmt::format("the test did not finish within {}", limit);
    e.span = fn.span;
    outcome.error = std::move(e);
    return outcome;
  }
  if (auto* error = std::get_if<interp::RuntimeError>(&state->result)) {
    outcome.error = std::move(*error);
    return outcome;
  }
  outcome.passed = true;
  return outcome;
}

}  // namespace orch::stdlib
