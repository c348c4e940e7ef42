// Operators on runtime values: ordering, display, arithmetic errors.
#include <doctest/doctest.h>

#include "runtime/interp/value_ops.h"
#include "runtime/value/json.h"

using namespace orch;
using namespace orch::interp;

TEST_CASE("int arithmetic stays int and overflow is a runtime error") {
  CHECK(Add(Value(2), Value(3))->is_int());
  CHECK(Add(Value(2), Value(0.5))->as_number() == 2.5);
  auto overflow = Multiply(Value(int64_t{INT64_MAX}), Value(2));
  REQUIRE_FALSE(overflow.ok());
  CHECK(overflow.error().kind == "runtime");
  CHECK_FALSE(Negate(Value(int64_t{INT64_MIN})).ok());
  CHECK(Remainder(Value(int64_t{INT64_MIN}), Value(-1))->as_int() == 0);
}

TEST_CASE("division always yields a number and by zero is an error") {
  auto half = Divide(Value(1), Value(2));
  REQUIRE(half.ok());
  CHECK(half->is_number());
  CHECK(half->as_number() == 0.5);
  auto zero = Divide(Value(1), Value(0));
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.error().message == "division by zero: 1 / 0");
  CHECK_FALSE(Remainder(Value(1), Value(0)).ok());
  CHECK_FALSE(Divide(Value(1.0), Value(0.0)).ok());
}

TEST_CASE("plus concatenates strings and lists and merges records") {
  CHECK(Add(Value("a"), Value("b"))->as_string() == "ab");
  CHECK(ToJson(*Add(*ParseJson("[1]"), *ParseJson("[2]"))) == "[1,2]");
  CHECK(ToJson(*Add(*ParseJson(R"({"a":1,"b":2})"), *ParseJson(R"({"b":3})"))) == R"({"a":1,"b":3})");
  auto bad = Add(Value("a"), Value(1));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "cannot apply `+` to string and int");
}

TEST_CASE("ordering is defined between numbers or between strings only") {
  CHECK(*CompareOrdered(Value(1), Value(1.5)) < 0);
  CHECK(*CompareOrdered(Value("b"), Value("a")) > 0);
  CHECK_FALSE(CompareOrdered(Value(1), Value("a")).ok());
  CHECK(CompareValues(Value(), Value(false)) < 0);
  CHECK(CompareValues(*ParseJson(R"({"a":1})"), *ParseJson(R"({"a":1})")) == 0);
}

TEST_CASE("display form prints strings raw and everything else as json") {
  CHECK(DisplayString(Value("x")) == "x");
  CHECK(DisplayString(Value(2)) == "2");
  CHECK(DisplayString(Value()) == "null");
  CHECK(DisplayString(*ParseJson(R"({"a":[1]})")) == R"({"a":[1]})");
}

TEST_CASE("equal values hash alike") {
  CHECK(HashValue(Value(1)) == HashValue(Value(1.0)));
  CHECK(HashValue(*ParseJson(R"({"a":1,"b":2})")) == HashValue(*ParseJson(R"({"b":2,"a":1})")));
}

TEST_CASE("in looks into lists records and strings") {
  CHECK(Contains(*ParseJson("[1,2]"), Value(2))->as_bool());
  CHECK(Contains(Value("abc"), Value("bc"))->as_bool());
  CHECK_FALSE(Contains(Value(1), Value(1)).ok());
}
