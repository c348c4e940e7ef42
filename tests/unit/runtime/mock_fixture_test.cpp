// Mock fixtures: parsing (with file:line:key errors), argument matching where the most
// specific rule wins, sequences, injected errors and latency.
#include <doctest/doctest.h>

#include <chrono>

#include "runtime/mock/fixture.h"
#include "runtime/mock/mock_provider.h"
#include "runtime/value/json.h"

using namespace orch;
using namespace orch::mock;

namespace {

class NoContext : public mcp::server::ToolCallContext {
 public:
  bool Cancelled() const override { return cancel; }
  bool SleepFor(std::chrono::milliseconds duration) override {
    slept += duration;
    return !cancel;
  }
  void Progress(double, std::optional<double>, const std::string&) override {}
  void Log(const std::string&, const Value&) override {}
  bool cancel = false;
  std::chrono::milliseconds slept{0};
};

const char* kFixture = R"(
server: {name: files, version: 2.0.0}
tools:
  read:
    description: Read a file
    inputSchema:
      type: object
      properties: {path: {type: string}, opts: {type: object}}
    annotations: {readOnlyHint: true}
    responses:
      - text: fallback
      - match: {path: /a}
        text: [one, two]
      - match: {path: /a, opts: {raw: true}}
        structured: {bytes: 3}
      - match: {path: "007"}
        error: {code: -32001, message: not here}
  counter:
    responses:
      - sequence:
          - text: first
          - {text: second, latency: 250ms}
          - {isError: true, text: done}
)";

std::string FirstText(const Value& result) { return result.Get("content").as_list()[0].Get("text").as_string(); }

}  // namespace

TEST_CASE("a fixture gives tools with their schemas and annotations") {
  auto fixture = ParseFixture(kFixture, "f.yaml");
  REQUIRE_MESSAGE(fixture.ok(), fixture.error().message);
  CHECK(fixture->server.name == "files");
  MockProvider provider(*fixture);
  auto tools = provider.ListTools();
  REQUIRE(tools.size() == 2);
  CHECK(tools[0].name == "read");
  CHECK(tools[0].annotations.Get("readOnlyHint") == Value(true));
  CHECK(tools[0].input_schema.Get("properties").Get("path").Get("type") == Value("string"));
  CHECK(tools[1].input_schema.is_null());
}

TEST_CASE("the most specific matching response wins; a rule without match is the fallback") {
  auto fixture = ParseFixture(kFixture, "f.yaml");
  REQUIRE(fixture.ok());
  MockProvider provider(*fixture);
  NoContext context;
  auto call = [&](const char* json) { return provider.CallTool("read", *ParseJson(json), context); };
  CHECK(FirstText(call(R"({"path":"/b"})").result) == "fallback");
  auto two = call(R"({"path":"/a","opts":{"raw":false}})").result;
  CHECK(FirstText(two) == "one");
  CHECK(two.Get("content").as_list()[1].Get("text") == Value("two"));
  auto structured = call(R"({"path":"/a","opts":{"raw":true,"x":1}})").result;
  CHECK(structured.Get("structuredContent").Get("bytes") == Value(3));
  CHECK(FirstText(structured) == R"({"bytes":3})");
  auto error = call(R"({"path":"007"})");
  REQUIRE(error.error.has_value());
  CHECK(error.error->code == -32001);
  CHECK(error.error->message == "not here");
}

TEST_CASE("a sequence answers successive calls in order and repeats its last reply") {
  auto fixture = ParseFixture(kFixture, "f.yaml");
  REQUIRE(fixture.ok());
  MockProvider provider(*fixture);
  NoContext context;
  CHECK(FirstText(provider.CallTool("counter", Value(Record{}), context).result) == "first");
  CHECK(context.slept.count() == 0);
  CHECK(FirstText(provider.CallTool("counter", Value(Record{}), context).result) == "second");
  CHECK(context.slept == std::chrono::milliseconds(250));
  auto third = provider.CallTool("counter", Value(Record{}), context).result;
  CHECK(third.Get("isError") == Value(true));
  CHECK(provider.CallTool("counter", Value(Record{}), context).result.Get("isError") == Value(true));
}

TEST_CASE("no matching response is a JSON-RPC error naming the fixture") {
  auto fixture = ParseFixture("tools:\n  t:\n    responses:\n      - match: {a: 1}\n        text: x\n", "g.yaml");
  REQUIRE(fixture.ok());
  MockProvider provider(*fixture);
  NoContext context;
  auto outcome = provider.CallTool("t", *ParseJson(R"({"a":2})"), context);
  REQUIRE(outcome.error.has_value());
  CHECK(outcome.error->message.find("g.yaml") != std::string::npos);
}

TEST_CASE("matching is a recursive subset; specificity counts leaves") {
  CHECK(MatchesArguments(Value(), *ParseJson(R"({"a":1})")));
  CHECK(MatchesArguments(*ParseJson(R"({"a":{"b":1}})"), *ParseJson(R"({"a":{"b":1,"c":2},"d":3})")));
  CHECK_FALSE(MatchesArguments(*ParseJson(R"({"a":{"b":1}})"), *ParseJson(R"({"a":{"b":2}})")));
  CHECK_FALSE(MatchesArguments(*ParseJson(R"({"a":[1]})"), *ParseJson(R"({"a":[1,2]})")));
  CHECK_FALSE(MatchesArguments(*ParseJson(R"({"a":null})"), *ParseJson(R"({})")));
  CHECK(MatchSpecificity(*ParseJson(R"({"a":{"b":1,"c":2},"d":3})")) == 3);
}

TEST_CASE("fixture errors name the file, line and key") {
  auto unknown = ParseFixture("tools:\n  t:\n    respones: []\n", "bad.yaml");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("bad.yaml:3") == 0);
  CHECK(unknown.error().message.find("`tools.t.respones`") != std::string::npos);
  auto latency = ParseFixture("tools:\n  t:\n    responses:\n      - latency: soon\n", "bad.yaml");
  REQUIRE_FALSE(latency.ok());
  CHECK(latency.error().message.find("bad.yaml:4: `tools.t.responses[0].latency`") == 0);
  auto both = ParseFixture("tools:\n  t:\n    responses:\n      - {text: a, error: {message: b}}\n", "bad.yaml");
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().message.find("not both") != std::string::npos);
  auto schema = ParseFixture("tools:\n  t:\n    inputSchema: {type: string}\n", "bad.yaml");
  REQUIRE_FALSE(schema.ok());
  CHECK(schema.error().message.find("type: object") != std::string::npos);
  auto syntax = ParseFixture("tools: [\n", "bad.yaml");
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.error().message.find("bad.yaml:") == 0);
  CHECK_FALSE(ParseFixture("server: {}\n", "bad.yaml").ok());
}

TEST_CASE("quoted YAML scalars stay strings; plain ones become numbers, booleans and null") {
  auto fixture = ParseFixture("tools:\n  t:\n    responses:\n      - match: {a: \"1\", b: 1, c: true, d: ~, e: 1.5}\n", "f.yaml");
  REQUIRE(fixture.ok());
  Value match = fixture->tools[0].responses[0].match;
  CHECK(match.Get("a") == Value("1"));
  CHECK(match.Get("b").is_int());
  CHECK(match.Get("c") == Value(true));
  CHECK(match.Find("d") != nullptr);
  CHECK(match.Get("d").is_null());
  CHECK(match.Get("e") == Value(1.5));
}
