// WorkflowProvider with a stand-in program (no compiler, no servers): argument checks
// before anything runs, result rendering (text, structuredContent, wrapping), failures as
// isError results, progress and logs forwarded from the observer, cancellation reaching
// the run, and tool list change notifications on Replace.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "runtime/interp/runtime_error.h"
#include "runtime/serve/workflow_provider.h"
#include "runtime/value/json.h"

using namespace orch;
using orch::serve::ServedProgram;
using orch::serve::ServedWorkflow;
using orch::serve::WorkflowProvider;

namespace {

class FakeContext : public mcp::server::ToolCallContext {
 public:
  bool Cancelled() const override { return cancelled; }
  bool SleepFor(std::chrono::milliseconds) override { return !cancelled; }
  void Progress(double progress, std::optional<double>, const std::string& message) override {
    std::lock_guard lock(mutex);
    progress_values.push_back(progress);
    progress_messages.push_back(message);
  }
  void Log(const std::string& level, const Value& data) override {
    std::lock_guard lock(mutex);
    logs.push_back(level + " " + ToJson(data));
  }
  std::atomic<bool> cancelled{false};
  std::mutex mutex;
  std::vector<double> progress_values;
  std::vector<std::string> progress_messages;
  std::vector<std::string> logs;
};

Value Json(const char* text) {
  auto parsed = ParseJson(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

ServedWorkflow Tool(std::string name, const char* input_schema, const char* output_schema,
                    bool wrap) {
  ServedWorkflow tool;
  tool.descriptor.name = std::move(name);
  tool.descriptor.description = "a tool";
  tool.descriptor.input_schema = Json(input_schema);
  if (output_schema) tool.descriptor.output_schema = Json(output_schema);
  tool.wrap_result = wrap;
  Value properties = tool.descriptor.input_schema.Get("properties");
  if (properties.is_record()) {
    for (const auto& [key, value] : properties.as_record()) tool.params.push_back(key);
  }
  return tool;
}

/// Tool 0 `add(a: int, b: int = 2) -> int` adds (and reports two finished calls and a log
/// line); tool 1 `fails()` fails; tool 2 `hang()` runs until cancelled.
std::shared_ptr<ServedProgram> Program() {
  auto program = std::make_shared<ServedProgram>();
  program->tools.push_back(Tool(
      "add",
      R"({"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer","default":2}},)"
      R"("required":["a"],"additionalProperties":false})",
      R"({"type":"object","properties":{"result":{"type":"integer"}},"required":["result"]})",
      true));
  program->tools.back().entry = 0;
  program->tools.push_back(Tool("fails",
                                R"({"type":"object","properties":{},"additionalProperties":false})",
                                nullptr, false));
  program->tools.back().entry = 1;
  program->tools.push_back(Tool(
      "hang", R"({"type":"object","properties":{},"additionalProperties":false})", nullptr, false));
  program->tools.back().entry = 2;
  program->run = [](uint32_t entry, std::vector<std::optional<Value>> args,
                    interp::Observer* observer,
                    const mcp::CancelToken& cancel) -> interp::RunResult {
    if (entry == 0) {
      observer->OnLog("adding", {});
      observer->OnCallStart(1, "std", "echo", {});
      observer->OnCallEnd(1, interp::CallOutcome::kOk, std::chrono::milliseconds(3));
      observer->OnCallStart(2, "std", "now", {});
      observer->OnCallEnd(2, interp::CallOutcome::kOk, std::chrono::milliseconds(1));
      int64_t b = args[1] ? args[1]->as_int() : 2;
      return Value(args[0]->as_int() + b);
    }
    if (entry == 1) {
      interp::RuntimeError error;
      error.kind = "fail";
      error.message = "nope";
      return error;
    }
    while (!cancel.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    interp::RuntimeError error;
    error.kind = "cancelled";
    error.message = "the run was cancelled";
    return error;
  };
  return program;
}

}  // namespace

TEST_CASE("a call answers with text and a wrapped structuredContent") {
  WorkflowProvider provider(Program());
  FakeContext context;
  auto outcome = provider.CallTool("add", Json(R"({"a": 40})"), context);
  REQUIRE_FALSE(outcome.error);
  CHECK(ToJson(outcome.result) ==
        R"({"content":[{"type":"text","text":"42"}],"structuredContent":{"result":42}})");
}

TEST_CASE("each finished call is a progress notification and logs go to the client") {
  WorkflowProvider provider(Program());
  FakeContext context;
  (void)provider.CallTool("add", Json(R"({"a": 1, "b": 1})"), context);
  CHECK(context.progress_values == std::vector<double>{1, 2});
  CHECK(context.progress_messages[0] == "std.echo ok (3 ms)");
  REQUIRE(context.logs.size() == 5);
  CHECK(context.logs[0] == R"(info "adding")");
  CHECK(context.logs[1] == R"(debug {"event":"call","tool":"std.echo"})");
  CHECK(context.logs[2] == R"(debug {"event":"done","tool":"std.echo","outcome":"ok","ms":3})");
}

TEST_CASE("arguments are checked against the input schema before anything runs") {
  WorkflowProvider provider(Program());
  FakeContext context;
  auto wrong_type = provider.CallTool("add", Json(R"({"a": "forty"})"), context);
  REQUIRE(wrong_type.error);
  CHECK(wrong_type.error->code == -32602);
  CHECK(wrong_type.error->message.find("`a`") != std::string::npos);
  auto missing = provider.CallTool("add", Json(R"({"b": 1})"), context);
  REQUIRE(missing.error);
  CHECK(missing.error->message == "missing required argument `a` (integer) for `add`");
  auto unknown = provider.CallTool("add", Json(R"({"a": 1, "bb": 2})"), context);
  REQUIRE(unknown.error);
  CHECK(unknown.error->message == "unknown argument `bb` for `add`; did you mean `b`?");
  CHECK(unknown.error->data.Get("field") == Value("bb"));
  CHECK(context.logs.empty());
}

TEST_CASE("an unknown tool is invalid params with a suggestion") {
  WorkflowProvider provider(Program());
  FakeContext context;
  auto outcome = provider.CallTool("ad", Json("{}"), context);
  REQUIRE(outcome.error);
  CHECK(outcome.error->code == -32602);
  CHECK(outcome.error->message == "unknown tool `ad`; did you mean `add`?");
}

TEST_CASE("a failing workflow is an isError result with the error's kind and message") {
  WorkflowProvider provider(Program());
  FakeContext context;
  auto outcome = provider.CallTool("fails", Json("{}"), context);
  REQUIRE_FALSE(outcome.error);
  CHECK(ToJson(outcome.result) ==
        R"j({"content":[{"type":"text","text":"nope (error kind `fail`)"}],"isError":true})j");
}

TEST_CASE("the client's cancellation cancels the run") {
  WorkflowProvider provider(Program());
  FakeContext context;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    context.cancelled = true;
  });
  auto outcome = provider.CallTool("hang", Json("{}"), context);
  canceller.join();
  REQUIRE(outcome.error);
  CHECK(outcome.error->code == -32800);
}

TEST_CASE("Replace tells subscribers only when the tool list changes") {
  WorkflowProvider provider(Program());
  int notified = 0;
  int id = provider.SubscribeToolsChanged([&] { ++notified; });
  CHECK_FALSE(provider.Replace(Program()));
  CHECK(notified == 0);
  auto fewer = Program();
  fewer->tools.pop_back();
  CHECK(provider.Replace(fewer));
  CHECK(notified == 1);
  CHECK(provider.ListTools().size() == 2);
  provider.Unsubscribe(id);
  CHECK(provider.Replace(Program()));
  CHECK(notified == 1);
}

TEST_CASE("results render as text: strings as they are, everything else as JSON") {
  CHECK(serve::RenderResult(Value("plain")) == "plain");
  CHECK(serve::RenderResult(Value(Record{{"a", 1}})) == "{\n  \"a\": 1\n}");
  CHECK(serve::RenderResult(Value()) == "null");
}
