// Building the tool index: analysis per field, postings, idf, and the trigram index.
#include "runtime/route/index.h"

#include <algorithm>
#include <cmath>

namespace orch::route {
namespace {

constexpr size_t kMaxParamDescription = 300;  // long parameter prose drowns the signal

// Appends the analyzed names and descriptions of a schema's properties (one level of
// nesting into objects and arrays of objects, which is where tools keep real parameters).
void AddSchemaText(const Value& schema, const AnalyzerOptions& options, std::vector<std::string>& out, int depth) {
  if (!schema.is_record() || depth > 2) return;
  const Value* properties = schema.Find("properties");
  if (properties && properties->is_record()) {
    for (const auto& [name, property] : properties->as_record()) {
      for (auto& term : Analyze(name, options)) out.push_back(std::move(term));
      if (const Value* d = property.Find("description"); d && d->is_string()) {
        std::string_view text = d->as_string();
        for (auto& term : Analyze(text.substr(0, kMaxParamDescription), options)) out.push_back(std::move(term));
      }
      AddSchemaText(property, options, out, depth + 1);
      if (const Value* items = property.Find("items")) AddSchemaText(*items, options, out, depth + 1);
    }
  }
}

}  // namespace

const char* FieldName(Field field) {
  switch (field) {
    case kNameField: return "name";
    case kServerField: return "server";
    case kDescriptionField: return "description";
    case kParamsField: return "parameters";
    case kFieldCount: break;
  }
  return "?";
}

std::vector<uint32_t> Trigrams(std::string_view term) {
  std::string padded = "^" + std::string(term) + "$";
  std::vector<uint32_t> grams;
  for (size_t i = 0; i + 3 <= padded.size(); ++i) {
    uint32_t g = (static_cast<uint8_t>(padded[i]) << 16) | (static_cast<uint8_t>(padded[i + 1]) << 8) |
                 static_cast<uint8_t>(padded[i + 2]);
    grams.push_back(g);
  }
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
  return grams;
}

ToolTerms AnalyzeTool(const ToolEntry& tool, const AnalyzerOptions& options) {
  // Names keep stop words: in `get_all_items` or `how_to` every word was chosen on purpose.
  AnalyzerOptions keep = options;
  keep.drop_stop_words = false;
  ToolTerms terms;
  terms.fields[kNameField] = Analyze(tool.name, keep);
  terms.fields[kServerField] = Analyze(tool.server, keep);
  terms.fields[kDescriptionField] = Analyze(tool.description, options);
  AddSchemaText(tool.input_schema, options, terms.fields[kParamsField], 0);
  return terms;
}

ToolIndex ToolIndex::Build(const Catalog& catalog, const AnalyzerOptions& options) {
  std::vector<IndexedTool> tools;
  std::vector<ToolTerms> terms;
  tools.reserve(catalog.tools.size());
  terms.reserve(catalog.tools.size());
  for (const ToolEntry& entry : catalog.tools) {
    tools.push_back(IndexedTool{entry.server, entry.name, entry.description, {}, {}});
    terms.push_back(AnalyzeTool(entry, options));
  }
  return FromTerms(std::move(tools), terms, options, catalog.fingerprint);
}

ToolIndex ToolIndex::FromTerms(std::vector<IndexedTool> tools, const std::vector<ToolTerms>& terms,
                               const AnalyzerOptions& options, std::string fingerprint) {
  ToolIndex index;
  index.analyzer_ = options;
  index.fingerprint_ = std::move(fingerprint);
  index.tools_ = std::move(tools);
  std::unordered_map<uint32_t, size_t> slot;  // term id → position in this tool's postings
  for (uint32_t doc = 0; doc < index.tools_.size(); ++doc) {
    IndexedTool& tool = index.tools_[doc];
    tool.name_terms.clear();
    slot.clear();
    for (int f = 0; f < kFieldCount; ++f) {
      const auto& field_terms = terms[doc].fields[f];
      tool.length[f] = static_cast<uint32_t>(field_terms.size());
      for (const std::string& term : field_terms) {
        auto [it, inserted] = index.term_ids_.emplace(term, static_cast<uint32_t>(index.terms_.size()));
        if (inserted) {
          index.terms_.push_back(term);
          index.postings_.emplace_back();
        }
        uint32_t id = it->second;
        auto [s, fresh] = slot.emplace(id, 0);
        if (fresh) {
          index.postings_[id].push_back(Posting{doc, {}});
          s->second = index.postings_[id].size() - 1;
        }
        uint16_t& tf = index.postings_[id][s->second].tf[f];
        if (tf < UINT16_MAX) ++tf;
        if (f == kNameField && std::find(tool.name_terms.begin(), tool.name_terms.end(), id) == tool.name_terms.end()) {
          tool.name_terms.push_back(id);
        }
      }
    }
  }
  index.Finish();
  return index;
}

void ToolIndex::Finish() {
  const double n = static_cast<double>(tools_.size());
  idf_.resize(terms_.size());
  for (size_t t = 0; t < terms_.size(); ++t) {
    double df = static_cast<double>(postings_[t].size());
    idf_[t] = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
  }
  unseen_idf_ = std::log(1.0 + (n + 0.5) / 0.5);
  for (int f = 0; f < kFieldCount; ++f) {
    double total = 0;
    for (const auto& tool : tools_) total += tool.length[f];
    average_length_[f] = tools_.empty() ? 1.0 : std::max(1.0, total / n);
  }
  trigram_count_.assign(terms_.size(), 0);
  for (uint32_t t = 0; t < terms_.size(); ++t) {
    if (terms_[t].size() < 3) continue;  // too short for spelling similarity to mean anything
    auto grams = Trigrams(terms_[t]);
    trigram_count_[t] = static_cast<uint16_t>(std::min<size_t>(grams.size(), UINT16_MAX));
    for (uint32_t g : grams) trigrams_[g].push_back(t);
  }
  tool_ids_.clear();
  for (uint32_t i = 0; i < tools_.size(); ++i) tool_ids_.emplace(tools_[i].Id(), i);
}

int64_t ToolIndex::TermId(std::string_view term) const {
  auto it = term_ids_.find(std::string(term));
  return it == term_ids_.end() ? -1 : static_cast<int64_t>(it->second);
}

int64_t ToolIndex::FindTool(std::string_view id) const {
  auto it = tool_ids_.find(std::string(id));
  return it == tool_ids_.end() ? -1 : static_cast<int64_t>(it->second);
}

std::vector<std::pair<uint32_t, double>> ToolIndex::SimilarTerms(std::string_view term, double min_similarity,
                                                                 size_t limit) const {
  std::vector<std::pair<uint32_t, double>> result;
  if (term.size() < 4) return result;
  auto grams = Trigrams(term);
  std::unordered_map<uint32_t, uint32_t> shared;
  for (uint32_t g : grams) {
    auto it = trigrams_.find(g);
    if (it == trigrams_.end()) continue;
    for (uint32_t t : it->second) ++shared[t];
  }
  for (auto [t, common] : shared) {
    if (terms_[t] == term) continue;
    double other = static_cast<double>(trigram_count_[t]);
    double dice = 2.0 * common / (static_cast<double>(grams.size()) + other);
    if (dice >= min_similarity) result.emplace_back(t, dice);
  }
  std::sort(result.begin(), result.end(), [&](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : terms_[a.first] < terms_[b.first];
  });
  if (result.size() > limit) result.resize(limit);
  return result;
}

std::vector<ToolTerms> ToolIndex::ExportTerms() const {
  std::vector<ToolTerms> out(tools_.size());
  for (uint32_t t = 0; t < terms_.size(); ++t) {
    for (const Posting& p : postings_[t]) {
      for (int f = 0; f < kFieldCount; ++f) {
        for (uint16_t k = 0; k < p.tf[f]; ++k) out[p.tool].fields[f].push_back(terms_[t]);
      }
    }
  }
  return out;
}

}  // namespace orch::route
