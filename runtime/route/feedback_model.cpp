// Nearest earlier corrections and mined patterns.
#include "runtime/route/feedback_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace orch::route {

namespace {
constexpr double kK1 = 1.2;
constexpr double kB = 0.5;
}  // namespace

FeedbackModel::FeedbackModel(std::vector<FeedbackExample> examples, const ToolIndex& index)
    : examples_(std::move(examples)), index_(&index) {
  example_terms_.resize(examples_.size());
  std::unordered_map<uint32_t, size_t> by_tool;
  for (size_t i = 0; i < examples_.size(); ++i) {
    int64_t tool = index.FindTool(examples_[i].tool);
    if (tool < 0) continue;  // the catalog changed since the correction
    example_terms_[i] = Analyze(examples_[i].query, index.analyzer());
    if (example_terms_[i].empty()) continue;
    auto [it, inserted] = by_tool.emplace(static_cast<uint32_t>(tool), documents_.size());
    if (inserted) {
      documents_.emplace_back();
      documents_.back().tool = static_cast<uint32_t>(tool);
    }
    Document& doc = documents_[it->second];
    doc.examples.push_back(i);
    for (const auto& term : example_terms_[i]) {
      if (doc.tf[term]++ == 0) ++df_[term];
      ++doc.length;
    }
  }
  double total = 0;
  for (const auto& doc : documents_) total += doc.length;
  average_length_ = documents_.empty() ? 1.0 : std::max(1.0, total / static_cast<double>(documents_.size()));
}

double FeedbackModel::Idf(const std::string& term) const {
  double n = static_cast<double>(index_->size() + documents_.size());
  double df = 0;
  if (int64_t id = index_->TermId(term); id >= 0) df += static_cast<double>(index_->Postings(static_cast<uint32_t>(id)).size());
  if (auto it = df_.find(term); it != df_.end()) df += it->second;
  return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
}

std::vector<FeedbackMatch> FeedbackModel::Match(const std::vector<std::string>& query_terms,
                                                double min_similarity) const {
  std::vector<FeedbackMatch> out;
  if (documents_.empty() || query_terms.empty()) return out;
  std::vector<std::pair<std::string, double>> query;  // distinct terms with idf
  double total = 0;
  for (const auto& t : query_terms) {
    if (std::any_of(query.begin(), query.end(), [&](const auto& q) { return q.first == t; })) continue;
    double idf = Idf(t);
    query.emplace_back(t, idf);
    total += idf;
  }
  if (total <= 0) return out;
  for (const Document& doc : documents_) {
    double score = 0;
    double norm = 1.0 - kB + kB * doc.length / average_length_;
    for (const auto& [term, idf] : query) {
      auto it = doc.tf.find(term);
      if (it == doc.tf.end()) continue;
      double tf = it->second / norm;
      // 1 for one occurrence in a document of average length; more occurrences add a little.
      score += idf * std::min(1.0, tf * (kK1 + 1.0) / (kK1 + tf));
    }
    double similarity = score / total;
    if (similarity < min_similarity) continue;
    // The correction sharing the most term weight with the request, for explanations.
    size_t best_example = doc.examples.front();
    double best_overlap = -1;
    for (size_t e : doc.examples) {
      double overlap = 0;
      for (const auto& [term, idf] : query) {
        if (std::find(example_terms_[e].begin(), example_terms_[e].end(), term) != example_terms_[e].end()) overlap += idf;
      }
      if (overlap > best_overlap) {
        best_overlap = overlap;
        best_example = e;
      }
    }
    out.push_back(FeedbackMatch{doc.tool, similarity, best_example});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.similarity != b.similarity ? a.similarity > b.similarity : a.tool < b.tool;
  });
  return out;
}

std::vector<Pattern> MinePatterns(const std::vector<FeedbackExample>& examples, const AnalyzerOptions& options,
                                  size_t min_support, double min_precision) {
  // word → (tool → number of that tool's corrections containing the word); ordered maps
  // keep the output deterministic.
  std::map<std::string, std::map<std::string, size_t>> counts;
  std::map<std::string, std::string> spelling;  // term → a word as the user wrote it
  for (const auto& example : examples) {
    AnalyzerOptions raw = options;
    raw.stem = false;
    std::set<std::string> seen;
    for (const std::string& word : Analyze(example.query, raw)) {
      if (word.size() < 3 || std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        continue;
      }
      std::string term = options.stem ? Analyze(word, options).front() : word;
      if (!seen.insert(term).second) continue;
      ++counts[term][example.tool];
      spelling.emplace(term, word);
    }
  }
  std::vector<Pattern> patterns;
  for (const auto& [term, by_tool] : counts) {
    size_t total = 0;
    for (const auto& [tool, n] : by_tool) total += n;
    for (const auto& [tool, n] : by_tool) {
      double precision = static_cast<double>(n) / static_cast<double>(total);
      if (n < min_support || precision < min_precision) continue;
      Pattern p;
      p.tool = tool;
      p.keywords = {spelling[term]};
      p.terms = {term};
      p.weight = precision * std::min(1.0, static_cast<double>(n) / 4.0);
      p.origin = "feedback";
      patterns.push_back(std::move(p));
    }
  }
  return patterns;
}

}  // namespace orch::route
