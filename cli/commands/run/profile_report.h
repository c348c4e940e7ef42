// The text `orchestrator profile` prints: per-run totals (median and spread over runs),
// time in servers vs in the orchestrator, concurrency achieved, the slowest steps by call
// site, and the critical path of the last run.
#pragma once

#include <string>
#include <vector>

#include "compiler/source/source.h"
#include "runtime/trace/call_recorder.h"

namespace orch::cli {

/// "file:line:col" for `span`, or "" when it has none.
std::string LocationText(const compiler::SourceMap& sources, compiler::Span span);

/// The report for `recordings` (one per run, at least one) of `workflow` in `file`.
std::string RenderProfile(const std::vector<trace::Recording>& recordings, const std::string& workflow,
                          const std::string& file, const compiler::SourceMap& sources);

}  // namespace orch::cli
