// Value and JSON round trips.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

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

TEST_CASE("a value is two words and copies share their payload") {
  static_assert(sizeof(Value) == 16);
  Value a(std::string(100, 'x'));
  Value b = a;
  CHECK(&a.as_string() == &b.as_string());
  Value c = std::move(b);
  CHECK(b.is_null());  // NOLINT(bugprone-use-after-move): a moved-from Value is null
  CHECK(c.as_string().size() == 100);
  a = c;
  a = a;
  CHECK(a == c);
  c = Value(1);
  CHECK(a.as_string().size() == 100);
}

TEST_CASE("setting a field in a copy of a large record leaves the original alone") {
  orch::Record original;
  for (int i = 0; i < 20; ++i) original.Set("k" + std::to_string(i), Value(i));
  orch::Record copy = original;
  copy.Set("extra", Value("new"));
  copy.Set("k5", Value(-5));
  CHECK(original.size() == 20);
  CHECK(original.Find("extra") == nullptr);
  CHECK(original.Find("k5")->as_int() == 5);
  CHECK(copy.Find("extra")->as_string() == "new");
  CHECK(copy.Find("k5")->as_int() == -5);
  copy = original;
  CHECK(copy.Find("extra") == nullptr);
  CHECK(copy.Find("k19")->as_int() == 19);
}

TEST_CASE("values shared between threads keep their payload until the last copy goes") {
  Value shared(orch::List{Value("a"), Value(orch::Record{{"k", Value(std::string(64, 'v'))}})});
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        Value copy = shared;
        Value inner = copy.as_list()[1].Get("k");
        if (inner.as_string().size() == 64) good.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(good.load() == 80000);
  CHECK(shared.as_list()[0].as_string() == "a");
}

TEST_CASE("json parses scalar documents, keeps the last of duplicate keys and widens huge integers") {
  CHECK(ParseJson("42")->as_int() == 42);
  CHECK(ParseJson("-2.5")->as_number() == -2.5);
  CHECK(ParseJson("\"h\\u00e9\"")->as_string() == "h\xC3\xA9");
  CHECK(ParseJson("true")->as_bool());
  CHECK(ParseJson(" null ")->is_null());
  CHECK(ToJson(*ParseJson(R"({"a":1,"b":2,"a":3})")) == R"({"a":3,"b":2})");
  auto big = ParseJson("18446744073709551615");
  REQUIRE(big.ok());
  CHECK(big->is_number());
  CHECK(ToJson(*ParseJson(R"([[[]],{"x":[{"y":null}]}])")) == R"([[[]],{"x":[{"y":null}]}])");
}

TEST_CASE("json reports truncated documents, bad literals and content after the value") {
  for (const char* bad : {"", "   ", "[1,2", "{\"a\":1 \"b\":2}", "tru", "nul", "[1] [2]", "{} x", "[1,]", "{\"a\"}",
                          "\"unterminated", "1e400", "[01]", "1 2", "true false", "null null", "\"a\" \"b\""}) {
    CAPTURE(bad);
    auto v = ParseJson(bad);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().kind == "json");
  }
}

TEST_CASE("a json error says where the problem is and what the text looks like there") {
  auto message = [](std::string_view text) {
    auto v = ParseJson(text);
    REQUIRE_FALSE(v.ok());
    return v.error().message;
  };
  CHECK(message("Error: file not found") == "malformed JSON: the text starts with `Error: file not found`, which is not JSON");
  CHECK(message("  \n ") == "malformed JSON: the text is empty");
  CHECK(message("{\"a\":\n  [1, 2,\n   nul]}") == "malformed JSON: not a JSON value at line 3, column 4, near `nul]}`");
  CHECK(message("[1, 2] x") == "malformed JSON: more content after the first value at line 1, column 8, near `x`");
  CHECK(message(R"({"a": "b\x"})") ==
        "malformed JSON: a string holds an unknown escape or a raw control character at line 1, column 9, near `\\x\"}`");
  CHECK(message(R"({"a": [1, 2})") ==
        "malformed JSON: a comma, colon, bracket or brace is missing or misplaced (the `}` at line 1, column 12 closes the "
        "`[` at line 1, column 7)");
  CHECK(message(R"([{"id": 1}, {"id": 2)") ==
        "malformed JSON: a comma, colon, bracket or brace is missing or misplaced (the text ends before the `{` at line 1, "
        "column 13 is closed: is it cut off?)");
  // Columns count characters, and a long excerpt is cut with an ellipsis.
  CHECK(message("[\"é\", tru, \"0123456789012345678901234567890123456789\"]") ==
        "malformed JSON: not a JSON value at line 1, column 7, near `tru, \"01234567890123456789012345…`");
  // An excerpt is cut between characters, never inside one.
  std::string accents;
  for (int i = 0; i < 40; ++i) accents += "é";
  std::string shown;  // 32 characters in all: `tru, "` and 26 of them
  for (int i = 0; i < 26; ++i) shown += "é";
  CHECK(message("[tru, \"" + accents + "\"]") ==
        "malformed JSON: not a JSON value at line 1, column 2, near `tru, \"" + shown + "…`");
}

TEST_CASE("json parses a padded string in place and an unpadded one by copy alike") {
  std::string text = R"({"list":[1,2,3],"s":"x"})";
  std::string padded = text;
  padded.reserve(text.size() + orch::kJsonPadding);
  auto a = orch::ParseJsonString(padded);
  auto b = ParseJson(text);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a == *b);
}
