// JSON workflows → plans: template forms, variables resolved to steps, fields and new
// parameters, and the errors for unknown tools, broken templates and unknown variables.
#include <doctest/doctest.h>

#include "compiler/lock/lock_file.h"
#include "runtime/compose/json_workflow.h"
#include "runtime/value/json.h"

using orch::ParseJson;
using orch::compose::PlanFromJson;

namespace {

orch::lock::LockFile Schemas() {
  auto lock = orch::lock::ParseLockFile(R"({"version": 1, "servers": {
    "exa": {"identity": {"name": "exa", "version": "1"}, "protocolVersion": "2025-11-25", "tools": [
      {"name": "web_search", "description": "search",
       "inputSchema": {"type": "object", "properties": {"query": {"type": "string"}, "n": {"type": "integer"}},
                       "required": ["query"]},
       "outputSchema": {"type": "object", "required": ["results"], "properties": {"results": {"type": "array",
         "items": {"type": "object", "required": ["venue", "url"],
                   "properties": {"venue": {"type": "string"}, "url": {"type": "string"}}}}}}}]},
    "maps": {"identity": {"name": "maps", "version": "1"}, "protocolVersion": "2025-11-25", "tools": [
      {"name": "search_places", "description": "places",
       "inputSchema": {"type": "object", "properties": {"text_query": {"type": "string"}}, "required": ["text_query"]}}]}
  }})", "test.lock");
  REQUIRE(lock.ok());
  return *lock;
}

std::string ErrorOf(const char* json) {
  auto plan = PlanFromJson(*ParseJson(json), Schemas(), "w.json");
  REQUIRE_FALSE(plan.ok());
  return plan.error().message;
}

}  // namespace

TEST_CASE("a bare variable is a field of an earlier step, else a new typed parameter") {
  auto plan = PlanFromJson(*ParseJson(R"({"name": "finder", "steps": [
      {"tool": "exa/web_search", "query": "{{userQuery}} live", "n": 3},
      {"tool": "maps/search_places", "text_query": "{{venue}}"}], "output": "combined_result"})"),
                           Schemas(), "w.json");
  REQUIRE_MESSAGE(plan.ok(), (plan.ok() ? "" : plan.error().message));
  REQUIRE(plan->params.size() == 1);
  CHECK(plan->params[0].name == "userQuery");
  CHECK(plan->steps[0].args[0].expr == "\"${userQuery} live\"");
  CHECK(plan->steps[0].args[1].expr == "3");
  CHECK(plan->steps[1].args[0].expr == "web_search.results[0].venue");
  CHECK(plan->output_name == "combined_result");
  CHECK(plan->output == "{web_search: web_search, search_places: search_places}");
}

TEST_CASE("a whole-value variable takes the type of the input it feeds") {
  auto plan = PlanFromJson(*ParseJson(R"({"name": "w", "steps": [{"tool": "exa/web_search", "query": "q", "n": "{{count}}"}]})"),
                           Schemas(), "w.json");
  REQUIRE(plan.ok());
  REQUIRE(plan->params.size() == 1);
  CHECK(plan->params[0].type->kind() == orch::types::TypeKind::kInt);
  CHECK(plan->output == "web_search");
}

TEST_CASE("paths name steps by `as` and are checked against the result type") {
  auto plan = PlanFromJson(*ParseJson(R"({"name": "w", "steps": [
      {"tool": "exa/web_search", "as": "hits", "query": "q"},
      {"tool": "maps/search_places", "text_query": "{{hits.results[1].url}}"}], "output": "{{hits.results}}"})"),
                           Schemas(), "w.json");
  REQUIRE(plan.ok());
  CHECK(plan->steps[1].args[0].expr == "hits.results[1].url");
  CHECK(plan->output == "hits.results");
  CHECK(ErrorOf(R"({"name": "w", "steps": [{"tool": "exa/web_search", "as": "hits", "query": "q"},
      {"tool": "maps/search_places", "text_query": "{{hits.results[0].venu}}"}]})") ==
        "w.json: steps[1].text_query: unknown variable `{{hits.results[0].venu}}`: the result of `exa/web_search` has no "
        "field `venu`\n  = help: did you mean `venue`?");
}

TEST_CASE("unknown tools, parameters and variables are errors with their JSON path") {
  CHECK(ErrorOf(R"({"name": "w", "steps": [{"tool": "exa/web_serch", "query": "q"}]})") ==
        "w.json: steps[0].tool: server `exa` has no tool `web_serch`\n  = help: did you mean `exa/web_search`?");
  CHECK(ErrorOf(R"({"name": "w", "steps": [{"tool": "exa/web_search", "querry": "q"}]})") ==
        "w.json: steps[0].querry: `exa/web_search` has no parameter `querry`\n  = help: did you mean `query`?");
  CHECK(ErrorOf(R"({"name": "w", "steps": [{"tool": "exa/web_search", "query": "{{nope.x}}"}]})").starts_with(
      "w.json: steps[0].query: unknown variable `{{nope.x}}`: no earlier step is called `nope`"));
  CHECK(ErrorOf(R"({"name": "w", "steps": []})").starts_with("w.json: steps: expected a non-empty list of steps"));
  CHECK(ErrorOf(R"({"steps": [{"tool": "exa/web_search", "query": "q"}]})").starts_with("w.json: name: missing"));
}

TEST_CASE("broken templates are errors saying what was seen") {
  CHECK(ErrorOf(R"({"name": "w", "steps": [{"tool": "exa/web_search", "query": "{{query"}]})") ==
        "w.json: steps[0].query: broken template `{{query`: the `{{` at offset 0 is never closed\n  = help: write `{{name}}`");
  CHECK(ErrorOf(R"({"name": "w", "steps": [{"tool": "exa/web_search", "query": "a }} b"}]})") ==
        "w.json: steps[0].query: broken template `a }} b`: `}}` at offset 2 closes nothing");
  CHECK(ErrorOf(R"({"name": "w", "steps": [{"tool": "exa/web_search", "query": "{{ }}"}]})") ==
        "w.json: steps[0].query: broken template `{{ }}`: `{{}}` names no variable");
  CHECK(ErrorOf(R"({"name": "w", "steps": [{"tool": "exa/web_search", "query": "{{a b}}"}]})").starts_with(
      "w.json: steps[0].query: broken template `{{a b}}`: `a b` is not a variable"));
}
