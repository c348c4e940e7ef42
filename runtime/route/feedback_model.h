// Learning from corrections. A FeedbackModel holds the requests the user routed by hand
// (`route feedback QUERY --chose server/tool`). Each tool's corrected requests form one
// extra document for that tool (document expansion from a query log), and a new request is
// scored against those documents with BM25, so a correction also moves similar requests,
// not only the identical string, and several corrections to one tool add up. Term weights
// count both the tools and the correction documents, so chatter that recurs in many
// corrections ("recommend", "find me") weighs little. MinePatterns turns recurring words of
// a tool's corrections into keyword patterns.
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

/// How well a tool's earlier corrections match a request.
struct FeedbackMatch {
  uint32_t tool;
  double similarity;  // 0..1: the share of the request's term weight found in the corrections
  size_t example;     // the correction sharing the most with the request (for --explain)
};

class FeedbackModel {
 public:
  FeedbackModel() = default;
  /// Indexes the examples whose tool exists in `index` (others are ignored: the catalog
  /// may have changed since).
  FeedbackModel(std::vector<FeedbackExample> examples, const ToolIndex& index);
  /// The index must outlive the model.

  bool empty() const { return documents_.empty(); }
  const FeedbackExample& example(size_t i) const { return examples_[i]; }

  /// The tools whose corrections match the request with similarity at least
  /// `min_similarity`, best first.
  std::vector<FeedbackMatch> Match(const std::vector<std::string>& query_terms, double min_similarity) const;

 private:
  /// The corrections of one tool, as one bag of terms.
  struct Document {
    uint32_t tool = 0;
    std::unordered_map<std::string, uint32_t> tf;
    uint32_t length = 0;
    std::vector<size_t> examples;
  };
  double Idf(const std::string& term) const;

  std::vector<FeedbackExample> examples_;
  std::vector<std::vector<std::string>> example_terms_;
  std::vector<Document> documents_;
  /// Term → number of correction documents containing it.
  std::unordered_map<std::string, uint32_t> df_;
  double average_length_ = 1;
  const ToolIndex* index_ = nullptr;
};

/// Keyword patterns mined from corrections: a word that occurs in at least `min_support`
/// of one tool's corrections and whose corrections go to that tool at least
/// `min_precision` of the time. Weight grows with support and precision.
std::vector<Pattern> MinePatterns(const std::vector<FeedbackExample>& examples, const AnalyzerOptions& options,
                                  size_t min_support = 2, double min_precision = 0.8);

}  // namespace orch::route
