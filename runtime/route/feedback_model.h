// Learning from corrections. A FeedbackModel holds the requests the user routed by hand
// (`route feedback QUERY --chose server/tool`) and scores a new request by its idf-weighted
// cosine similarity to each of them, so a correction also moves similar requests, not only
// the identical string. MinePatterns turns recurring words of a tool's corrections into
// keyword patterns.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/route/index.h"
#include "runtime/route/patterns.h"

namespace orch::route {

/// One correction: this request should have gone to this tool.
struct FeedbackExample {
  std::string query;
  std::string tool;  // server/name
};

/// The best-matching earlier correction for a tool.
struct FeedbackMatch {
  uint32_t tool;
  double similarity;  // cosine, 0..1
  size_t example;     // index into the model's examples
};

class FeedbackModel {
 public:
  FeedbackModel() = default;
  /// Indexes the examples whose tool exists in `index` (others are ignored: the catalog
  /// may have changed since).
  FeedbackModel(std::vector<FeedbackExample> examples, const ToolIndex& index);
  /// The index must outlive the model.

  bool empty() const { return vectors_.empty(); }
  const FeedbackExample& example(size_t i) const { return examples_[i]; }

  /// For each tool with a similar earlier correction, the most similar one (similarity
  /// at least `min_similarity`).
  std::vector<FeedbackMatch> Match(const std::vector<std::string>& query_terms, double min_similarity) const;

 private:
  struct Vector {
    std::unordered_map<std::string, double> weights;
    double norm = 0;
    uint32_t tool = 0;
    size_t example = 0;
  };
  Vector MakeVector(const std::vector<std::string>& terms) const;

  std::vector<FeedbackExample> examples_;
  std::vector<Vector> vectors_;
  /// Term → ids of vectors containing it.
  std::unordered_map<std::string, std::vector<uint32_t>> postings_;
  /// Term weights come from the tool index (a word common among tools says little).
  const ToolIndex* index_ = nullptr;
};

/// Keyword patterns mined from corrections: a word that occurs in at least `min_support`
/// of one tool's corrections and whose corrections go to that tool at least
/// `min_precision` of the time. Weight grows with support and precision.
std::vector<Pattern> MinePatterns(const std::vector<FeedbackExample>& examples, const AnalyzerOptions& options,
                                  size_t min_support = 2, double min_precision = 0.8);

}  // namespace orch::route
