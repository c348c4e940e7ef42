// JSON Schema → type conversion, on hand-written schemas, the MCP spec's own schema and the
// locked tool lists of the real npm servers (tests/fixtures/locks).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "compiler/types/assign.h"
#include "compiler/types/print.h"
#include "compiler/types/schema.h"
#include "runtime/value/json.h"

using namespace orch::types;

namespace {

SchemaType Convert(const char* json) {
  auto v = orch::ParseJson(json);
  REQUIRE(v.ok());
  return FromJsonSchema(*v);
}

std::string P(const char* json) { return Print(Convert(json).type); }

orch::Value ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto v = orch::ParseJson(ss.str());
  REQUIRE(v.ok());
  return *v;
}

const orch::Value* FindTool(const orch::Value& lock, const std::string& server, const std::string& tool) {
  const orch::Value* s = lock.Get("servers").Find(server);
  REQUIRE(s);
  for (const orch::Value& t : s->Get("tools").as_list()) {
    if (t.Get("name").as_string() == tool) return &t;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("schema primitive types map to language types") {
  CHECK(P(R"({"type":"string"})") == "string");
  CHECK(P(R"({"type":"integer"})") == "int");
  CHECK(P(R"({"type":"number"})") == "number");
  CHECK(P(R"({"type":"boolean"})") == "bool");
  CHECK(P(R"({"type":"null"})") == "null");
  CHECK(P(R"({})") == "any");
  CHECK(P("true") == "any");
  CHECK(P("false") == "never");
}

TEST_CASE("schema objects become records with required and optional fields") {
  CHECK(P(R"({"type":"object","properties":{"path":{"type":"string"},"head":{"type":"number"}},
             "required":["path"]})") == "{path: string, head?: number}");
  CHECK(P(R"({"type":"object","properties":{}})") == "{}");
  CHECK(P(R"({"type":"object"})") == "{[string]: any}");
}

TEST_CASE("a property with a default is optional even when required") {
  CHECK(P(R"({"type":"object","properties":{"n":{"type":"integer","default":3}},"required":["n"]})") ==
        "{n?: int}");
}

TEST_CASE("additionalProperties closes records or types a map") {
  auto closed = Convert(R"({"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false})");
  CHECK(Resolve(closed.type)->closed());
  CHECK(P(R"({"type":"object","additionalProperties":{"type":"number"}})") == "{[string]: number}");
  CHECK(P(R"({"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"integer"}})") ==
        "{a?: string, [string]: int}");
  CHECK(P(R"({"type":"object","patternProperties":{"^x-":{"type":"string"}}})") == "{[string]: string}");
}

TEST_CASE("schema arrays become lists and tuples a list of the union") {
  CHECK(P(R"({"type":"array","items":{"type":"string"}})") == "[string]");
  CHECK(P(R"({"type":"array"})") == "[any]");
  CHECK(P(R"({"type":"array","items":[{"type":"string"},{"type":"integer"}]})") == "[string | int]");
  CHECK(P(R"({"type":"array","prefixItems":[{"type":"boolean"}]})") == "[bool]");
}

TEST_CASE("enum and const become literal types") {
  CHECK(P(R"({"type":"string","enum":["asc","desc"]})") == "\"asc\" | \"desc\"");
  CHECK(P(R"({"enum":["a",null]})") == "\"a\"?");
  CHECK(P(R"({"enum":[1,2.5]})") == "number");
  CHECK(P(R"({"const":"fixed"})") == "\"fixed\"");
  CHECK(P(R"({"const":true})") == "bool");
}

TEST_CASE("nullable forms make optional types") {
  CHECK(P(R"({"type":["string","null"]})") == "string?");
  CHECK(P(R"({"type":"integer","nullable":true})") == "int?");
  CHECK(P(R"({"anyOf":[{"type":"string"},{"type":"null"}]})") == "string?");
}

TEST_CASE("anyOf and oneOf become unions") {
  CHECK(P(R"({"anyOf":[{"type":"string"},{"type":"integer"}]})") == "string | int");
  CHECK(P(R"({"oneOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                       {"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}]})") ==
        "{a: string} | {b: string}");
}

TEST_CASE("anyOf that only adds constraints keeps the base type") {
  CHECK(P(R"({"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},
             "anyOf":[{"required":["a"]},{"required":["b"]}]})") == "{a?: string, b?: string}");
}

TEST_CASE("allOf merges records") {
  CHECK(P(R"({"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                       {"type":"object","properties":{"b":{"type":"integer"}}}]})") ==
        "{a: string, b?: int}");
  auto conflict = Convert(R"({"allOf":[{"type":"string"},{"type":"integer"}]})");
  CHECK(Print(conflict.type) == "string");
  REQUIRE(conflict.notes.size() == 1);
  CHECK(conflict.notes[0].pointer == "/allOf/1");
}

TEST_CASE("refs resolve to named definitions") {
  auto s = Convert(R"({"type":"object","properties":{"who":{"$ref":"#/$defs/Person"}},"required":["who"],
                       "$defs":{"Person":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}})");
  CHECK(Print(s.type) == "{who: Person}");
  CHECK(s.notes.empty());
  const Field* who = Resolve(s.type)->FindField("who");
  REQUIRE(who);
  CHECK(Print(who->type, {0, true}) == "{name: string}");
  CHECK(P(R"({"definitions":{"a b":{"type":"integer"}},"$ref":"#/definitions/a%20b"})") == "a b");
}

TEST_CASE("recursive refs make recursive types") {
  auto s = Convert(R"({"$ref":"#/$defs/Node","$defs":{"Node":{"type":"object",
      "properties":{"value":{"type":"integer"},"children":{"type":"array","items":{"$ref":"#/$defs/Node"}}},
      "required":["value","children"]}}})");
  CHECK(Print(s.type) == "Node");
  CHECK(Print(s.type, {0, true}) == "{value: int, children: [Node]}");
  // A value of the right shape, three levels deep, fits.
  TypeRef leaf = Record({{"value", Int(), false, ""}, {"children", List(Never()), false, ""}});
  TypeRef mid = Record({{"value", Int(), false, ""}, {"children", List(leaf), false, ""}});
  CHECK(IsAssignable(mid, s.type));
  TypeRef bad = Record({{"value", Int(), false, ""}, {"children", List(Record({{"value", String(), false, ""},
                       {"children", List(Never()), false, ""}})), false, ""}});
  auto m = CheckAssignable(bad, s.type);
  REQUIRE(m);
  CHECK(m->path == "children[].value");
}

TEST_CASE("a ref to the root makes the root recursive") {
  auto s = Convert(R"({"type":"object","properties":{"next":{"$ref":"#"}}})");
  CHECK(Print(s.type) == "Self");
  CHECK(Print(s.type, {0, true}) == "{next?: Self}");
}

TEST_CASE("unsupported and malformed parts degrade with a note and never fail") {
  auto s = Convert(R"({"type":"string","not":{"const":"x"}})");
  CHECK(Print(s.type) == "string");
  REQUIRE(s.notes.size() == 1);
  CHECK(s.notes[0].pointer == "/not");
  CHECK(P(R"({"$ref":"https://example.com/schema.json"})") == "any");
  CHECK(P(R"({"$ref":"#/$defs/missing"})") == "any");
  CHECK(P(R"({"type":"wibble"})") == "any");
  CHECK(P(R"({"type":7})") == "any");
  CHECK(P(R"({"type":"object","properties":{"a":5}})") == "{a?: any}");
  CHECK(P(R"({"enum":[]})") == "any");
  CHECK(P(R"([1,2])") == "any");
  auto bad = Convert(R"({"$ref":"#/$defs/x","$defs":{"x":{"$ref":"#/$defs/x"}}})");
  CHECK(Resolve(bad.type)->kind() == TypeKind::kAny);
}

TEST_CASE("very deep schemas stop at the depth limit") {
  std::string deep;
  for (int i = 0; i < 500; ++i) deep += R"({"type":"array","items":)";
  deep += R"({"type":"string"})";
  for (int i = 0; i < 500; ++i) deep += "}";
  auto s = Convert(deep.c_str());
  CHECK_FALSE(s.notes.empty());
}

TEST_CASE("tools without an outputSchema return ToolResult") {
  auto in = orch::ParseJson(R"({"type":"object","properties":{"message":{"type":"string"}},"required":["message"]})");
  REQUIRE(in.ok());
  ToolType t = ToolTypeFromSchemas(*in, orch::Value());
  CHECK(Print(t.params) == "{message: string}");
  CHECK(Print(t.result) == "ToolResult");
  CHECK_FALSE(t.structured);
  ToolType none = ToolTypeFromSchemas(orch::Value(), orch::Value());
  CHECK(Print(none.params) == "{[string]: any}");
  CHECK(none.notes.size() == 1);
}

TEST_CASE("every tool of the locked real servers converts without notes") {
  for (const char* name : {"filesystem", "memory", "everything"}) {
    orch::Value lock = ReadJsonFile(std::string(ORCH_LOCK_FIXTURES_DIR) + "/" + name + ".lock");
    for (const auto& [server_name, server] : lock.Get("servers").as_record()) {
      for (const orch::Value& tool : server.Get("tools").as_list()) {
        ToolType t = ToolTypeFromSchemas(tool.Get("inputSchema"), tool.Get("outputSchema"));
        INFO(server_name << "." << tool.Get("name").as_string() << ": " << Print(t.params));
        CHECK(Resolve(t.params)->kind() == TypeKind::kRecord);
        CHECK(t.notes.empty());
        CHECK(t.structured == !tool.Get("outputSchema").is_null());
      }
    }
  }
}

TEST_CASE("server-filesystem read_text_file has the documented parameters") {
  orch::Value lock = ReadJsonFile(std::string(ORCH_LOCK_FIXTURES_DIR) + "/filesystem.lock");
  const orch::Value* tool = FindTool(lock, "filesystem", "read_text_file");
  REQUIRE(tool);
  ToolType t = ToolTypeFromSchemas(tool->Get("inputSchema"), tool->Get("outputSchema"));
  CHECK(PrintFieldList(t.params) == "`head: number`, `path: string` (required), `tail: number`");
  CHECK(Print(t.result) == "{content: string}");
}

TEST_CASE("server-memory create_entities takes a list of entity records") {
  orch::Value lock = ReadJsonFile(std::string(ORCH_LOCK_FIXTURES_DIR) + "/memory.lock");
  const orch::Value* tool = FindTool(lock, "memory", "create_entities");
  REQUIRE(tool);
  ToolType t = ToolTypeFromSchemas(tool->Get("inputSchema"), tool->Get("outputSchema"));
  TypeRef ok = Record({{"entities", List(Record({{"name", String(), false, ""},
      {"entityType", String(), false, ""}, {"observations", List(String()), false, ""}})), false, ""}});
  CHECK(IsAssignable(ok, t.params));
  TypeRef missing = Record({{"entities", List(Record({{"name", String(), false, ""}})), false, ""}});
  auto m = CheckAssignable(missing, t.params);
  REQUIRE(m);
  CHECK(m->path == "entities[]");
  CHECK(m->reason.find("missing required field") == 0);
}

TEST_CASE("server-everything structured content has an enum parameter and an output record") {
  orch::Value lock = ReadJsonFile(std::string(ORCH_LOCK_FIXTURES_DIR) + "/everything.lock");
  const orch::Value* tool = FindTool(lock, "everything", "get-structured-content");
  REQUIRE(tool);
  ToolType t = ToolTypeFromSchemas(tool->Get("inputSchema"), tool->Get("outputSchema"));
  const Field* loc = Resolve(t.params)->FindField("location");
  REQUIRE(loc);
  CHECK(IsAssignable(Literal("Chicago"), loc->type));
  CHECK_FALSE(IsAssignable(Literal("Paris"), loc->type));
  CHECK(t.structured);
  CHECK(Resolve(t.result)->kind() == TypeKind::kRecord);
}

TEST_CASE("every definition of the MCP spec schema converts, recursive ones included") {
  orch::Value spec = ReadJsonFile(std::string(ORCH_SCHEMA_FIXTURES_DIR) + "/mcp-schema-2025-11-25.json");
  const orch::Record& defs = spec.Get("$defs").as_record();
  CHECK(defs.size() > 100);
  for (const auto& [name, def] : defs) {
    orch::Record doc = spec.as_record();
    doc.Set("$ref", "#/$defs/" + name);
    SchemaType s = FromJsonSchema(orch::Value(std::move(doc)));
    INFO(name);
    CHECK(Print(s.type) == name);
    CHECK(Resolve(s.type)->kind() != TypeKind::kAny);
  }
}

TEST_CASE("the MCP spec's CallToolResult has content blocks and an optional isError") {
  orch::Value spec = ReadJsonFile(std::string(ORCH_SCHEMA_FIXTURES_DIR) + "/mcp-schema-2025-11-25.json");
  orch::Record doc = spec.as_record();
  doc.Set("$ref", "#/$defs/CallToolResult");
  SchemaType s = FromJsonSchema(orch::Value(std::move(doc)));
  const TypeRef& r = Resolve(s.type);
  REQUIRE(r->kind() == TypeKind::kRecord);
  const Field* content = r->FindField("content");
  REQUIRE(content);
  CHECK_FALSE(content->optional);
  CHECK(Print(content->type) == "[ContentBlock]");
  const Field* is_error = r->FindField("isError");
  REQUIRE(is_error);
  CHECK(is_error->optional);
  CHECK(Print(is_error->type) == "bool");
  // A text block fits the content list's element type.
  TypeRef text_block = Record({{"type", Literal("text"), false, ""}, {"text", String(), false, ""}});
  CHECK(IsAssignable(List(text_block), content->type));
  TypeRef wrong = Record({{"type", Literal("text"), false, ""}, {"text", Int(), false, ""}});
  CHECK_FALSE(IsAssignable(List(wrong), content->type));
}
