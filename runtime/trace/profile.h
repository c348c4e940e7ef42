// What `orchestrator profile` reports from a Recording: where the time went (in servers vs
// in the orchestrator), how much concurrency the run actually achieved, per-step timings
// by call site, and the critical path (the chain of calls, each waiting for the one before,
// that decided the run's length). Also the Chrome trace event format that Perfetto and
// chrome://tracing open (`--trace-out`).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "runtime/trace/call_recorder.h"

namespace orch::trace {

/// All calls made from one call site (one `server.tool(…)` in the source).
struct StepStats {
  std::string name;  ///< "server.tool"
  compiler::Span span;
  int calls = 0;
  std::chrono::nanoseconds total{0};
  std::chrono::nanoseconds max{0};
};

struct ProfileSummary {
  std::chrono::nanoseconds total{0};
  /// Time during which at least one call was in flight.
  std::chrono::nanoseconds in_servers{0};
  /// The rest: compiling excluded, this is interpreting, scheduling and waiting on nothing.
  std::chrono::nanoseconds in_orchestrator{0};
  int max_concurrency = 0;
  /// Sum of call durations over `in_servers`: 1.0 means strictly one call at a time.
  double mean_concurrency = 0;
  /// By total time, largest first.
  std::vector<StepStats> steps;
  /// Indices into Recording::calls, first call first.
  std::vector<size_t> critical_path;
};

ProfileSummary Summarize(const Recording& recording);

/// The runs as Chrome trace event JSON: per run, a complete event for the workflow and one
/// per call, calls that overlap on separate lanes (threads), each lane under its own copy of
/// the workflow event so every call nests inside it. `where` names a call's source location.
std::string ChromeTraceJson(const std::vector<Recording>& runs, const std::string& workflow,
                            const std::function<std::string(compiler::Span)>& where);

}  // namespace orch::trace
