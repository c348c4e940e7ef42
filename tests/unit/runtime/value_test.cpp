// Value and JSON round trips.
#include <doctest/doctest.h>

#include "runtime/value/json.h"

using orch::ParseJson;
using orch::ToJson;
using orch::Value;

TEST_CASE("json parses every kind and writes it back compactly") {
  auto v = ParseJson(R"({"a":1,"b":[true,null,2.5,"x\n"],"c":{}})");
  REQUIRE(v.ok());
  CHECK(v->Get("a").is_int());
  CHECK(v->Get("b").as_list().size() == 4);
  CHECK(ToJson(*v) == R"({"a":1,"b":[true,null,2.5,"x\n"],"c":{}})");
}

TEST_CASE("malformed json is an error of kind json") {
  auto v = ParseJson("{\"a\":");
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().kind == "json");
}

TEST_CASE("canonical json sorts keys and int equals number") {
  auto a = ParseJson(R"({"b":1,"a":2})");
  REQUIRE(a.ok());
  CHECK(orch::CanonicalJson(*a) == R"({"a":2,"b":1})");
  CHECK(Value(1) == Value(1.0));
  CHECK_FALSE(Value("1") == Value(1));
}

TEST_CASE("records keep insertion order and stay correct past the index threshold") {
  orch::Record r;
  for (int i = 0; i < 40; ++i) r.Set("k" + std::to_string(i), Value(i));
  r.Set("k3", Value(99));
  CHECK(r.size() == 40);
  CHECK(r.Find("k3")->as_int() == 99);
  CHECK(r.fields()[0].first == "k0");
  CHECK(r.Erase("k0"));
  CHECK(r.Find("k0") == nullptr);
  CHECK(r.Find("k39")->as_int() == 39);
}
