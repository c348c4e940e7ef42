// The fixture `mock record` writes: it parses back as a fixture, repeated equal calls with
// equal answers give one rule, different answers a sequence, and secrets are redacted.
#include <doctest/doctest.h>

#include "runtime/mock/fixture.h"
#include "runtime/mock/recording.h"
#include "runtime/value/json.h"

using namespace orch;

namespace {

mock::RecordedCall Answer(std::string tool, const char* args, std::string text) {
  return {std::move(tool), *ParseJson(args),
          Value(Record{{"content", Value(List{Value(Record{{"type", Value("text")}, {"text", Value(text)}})})}}), ""};
}

std::vector<mcp::ToolInfo> Tools() {
  mcp::ToolInfo lookup;
  lookup.name = "lookup";
  lookup.description = "Look \"up\" a key: 42";
  lookup.input_schema = *ParseJson(R"({"type":"object","properties":{"key":{"type":"string"}}})");
  lookup.annotations = *ParseJson(R"({"readOnlyHint":true})");
  mcp::ToolInfo unused;
  unused.name = "never-called";
  return {lookup, unused};
}

}  // namespace

TEST_CASE("a recorded fixture parses back with one rule per distinct argument record") {
  mcp::ServerIdentity id;
  id.name = "kv";
  id.version = "1.0";
  std::vector<mock::RecordedCall> calls = {Answer("lookup", R"({"key":"a"})", "1"),
                                           Answer("lookup", R"({"key":"a"})", "1"),
                                           Answer("lookup", R"({"key":"b"})", "2"),
                                           Answer("lookup", R"({"key":"b"})", "3")};
  calls.push_back({"lookup", *ParseJson(R"({"key":"gone"})"), Value(), "the server died"});
  std::string text = mock::WriteFixture("kv-store", id, Tools(), calls, {});
  auto fixture = mock::ParseFixture(text, "recorded.yaml");
  REQUIRE_MESSAGE(fixture.ok(), fixture.error().message << "\n" << text);
  CHECK(fixture->stands_for == "kv-store");
  CHECK(fixture->server.name == "kv");
  REQUIRE(fixture->tools.size() == 2);
  const mock::MockTool& lookup = fixture->tools[0];
  CHECK(lookup.descriptor.description == "Look \"up\" a key: 42");
  REQUIRE(lookup.responses.size() == 3);
  CHECK(lookup.responses[0].sequence.size() == 1);  // two equal answers collapse
  CHECK(lookup.responses[1].sequence.size() == 2);  // different answers: a sequence
  CHECK(lookup.responses[1].match == *ParseJson(R"({"key":"b"})"));
  REQUIRE(lookup.responses[2].sequence[0].error.has_value());
  CHECK(lookup.responses[2].sequence[0].error->message == "the server died");
  CHECK(fixture->tools[1].responses.empty());
}

TEST_CASE("secret values are redacted everywhere in the fixture") {
  mcp::ServerIdentity id;
  id.name = "kv";
  std::vector<mock::RecordedCall> calls = {Answer("lookup", R"({"key":"tok-123456"})", "value for tok-123456")};
  std::string text = mock::WriteFixture("kv", id, Tools(), calls, {{"KV_TOKEN", "tok-123456"}});
  CHECK(text.find("tok-123456") == std::string::npos);
  CHECK(text.find("[redacted:KV_TOKEN]") != std::string::npos);
  CHECK(mock::ParseFixture(text, "r.yaml").ok());
}

TEST_CASE("secrets come from configured values and secret-looking environment variables") {
  setenv("ORCH_UNIT_API_TOKEN", "abcdef-secret", 1);
  setenv("ORCH_UNIT_PLAIN", "abcdef-plain", 1);
  auto secrets = mock::CollectSecrets({{"X_HEADER", "header-value"}, {"SHORT", "ab"}});
  auto has = [&](const std::string& name) {
    for (const auto& [n, v] : secrets) {
      if (n == name) return true;
    }
    return false;
  };
  CHECK(has("ORCH_UNIT_API_TOKEN"));
  CHECK(has("X_HEADER"));
  CHECK_FALSE(has("ORCH_UNIT_PLAIN"));
  CHECK_FALSE(has("SHORT"));
  unsetenv("ORCH_UNIT_API_TOKEN");
  unsetenv("ORCH_UNIT_PLAIN");
}
