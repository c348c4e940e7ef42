// Ranking: a request in, tools out, best first, each with a score and (on request) the
// reasons it ranked. The score is BM25F over the tool's fields for the request's terms
// and their expansions (synonyms, spelling variants, compounds), plus bonuses for name
// coverage (less a penalty for the words of the tool's name the request does not
// mention, ToolIndex::NameClaims), the request's values filling the tool's parameters (slots.h), matching
// patterns and similar earlier corrections (which lift a tool only past the tools those
// corrections overruled), divided by what a tool matching every request word in its name
// would get, so it is comparable across requests and can be held against the confidence
// threshold.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/route/feedback_model.h"
#include "runtime/route/index.h"
#include "runtime/route/patterns.h"
#include "runtime/route/weights.h"

namespace orch::route {

/// One ranked tool.
struct RankedTool {
  uint32_t tool;  // index into ToolIndex::tools()
  double score;
  /// Human-readable reasons, strongest first (filled only when explaining).
  std::vector<std::string> reasons;
};

/// Everything a ranking reads. Patterns and feedback may be null.
struct RankInputs {
  const ToolIndex* index = nullptr;
  const Strategy* strategy = nullptr;
  RouteWeights weights;
  const std::vector<Pattern>* patterns = nullptr;
  const FeedbackModel* feedback = nullptr;
};

/// A request, optionally with the previous request of the same conversation.
struct RankRequest {
  std::string_view query;
  /// The previous request's text, for follow-ups ("now the same for Paris"); its words
  /// count with weight `context`, and `previous_tool` gets a bonus.
  std::string_view previous_query;
  int64_t previous_tool = -1;
  size_t top = 5;
  bool explain = false;
};

/// The tools that `inputs` without corrections ranks above `tool` for `query`, best first,
/// at most `limit` (all of them when `tool` is not ranked in the first `limit`): what a
/// correction of `query` to `tool` overrules.
std::vector<uint32_t> ToolsRankedAbove(const RankInputs& inputs, std::string_view query, uint32_t tool, size_t limit);

/// Ranks the tools of `inputs.index` for `request`: at most `request.top` tools with a
/// positive score, best first; ties broken by tool id.
std::vector<RankedTool> Rank(const RankInputs& inputs, const RankRequest& request);

}  // namespace orch::route
