// Tool results checked against the tool's outputSchema at run time (valijson), and the
// interpreter reporting a violation at the calling step with error kind "schema".
#include <doctest/doctest.h>

#include "runtime/interp/output_schema.h"
#include "runtime/interp/tool_invoker.h"
#include "runtime/value/json.h"
#include "tests/unit/runtime/interp_test_support.h"

using namespace orch;
using orch::interp::OutputSchemaValidator;

namespace {

const char* kPlacesSchema = R"({
  "type": "object",
  "properties": {
    "places": {"type": "array", "items": {
      "type": "object",
      "properties": {"name": {"type": "string"}, "rating": {"type": "number", "maximum": 5}},
      "required": ["name"]}}
  },
  "required": ["places"]
})";

std::unique_ptr<OutputSchemaValidator> Places() {
  auto v = OutputSchemaValidator::Compile(*ParseJson(kPlacesSchema));
  REQUIRE(v.ok());
  return std::move(*v);
}

}  // namespace

TEST_CASE("a result that fits the outputSchema passes") {
  auto v = Places();
  CHECK_FALSE(v->Check(*ParseJson(R"({"places": [{"name": "Arena", "rating": 4.5}, {"name": "Hall"}]})")));
  CHECK_FALSE(v->Check(*ParseJson(R"({"places": []})")));
}

TEST_CASE("a wrong type deep inside the result names the field path") {
  auto problem = Places()->Check(*ParseJson(R"({"places": [{"name": "Arena"}, {"name": 7}]})"));
  REQUIRE(problem);
  CHECK(problem->find("places[1].name") != std::string::npos);
}

TEST_CASE("a missing required field and a broken numeric bound are reported") {
  auto missing = Places()->Check(*ParseJson(R"({"venues": []})"));
  REQUIRE(missing);
  CHECK(missing->find("places") != std::string::npos);
  auto bound = Places()->Check(*ParseJson(R"({"places": [{"name": "A", "rating": 9}]})"));
  REQUIRE(bound);
  CHECK(bound->find("places[0].rating") != std::string::npos);
}

TEST_CASE("an int where the schema asks for a number is accepted and a string is not") {
  auto v = OutputSchemaValidator::Compile(*ParseJson(R"({"type": "object", "properties": {"n": {"type": "number"}}})"));
  REQUIRE(v.ok());
  CHECK_FALSE((*v)->Check(*ParseJson(R"({"n": 3})")));
  CHECK((*v)->Check(*ParseJson(R"({"n": "3"})")));
}

TEST_CASE("a schema valijson cannot use is an error, not a crash") {
  auto v = OutputSchemaValidator::Compile(*ParseJson(R"({"type": 42})"));
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().kind == "schema");
}

TEST_CASE("a call whose structuredContent breaks the outputSchema fails with kind schema") {
  auto server = std::make_shared<testing::FakeServer>("fake");
  server->AddTool("places", [](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
    return *ParseJson(R"({"content": [], "structuredContent": {"places": [{"name": false}]}})");
  });
  server->SetOutputSchema("places", *ParseJson(kPlacesSchema));
  server->AddTool("good", [](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
    return *ParseJson(R"({"content": [], "structuredContent": {"places": [{"name": "ok"}]}})");
  });
  server->SetOutputSchema("good", *ParseJson(kPlacesSchema));
  interp::ToolInvoker tools([&](const std::string&) -> ErrorOr<std::shared_ptr<mcp::ToolServer>> {
                              return std::shared_ptr<mcp::ToolServer>(server);
                            },
                            nullptr, nullptr, std::chrono::milliseconds(0));
  interp::CallPolicyValues policy;
  policy.retries = 3;
  auto bad = tools.Call("fake", "places", Value(Record{}), policy, {}, mcp::CancelToken());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == "schema");
  CHECK(bad.error().message.find("places[0].name") != std::string::npos);
  CHECK(server->calls("places") == 1);  // not retried: the server would break it again
  auto good = tools.Call("fake", "good", Value(Record{}), policy, {}, mcp::CancelToken());
  REQUIRE(good.ok());
  CHECK(good->Get("places").as_list()[0].Get("name").as_string() == "ok");
}
