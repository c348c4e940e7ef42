// The client against servers that misbehave on purpose (tests/fixtures/servers/misbehaving.py):
// each failure is a clear error naming the server, arrives within the timeout, keeps memory
// bounded, and leaves other servers working.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "runtime/mcp/client.h"
#include "runtime/mcp/server_pool.h"
#include "runtime/mcp/tool_result.h"
#include "runtime/value/json.h"
#include "servers.h"

using namespace orch;
using namespace orch::mcp;
using orch::testing::TempDir;
using Clock = std::chrono::steady_clock;

namespace {

Value Args(const char* json) { return *ParseJson(json); }

bool Contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Calls `tool` on a fresh fixture named `bad` with a 1.5 s timeout; checks that a second
/// fixture (`good`) in the same pool still answers afterwards.
ErrorOr<Value> CallBad(const std::string& tool, const char* args = "{}", ClientOptions* custom = nullptr,
                       Clock::duration* elapsed = nullptr) {
  TempDir logs;
  ClientOptions options = custom ? *custom : orch::testing::Options(logs.path(), std::chrono::milliseconds(1500));
  config::Config config;
  config.servers["bad"] = orch::testing::Fixture("bad");
  config.servers["good"] = orch::testing::Fixture("good");
  ServerPool pool(config, options);
  auto good = pool.Get("good");
  REQUIRE(good.ok());
  REQUIRE((*good)->CallTool("echo", Args(R"({"message":"before"})"), {}).ok());
  auto bad = pool.Get("bad");
  REQUIRE(bad.ok());
  REQUIRE((*bad)->Identity().ok());  // started before the clock starts
  auto start = Clock::now();
  auto result = (*bad)->CallTool(tool, Args(args), {});
  if (elapsed) *elapsed = Clock::now() - start;
  auto after = (*good)->CallTool("echo", Args(R"({"message":"after"})"), {});
  REQUIRE_MESSAGE(after.ok(), after.error().message);
  CHECK(ToolResultText(*after) == "after");
  return result;
}

}  // namespace

TEST_CASE("fixture: tools/list follows nextCursor across every page") {
  TempDir logs;
  Client client(orch::testing::Fixture("paged"), orch::testing::Options(logs.path()));
  auto tools = client.ListTools();
  REQUIRE_MESSAGE(tools.ok(), tools.error().message);
  CHECK(tools->size() == 18);  // 2 per page: 9 pages
  CHECK(tools->front().name == "echo");
  CHECK(tools->back().name == "cancelled_seen");
}

TEST_CASE("fixture: a line that is not JSON gives a timeout that quotes it") {
  Clock::duration elapsed;
  auto result = CallBad("non_json", "{}", nullptr, &elapsed);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == "timeout");
  CHECK(Contains(result.error().message, "server `bad` did not answer `tools/call` within 1.5s"));
  CHECK(Contains(result.error().message, "this is not json"));
  CHECK(elapsed < std::chrono::seconds(5));
}

TEST_CASE("fixture: a truncated message followed by a newline is reported as not JSON") {
  auto result = CallBad("truncated");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == "timeout");
  CHECK(Contains(result.error().message, "not JSON-RPC"));
}

TEST_CASE("fixture: a server that exits in the middle of a message is reported with its status and stderr") {
  auto result = CallBad("truncated_exit");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == "transport");
  CHECK(Contains(result.error().message, "server `bad` exited with status 4 in the middle of a message"));
  CHECK(Contains(result.error().message, "fixture: exiting in the middle of a message"));
}

TEST_CASE("fixture: a response with an unknown id gives a timeout that mentions the id") {
  auto result = CallBad("unknown_id");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == "timeout");
  CHECK(Contains(result.error().message, "which is not waiting for an answer"));
}

TEST_CASE("fixture: an error object with a huge message is cut to a readable length") {
  auto result = CallBad("huge_error", R"({"mb":10})");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == "rpc");
  CHECK(Contains(result.error().message, "server `bad` answered `tools/call` with error -32000: EEEE"));
  CHECK(Contains(result.error().message, "10485760 bytes in total"));
  CHECK(result.error().message.size() < 4000);
}

TEST_CASE("fixture: a 200 MB result is refused with a clear error while memory stays bounded") {
  TempDir logs;
  ClientOptions options = orch::testing::Options(logs.path(), std::chrono::seconds(30));
  options.max_message_bytes = size_t{8} << 20;
  Clock::duration elapsed;
  auto result = CallBad("huge_result", R"({"mb":200})", &options, &elapsed);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == "protocol");
  CHECK(Contains(result.error().message, "server `bad` sent a"));
  CHECK(Contains(result.error().message, "more than the limit of 8388608 bytes"));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  CHECK(usage.ru_maxrss < 120 * 1024);  // kilobytes: far below the 200 MB that was sent
}

TEST_CASE("fixture: a server that never answers times out within the configured timeout") {
  Clock::duration elapsed;
  auto result = CallBad("never", "{}", nullptr, &elapsed);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == "timeout");
  CHECK(elapsed >= std::chrono::milliseconds(1400));
  CHECK(elapsed < std::chrono::seconds(5));
}

TEST_CASE("fixture: a timed-out request is followed by notifications/cancelled") {
  TempDir logs;
  Client client(orch::testing::Fixture("bad"), orch::testing::Options(logs.path()));
  CallOptions quick;
  quick.timeout = std::chrono::milliseconds(200);
  auto result = client.CallTool("never", Value(Record{}), quick);
  REQUIRE_FALSE(result.ok());
  auto seen = client.CallTool("cancelled_seen", Value(Record{}), {});
  REQUIRE(seen.ok());
  auto ids = ParseJson(ToolResultText(*seen));
  REQUIRE(ids.ok());
  CHECK(ids->as_list().size() == 1);
}

TEST_CASE("fixture: a server that dies mid-call is reported at once with its exit status and last stderr lines") {
  Clock::duration elapsed;
  auto result = CallBad("die", "{}", nullptr, &elapsed);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == "transport");
  CHECK(Contains(result.error().message, "server `bad` exited with status 3"));
  CHECK(Contains(result.error().message, "fixture: giving up"));
  CHECK(Contains(result.error().message, "while waiting for `tools/call`"));
  CHECK(elapsed < std::chrono::seconds(3));
}

TEST_CASE("fixture: the next call after a crash starts the server again") {
  TempDir logs;
  Client client(orch::testing::Fixture("bad"), orch::testing::Options(logs.path()));
  CHECK_FALSE(client.CallTool("die", Value(Record{}), {}).ok());
  auto again = client.CallTool("echo", Args(R"({"message":"reborn"})"), {});
  REQUIRE_MESSAGE(again.ok(), again.error().message);
  CHECK(ToolResultText(*again) == "reborn");
}

TEST_CASE("fixture: a flood of notifications does not stop the answer from arriving") {
  TempDir logs;
  ClientOptions options = orch::testing::Options(logs.path(), std::chrono::seconds(20));
  auto result = CallBad("flood", R"({"count":100000})", &options);
  REQUIRE_MESSAGE(result.ok(), result.error().message);
  CHECK(ToolResultText(*result) == "flood done");
}

TEST_CASE("fixture: progress notifications are routed to the call that asked for them") {
  TempDir logs;
  Client client(orch::testing::Fixture("p"), orch::testing::Options(logs.path()));
  std::vector<std::string> messages;
  std::mutex mutex;
  CallOptions options;
  options.on_progress = [&](const Progress& p) {
    std::lock_guard lock(mutex);
    messages.push_back(p.message);
  };
  auto result = client.CallTool("progress", Args(R"({"steps":4})"), options);
  REQUIRE(result.ok());
  CHECK(messages == std::vector<std::string>{"step 1", "step 2", "step 3", "step 4"});
}

TEST_CASE("fixture: log notifications and stderr go to the server's log file") {
  TempDir logs;
  {
    Client client(orch::testing::Fixture("logger"), orch::testing::Options(logs.path()));
    REQUIRE(client.CallTool("log", Args(R"({"message":"disk almost full"})"), {}).ok());
  }
  std::string log = ReadFile(logs.path() + "/logger.log");
  CHECK(Contains(log, "[warning] fixture disk almost full"));
  CHECK(Contains(log, "start: stdio: python3"));
}

TEST_CASE("fixture: sampling without a configured endpoint is answered with a clear error") {
  TempDir logs;
  Client client(orch::testing::Fixture("s"), orch::testing::Options(logs.path()));
  auto result = client.CallTool("ask_sampling", Value(Record{}), {});
  REQUIRE(result.ok());
  auto answer = ParseJson(ToolResultText(*result));
  REQUIRE(answer.ok());
  CHECK(answer->Get("error").Get("code").as_int() == -32601);
  CHECK(Contains(answer->Get("error").Get("message").as_string(), "sampling is not configured"));
}

TEST_CASE("fixture: elicitation without answers or a handler is declined") {
  TempDir logs;
  Client client(orch::testing::Fixture("e"), orch::testing::Options(logs.path()));
  auto result = client.CallTool("ask_elicitation", Value(Record{}), {});
  REQUIRE(result.ok());
  auto answer = ParseJson(ToolResultText(*result));
  REQUIRE(answer.ok());
  CHECK(answer->Get("result").Get("action").as_string() == "decline");
}

TEST_CASE("fixture: roots default to the working directory") {
  TempDir logs;
  Client client(orch::testing::Fixture("r"), orch::testing::Options(logs.path()));
  auto result = client.CallTool("ask_roots", Value(Record{}), {});
  REQUIRE(result.ok());
  auto answer = ParseJson(ToolResultText(*result));
  REQUIRE(answer.ok());
  std::string uri = answer->Get("result").Get("roots").as_list().at(0).Get("uri").as_string();
  CHECK(uri == "file://" + std::filesystem::current_path().string());
}

TEST_CASE("fixture: a server speaking an unknown protocol version is refused by name") {
  TempDir logs;
  Client client(orch::testing::Fixture("old", {"--protocol", "2024-11-05"}), orch::testing::Options(logs.path()));
  auto identity = client.Identity();
  REQUIRE_FALSE(identity.ok());
  CHECK(Contains(identity.error().message, "server `old` speaks MCP protocol version `2024-11-05`"));
}

TEST_CASE("fixture: older protocol versions the client knows are accepted") {
  TempDir logs;
  for (const char* version : {"2025-06-18", "2025-03-26"}) {
    Client client(orch::testing::Fixture("v", {"--protocol", version}), orch::testing::Options(logs.path()));
    auto identity = client.Identity();
    REQUIRE(identity.ok());
    CHECK(identity->protocol_version == version);
  }
}

TEST_CASE("fixture: a server that never answers initialize times out naming it") {
  TempDir logs;
  Client client(orch::testing::Fixture("mute", {"--no-answer-initialize"}),
                orch::testing::Options(logs.path(), std::chrono::milliseconds(500)));
  auto identity = client.Identity();
  REQUIRE_FALSE(identity.ok());
  CHECK(Contains(identity.error().message, "server `mute` did not answer `initialize` within 500ms"));
}

TEST_CASE("a command that does not exist is reported with where it was configured") {
  TempDir logs;
  config::ServerConfig server;
  server.name = "ghost";
  server.command = "orch-no-such-command-xyz";
  server.origin = "orchestrator.yaml:3";
  Client client(server, orch::testing::Options(logs.path()));
  auto identity = client.Identity();
  REQUIRE_FALSE(identity.ok());
  CHECK(Contains(identity.error().message, "cannot start server `ghost`: command `orch-no-such-command-xyz` was not found"));
  CHECK(Contains(identity.error().message, "orchestrator.yaml:3"));
}

TEST_CASE("a server that exits at start is reported with its stderr") {
  TempDir logs;
  config::ServerConfig server;
  server.name = "broken";
  server.command = "sh";
  server.args = {"-c", "echo 'cannot find config file' >&2; exit 2"};
  Client client(server, orch::testing::Options(logs.path()));
  auto identity = client.Identity();
  REQUIRE_FALSE(identity.ok());
  CHECK(Contains(identity.error().message, "server `broken` exited with status 2"));
  CHECK(Contains(identity.error().message, "cannot find config file"));
}

TEST_CASE("the pool starts servers lazily, names unknown ones, and serves built-ins") {
  TempDir logs;
  config::Config config;
  config.servers["fx"] = orch::testing::Fixture("fx");
  ServerPool pool(config, orch::testing::Options(logs.path()));
  auto missing = pool.Get("fz");
  REQUIRE_FALSE(missing.ok());
  CHECK(Contains(missing.error().message, "no server named `fz` is configured"));
  CHECK(Contains(missing.error().message, "did you mean `fx`?"));
  auto fx = pool.Get("fx");
  REQUIRE(fx.ok());
  CHECK_FALSE(std::filesystem::exists(logs.path() + "/fx.log"));  // not started yet
  REQUIRE((*fx)->ListTools().ok());
  CHECK(std::filesystem::exists(logs.path() + "/fx.log"));
  CHECK(pool.Get("fx")->get() == fx->get());  // reused
}
