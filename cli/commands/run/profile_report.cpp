// RenderProfile: trace::Summarize per run, medians across runs, a fixed-width table.
#include "cli/commands/run/profile_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/trace/profile.h"

namespace orch::cli {
namespace {

using std::chrono::nanoseconds;

// Milliseconds, or microseconds below one millisecond.
std::string Ms(nanoseconds ns) {
  double ms = static_cast<double>(ns.count()) / 1e6;
  return ms < 1.0 ? fmt::format("{:.0f} µs", ms * 1000) : fmt::format("{:.1f} ms", ms);
}

nanoseconds Median(std::vector<nanoseconds> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

std::string LocationText(const compiler::SourceMap& sources, compiler::Span span) {
  if (!span.valid() || span.file >= sources.size()) return "";
  const auto& file = sources.file(span.file);
  auto lc = file.Locate(span.begin);
  return fmt::format("{}:{}:{}", file.path(), lc.line, lc.column);
}

std::string RenderProfile(const std::vector<trace::Recording>& recordings, const std::string& workflow,
                          const std::string& file, const compiler::SourceMap& sources) {
  std::vector<trace::ProfileSummary> summaries;
  for (const auto& r : recordings) summaries.push_back(trace::Summarize(r));
  const trace::ProfileSummary& last = summaries.back();
  std::string out;
  size_t runs = summaries.size();
  out += fmt::format("profile of `{}` in {} ({} run{})\n\n", workflow, file, runs, runs == 1 ? "" : "s");

  std::vector<nanoseconds> totals, servers, own;
  for (const auto& s : summaries) {
    totals.push_back(s.total);
    servers.push_back(s.in_servers);
    own.push_back(s.in_orchestrator);
  }
  auto [lo, hi] = std::minmax_element(totals.begin(), totals.end());
  if (runs == 1) {
    out += fmt::format("  total          {}\n", Ms(last.total));
  } else {
    out += fmt::format("  total          {} median, {} – {} over {} runs\n", Ms(Median(totals)), Ms(*lo), Ms(*hi), runs);
  }
  out += fmt::format("  in servers     {} (at least one call in flight)\n", Ms(Median(servers)));
  out += fmt::format("  orchestrator   {} (interpreting, scheduling; servers were started before the run)\n", Ms(Median(own)));
  size_t call_count = recordings.back().calls.size();
  out += fmt::format("  calls          {} per run; up to {} at once, {:.2f} on average while any ran\n\n", call_count,
                     last.max_concurrency, last.mean_concurrency);

  if (!last.steps.empty()) {
    size_t width = 24;
    for (const auto& step : last.steps) width = std::max(width, step.name.size());
    out += fmt::format("  {:<{}} {:>6} {:>11} {:>11} {:>11}  {}\n", "step", width, "calls", "total", "mean", "max", "where");
    for (const auto& step : last.steps) {
      out += fmt::format("  {:<{}} {:>6} {:>11} {:>11} {:>11}  {}\n", step.name, width, step.calls, Ms(step.total),
                         Ms(step.total / std::max(1, step.calls)), Ms(step.max), LocationText(sources, step.span));
    }
    out += "\n  critical path (each call started after the one before it ended):\n";
    const auto& calls = recordings.back().calls;
    for (size_t index : last.critical_path) {
      const trace::CallRecord& c = calls[index];
      out += fmt::format("    {:>11}  {}.{}  {}\n", Ms(c.end - c.start), c.server, c.tool, LocationText(sources, c.span));
    }
  } else {
    out += "  (the workflow called no tools)\n";
  }
  return out;
}

}  // namespace orch::cli
