// Building the tool index: analysis per field, postings, idf, and the trigram index.
#include "runtime/route/index.h"

#include <algorithm>
#include <cmath>

#include "runtime/route/slots.h"
#include "runtime/route/stem.h"

namespace orch::route {
namespace {

constexpr size_t kMaxParamDescription = 300;  // long parameter prose drowns the signal

// Turns text into term ids while an index is built, stemming each distinct word once: a
// catalog of thousands of tools repeats a few thousand words (the stemmer was most of the
// build time).
class TermTable {
 public:
  TermTable(const AnalyzerOptions& options, std::vector<std::string>& terms,
            std::unordered_map<std::string, uint32_t, ToolIndex::TextHash, std::equal_to<>>& term_ids)
      : options_(options), terms_(terms), term_ids_(term_ids) {}

  // Appends the term ids of `text`'s words to `out`; stop words only when `keep_stop_words`.
  void Add(std::string_view text, bool keep_stop_words, std::vector<uint32_t>& out) {
    for (std::string& word : SplitWords(text)) {
      if (!keep_stop_words && options_.drop_stop_words && IsStopWord(word)) continue;
      auto it = word_terms_.find(word);
      if (it == word_terms_.end()) {
        std::string term = options_.stem ? PorterStem(word) : word;
        auto [t, inserted] = term_ids_.emplace(std::move(term), static_cast<uint32_t>(terms_.size()));
        if (inserted) terms_.push_back(t->first);
        it = word_terms_.emplace(std::move(word), t->second).first;
      }
      out.push_back(it->second);
    }
  }

 private:
  const AnalyzerOptions& options_;
  std::vector<std::string>& terms_;
  std::unordered_map<std::string, uint32_t, ToolIndex::TextHash, std::equal_to<>>& term_ids_;
  std::unordered_map<std::string, uint32_t, ToolIndex::TextHash, std::equal_to<>> word_terms_;
};

// Appends the term ids of a schema's property names and descriptions (one level of
// nesting into objects and arrays of objects, which is where tools keep real parameters).
void AddSchemaText(const Value& schema, TermTable& table, std::vector<uint32_t>& out, int depth) {
  if (!schema.is_record() || depth > 2) return;
  const Value* properties = schema.Find("properties");
  if (properties && properties->is_record()) {
    for (const auto& [name, property] : properties->as_record()) {
      table.Add(name, false, out);
      if (const Value* d = property.Find("description"); d && d->is_string()) {
        table.Add(d->as_string().substr(0, kMaxParamDescription), false, out);
      }
      AddSchemaText(property, table, out, depth + 1);
      if (const Value* items = property.Find("items")) AddSchemaText(*items, table, out, depth + 1);
    }
  }
}

// The top-level parameters of a schema whose head word is a vocabulary term.
void AddParams(const Value& schema, const AnalyzerOptions& options,
               const std::unordered_map<std::string, uint32_t, ToolIndex::TextHash, std::equal_to<>>& term_ids,
               std::vector<ToolParam>& out) {
  const Value* properties = schema.is_record() ? schema.Find("properties") : nullptr;
  if (!properties || !properties->is_record()) return;
  std::vector<std::string_view> required;
  if (const Value* list = schema.Find("required"); list && list->is_list()) {
    for (const Value& item : list->as_list()) {
      if (item.is_string()) required.push_back(item.as_string());
    }
  }
  for (const auto& [name, property] : properties->as_record()) {
    auto it = term_ids.find(ParameterHead(name, options));
    if (it == term_ids.end()) continue;
    bool is_required = std::find(required.begin(), required.end(), std::string_view(name)) != required.end();
    out.push_back(ToolParam{it->second, is_required});
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

ToolIndex ToolIndex::Build(const Catalog& catalog, const AnalyzerOptions& options) {
  ToolIndex index;
  index.analyzer_ = options;
  index.fingerprint_ = catalog.fingerprint;
  index.tools_.reserve(catalog.tools.size());
  TermTable table(options, index.terms_, index.term_ids_);
  std::array<std::vector<uint32_t>, kFieldCount> fields;
  for (const ToolEntry& entry : catalog.tools) {
    const uint32_t doc = static_cast<uint32_t>(index.tools_.size());
    index.tools_.push_back(IndexedTool{entry.server, entry.name, entry.description, {}, {}, {}});
    IndexedTool& tool = index.tools_.back();
    for (auto& field : fields) field.clear();
    // Names keep stop words: in `get_all_items` or `how_to` every word was chosen on purpose.
    table.Add(entry.name, true, fields[kNameField]);
    table.Add(entry.server, true, fields[kServerField]);
    table.Add(options.drop_negated ? DropNegatedClauses(entry.description) : entry.description, false,
              fields[kDescriptionField]);
    AddSchemaText(entry.input_schema, table, fields[kParamsField], 0);
    index.postings_.resize(index.terms_.size());
    AddParams(entry.input_schema, options, index.term_ids_, tool.params);
    for (int f = 0; f < kFieldCount; ++f) {
      tool.length[f] = static_cast<uint32_t>(fields[f].size());
      for (uint32_t id : fields[f]) {
        // A term's postings grow in tool order, so this tool's posting is the last one.
        std::vector<Posting>& list = index.postings_[id];
        if (list.empty() || list.back().tool != doc) list.push_back(Posting{doc, {}});
        uint16_t& tf = list.back().tf[f];
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

std::optional<ToolIndex> ToolIndex::FromParts(std::vector<IndexedTool> tools, std::vector<std::string> terms,
                                              std::vector<std::vector<Posting>> postings,
                                              const AnalyzerOptions& options, std::string fingerprint) {
  if (postings.size() != terms.size()) return std::nullopt;
  ToolIndex index;
  index.analyzer_ = options;
  index.fingerprint_ = std::move(fingerprint);
  for (const IndexedTool& tool : tools) {
    for (uint32_t t : tool.name_terms) {
      if (t >= terms.size()) return std::nullopt;
    }
    for (const ToolParam& p : tool.params) {
      if (p.head >= terms.size()) return std::nullopt;
    }
  }
  for (const auto& list : postings) {
    for (size_t k = 0; k < list.size(); ++k) {
      // Postings are in increasing tool order, which the build relies on too.
      if (list[k].tool >= tools.size() || (k > 0 && list[k].tool <= list[k - 1].tool)) return std::nullopt;
    }
  }
  index.term_ids_.reserve(terms.size());
  for (uint32_t t = 0; t < terms.size(); ++t) {
    if (!index.term_ids_.emplace(terms[t], t).second) return std::nullopt;  // a term twice
  }
  index.tools_ = std::move(tools);
  index.terms_ = std::move(terms);
  index.postings_ = std::move(postings);
  index.Finish();
  return index;
}

void ToolIndex::Finish() {
  const double n = static_cast<double>(tools_.size());
  idf_.resize(terms_.size());
  name_claims_.assign(tools_.size(), {});
  name_frequency_.assign(terms_.size(), 0);
  name_claim_idf_.assign(tools_.size(), 0.0);
  for (uint32_t t = 0; t < terms_.size(); ++t) {
    double df = static_cast<double>(postings_[t].size());
    idf_[t] = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    for (const Posting& p : postings_[t]) name_frequency_[t] += p.tf[kNameField] > 0 ? 1 : 0;
    for (const Posting& p : postings_[t]) {
      if (!IsNameClaim(t, p)) continue;
      name_claims_[p.tool].push_back(t);
      name_claim_idf_[p.tool] += idf_[t];
    }
  }
  name_idf_.assign(tools_.size(), 0.0);
  for (uint32_t doc = 0; doc < tools_.size(); ++doc) {
    for (uint32_t t : tools_[doc].name_terms) name_idf_[doc] += idf_[t];
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
  param_postings_.assign(terms_.size(), {});
  for (uint32_t doc = 0; doc < tools_.size(); ++doc) {
    for (const ToolParam& p : tools_[doc].params) param_postings_[p.head].push_back(ParamPosting{doc, p.required});
  }
}

int64_t ToolIndex::TermId(std::string_view term) const {
  auto it = term_ids_.find(term);
  return it == term_ids_.end() ? -1 : static_cast<int64_t>(it->second);
}

int64_t ToolIndex::FindTool(std::string_view id) const {
  auto it = tool_ids_.find(id);
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

}  // namespace orch::route
