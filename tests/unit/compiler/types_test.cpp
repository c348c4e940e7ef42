// Language types: construction, union normalization, printing, assignability and its
// explanations.
#include <doctest/doctest.h>

#include "compiler/types/assign.h"
#include "compiler/types/print.h"
#include "compiler/types/type.h"

using namespace orch::types;

namespace {

TypeRef Rec(std::vector<Field> fields) { return Record(std::move(fields)); }

}  // namespace

TEST_CASE("unions flatten, drop duplicates and absorb int into number") {
  CHECK(Print(Union({Int(), Number()})) == "number");
  CHECK(Print(Union({String(), Union({Bool(), String()})})) == "string | bool");
  CHECK(Print(Union({Literal("a"), String()})) == "string");
  CHECK(Print(Union({Literal("a"), Literal("b"), Literal("a")})) == "\"a\" | \"b\"");
  CHECK(Union({Any(), Int()})->kind() == TypeKind::kAny);
  CHECK(Union({})->kind() == TypeKind::kNever);
  CHECK(Union({Never(), Int()})->kind() == TypeKind::kInt);
}

TEST_CASE("optional prints with a question mark and parenthesizes unions") {
  CHECK(Print(Optional(String())) == "string?");
  CHECK(Print(Optional(Null())) == "null");
  CHECK(Print(Optional(Union({Int(), String()}))) == "int | string | null");
  CHECK(Print(List(Optional(Int()))) == "[int?]");
  CHECK(Print(Optional(Function({Int()}, Bool()))) == "((int) -> bool)?");
}

TEST_CASE("records, maps and functions print as source") {
  TypeRef r = Rec({{"a", Int(), false, ""}, {"b", List(String()), true, ""}, {"get-sum", Number(), false, ""}});
  CHECK(Print(r) == "{a: int, b?: [string], `get-sum`: number}");
  CHECK(Print(Map(Number())) == "{[string]: number}");
  CHECK(Print(Record({{"a", Int(), false, ""}}, false, String())) == "{a: int, [string]: string}");
  CHECK(Print(Function({List(Int()), String()}, String())) == "([int], string) -> string");
  CHECK(Print(Function({Number()}, Number(), true)) == "(number...) -> number");
  CHECK(Print(Rec({})) == "{}");
}

TEST_CASE("short printing elides nested structure") {
  TypeRef deep = Rec({{"results", List(Rec({{"title", String(), false, ""}})), false, ""}});
  CHECK(PrintShort(deep) == "{results: [{..}]}");
  CHECK(Print(deep, {1, false}) == "{results: [..]}");
  CHECK(Print(deep) == "{results: [{title: string}]}");
}

TEST_CASE("field lists name required parameters") {
  TypeRef r = Rec({{"path", String(), false, ""}, {"head", Number(), true, ""}});
  CHECK(PrintFieldList(r) == "`path: string` (required), `head: number`");
  CHECK(PrintFieldList(Rec({})) == "no parameters");
}

TEST_CASE("int widens to number but not the other way") {
  CHECK(IsAssignable(Int(), Number()));
  auto m = CheckAssignable(Number(), Int());
  REQUIRE(m);
  CHECK(m->Describe() == "expected `int`, found `number`");
}

TEST_CASE("any is assignable both ways and never goes anywhere") {
  CHECK(IsAssignable(Any(), Int()));
  CHECK(IsAssignable(List(String()), Any()));
  CHECK(IsAssignable(Never(), String()));
  CHECK_FALSE(IsAssignable(String(), Never()));
}

TEST_CASE("string literals are strings and match only themselves") {
  CHECK(IsAssignable(Literal("asc"), String()));
  CHECK(IsAssignable(Literal("asc"), Union({Literal("asc"), Literal("desc")})));
  CHECK_FALSE(IsAssignable(Literal("up"), Union({Literal("asc"), Literal("desc")})));
  CHECK_FALSE(IsAssignable(String(), Literal("asc")));
}

TEST_CASE("a missing required field is named") {
  TypeRef want = Rec({{"name", String(), false, ""}, {"age", Int(), true, ""}});
  auto m = CheckAssignable(Rec({{"age", Int(), false, ""}}), want);
  REQUIRE(m);
  CHECK(m->Describe() == "missing required field `name`");
  CHECK(IsAssignable(Rec({{"name", Literal("x"), false, ""}}), want));
}

TEST_CASE("nested mismatches report the path") {
  TypeRef want = Rec({{"results", List(Rec({{"title", String(), false, ""}})), false, ""}});
  TypeRef got = Rec({{"results", List(Rec({{"title", Int(), false, ""}})), false, ""}});
  auto m = CheckAssignable(got, want);
  REQUIRE(m);
  CHECK(m->path == "results[].title");
  CHECK(m->Describe() == "at `results[].title`: expected `string`, found `int`");
}

TEST_CASE("records allow extra fields unless closed") {
  TypeRef open = Rec({{"a", Int(), false, ""}});
  TypeRef closed = Record({{"a", Int(), false, ""}}, true);
  TypeRef got = Rec({{"a", Int(), false, ""}, {"b", Int(), false, ""}});
  CHECK(IsAssignable(got, open));
  auto m = CheckAssignable(got, closed);
  REQUIRE(m);
  CHECK(m->Describe() == "field `b` is not accepted (the record allows only `a`)");
  TypeRef with_rest = Record({{"a", Int(), false, ""}}, false, String());
  CHECK_FALSE(IsAssignable(got, with_rest));
  CHECK(IsAssignable(Rec({{"a", Int(), false, ""}, {"b", String(), false, ""}}), with_rest));
}

TEST_CASE("an optional field does not satisfy a required one") {
  TypeRef want = Rec({{"a", Int(), false, ""}});
  auto m = CheckAssignable(Rec({{"a", Int(), true, ""}}), want);
  REQUIRE(m);
  CHECK(m->path == "a");
}

TEST_CASE("nullable values do not fit non-null targets and say so") {
  auto m = CheckAssignable(Optional(String()), String());
  REQUIRE(m);
  CHECK(m->Describe() == "expected `string`, found `string?` (the value may be null)");
  CHECK(IsAssignable(Null(), Optional(Int())));
  CHECK(IsAssignable(Int(), Optional(Number())));
}

TEST_CASE("unions fit when every member fits") {
  CHECK(IsAssignable(Union({Int(), Number()}), Number()));
  CHECK_FALSE(IsAssignable(Union({Int(), String()}), Number()));
  CHECK(IsAssignable(Union({Int(), String()}), Union({String(), Number()})));
}

TEST_CASE("a record fits a union through the member of the same shape and explains it") {
  TypeRef want = Union({String(), Rec({{"x", Int(), false, ""}})});
  auto m = CheckAssignable(Rec({{"x", String(), false, ""}}), want);
  REQUIRE(m);
  CHECK(m->Describe() == "at `x`: expected `int`, found `string`");
}

TEST_CASE("records fit maps when every field fits the value type") {
  CHECK(IsAssignable(Rec({{"a", Int(), false, ""}, {"b", Number(), false, ""}}), Map(Number())));
  CHECK_FALSE(IsAssignable(Rec({{"a", String(), false, ""}}), Map(Number())));
  CHECK(IsAssignable(Map(Int()), Map(Number())));
  auto m = CheckAssignable(Map(String()), Rec({{"a", String(), false, ""}}));
  REQUIRE(m);
  CHECK(m->Describe() == "a map may lack the required field `a`");
  CHECK(IsAssignable(Map(String()), Rec({{"a", String(), true, ""}})));
}

TEST_CASE("lists are covariant") {
  CHECK(IsAssignable(List(Int()), List(Number())));
  CHECK(IsAssignable(List(Never()), List(String())));
  auto m = CheckAssignable(List(String()), List(Int()));
  REQUIRE(m);
  CHECK(m->Describe() == "at `[]`: expected `int`, found `string`");
  CHECK_FALSE(IsAssignable(String(), List(String())));
}

TEST_CASE("functions take parameters contravariantly") {
  TypeRef want = Function({Int()}, Number());
  CHECK(IsAssignable(Function({Number()}, Int()), want));
  CHECK_FALSE(IsAssignable(Function({String()}, Int()), want));
  CHECK_FALSE(IsAssignable(Function({Int(), Int()}, Int()), want));
}

TEST_CASE("recursive aliases compare without looping") {
  auto tree = std::make_shared<NamedDef>();
  tree->name = "Tree";
  tree->target = Rec({{"value", Int(), false, ""}, {"kids", List(NamedWeak(tree, "Tree")), false, ""}});
  TypeRef t = Named(tree);
  CHECK(Print(t) == "Tree");
  CHECK(Print(t, {0, true}) == "{value: int, kids: [Tree]}");
  CHECK(IsAssignable(t, t));
  auto other = std::make_shared<NamedDef>();
  other->name = "Node";
  other->target = Rec({{"value", Number(), false, ""}, {"kids", List(NamedWeak(other, "Node")), false, ""}});
  CHECK(IsAssignable(t, Named(other)));
  CHECK_FALSE(IsAssignable(Named(other), t));
  CHECK(Resolve(t)->kind() == TypeKind::kRecord);
}

TEST_CASE("a dangling weak alias reads as any") {
  TypeRef dangling;
  {
    auto def = std::make_shared<NamedDef>();
    def->name = "Gone";
    def->target = Int();
    dangling = NamedWeak(def, "Gone");
  }
  CHECK(Resolve(dangling)->kind() == TypeKind::kAny);
}

TEST_CASE("null helpers see through unions and aliases") {
  CHECK(IsNullable(Optional(Int())));
  CHECK(IsNullable(Any()));
  CHECK_FALSE(IsNullable(Int()));
  CHECK(Print(StripNull(Optional(List(Int())))) == "[int]");
  CHECK(StripNull(Null())->kind() == TypeKind::kNever);
  CHECK(IsNumeric(Union({Int(), Number()})));
  CHECK_FALSE(IsNumeric(Optional(Int())));
}

TEST_CASE("join picks the wider type or a union") {
  CHECK(Print(Join(Int(), Number())) == "number");
  CHECK(Print(Join(Never(), String())) == "string");
  CHECK(Print(Join(Int(), String())) == "int | string");
  CHECK(Print(Join(Null(), String())) == "string?");
}

TEST_CASE("tool results have the documented fields") {
  CHECK(Print(ToolResult()) == "ToolResult");
  CHECK(Print(ToolResult(), {0, true}) ==
        "{content: [any], text: string, structured: any, is_error: bool}");
}
