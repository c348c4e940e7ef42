// The pattern library: keyword patterns that vote for a tool or for every tool of a
// server, written by hand in YAML or mined from feedback. A pattern matches a request
// when every one of its keywords occurs in it (after the same analysis as tool text).
//
//   patterns:
//     - tool: github/create_issue        # or `server: github`
//       keywords: [bug, report]           # all must appear; a string splits on spaces
//       weight: 1.0                       # optional, default 1
#pragma once

#include <string>
#include <vector>

#include "runtime/route/text.h"
#include "runtime/value/error_or.h"

namespace orch::route {

/// One keyword pattern.
struct Pattern {
  /// `server/tool`, or empty when the pattern names a server.
  std::string tool;
  /// The server whose tools all get the vote (when `tool` is empty).
  std::string server;
  /// Words as written (for `--explain`) and their analyzed terms (for matching).
  std::vector<std::string> keywords;
  std::vector<std::string> terms;
  double weight = 1.0;
  /// Where it came from: a file name, or "feedback" for mined patterns.
  std::string origin;
};

/// Reads a YAML pattern file. Unknown keys and malformed entries are errors naming the
/// entry; tools that do not exist in the catalog are the caller's to report.
ErrorOr<std::vector<Pattern>> LoadPatternFile(const std::string& path, const AnalyzerOptions& options);

/// Analyzes `keywords` into the pattern's terms (used for mined patterns too).
void AnalyzePattern(Pattern& pattern, const AnalyzerOptions& options);

}  // namespace orch::route
