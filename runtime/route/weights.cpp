// Weights as values, and the strategy table.
#include "runtime/route/weights.h"

#include <fmt/format.h>

namespace orch::route {

std::vector<std::pair<std::string, double*>> RouteWeights::Tunable() {
  std::vector<std::pair<std::string, double*>> out = {
      {"k1", &k1},           {"synonym", &synonym}, {"fuzzy", &fuzzy},       {"fuzzy_min", &fuzzy_min},
      {"compound", &compound}, {"plural", &plural}, {"coverage", &coverage}, {"name_miss", &name_miss}, {"pattern", &pattern}, {"feedback", &feedback}, {"learned", &learned}, {"feedback_min", &feedback_min}, {"expansion_mix", &expansion_mix}, {"request_coverage", &request_coverage}, {"slots", &slots}, {"scope", &scope},
      {"context", &context}, {"threshold", &threshold}};
  for (int f = 0; f < kFieldCount; ++f) {
    out.emplace_back(fmt::format("weight_{}", FieldName(static_cast<Field>(f))), &field_weight[f]);
    out.emplace_back(fmt::format("b_{}", FieldName(static_cast<Field>(f))), &field_b[f]);
  }
  return out;
}

Value RouteWeights::ToValue() const {
  Record record;
  RouteWeights copy = *this;
  for (auto& [name, ptr] : copy.Tunable()) record.Set(name, Value(*ptr));
  return Value(std::move(record));
}

RouteWeights RouteWeights::FromValue(const Value& value) {
  RouteWeights weights;
  for (auto& [name, ptr] : weights.Tunable()) {
    if (const Value* v = value.Find(name); v && v->is_numeric()) *ptr = v->as_number();
  }
  return weights;
}

const std::vector<Strategy>& Strategies() {
  static const std::vector<Strategy> kStrategies = [] {
    std::vector<Strategy> list;
    list.push_back(Strategy{"full", "BM25F with stemming, synonyms, spelling variants, compounds, name coverage, "
                                    "request values against tool parameters, patterns and feedback", {}});
    Strategy lexical{"lexical", "`full` without patterns and feedback (what the tool text alone gives)", {}};
    lexical.patterns = lexical.feedback = false;
    list.push_back(lexical);
    Strategy bm25f{"bm25f", "BM25F over name, server, description and parameters, with stemming only", {}};
    bm25f.synonyms = bm25f.fuzzy = bm25f.compounds = bm25f.coverage = bm25f.slots = bm25f.patterns = bm25f.feedback = false;
    list.push_back(bm25f);
    Strategy bm25{"bm25", "plain BM25 over name and description: no stemming, no stop words, nothing else", {}};
    bm25.analyzer = AnalyzerOptions{false, false, false};
    bm25.fields = false;
    bm25.synonyms = bm25.fuzzy = bm25.compounds = bm25.coverage = bm25.slots = bm25.patterns = bm25.feedback = false;
    list.push_back(bm25);
    return list;
  }();
  return kStrategies;
}

const Strategy* FindStrategy(std::string_view name) {
  for (const Strategy& s : Strategies()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace orch::route
