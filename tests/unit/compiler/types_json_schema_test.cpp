// Type → JSON Schema (compiler/types/json_schema.h): the exact schemas for each kind of
// type, and round trips through FromJsonSchema that give back the same type.
#include <doctest/doctest.h>

#include <string>

#include "compiler/types/json_schema.h"
#include "compiler/types/print.h"
#include "compiler/types/schema.h"
#include "runtime/value/json.h"

using namespace orch::types;

namespace {

std::string S(const TypeRef& type) { return orch::ToJson(ToJsonSchema(type)); }

/// The type printed after going to a schema and back.
std::string RoundTrip(const TypeRef& type) {
  return Print(FromJsonSchema(ToJsonSchema(type)).type);
}

}  // namespace

TEST_CASE("primitive types become a JSON Schema type name") {
  CHECK(S(String()) == R"({"type":"string"})");
  CHECK(S(Int()) == R"({"type":"integer"})");
  CHECK(S(Number()) == R"({"type":"number"})");
  CHECK(S(Bool()) == R"({"type":"boolean"})");
  CHECK(S(Null()) == R"({"type":"null"})");
  CHECK(S(Any()) == R"({})");
  CHECK(S(Never()) == R"({"not":{}})");
}

TEST_CASE("an optional primitive becomes a type list with null") {
  CHECK(S(Optional(String())) == R"({"type":["string","null"]})");
}

TEST_CASE("string literal types become const, and unions of them an enum") {
  CHECK(S(Literal("asc")) == R"({"type":"string","const":"asc"})");
  CHECK(S(Union({Literal("asc"), Literal("desc")})) == R"({"enum":["asc","desc"]})");
}

TEST_CASE("records list properties in order and require the fields that are not optional") {
  TypeRef record =
      Record({{"query", String(), false, "What to look for"}, {"limit", Int(), true, ""}});
  CHECK(
      S(record) ==
      R"({"type":"object","properties":{"query":{"type":"string","description":"What to look for"},)"
      R"("limit":{"type":"integer"}},"required":["query"]})");
}

TEST_CASE("closed records forbid other properties and maps type them") {
  CHECK(
      S(Record({{"a", Int(), false, ""}}, true)) ==
      R"({"type":"object","properties":{"a":{"type":"integer"}},"required":["a"],"additionalProperties":false})");
  CHECK(S(Map(Number())) == R"({"type":"object","additionalProperties":{"type":"number"}})");
}

TEST_CASE("a union of structured types becomes anyOf") {
  CHECK(S(Union({List(String()), Record({{"a", Int(), false, ""}})})) ==
        R"({"anyOf":[{"type":"array","items":{"type":"string"}},)"
        R"({"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]}]})");
}

TEST_CASE("a non-recursive alias is inlined") {
  auto def = std::make_shared<NamedDef>(NamedDef{"Plan", Record({{"venue", String(), false, ""}})});
  CHECK(
      S(List(Named(def))) ==
      R"({"type":"array","items":{"type":"object","properties":{"venue":{"type":"string"}},"required":["venue"]}})");
}

TEST_CASE("a recursive alias becomes a $defs entry and the root is written out") {
  auto def = std::make_shared<NamedDef>(NamedDef{"Tree", nullptr});
  def->target =
      Record({{"name", String(), false, ""}, {"kids", List(NamedWeak(def, "Tree")), false, ""}});
  TypeRef tree = Named(def);
  CHECK(
      S(tree) ==
      R"({"type":"object","properties":{"name":{"type":"string"},"kids":{"type":"array","items":)"
      R"({"$ref":"#/$defs/Tree"}}},"required":["name","kids"],"$defs":{"Tree":{"type":"object","properties":)"
      R"({"name":{"type":"string"},"kids":{"type":"array","items":{"$ref":"#/$defs/Tree"}}},"required":["name","kids"]}}})");
  CHECK(IsObjectType(tree));
}

TEST_CASE("types survive a round trip through JSON Schema") {
  CHECK(RoundTrip(String()) == "string");
  CHECK(RoundTrip(Optional(Int())) == "int?");
  CHECK(RoundTrip(List(Record({{"a", Int(), false, ""}, {"b", Optional(String()), true, ""}}))) ==
        Print(List(Record({{"a", Int(), false, ""}, {"b", Optional(String()), true, ""}}))));
  CHECK(RoundTrip(Map(Bool())) == Print(Map(Bool())));
  CHECK(RoundTrip(Union({Literal("x"), Literal("y")})) ==
        Print(Union({Literal("x"), Literal("y")})));
  CHECK(RoundTrip(Union({List(Int()), String()})) == Print(Union({List(Int()), String()})));
}

TEST_CASE("only records and maps are object types") {
  CHECK(IsObjectType(Record({})));
  CHECK(IsObjectType(Map(Int())));
  CHECK_FALSE(IsObjectType(String()));
  CHECK_FALSE(IsObjectType(Any()));
  CHECK_FALSE(IsObjectType(Optional(Record({}))));
  CHECK_FALSE(IsObjectType(List(Record({}))));
}
