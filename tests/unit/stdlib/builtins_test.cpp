// The built-in functions on values, including their edge cases and error messages.
#include <doctest/doctest.h>

#include <functional>
#include <vector>

#include "runtime/value/json.h"
#include "stdlib/builtins/builtins.h"

namespace {

using orch::ErrorOr;
using orch::List;
using orch::Record;
using orch::Value;

class Fn final : public orch::interp::Callable {
 public:
  Fn(int arity, std::function<ErrorOr<Value>(std::span<const Value>)> body) : arity_(arity), body_(std::move(body)) {}
  ErrorOr<Value> Call(std::span<const Value> args) const override { return body_(args); }
  int arity() const override { return arity_; }

 private:
  int arity_;
  std::function<ErrorOr<Value>(std::span<const Value>)> body_;
};

Value J(const char* json) {
  auto v = orch::ParseJson(json);
  REQUIRE(v.ok());
  return *v;
}

ErrorOr<Value> Call(std::string_view name, std::vector<Value> args, const orch::interp::Callable* fn = nullptr) {
  const auto* info = orch::stdlib::Builtins().Find(name);
  REQUIRE(info != nullptr);
  return info->fn(args, fn);
}

std::string Json(const ErrorOr<Value>& v) {
  REQUIRE(v.ok());
  return orch::ToJson(*v);
}

}  // namespace

TEST_CASE("every builtin of the language reference is in the table") {
  for (const char* name : {"len", "keys", "values", "entries", "map", "filter", "reduce", "sort_by", "group_by",
                           "unique", "sum", "min", "max", "avg", "range", "join", "split", "upper", "lower", "trim",
                           "replace", "contains", "starts_with", "ends_with", "matches", "format", "to_json",
                           "from_json", "int", "number", "string", "now", "uuid"}) {
    CHECK_MESSAGE(orch::stdlib::Builtins().Find(name) != nullptr, name);
  }
  CHECK(orch::stdlib::Builtins().Find("nope") == nullptr);
}

TEST_CASE("len counts code points, list elements and record fields") {
  CHECK(Json(Call("len", {Value("héllo")})) == "5");
  CHECK(Json(Call("len", {J("[1,2,3]")})) == "3");
  CHECK(Json(Call("len", {J(R"({"a":1})")})) == "1");
  auto bad = Call("len", {Value(3)});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == "type");
  CHECK(bad.error().message == "`len` expects a string, list or record as argument 1, got int");
}

TEST_CASE("keys values and entries keep field order") {
  Value r = J(R"({"b":1,"a":2})");
  CHECK(Json(Call("keys", {r})) == R"(["b","a"])");
  CHECK(Json(Call("values", {r})) == "[1,2]");
  CHECK(Json(Call("entries", {r})) == R"([{"key":"b","value":1},{"key":"a","value":2}])");
  CHECK_FALSE(Call("keys", {J("[]")}).ok());
}

TEST_CASE("map filter and reduce call the lambda per element") {
  Fn twice(1, [](std::span<const Value> a) -> ErrorOr<Value> { return Value(a[0].as_int() * 2); });
  CHECK(Json(Call("map", {J("[1,2,3]")}, &twice)) == "[2,4,6]");
  CHECK(Json(Call("map", {J("[]")}, &twice)) == "[]");
  Fn odd(1, [](std::span<const Value> a) -> ErrorOr<Value> { return Value(a[0].as_int() % 2 == 1); });
  CHECK(Json(Call("filter", {J("[1,2,3]")}, &odd)) == "[1,3]");
  Fn plus(2, [](std::span<const Value> a) -> ErrorOr<Value> { return Value(a[0].as_int() + a[1].as_int()); });
  CHECK(Json(Call("reduce", {J("[1,2,3]"), Value(10)}, &plus)) == "16");
  CHECK(Json(Call("reduce", {J("[]"), Value(10)}, &plus)) == "10");
}

TEST_CASE("a failing lambda stops map and its error comes out unchanged") {
  int calls = 0;
  Fn boom(1, [&](std::span<const Value> a) -> ErrorOr<Value> {
    ++calls;
    if (a[0].as_int() == 2) return orch::MakeError("tool", "boom");
    return a[0];
  });
  auto r = Call("map", {J("[1,2,3]")}, &boom);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == "tool");
  CHECK(calls == 2);
}

TEST_CASE("filter rejects a lambda that does not return a bool") {
  Fn ident(1, [](std::span<const Value> a) -> ErrorOr<Value> { return a[0]; });
  auto r = Call("filter", {J("[1]")}, &ident);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "the function given to `filter` must return a bool, it returned int");
}

TEST_CASE("sort_by is stable and orders mixed kinds by a total order") {
  Fn key(1, [](std::span<const Value> a) -> ErrorOr<Value> { return a[0].Get("k"); });
  CHECK(Json(Call("sort_by", {J(R"([{"k":2,"i":0},{"k":1,"i":1},{"k":2,"i":2},{"k":1.5,"i":3}])")}, &key)) ==
        R"([{"k":1,"i":1},{"k":1.5,"i":3},{"k":2,"i":0},{"k":2,"i":2}])");
  Fn self(1, [](std::span<const Value> a) -> ErrorOr<Value> { return a[0]; });
  CHECK(Json(Call("sort_by", {J(R"(["b",1,null,true,"a"])")}, &self)) == R"([null,true,1,"a","b"])");
}

TEST_CASE("group_by keys groups by the display form of the key in first-seen order") {
  Fn tag(1, [](std::span<const Value> a) -> ErrorOr<Value> { return a[0].Get("t"); });
  CHECK(Json(Call("group_by", {J(R"([{"t":"x"},{"t":1},{"t":"x"}])")}, &tag)) ==
        R"({"x":[{"t":"x"},{"t":"x"}],"1":[{"t":1}]})");
}

TEST_CASE("unique keeps first occurrences and treats 1 and 1.0 as equal") {
  CHECK(Json(Call("unique", {J(R"([1,"1",1.0,{"a":1},{"a":1},[2]])")})) == R"([1,"1",{"a":1},[2]])");
}

TEST_CASE("sum min max and avg") {
  CHECK(Json(Call("sum", {J("[1,2,3]")})) == "6");
  CHECK(Json(Call("sum", {J("[1,2.5]")})) == "3.5");
  CHECK(Json(Call("sum", {J("[]")})) == "0");
  CHECK_FALSE(Call("sum", {J(R"([1,"2"])")}).ok());
  auto overflow = Call("sum", {J("[9223372036854775807,1]")});
  REQUIRE_FALSE(overflow.ok());
  CHECK(overflow.error().kind == "runtime");
  CHECK(Json(Call("min", {J("[3,1,2]")})) == "1");
  CHECK(Json(Call("max", {J(R"(["a","c","b"])")})) == R"("c")");
  CHECK(Json(Call("min", {J("[]")})) == "null");
  CHECK(Json(Call("avg", {J("[1,2]")})) == "1.5");
  CHECK(Json(Call("avg", {J("[]")})) == "null");
}

TEST_CASE("range is half-open and bounded") {
  CHECK(Json(Call("range", {Value(1), Value(4)})) == "[1,2,3]");
  CHECK(Json(Call("range", {Value(4), Value(1)})) == "[]");
  auto huge = Call("range", {Value(int64_t{INT64_MIN}), Value(int64_t{INT64_MAX})});
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().kind == "value");
  CHECK_FALSE(Call("range", {Value(1.5), Value(3)}).ok());
}

TEST_CASE("join and split") {
  CHECK(Json(Call("join", {J(R"(["a",1,true])"), Value(", ")})) == R"("a, 1, true")");
  CHECK(Json(Call("join", {J("[]"), Value(",")})) == R"("")");
  CHECK_FALSE(Call("join", {J("[[1]]"), Value(",")}).ok());
  CHECK(Json(Call("split", {Value("a,b,,c"), Value(",")})) == R"(["a","b","","c"])");
  CHECK(Json(Call("split", {Value(""), Value(",")})) == R"([""])");
  CHECK(Json(Call("split", {Value("hé!"), Value("")})) == R"(["h","é","!"])");
}

TEST_CASE("case mapping trim and replace") {
  CHECK(Json(Call("upper", {Value("abc é")})) == R"("ABC é")");
  CHECK(Json(Call("lower", {Value("ABC")})) == R"("abc")");
  CHECK(Json(Call("trim", {Value(" \t x y \n")})) == R"("x y")");
  CHECK(Json(Call("trim", {Value("   ")})) == R"("")");
  CHECK(Json(Call("replace", {Value("a-b-c"), Value("-"), Value("+")})) == R"("a+b+c")");
  CHECK(Json(Call("replace", {Value("aaa"), Value("aa"), Value("b")})) == R"("ba")");
  CHECK(Json(Call("replace", {Value("abc"), Value(""), Value("x")})) == R"("abc")");
}

TEST_CASE("contains starts_with ends_with") {
  CHECK(Json(Call("contains", {Value("hello"), Value("ell")})) == "true");
  CHECK(Json(Call("contains", {J("[1,2]"), Value(2.0)})) == "true");
  CHECK(Json(Call("contains", {J(R"({"a":1})"), Value("b")})) == "false");
  CHECK_FALSE(Call("contains", {Value(1), Value(1)}).ok());
  CHECK(Json(Call("starts_with", {Value("hello"), Value("he")})) == "true");
  CHECK(Json(Call("ends_with", {Value("hello"), Value("he")})) == "false");
}

TEST_CASE("matches uses extended regular expressions and reports bad ones") {
  CHECK(Json(Call("matches", {Value("abc123"), Value("^[a-z]+[0-9]+$")})) == "true");
  CHECK(Json(Call("matches", {Value("abc"), Value("^b")})) == "false");
  auto bad = Call("matches", {Value("x"), Value("(")});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == "value");
  CHECK(bad.error().message.starts_with("bad regular expression `(`"));
  std::string long_input(1'000'000, 'a');
  CHECK(Json(Call("matches", {Value(long_input), Value("^(a|b)*$")})) == "true");
}

TEST_CASE("format fills fields and dotted paths and escapes braces") {
  Value r = J(R"({"name":"Ada","n":3,"who":{"city":"Paris"}})");
  CHECK(Json(Call("format", {Value("{name} has {n} in {who.city} {{ok}}"), r})) == R"("Ada has 3 in Paris {ok}")");
  auto missing = Call("format", {Value("{nope}"), r});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "`format` template names `nope`, which the record does not have");
  CHECK_FALSE(Call("format", {Value("{name"), r}).ok());
}

TEST_CASE("json round trips through to_json and from_json") {
  CHECK(Json(Call("to_json", {J(R"({"a":[1,"x"]})")})) == R"("{\"a\":[1,\"x\"]}")");
  CHECK(Json(Call("from_json", {Value(R"({"a":[1,"x"]})")})) == R"({"a":[1,"x"]})");
  auto bad = Call("from_json", {Value("{")});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == "json");
}

TEST_CASE("int number and string convert with clear errors") {
  CHECK(Json(Call("int", {Value(" 42 ")})) == "42");
  CHECK(Json(Call("int", {Value(-3.7)})) == "-3");
  CHECK(Json(Call("int", {Value(true)})) == "1");
  CHECK(Call("int", {Value("4x")}).error().message == R"(`int`: "4x" is not a whole number)");
  CHECK_FALSE(Call("int", {Value("99999999999999999999")}).ok());
  CHECK_FALSE(Call("int", {Value(1e300)}).ok());
  CHECK_FALSE(Call("int", {Value("")}).ok());
  CHECK(Json(Call("number", {Value("2.5")})) == "2.5");
  CHECK(Json(Call("number", {Value(2)})) == "2.0");
  CHECK_FALSE(Call("number", {Value("nan")}).ok());
  CHECK_FALSE(Call("number", {J("[]")}).ok());
  CHECK(Json(Call("string", {Value(2)})) == R"("2")");
  CHECK(Json(Call("string", {J(R"({"a":null})")})) == R"("{\"a\":null}")");
  CHECK(Json(Call("string", {Value("s")})) == R"("s")");
}

TEST_CASE("now is an ISO 8601 UTC timestamp and uuid a version 4 uuid") {
  auto now = Call("now", {});
  REQUIRE(now.ok());
  CHECK(now->as_string().size() == 24);
  CHECK(now->as_string().back() == 'Z');
  auto a = Call("uuid", {});
  auto b = Call("uuid", {});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->as_string().size() == 36);
  CHECK(a->as_string()[14] == '4');
  CHECK(a->as_string() != b->as_string());
}
