// Learning from corrections. A FeedbackModel holds the requests the user routed by hand
// (`route feedback QUERY --chose server/tool`), each with the tools the router had ranked
// above the chosen one at the time (the competitors the correction overruled). A new
// request is compared with each corrected request on its own (nearest neighbours, an
// idf-weighted Dice similarity of their terms): a correction votes for its tool in
// proportion to that similarity above a floor, and the ranker lets the vote lift the tool
// only past that correction's competitors, never past a tool the correction says nothing
// about. So corrections move the identical request and its paraphrases, and requests that
// merely share a catalog's boilerplate with a correction are not pulled to its tool.
// The corrected requests of each tool also form a learned text field of that tool (document
// expansion from the query log): a request scored against it by BM25 finds the tool for
// paraphrases that share words with several of its corrections but no whole sentence with
// any one of them. That score votes under the same restriction, on behalf of the
// corrections whose words it matched.
// MinePatterns turns recurring words of a tool's corrections into keyword patterns, which
// vote under the same restriction as the corrections they come from.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime/route/index.h"
#include "runtime/route/patterns.h"

namespace orch::route {

/// One correction: this request should have gone to this tool.
struct FeedbackExample {
  std::string query;
  std::string tool;  // server/name
};

/// How well one earlier correction matches a request.
struct FeedbackMatch {
  size_t example;     // index of the correction
  uint32_t tool;      // the tool it chose
  double similarity;  // 0..1: idf-weighted Dice similarity of the two requests' terms
};

/// What a tool's learned text field (its corrected requests) gives a request.
struct LearnedMatch {
  uint32_t tool;
  double score;                  // BM25 over the learned field, in idf units
  std::vector<size_t> examples;  // the tool's corrections sharing a term with the request
};

/// A pattern mined from corrections, with the corrections it came from: it votes like
/// them, so it too lifts its tool only past the tools they overruled.
struct MinedPattern {
  Pattern pattern;
  uint32_t tool = 0;
  std::vector<size_t> examples;
};

/// The tools that the ranking without corrections put above `tool` for `query`, best first.
using RankedAbove = std::function<std::vector<uint32_t>(const std::string& query, uint32_t tool)>;

class FeedbackModel {
 public:
  FeedbackModel() = default;
  /// Indexes the examples whose tool exists in `index` (others are ignored: the catalog
  /// may have changed since); `ranked_above` gives each one's competitors. The index must
  /// outlive the model.
  FeedbackModel(std::vector<FeedbackExample> examples, const ToolIndex& index, const RankedAbove& ranked_above);

  bool empty() const { return live_.empty(); }
  const FeedbackExample& example(size_t i) const { return examples_[i]; }
  /// The tools correction `i` overruled, sorted by id (for binary search).
  const std::vector<uint32_t>& competitors(size_t i) const { return competitors_[i]; }
  /// Whether correction `i` overruled `tool`.
  bool Overruled(size_t i, uint32_t tool) const;

  /// Takes the patterns mined from these corrections (MinePatterns); patterns for tools
  /// not in the catalog, or that no correction supports, are dropped.
  void SetMinedPatterns(std::vector<Pattern> mined);
  /// The mined patterns whose terms all occur in `present`.
  std::vector<const MinedPattern*> MatchPatterns(const std::unordered_set<std::string>& present) const;

  /// The corrections whose similarity to the request is at least `min_similarity`, most
  /// similar first.
  std::vector<FeedbackMatch> Match(const std::vector<std::string>& query_terms, double min_similarity) const;

  /// Scores the request against each tool's learned text field, the terms of the requests
  /// corrected to it (a term counts once per correction), by BM25 with saturation `k1` and
  /// length normalisation `b`; tools sharing no term are left out. Sorted by tool.
  std::vector<LearnedMatch> MatchLearned(const std::vector<std::string>& query_terms, double k1, double b) const;

 private:
  double Idf(const std::string& term) const;

  std::vector<FeedbackExample> examples_;
  std::vector<uint32_t> tool_of_;
  /// Corrections whose tool is in the catalog and whose request has terms.
  std::vector<size_t> live_;
  /// Distinct terms of each correction with their idf, and the sum of those idfs.
  std::vector<std::vector<std::pair<std::string, double>>> terms_;
  std::vector<double> weight_;
  std::vector<std::vector<uint32_t>> competitors_;
  /// Term → corrections containing it.
  std::unordered_map<std::string, std::vector<size_t>> postings_;
  /// Term → number of corrections containing it (idf counts tools and corrections).
  std::unordered_map<std::string, uint32_t> df_;
  /// Tool → the length of its learned text field (the number of distinct terms summed over
  /// its corrections), and the mean over the tools that have one.
  std::unordered_map<uint32_t, double> learned_length_;
  double learned_average_ = 0;
  std::vector<MinedPattern> mined_;
  const ToolIndex* index_ = nullptr;
};

/// Keyword patterns mined from corrections: a word that occurs in at least `min_support`
/// of one tool's corrections and whose corrections go to that tool at least
/// `min_precision` of the time. Weight grows with support and precision.
std::vector<Pattern> MinePatterns(const std::vector<FeedbackExample>& examples, const AnalyzerOptions& options,
                                  size_t min_support = 2, double min_precision = 0.8);

}  // namespace orch::route
