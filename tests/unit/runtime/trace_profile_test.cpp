// Profile arithmetic over recorded call intervals, and the Chrome trace it writes.
#include <doctest/doctest.h>

#include <set>

#include "runtime/trace/profile.h"
#include "runtime/value/json.h"

using namespace orch;
using namespace std::chrono_literals;
using trace::CallRecord;
using trace::Recording;

namespace {

CallRecord Call(uint64_t id, std::string tool, std::chrono::milliseconds start, std::chrono::milliseconds end,
                uint32_t site = 0) {
  CallRecord c;
  c.id = id;
  c.server = "srv";
  c.tool = std::move(tool);
  c.span = compiler::Span{0, site, site + 1};
  c.start = start;
  c.end = end;
  return c;
}

// a [0,10) → b [10,30), with a second call of the same site [12,20) overlapping it → d [30,35);
// the run ends at 40.
Recording Sample() {
  Recording r;
  r.total = 40ms;
  r.calls = {Call(1, "a", 0ms, 10ms, 1), Call(2, "b", 10ms, 30ms, 2), Call(3, "b", 12ms, 20ms, 2),
             Call(4, "d", 30ms, 35ms, 3)};
  return r;
}

}  // namespace

TEST_CASE("time in servers is the union of call intervals and the rest is the orchestrator's") {
  auto s = trace::Summarize(Sample());
  CHECK(s.in_servers == 35ms);
  CHECK(s.in_orchestrator == 5ms);
  CHECK(s.max_concurrency == 2);
  CHECK(s.mean_concurrency == doctest::Approx(43.0 / 35.0));
}

TEST_CASE("steps are grouped by call site and sorted by total time") {
  auto s = trace::Summarize(Sample());
  REQUIRE(s.steps.size() == 3);
  CHECK(s.steps[0].span.begin == 2);  // both calls of site 2: 20 + 8 ms
  CHECK(s.steps[0].calls == 2);
  CHECK(s.steps[0].total == 28ms);
  CHECK(s.steps[0].max == 20ms);
  CHECK(s.steps[1].name == "srv.a");
}

TEST_CASE("the critical path follows the calls that waited for each other, not the overlapping one") {
  auto s = trace::Summarize(Sample());
  std::vector<std::string> path;
  for (size_t i : s.critical_path) path.push_back(Sample().calls[i].tool);
  CHECK(path == std::vector<std::string>{"a", "b", "d"});
}

TEST_CASE("a run without calls has an empty profile") {
  Recording r;
  r.total = 5ms;
  auto s = trace::Summarize(r);
  CHECK(s.in_servers == 0ms);
  CHECK(s.in_orchestrator == 5ms);
  CHECK(s.steps.empty());
  CHECK(s.critical_path.empty());
}

TEST_CASE("the Chrome trace has one complete event per call, each inside a workflow event on its lane") {
  std::string text = trace::ChromeTraceJson({Sample(), Sample()}, "main", [](compiler::Span s) {
    return "f.orch:" + std::to_string(s.begin);
  });
  auto json = ParseJson(text);
  REQUIRE(json.ok());
  const List& events = json->Get("traceEvents").as_list();
  std::vector<Value> calls, workflows;
  for (const Value& e : events) {
    if (e.Get("ph").as_string() != "X") continue;
    (e.Get("cat").as_string() == "call" ? calls : workflows).push_back(e);
  }
  CHECK(calls.size() == 8);
  for (const Value& c : calls) {
    bool nested = false;
    for (const Value& w : workflows) {
      nested = nested || (w.Get("tid") == c.Get("tid") && w.Get("args").Get("run") == c.Get("args").Get("run") &&
                          w.Get("ts").as_int() <= c.Get("ts").as_int() &&
                          c.Get("ts").as_int() + c.Get("dur").as_int() <= w.Get("ts").as_int() + w.Get("dur").as_int());
    }
    CHECK(nested);
    CHECK(c.Get("args").Get("location").as_string().starts_with("f.orch:"));
  }
  // The two calls of site 2 overlap, so they are on different lanes.
  std::set<int64_t> lanes;
  for (const Value& c : calls) lanes.insert(c.Get("tid").as_int());
  CHECK(lanes.size() == 2);
}
