// Nearest earlier corrections and mined patterns.
#include "runtime/route/feedback_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace orch::route {

FeedbackModel::FeedbackModel(std::vector<FeedbackExample> examples, const ToolIndex& index)
    : examples_(std::move(examples)), index_(&index) {
  for (size_t i = 0; i < examples_.size(); ++i) {
    int64_t tool = index.FindTool(examples_[i].tool);
    if (tool < 0) continue;  // the catalog changed since the correction
    Vector v = MakeVector(Analyze(examples_[i].query, index.analyzer()));
    if (v.norm == 0) continue;
    v.tool = static_cast<uint32_t>(tool);
    v.example = i;
    uint32_t id = static_cast<uint32_t>(vectors_.size());
    for (const auto& [term, w] : v.weights) postings_[term].push_back(id);
    vectors_.push_back(std::move(v));
  }
}

FeedbackModel::Vector FeedbackModel::MakeVector(const std::vector<std::string>& terms) const {
  Vector v;
  for (const auto& t : terms) {
    int64_t id = index_->TermId(t);
    v.weights[t] = id >= 0 ? index_->Idf(static_cast<uint32_t>(id)) : index_->UnseenIdf();  // binary tf
  }
  for (const auto& [t, w] : v.weights) v.norm += w * w;
  v.norm = std::sqrt(v.norm);
  return v;
}

std::vector<FeedbackMatch> FeedbackModel::Match(const std::vector<std::string>& query_terms,
                                                double min_similarity) const {
  std::vector<FeedbackMatch> out;
  if (vectors_.empty() || query_terms.empty()) return out;
  Vector q = MakeVector(query_terms);
  if (q.norm == 0) return out;
  std::unordered_map<uint32_t, double> dot;
  for (const auto& [term, w] : q.weights) {
    auto it = postings_.find(term);
    if (it == postings_.end()) continue;
    for (uint32_t id : it->second) dot[id] += w * vectors_[id].weights.at(term);
  }
  std::unordered_map<uint32_t, FeedbackMatch> best;
  for (const auto& [id, d] : dot) {
    double sim = d / (q.norm * vectors_[id].norm);
    if (sim < min_similarity) continue;
    const Vector& v = vectors_[id];
    auto [it, inserted] = best.emplace(v.tool, FeedbackMatch{v.tool, sim, v.example});
    if (!inserted && sim > it->second.similarity) it->second = FeedbackMatch{v.tool, sim, v.example};
  }
  for (const auto& [tool, match] : best) out.push_back(match);
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
