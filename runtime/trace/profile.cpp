// Summarize and ChromeTraceJson over recorded call intervals.
#include "runtime/trace/profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "runtime/value/json.h"

namespace orch::trace {
namespace {

using std::chrono::nanoseconds;

const char* OutcomeName(interp::CallOutcome outcome) {
  switch (outcome) {
    case interp::CallOutcome::kOk: return "ok";
    case interp::CallOutcome::kFailed: return "failed";
    case interp::CallOutcome::kCached: return "cached";
    case interp::CallOutcome::kCancelled: return "cancelled";
  }
  return "ok";
}

int64_t Micros(nanoseconds ns) { return std::chrono::duration_cast<std::chrono::microseconds>(ns).count(); }

// Assigns each call (in start order) the first lane free at its start.
std::vector<size_t> Lanes(const std::vector<CallRecord>& calls) {
  std::vector<nanoseconds> lane_end;
  std::vector<size_t> lanes;
  for (const CallRecord& c : calls) {
    size_t lane = 0;
    while (lane < lane_end.size() && lane_end[lane] > c.start) ++lane;
    if (lane == lane_end.size()) lane_end.push_back(c.end);
    else lane_end[lane] = c.end;
    lanes.push_back(lane);
  }
  return lanes;
}

}  // namespace

ProfileSummary Summarize(const Recording& recording) {
  ProfileSummary s;
  s.total = recording.total;
  const auto& calls = recording.calls;

  // Union of the call intervals and the highest overlap, from a sweep over start/end points.
  std::vector<std::pair<nanoseconds, int>> points;
  nanoseconds busy_sum{0};
  for (const CallRecord& c : calls) {
    points.emplace_back(c.start, +1);
    points.emplace_back(c.end, -1);
    busy_sum += c.end - c.start;
  }
  std::sort(points.begin(), points.end());  // at equal times, ends (-1) come first
  int depth = 0;
  nanoseconds opened{0};
  for (const auto& [at, delta] : points) {
    if (depth == 0 && delta > 0) opened = at;
    depth += delta;
    s.max_concurrency = std::max(s.max_concurrency, depth);
    if (depth == 0 && delta < 0) s.in_servers += at - opened;
  }
  s.in_orchestrator = std::max(nanoseconds{0}, s.total - s.in_servers);
  s.mean_concurrency = s.in_servers.count() > 0 ? static_cast<double>(busy_sum.count()) / s.in_servers.count() : 0;

  std::map<std::tuple<uint32_t, uint32_t, std::string>, StepStats> by_site;
  for (const CallRecord& c : calls) {
    StepStats& step = by_site[{c.span.file, c.span.begin, c.server + "." + c.tool}];
    step.name = c.server + "." + c.tool;
    step.span = c.span;
    ++step.calls;
    step.total += c.end - c.start;
    step.max = std::max(step.max, c.end - c.start);
  }
  for (auto& [key, step] : by_site) s.steps.push_back(step);
  std::sort(s.steps.begin(), s.steps.end(), [](const StepStats& a, const StepStats& b) { return a.total > b.total; });

  // Critical path, walked back from the call that ended last: each call's predecessor is
  // the call that ended last before it started (what it was, at the latest, waiting for).
  if (!calls.empty()) {
    size_t current = 0;
    for (size_t i = 1; i < calls.size(); ++i) {
      if (calls[i].end > calls[current].end) current = i;
    }
    std::vector<size_t> path{current};
    for (;;) {
      std::optional<size_t> before;
      for (size_t i = 0; i < calls.size(); ++i) {
        if (calls[i].end <= calls[current].start && (!before || calls[i].end > calls[*before].end)) before = i;
      }
      if (!before) break;
      current = *before;
      path.push_back(current);
    }
    s.critical_path.assign(path.rbegin(), path.rend());
  }
  return s;
}

std::string ChromeTraceJson(const std::vector<Recording>& runs, const std::string& workflow,
                            const std::function<std::string(compiler::Span)>& where) {
  List events;
  events.push_back(Value(Record{{"name", Value("process_name")}, {"ph", Value("M")}, {"pid", Value(1)},
                                {"args", Value(Record{{"name", Value("orchestrator")}})}}));
  nanoseconds offset{0};
  size_t lanes_named = 0;
  for (size_t r = 0; r < runs.size(); ++r) {
    const Recording& run = runs[r];
    std::vector<size_t> lanes = Lanes(run.calls);
    size_t lane_count = std::max<size_t>(1, lanes.empty() ? 1 : *std::max_element(lanes.begin(), lanes.end()) + 1);
    for (size_t lane = 0; lane < lane_count; ++lane) {
      if (lane >= lanes_named) {
        events.push_back(Value(Record{{"name", Value("thread_name")}, {"ph", Value("M")}, {"pid", Value(1)},
                                      {"tid", Value(static_cast<int64_t>(lane + 1))},
                                      {"args", Value(Record{{"name", Value(fmt::format("calls, lane {}", lane + 1))}})}}));
        lanes_named = lane + 1;
      }
      events.push_back(Value(Record{{"name", Value("workflow " + workflow)},
                                    {"cat", Value("workflow")},
                                    {"ph", Value("X")},
                                    {"ts", Value(Micros(offset))},
                                    {"dur", Value(Micros(run.total))},
                                    {"pid", Value(1)},
                                    {"tid", Value(static_cast<int64_t>(lane + 1))},
                                    {"args", Value(Record{{"run", Value(static_cast<int64_t>(r + 1))}})}}));
    }
    for (size_t i = 0; i < run.calls.size(); ++i) {
      const CallRecord& c = run.calls[i];
      Record args{{"server", Value(c.server)}, {"tool", Value(c.tool)}, {"outcome", Value(OutcomeName(c.outcome))},
                  {"attempts", Value(c.attempts)}, {"run", Value(static_cast<int64_t>(r + 1))}};
      if (where) args.Set("location", Value(where(c.span)));
      // A call is drawn at least 1 µs long and inside its workflow's event.
      int64_t ts = Micros(offset + c.start);
      int64_t run_end = Micros(offset + run.total);
      int64_t dur = std::clamp<int64_t>(Micros(c.end - c.start), std::min<int64_t>(1, run_end - ts),
                                        std::max<int64_t>(0, run_end - ts));
      events.push_back(Value(Record{{"name", Value(c.server + "." + c.tool)},
                                    {"cat", Value("call")},
                                    {"ph", Value("X")},
                                    {"ts", Value(ts)},
                                    {"dur", Value(dur)},
                                    {"pid", Value(1)},
                                    {"tid", Value(static_cast<int64_t>(lanes[i] + 1))},
                                    {"args", Value(std::move(args))}}));
    }
    offset += run.total + std::chrono::milliseconds(1);
  }
  Record root{{"traceEvents", Value(std::move(events))}, {"displayTimeUnit", Value("ms")}};
  return ToJson(Value(std::move(root)), {2, false}) + "\n";
}

}  // namespace orch::trace
