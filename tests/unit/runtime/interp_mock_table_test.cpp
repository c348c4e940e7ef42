// MockTable (the replies of `mock` in test blocks): pattern matching, the most specific
// rule winning, sequences whose last reply repeats, and the call log behind `calls`.
#include <doctest/doctest.h>

#include "runtime/interp/mock_table.h"

using namespace orch;
using interp::MockLookup;
using interp::MockReply;
using interp::MockTable;

namespace {

MockReply Reply(Value v) {
  MockReply r;
  r.value = std::move(v);
  return r;
}

Value Args(std::initializer_list<std::pair<const char*, Value>> fields) {
  Record r;
  for (const auto& [k, v] : fields) r.Set(k, v);
  return Value(std::move(r));
}

Value Answer(MockTable& table, const std::string& target, const Value& args) {
  MockReply reply;
  REQUIRE(table.Find(target, args, &reply) == MockLookup::kFound);
  return reply.value;
}

}  // namespace

TEST_CASE("a target without a rule is not mocked") {
  MockTable table;
  MockReply reply;
  CHECK(table.Find("fs.read", Args({}), &reply) == MockLookup::kNotMocked);
  CHECK_FALSE(table.Has("fs.read"));
}

TEST_CASE("a rule without a pattern answers every call") {
  MockTable table;
  table.Add("fs.read", Value(Record{}), Reply(Value("any")));
  CHECK(table.Has("fs.read"));
  CHECK(Answer(table, "fs.read", Args({{"path", Value("/a")}})) == Value("any"));
  CHECK(Answer(table, "fs.read", Args({})) == Value("any"));
}

TEST_CASE("the most specific matching pattern wins whatever the declaration order") {
  MockTable table;
  table.Add("fs.read", Args({{"path", Value("/a")}, {"mode", Value("r")}}), Reply(Value("both")));
  table.Add("fs.read", Value(Record{}), Reply(Value("fallback")));
  table.Add("fs.read", Args({{"path", Value("/a")}}), Reply(Value("path")));
  CHECK(Answer(table, "fs.read", Args({{"path", Value("/a")}, {"mode", Value("r")}})) == Value("both"));
  CHECK(Answer(table, "fs.read", Args({{"path", Value("/a")}, {"mode", Value("w")}})) == Value("path"));
  CHECK(Answer(table, "fs.read", Args({{"path", Value("/b")}})) == Value("fallback"));
}

TEST_CASE("patterns compare values for equality, records field by field") {
  MockTable table;
  table.Add("db.q", Args({{"n", Value(int64_t{1})}}), Reply(Value("int one")));
  table.Add("db.q", Args({{"opts", Args({{"deep", Value(true)}})}}), Reply(Value("deep")));
  CHECK(Answer(table, "db.q", Args({{"n", Value(int64_t{1})}})) == Value("int one"));
  CHECK(Answer(table, "db.q", Args({{"opts", Args({{"deep", Value(true)}, {"x", Value(int64_t{2})}})}})) ==
        Value("deep"));
  MockReply reply;
  CHECK(table.Find("db.q", Args({{"n", Value(int64_t{2})}}), &reply) == MockLookup::kNoMatch);
  CHECK(table.Find("db.q", Args({{"n", Value("1")}}), &reply) == MockLookup::kNoMatch);
  auto patterns = table.Patterns("db.q");
  REQUIRE(patterns.size() == 2);
  CHECK(patterns[0] == "{\"n\":1}");
}

TEST_CASE("mocks of the same target and pattern form a sequence whose last reply repeats") {
  MockTable table;
  table.Add("api.next", Value(Record{}), Reply(Value(int64_t{1})));
  table.Add("api.next", Value(Record{}), Reply(Value(int64_t{2})));
  table.Add("api.next", Args({{"page", Value(int64_t{9})}}), Reply(Value(int64_t{99})));
  CHECK(Answer(table, "api.next", Args({})) == Value(int64_t{1}));
  CHECK(Answer(table, "api.next", Args({{"page", Value(int64_t{9})}})) == Value(int64_t{99}));
  CHECK(Answer(table, "api.next", Args({})) == Value(int64_t{2}));
  CHECK(Answer(table, "api.next", Args({})) == Value(int64_t{2}));
}

TEST_CASE("the call log keeps every call's arguments in order, per target") {
  MockTable table;
  CHECK(table.Calls("a.b").empty());
  table.RecordCall("a.b", Args({{"x", Value(int64_t{1})}}));
  table.RecordCall("c.d", Args({}));
  table.RecordCall("a.b", Args({{"x", Value(int64_t{2})}}));
  List calls = table.Calls("a.b");
  REQUIRE(calls.size() == 2);
  CHECK(calls[1] == Args({{"x", Value(int64_t{2})}}));
  CHECK(table.Calls("c.d").size() == 1);
}
