// Nearest earlier corrections (per-request similarity), each tool's learned text field, and
// mined patterns.
#include "runtime/route/feedback_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace orch::route {

FeedbackModel::FeedbackModel(std::vector<FeedbackExample> examples, const ToolIndex& index,
                             const RankedAbove& ranked_above)
    : examples_(std::move(examples)), index_(&index) {
  const size_t n = examples_.size();
  tool_of_.assign(n, 0);
  terms_.resize(n);
  weight_.assign(n, 0.0);
  competitors_.resize(n);
  std::vector<std::vector<std::string>> distinct(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t tool = index.FindTool(examples_[i].tool);
    if (tool < 0) continue;  // the catalog changed since the correction
    tool_of_[i] = static_cast<uint32_t>(tool);
    for (auto& term : Analyze(examples_[i].query, index.analyzer())) {
      if (std::find(distinct[i].begin(), distinct[i].end(), term) == distinct[i].end()) distinct[i].push_back(term);
    }
    if (distinct[i].empty()) continue;
    live_.push_back(i);
    for (const auto& term : distinct[i]) {
      ++df_[term];
      postings_[term].push_back(i);
    }
  }
  for (size_t i : live_) {
    for (auto& term : distinct[i]) {
      double idf = Idf(term);
      weight_[i] += idf;
      terms_[i].emplace_back(std::move(term), idf);
    }
    if (ranked_above) {
      competitors_[i] = ranked_above(examples_[i].query, tool_of_[i]);
      std::sort(competitors_[i].begin(), competitors_[i].end());
    }
    learned_length_[tool_of_[i]] += static_cast<double>(terms_[i].size());
  }
  if (!learned_length_.empty()) {
    for (const auto& [tool, length] : learned_length_) learned_average_ += length;
    learned_average_ /= static_cast<double>(learned_length_.size());
  }
}

bool FeedbackModel::Overruled(size_t i, uint32_t tool) const {
  return std::binary_search(competitors_[i].begin(), competitors_[i].end(), tool);
}

double FeedbackModel::Idf(const std::string& term) const {
  double n = static_cast<double>(index_->size() + live_.size());
  double df = 0;
  if (int64_t id = index_->TermId(term); id >= 0) df += static_cast<double>(index_->Postings(static_cast<uint32_t>(id)).size());
  if (auto it = df_.find(term); it != df_.end()) df += it->second;
  return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
}

std::vector<FeedbackMatch> FeedbackModel::Match(const std::vector<std::string>& query_terms,
                                                double min_similarity) const {
  std::vector<FeedbackMatch> out;
  if (live_.empty() || query_terms.empty()) return out;
  std::vector<std::string> distinct;
  for (const auto& t : query_terms) {
    if (std::find(distinct.begin(), distinct.end(), t) == distinct.end()) distinct.push_back(t);
  }
  double total = 0;
  std::unordered_map<size_t, double> shared;  // correction → idf weight shared with the request
  for (const auto& term : distinct) {
    double idf = Idf(term);
    total += idf;
    auto it = postings_.find(term);
    if (it == postings_.end()) continue;
    for (size_t e : it->second) shared[e] += idf;
  }
  if (total <= 0) return out;
  for (auto [e, common] : shared) {
    double similarity = 2.0 * common / (total + weight_[e]);
    if (similarity >= min_similarity) out.push_back(FeedbackMatch{e, tool_of_[e], similarity});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.similarity != b.similarity ? a.similarity > b.similarity : a.example < b.example;
  });
  return out;
}

std::vector<LearnedMatch> FeedbackModel::MatchLearned(const std::vector<std::string>& query_terms, double k1,
                                                     double b) const {
  std::vector<LearnedMatch> out;
  if (live_.empty() || learned_average_ <= 0) return out;
  std::vector<std::string> distinct;
  for (const auto& t : query_terms) {
    if (std::find(distinct.begin(), distinct.end(), t) == distinct.end()) distinct.push_back(t);
  }
  // tool → (term frequency in its learned field, per query term) and the corrections hit.
  std::map<uint32_t, LearnedMatch> by_tool;
  for (const auto& term : distinct) {
    auto it = postings_.find(term);
    if (it == postings_.end()) continue;
    std::map<uint32_t, double> tf;
    for (size_t e : it->second) {
      tf[tool_of_[e]] += 1.0;
      auto& match = by_tool.try_emplace(tool_of_[e], LearnedMatch{tool_of_[e], 0.0, {}}).first->second;
      if (match.examples.empty() || match.examples.back() != e) match.examples.push_back(e);
    }
    const double idf = Idf(term);
    for (auto [tool, f] : tf) {
      double norm = 1.0 - b + b * learned_length_.at(tool) / learned_average_;
      by_tool.at(tool).score += idf * f * (k1 + 1.0) / (f + k1 * std::max(norm, 1e-6));
    }
  }
  for (auto& [tool, match] : by_tool) {
    std::sort(match.examples.begin(), match.examples.end());
    match.examples.erase(std::unique(match.examples.begin(), match.examples.end()), match.examples.end());
    out.push_back(std::move(match));
  }
  return out;
}

void FeedbackModel::SetMinedPatterns(std::vector<Pattern> mined) {
  mined_.clear();
  for (Pattern& p : mined) {
    int64_t tool = index_ ? index_->FindTool(p.tool) : -1;
    if (tool < 0 || p.terms.empty()) continue;
    MinedPattern m{std::move(p), static_cast<uint32_t>(tool), {}};
    for (size_t e : live_) {
      if (tool_of_[e] != m.tool) continue;
      bool all = std::all_of(m.pattern.terms.begin(), m.pattern.terms.end(), [&](const std::string& t) {
        return std::any_of(terms_[e].begin(), terms_[e].end(), [&](const auto& have) { return have.first == t; });
      });
      if (all) m.examples.push_back(e);
    }
    if (!m.examples.empty()) mined_.push_back(std::move(m));
  }
}

std::vector<const MinedPattern*> FeedbackModel::MatchPatterns(const std::unordered_set<std::string>& present) const {
  std::vector<const MinedPattern*> out;
  for (const MinedPattern& m : mined_) {
    if (std::all_of(m.pattern.terms.begin(), m.pattern.terms.end(), [&](const auto& t) { return present.contains(t); })) {
      out.push_back(&m);
    }
  }
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
