// The synonym table (synonyms.def) as analyzed terms: for a query term, the terms of the
// words it is interchangeable with. Built once per analyzer setting.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/route/text.h"

namespace orch::route {

/// term, or a phrase's terms joined by one space → the other terms of every group it
/// belongs to (no duplicates, never its own terms).
using SynonymMap = std::unordered_map<std::string, std::vector<std::string>>;

/// The synonym map for `options` (stemmed or not); built on first use, then shared.
const SynonymMap& Synonyms(const AnalyzerOptions& options);

}  // namespace orch::route
