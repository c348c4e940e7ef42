// The server-side Session: JSON-RPC dispatch, lifecycle, pagination, concurrent and
// cancelled tool calls, progress and logging, driven with messages as a client sends them.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "runtime/mcp/server/session.h"
#include "runtime/value/json.h"

using namespace orch;
using namespace orch::mcp::server;

namespace {

/// Tools: `echo` (answers its arguments), `slow` (sleeps `ms`, reporting progress and a log line).
class TestProvider : public ToolProvider {
 public:
  std::vector<ToolDescriptor> ListTools() override {
    std::vector<ToolDescriptor> tools;
    for (const char* name : {"echo", "slow", "fail", "t4", "t5"}) tools.push_back(ToolDescriptor{name, "", "", Value(), Value(), Value()});
    return tools;
  }
  ToolOutcome CallTool(const std::string& name, const Value& arguments, ToolCallContext& context) override {
    if (name == "fail") return {Value(), RpcError{-32000, "boom", Value()}};
    if (name == "slow") {
      context.Progress(1, 2, "half");
      context.Log("info", Value("working"));
      if (!context.SleepFor(std::chrono::milliseconds(arguments.Get("ms").as_int()))) {
        cancelled_seen = true;
        return {Value(), RpcError{-32800, "cancelled", Value()}};
      }
    }
    return {Value(Record{{"content", Value(List{Value(Record{{"type", "text"}, {"text", ToJson(arguments)}})})}}),
            std::nullopt};
  }
  std::atomic<bool> cancelled_seen{false};
};

/// Collects everything the session sends, and waits for final answers.
struct Collector {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Value> messages;
  /// The final answers alone, in the order they were sent.
  std::vector<Value> final_messages;
  int finals = 0;

  Reply reply() {
    return [this](const std::string& message, bool final) {
      std::lock_guard lock(mutex);
      if (!message.empty()) messages.push_back(*ParseJson(message));
      if (final) {
        ++finals;
        if (!message.empty()) final_messages.push_back(messages.back());
      }
      changed.notify_all();
    };
  }
  bool WaitFinals(int n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(5), [&] { return finals >= n; });
  }
  Value Last() {
    std::lock_guard lock(mutex);
    return messages.back();
  }
  /// The `index`-th final answer (progress and log notifications skipped).
  Value Final(size_t index) {
    std::lock_guard lock(mutex);
    return index < final_messages.size() ? final_messages[index] : Value();
  }
};

std::string Request(int id, const std::string& method, const std::string& params = "{}") {
  return "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(id) + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
}

}  // namespace

TEST_CASE("initialize echoes a supported protocol version and offers the newest otherwise") {
  TestProvider provider;
  Session session(ServerInfo{"t", "1.2.3", "", 0}, provider);
  Collector out;
  CHECK(session.Handle(Request(1, "initialize", R"({"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}})"), out.reply()));
  Value result = out.Last().Get("result");
  CHECK(result.Get("protocolVersion") == Value("2025-06-18"));
  CHECK(result.Get("serverInfo").Get("version") == Value("1.2.3"));
  CHECK(result.Get("capabilities").Get("tools").is_record());
  session.Handle(Request(2, "initialize", R"({"protocolVersion":"1999-01-01"})"), out.reply());
  CHECK(out.Last().Get("result").Get("protocolVersion") == Value("2025-11-25"));
  CHECK(session.protocol_version() == "2025-11-25");
}

TEST_CASE("malformed input gets -32700, batches and non-objects -32600, unknown methods -32601") {
  TestProvider provider;
  Session session(ServerInfo{}, provider);
  Collector out;
  session.Handle("{not json", out.reply());
  CHECK(out.Last().Get("error").Get("code") == Value(-32700));
  CHECK(out.Last().Get("id").is_null());
  session.Handle(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", out.reply());
  CHECK(out.Last().Get("error").Get("code") == Value(-32600));
  session.Handle(R"({"jsonrpc":"1.0","id":1,"method":"ping"})", out.reply());
  CHECK(out.Last().Get("error").Get("code") == Value(-32600));
  session.Handle(R"({"jsonrpc":"2.0","id":{"a":1},"method":"ping"})", out.reply());
  CHECK(out.Last().Get("error").Get("code") == Value(-32600));
  session.Handle(Request(7, "resources/list"), out.reply());
  CHECK(out.Last().Get("error").Get("code") == Value(-32601));
  CHECK(out.Last().Get("id") == Value(7));
  session.Handle(Request(8, "ping"), out.reply());
  CHECK(out.Last().Get("result") == Value(Record{}));
}

TEST_CASE("notifications and responses get no answer") {
  TestProvider provider;
  Session session(ServerInfo{}, provider);
  Collector out;
  CHECK_FALSE(session.Handle(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", out.reply()));
  CHECK_FALSE(session.Handle(R"({"jsonrpc":"2.0","method":"notifications/whatever","params":{}})", out.reply()));
  CHECK_FALSE(session.Handle(R"({"jsonrpc":"2.0","id":3,"result":{}})", out.reply()));
  CHECK(out.messages.empty());
}

TEST_CASE("tools/list pages with an opaque cursor and rejects an unknown one") {
  TestProvider provider;
  Session session(ServerInfo{"t", "1", "", 2}, provider);
  Collector out;
  std::vector<std::string> names;
  std::string params = "{}";
  for (int page = 0; page < 5; ++page) {
    session.Handle(Request(page, "tools/list", params), out.reply());
    Value result = out.Last().Get("result");
    for (const auto& tool : result.Get("tools").as_list()) {
      names.push_back(tool.Get("name").as_string());
      CHECK(tool.Get("inputSchema").Get("type") == Value("object"));
    }
    if (!result.Get("nextCursor").is_string()) break;
    params = "{\"cursor\":" + ToJson(result.Get("nextCursor")) + "}";
  }
  CHECK(names == std::vector<std::string>{"echo", "slow", "fail", "t4", "t5"});
  session.Handle(Request(9, "tools/list", R"({"cursor":"zzz"})"), out.reply());
  CHECK(out.Last().Get("error").Get("code") == Value(-32602));
}

TEST_CASE("tools/call answers results, provider errors, and -32602 for an unknown tool") {
  TestProvider provider;
  Session session(ServerInfo{}, provider);
  Collector out;
  session.Handle(Request(1, "tools/call", R"({"name":"echo","arguments":{"x":1}})"), out.reply());
  REQUIRE(out.WaitFinals(1));
  CHECK(out.Last().Get("result").Get("content").as_list()[0].Get("text") == Value(R"({"x":1})"));
  session.Handle(Request(2, "tools/call", R"({"name":"fail"})"), out.reply());
  REQUIRE(out.WaitFinals(2));
  CHECK(out.Last().Get("error").Get("message") == Value("boom"));
  session.Handle(Request(3, "tools/call", R"({"name":"nope"})"), out.reply());
  CHECK(out.Last().Get("error").Get("code") == Value(-32602));
  session.Handle(Request(4, "tools/call", R"({"name":"echo","arguments":[1]})"), out.reply());
  CHECK(out.Last().Get("error").Get("code") == Value(-32602));
}

TEST_CASE("tool calls run concurrently: a fast call finishes while a slow one runs") {
  TestProvider provider;
  Session session(ServerInfo{}, provider);
  Collector out;
  // The order of the answers is the evidence; the slow call's 2 s leaves room for a loaded
  // machine, where a wall-clock bound on the fast answer would be flaky.
  session.Handle(Request(1, "tools/call", R"({"name":"slow","arguments":{"ms":2000}})"), out.reply());
  session.Handle(Request(2, "tools/call", R"({"name":"echo","arguments":{}})"), out.reply());
  REQUIRE(out.WaitFinals(2));
  CHECK(out.Final(0).Get("id") == Value(2));
  CHECK(out.Final(1).Get("id") == Value(1));
}

TEST_CASE("a cancelled call stops early and sends no response") {
  TestProvider provider;
  Session session(ServerInfo{}, provider);
  Collector out;
  auto start = std::chrono::steady_clock::now();
  session.Handle(Request(5, "tools/call", R"({"name":"slow","arguments":{"ms":5000}})"), out.reply());
  session.Handle(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5}})", out.reply());
  REQUIRE(out.WaitFinals(1));
  session.WaitIdle();
  CHECK(provider.cancelled_seen);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  for (const auto& message : out.messages) CHECK(message.Find("id") == nullptr);
}

TEST_CASE("progress goes out only with a progress token, log messages only at or above the set level") {
  TestProvider provider;
  Session session(ServerInfo{}, provider);
  Collector out;
  session.Handle(Request(1, "tools/call", R"({"name":"slow","arguments":{"ms":1},"_meta":{"progressToken":"p"}})"),
                 out.reply());
  REQUIRE(out.WaitFinals(1));
  REQUIRE(out.messages.size() == 3);
  CHECK(out.messages[0].Get("method") == Value("notifications/progress"));
  CHECK(out.messages[0].Get("params").Get("progressToken") == Value("p"));
  CHECK(out.messages[0].Get("params").Get("total") == Value(2));
  CHECK(out.messages[1].Get("method") == Value("notifications/message"));
  session.Handle(Request(2, "logging/setLevel", R"({"level":"error"})"), out.reply());
  CHECK(out.Last().Get("result").is_record());
  out.messages.clear();
  session.Handle(Request(3, "tools/call", R"({"name":"slow","arguments":{"ms":1}})"), out.reply());
  REQUIRE(out.WaitFinals(3));
  session.WaitIdle();
  REQUIRE(out.messages.size() == 1);
  CHECK(out.messages[0].Get("id") == Value(3));
  session.Handle(Request(4, "logging/setLevel", R"({"level":"loud"})"), out.reply());
  CHECK(out.Last().Get("error").Get("code") == Value(-32602));
}
