// The client against the official reference servers from npm: server-everything over
// stdio, server-filesystem on a temporary folder, server-memory with a temporary file.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "runtime/mcp/client.h"
#include "runtime/mcp/tool_result.h"
#include "runtime/value/json.h"
#include "servers.h"

using namespace orch;
using namespace orch::mcp;
using orch::testing::TempDir;

namespace {

const ToolInfo* Find(const std::vector<ToolInfo>& tools, std::string_view name) {
  for (const auto& tool : tools) {
    if (tool.name == name) return &tool;
  }
  return nullptr;
}

Value Args(const char* json) { return *ParseJson(json); }

}  // namespace

TEST_CASE("everything: initialize negotiates 2025-11-25 and lists its tools with schemas") {
  TempDir dir;
  Client client(orch::testing::Everything(), orch::testing::Options(dir.path()));
  auto identity = client.Identity();
  REQUIRE_MESSAGE(identity.ok(), identity.error().message);
  CHECK(identity->name == "mcp-servers/everything");
  CHECK(identity->protocol_version == "2025-11-25");
  CHECK(identity->capabilities.Find("tools") != nullptr);
  auto tools = client.ListTools();
  REQUIRE(tools.ok());
  const ToolInfo* echo = Find(*tools, "echo");
  REQUIRE(echo != nullptr);
  CHECK(echo->input_schema.Get("properties").Find("message") != nullptr);
  CHECK(echo->annotations.Get("readOnlyHint").as_bool());
  // Capability-dependent tools: the client always offers roots; it offers elicitation and
  // sampling only with a policy for them, and has none here, so the server hides those tools.
  CHECK(Find(*tools, "get-roots-list") != nullptr);
  CHECK(Find(*tools, "trigger-elicitation-request") == nullptr);
  CHECK(Find(*tools, "trigger-sampling-request") == nullptr);
}

TEST_CASE("everything: resources and prompts are listed across every page") {
  TempDir dir;
  Client client(orch::testing::Everything(), orch::testing::Options(dir.path()));
  auto resources = client.ListResources();
  REQUIRE_MESSAGE(resources.ok(), resources.error().message);
  CHECK(resources->size() >= 2);
  for (const Value& r : *resources) CHECK(r.Get("uri").is_string());
  auto prompts = client.ListPrompts();
  REQUIRE(prompts.ok());
  CHECK(!prompts->empty());
  CHECK(client.Ping().ok());
}

TEST_CASE("everything: calls return text, image, resource link, embedded resource and structured content") {
  TempDir dir;
  Client client(orch::testing::Everything(), orch::testing::Options(dir.path()));
  auto echo = client.CallTool("echo", Args(R"({"message":"hello"})"), {});
  REQUIRE_MESSAGE(echo.ok(), echo.error().message);
  CHECK(ToolResultText(*echo) == "Echo: hello");

  auto sum = client.CallTool("get-sum", Args(R"({"a":2,"b":3})"), {});
  REQUIRE(sum.ok());
  CHECK(ToolResultText(*sum).find("5") != std::string::npos);

  auto image = client.CallTool("get-tiny-image", Value(Record{}), {});
  REQUIRE(image.ok());
  bool saw_image = false;
  for (const Value& block : image->Get("content").as_list()) {
    if (block.Get("type").as_string() == "image") {
      saw_image = true;
      CHECK(block.Get("mimeType").as_string() == "image/png");
      CHECK(block.Get("data").as_string().size() > 100);
    }
  }
  CHECK(saw_image);

  auto links = client.CallTool("get-resource-links", Args(R"({"count":3})"), {});
  REQUIRE(links.ok());
  int link_count = 0;
  for (const Value& block : links->Get("content").as_list()) link_count += block.Get("type").as_string() == "resource_link";
  CHECK(link_count == 3);

  auto embedded = client.CallTool("get-resource-reference", Args(R"({"resourceType":"Text","resourceId":2})"), {});
  REQUIRE_MESSAGE(embedded.ok(), embedded.error().message);
  bool saw_resource = false;
  for (const Value& block : embedded->Get("content").as_list()) {
    if (block.Get("type").as_string() == "resource") saw_resource = block.Get("resource").Get("uri").is_string();
  }
  CHECK(saw_resource);

  auto annotated = client.CallTool("get-annotated-message", Args(R"({"messageType":"error","includeImage":true})"), {});
  REQUIRE(annotated.ok());
  CHECK(annotated->Get("content").as_list().size() >= 2);

  auto structured = client.CallTool("get-structured-content", Args(R"({"location":"Chicago"})"), {});
  REQUIRE(structured.ok());
  CHECK(structured->Get("structuredContent").is_record());
  CHECK_FALSE(ToolResultIsError(*structured));
}

TEST_CASE("everything: a tool's own error comes back as a result with isError, not a failure") {
  TempDir dir;
  Client client(orch::testing::Everything(), orch::testing::Options(dir.path()));
  auto bad = client.CallTool("get-structured-content", Args(R"({"location":"Atlantis"})"), {});
  REQUIRE(bad.ok());
  CHECK(ToolResultIsError(*bad));
  CHECK(ToolResultText(*bad).find("location") != std::string::npos);
}

TEST_CASE("everything: progress notifications of a long-running tool reach the caller") {
  TempDir dir;
  Client client(orch::testing::Everything(), orch::testing::Options(dir.path()));
  std::atomic<int> updates{0};
  std::atomic<double> last{0};
  CallOptions options;
  options.on_progress = [&](const Progress& p) {
    ++updates;
    last = p.progress;
    CHECK(p.total.value_or(0) == 3);
  };
  auto result = client.CallTool("trigger-long-running-operation", Args(R"({"duration":0.6,"steps":3})"), options);
  REQUIRE_MESSAGE(result.ok(), result.error().message);
  CHECK(updates == 3);
  CHECK(last == 3);
}

TEST_CASE("everything: cancelling a long call returns at once and the server keeps serving") {
  TempDir dir;
  Client client(orch::testing::Everything(), orch::testing::Options(dir.path()));
  REQUIRE(client.Connect().ok());
  CallOptions options;
  std::thread canceller([cancel = options.cancel]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel.Cancel();
  });
  auto start = std::chrono::steady_clock::now();
  auto result = client.CallTool("trigger-long-running-operation", Args(R"({"duration":20,"steps":4})"), options);
  auto elapsed = std::chrono::steady_clock::now() - start;
  canceller.join();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == "cancelled");
  CHECK(result.error().message.find("everything") != std::string::npos);
  CHECK(elapsed < std::chrono::seconds(5));
  auto after = client.CallTool("echo", Args(R"({"message":"still here"})"), {});
  REQUIRE(after.ok());
  CHECK(ToolResultText(*after) == "Echo: still here");
}

TEST_CASE("everything: a timeout names the server and the method, and later calls still work") {
  TempDir dir;
  Client client(orch::testing::Everything(), orch::testing::Options(dir.path()));
  REQUIRE(client.Connect().ok());
  CallOptions options;
  options.timeout = std::chrono::milliseconds(400);
  auto result = client.CallTool("trigger-long-running-operation", Args(R"({"duration":10,"steps":2})"), options);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == "timeout");
  CHECK(result.error().message.find("server `everything` did not answer `tools/call` within 400ms") == 0);
  CHECK(client.CallTool("echo", Args(R"({"message":"x"})"), {}).ok());
}

TEST_CASE("everything: roots/list is answered with the configured roots") {
  TempDir dir;
  auto options = orch::testing::Options(dir.path());
  options.roots = {dir.path()};
  Client client(orch::testing::Everything(), options);
  auto result = client.CallTool("get-roots-list", Value(Record{}), {});
  REQUIRE_MESSAGE(result.ok(), result.error().message);
  CHECK(ToolResultText(*result).find("file://" + dir.path()) != std::string::npos);
}

TEST_CASE("everything: elicitation requests are answered by the configured policy") {
  TempDir dir;
  auto options = orch::testing::Options(dir.path());
  std::atomic<int> asked{0};
  options.on_elicitation = [&](const std::string& server, const Value& params) -> ErrorOr<Value> {
    ++asked;
    CHECK(server == "everything");
    CHECK(params.Get("requestedSchema").Get("properties").is_record());
    Record content;
    for (const auto& [field, schema] : params.Get("requestedSchema").Get("properties").as_record()) {
      std::string type = schema.Get("type").is_string() ? schema.Get("type").as_string() : "string";
      if (schema.Find("default")) content.Set(field, schema.Get("default"));
      else if (type == "boolean") content.Set(field, true);
      else if (type == "integer" || type == "number") content.Set(field, 1);
      else if (schema.Find("enum")) content.Set(field, schema.Get("enum").as_list()[0]);
      else if (type == "array") content.Set(field, Value(List{}));
      else content.Set(field, "Ada");
    }
    return Value(Record{{"action", "accept"}, {"content", Value(std::move(content))}});
  };
  Client client(orch::testing::Everything(), options);
  auto result = client.CallTool("trigger-elicitation-request", Value(Record{}), {});
  REQUIRE_MESSAGE(result.ok(), result.error().message);
  CHECK(asked == 1);
  CHECK(ToolResultText(*result).find("Ada") != std::string::npos);
}

TEST_CASE("everything: sampling requests reach the sampling policy when one is configured") {
  TempDir dir;
  auto options = orch::testing::Options(dir.path());
  options.on_sampling = [](const std::string& server, const Value& params) -> ErrorOr<Value> {
    CHECK(params.Get("messages").is_list());
    return Value(Record{{"role", "assistant"},
                        {"content", Value(Record{{"type", "text"}, {"text", "sampled by the test"}})},
                        {"model", "test-model"}});
  };
  Client client(orch::testing::Everything(), options);
  auto tools = client.ListTools();
  REQUIRE(tools.ok());
  REQUIRE(Find(*tools, "trigger-sampling-request") != nullptr);
  auto result = client.CallTool("trigger-sampling-request", Args(R"({"prompt":"hi","maxTokens":5})"), {});
  REQUIRE_MESSAGE(result.ok(), result.error().message);
  CHECK(ToolResultText(*result).find("sampled by the test") != std::string::npos);
}

TEST_CASE("everything: 64 requests in flight on one connection each get their own answer") {
  TempDir dir;
  Client client(orch::testing::Everything(), orch::testing::Options(dir.path()));
  REQUIRE(client.Connect().ok());
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back([&, i] {
      Record args{{"message", "m" + std::to_string(i)}};
      auto result = client.CallTool("echo", Value(std::move(args)), {});
      if (result.ok() && ToolResultText(*result) == "Echo: m" + std::to_string(i)) ++right;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(right == 64);
}

TEST_CASE("filesystem: writes and reads a file in a temporary folder given as a root") {
  TempDir dir;
  TempDir logs;
  auto options = orch::testing::Options(logs.path());
  options.roots = {dir.path()};
  Client client(orch::testing::NpmServer("filesystem", "server-filesystem", {dir.path()}), options);
  std::string file = dir.path() + "/note.txt";
  Record write_args{{"path", file}, {"content", "hello from orchestrator"}};
  auto written = client.CallTool("write_file", Value(std::move(write_args)), {});
  REQUIRE_MESSAGE(written.ok(), written.error().message);
  CHECK_FALSE(ToolResultIsError(*written));
  Record read_args{{"path", file}};
  auto read = client.CallTool("read_text_file", Value(std::move(read_args)), {});
  REQUIRE(read.ok());
  CHECK(ToolResultText(*read) == "hello from orchestrator");
  Record outside{{"path", "/etc/passwd"}};
  auto denied = client.CallTool("read_text_file", Value(std::move(outside)), {});
  REQUIRE(denied.ok());
  CHECK(ToolResultIsError(*denied));
}

TEST_CASE("memory: entities created in one call are read back in the next") {
  TempDir dir;
  auto server = orch::testing::NpmServer("memory", "server-memory", {});
  server.env = {{"MEMORY_FILE_PATH", dir.path() + "/memory.jsonl"}};
  Client client(server, orch::testing::Options(dir.path()));
  auto created = client.CallTool(
      "create_entities",
      Args(R"({"entities":[{"name":"Ada","entityType":"person","observations":["wrote the first program"]}]})"), {});
  REQUIRE_MESSAGE(created.ok(), created.error().message);
  auto graph = client.CallTool("read_graph", Value(Record{}), {});
  REQUIRE(graph.ok());
  CHECK(ToolResultText(*graph).find("wrote the first program") != std::string::npos);
}
