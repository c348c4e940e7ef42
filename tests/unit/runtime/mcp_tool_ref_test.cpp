// Tool references, result text and the non-interactive elicitation policy.
#include <doctest/doctest.h>

#include "runtime/mcp/elicitation.h"
#include "runtime/mcp/tool_ref.h"
#include "runtime/mcp/tool_result.h"
#include "runtime/value/json.h"

using namespace orch;
using namespace orch::mcp;

TEST_CASE("server/tool splits at the first slash") {
  auto ref = ParseToolRef("fs/read/x", {"fs"});
  REQUIRE(ref.ok());
  CHECK(ref->server == "fs");
  CHECK(ref->tool == "read/x");
  CHECK_FALSE(ParseToolRef("/x", {"fs"}).ok());
}

TEST_CASE("server.tool is accepted only when one split names a known server") {
  auto ref = ParseToolRef("everything.get-sum", {"everything", "memory"});
  REQUIRE(ref.ok());
  CHECK(ref->server == "everything");
  CHECK(ref->tool == "get-sum");
  auto dotted_tool = ParseToolRef("a.b.c", {"a", "memory"});
  REQUIRE(dotted_tool.ok());
  CHECK(dotted_tool->tool == "b.c");
  auto ambiguous = ParseToolRef("a.b.c", {"a", "a.b"});
  REQUIRE_FALSE(ambiguous.ok());
  CHECK(ambiguous.error().message.find("ambiguous") != std::string::npos);
  auto unknown = ParseToolRef("everythin.echo", {"everything", "memory"});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("did you mean `everything/echo`?") != std::string::npos);
}

TEST_CASE("a bare tool name refers to the only server") {
  auto ref = ParseToolRef("echo", {"stdio"});
  REQUIRE(ref.ok());
  CHECK(ref->server == "stdio");
  CHECK_FALSE(ParseToolRef("echo", {"a", "b"}).ok());
}

TEST_CASE("result text renders every content type on its own line") {
  auto result = ParseJson(R"({"content":[
    {"type":"text","text":"hello"},
    {"type":"image","data":"AAAA","mimeType":"image/png"},
    {"type":"audio","data":"AAA=","mimeType":"audio/wav"},
    {"type":"resource_link","uri":"file:///x","name":"x"},
    {"type":"resource","resource":{"uri":"memo://1","text":"embedded"}},
    {"type":"resource","resource":{"uri":"memo://2","blob":"AA==","mimeType":"application/gzip"}}]})");
  REQUIRE(result.ok());
  CHECK(ToolResultText(*result) ==
        "hello\n[image image/png, 3 bytes]\n[audio audio/wav, 2 bytes]\n[resource_link file:///x (x)]\n"
        "embedded\n[resource memo://2 application/gzip, 1 bytes]");
  CHECK_FALSE(ToolResultIsError(*result));
}

TEST_CASE("result text falls back to structured content and isError is read") {
  auto result = ParseJson(R"({"content":[],"structuredContent":{"t":1},"isError":true})");
  REQUIRE(result.ok());
  CHECK(ToolResultText(*result) == "{\n  \"t\": 1\n}");
  CHECK(ToolResultIsError(*result));
}

TEST_CASE("elicitation takes answers first, then defaults, and declines when a required field is missing") {
  auto params = ParseJson(R"({"message":"who?","requestedSchema":{"type":"object",
    "properties":{"name":{"type":"string"},"age":{"type":"integer","default":30},
                  "color":{"type":"string","enum":["red","blue"],"default":"red"},"ok":{"type":"boolean"}},
    "required":["name"]}})");
  REQUIRE(params.ok());
  std::string missing;
  Value declined = AnswerElicitation(*params, Value(Record{}), &missing);
  CHECK(declined.Get("action").as_string() == "decline");
  CHECK(missing == "name");

  auto answers = ParseJson(R"({"name":"Ada","age":"41","color":"green","ok":"yes"})");
  Value accepted = AnswerElicitation(*params, *answers, &missing);
  CHECK(accepted.Get("action").as_string() == "accept");
  Value content = accepted.Get("content");
  CHECK(content.Get("name").as_string() == "Ada");
  CHECK(content.Get("age").as_int() == 41);
  CHECK(content.Get("color").as_string() == "red");  // "green" is not in the enum: default used
  CHECK(content.Get("ok").as_bool());
}
