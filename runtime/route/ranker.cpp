// The ranking itself: query expansion, BM25F accumulation over postings, bonuses, and
// explanations for the tools that make the cut.
#include "runtime/route/ranker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "runtime/route/slots.h"
#include "runtime/route/synonyms.h"

namespace orch::route {
namespace {

constexpr size_t kMaxFuzzyWords = 32;        // spelling lookups per request, bounds huge requests
constexpr size_t kFuzzyNeighbours = 3;

// A term the ranking looks for, with its query weight and why it is there.
struct QueryTerm {
  uint32_t term;
  double weight;
  std::string why;  // "" for a word of the request, else "synonym of `x`" and so on
  uint32_t group;   // the request word it stands for: a word and its expansions share one
};

struct Expansion {
  std::vector<QueryTerm> terms;
  /// The request's own terms (stemmed), known or not, for the self score and feedback.
  std::vector<std::string> own_terms;
};

class QueryBuilder {
 public:
  QueryBuilder(const ToolIndex& index) : index_(index) {}

  void Add(std::string_view term, double weight, std::string why, uint32_t group) {
    int64_t id = index_.TermId(term);
    if (id < 0 || weight <= 0) return;
    auto [it, inserted] = slot_.emplace(static_cast<uint32_t>(id), terms_.size());
    if (inserted) {
      terms_.push_back(QueryTerm{static_cast<uint32_t>(id), weight, std::move(why), group});
    } else if (terms_[it->second].weight < weight) {
      terms_[it->second].weight = weight;
      terms_[it->second].why = std::move(why);
      terms_[it->second].group = group;
    }
  }

  std::vector<QueryTerm> Take() { return std::move(terms_); }

 private:
  const ToolIndex& index_;
  std::unordered_map<uint32_t, size_t> slot_;
  std::vector<QueryTerm> terms_;
};

// The request's whitespace tokens, each marked when it belongs to a phrase of place that
// names a particular thing (see RouteWeights::scope): from a preposition of place to the
// next one or the end of the sentence, when the phrase holds a value or says whose it is
// ("in resource group <rg>", "from my subscription"; not "in the fashion industry").
std::vector<std::pair<std::string_view, bool>> ScopedTokens(std::string_view text) {
  static const std::unordered_set<std::string_view> kPlace = {"in", "from", "within", "inside", "across", "under"};
  std::vector<std::pair<std::string_view, bool>> tokens;
  for (size_t i = 0; i < text.size();) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    if (j > i) tokens.emplace_back(text.substr(i, j - i), false);
    i = j;
  }
  auto lower = [](std::string_view t) {
    std::string out;
    for (char c : t) {
      if (std::isalpha(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
  };
  for (size_t a = 0; a < tokens.size(); ++a) {
    if (!kPlace.contains(lower(tokens[a].first))) continue;
    size_t b = a + 1;
    bool particular = false;
    for (; b < tokens.size(); ++b) {
      std::string word = lower(tokens[b].first);
      if (kPlace.contains(word)) break;
      if (IsValueToken(tokens[b].first)) particular = true;
      char last = tokens[b].first.back();
      if (last == '.' || last == ',' || last == ';' || last == '?' || last == '!') {
        ++b;
        break;
      }
    }
    if (particular) {
      for (size_t k = a + 1; k < b; ++k) tokens[k].second = true;
    }
    a = b - 1;
  }
  return tokens;
}

// Content words of a text (lowercase, stop words dropped), deduplicated in order. When
// `in_scope` is given, it says of each word whether it first came in a phrase of place
// (ScopedTokens).
std::vector<std::string> ContentWords(std::string_view text, const AnalyzerOptions& analyzer,
                                      std::vector<bool>* in_scope = nullptr) {
  std::vector<std::string> words;
  std::unordered_set<std::string> seen;
  for (auto [token, scope] : ScopedTokens(text)) {
    for (std::string& w : SplitWords(token)) {
      if (analyzer.drop_stop_words && IsStopWord(w)) continue;
      if (seen.insert(w).second) {
        words.push_back(std::move(w));
        if (in_scope) in_scope->push_back(scope);
      }
    }
  }
  return words;
}

std::string TermOf(const std::string& word, const AnalyzerOptions& analyzer) {
  auto terms = Analyze(word, AnalyzerOptions{analyzer.stem, false});
  return terms.empty() ? word : terms.front();
}

// Adds the request words and their expansions; word i's terms form group `group + i`, and
// the plural hint a group of its own. Returns the next free group.
uint32_t ExpandWords(const std::vector<std::string>& words, double base_weight, const RankInputs& in, QueryBuilder& q,
                     std::vector<std::string>* own_terms, uint32_t group, const std::vector<bool>* in_scope = nullptr) {
  const ToolIndex& index = *in.index;
  const Strategy& s = *in.strategy;
  const RouteWeights& w = in.weights;
  const AnalyzerOptions& analyzer = index.analyzer();
  std::vector<std::string> terms;
  terms.reserve(words.size());
  for (const auto& word : words) terms.push_back(TermOf(word, analyzer));
  // The query weight of word i and its expansions.
  auto word_base = [&](size_t i) {
    return in_scope && i < in_scope->size() && (*in_scope)[i] ? base_weight * std::clamp(w.scope, 0.0, 1.0) : base_weight;
  };
  for (size_t i = 0; i < terms.size(); ++i) {
    q.Add(terms[i], word_base(i), "", group + static_cast<uint32_t>(i));
    if (own_terms) own_terms->push_back(terms[i]);
  }
  auto g = [&](size_t i) { return group + static_cast<uint32_t>(i); };
  if (s.compounds) {
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      std::string joined = TermOf(words[i] + words[i + 1], analyzer);
      q.Add(joined, word_base(i + 1) * w.compound, fmt::format("`{}` + `{}` joined", words[i], words[i + 1]), g(i));
    }
    // Abbreviated compounds: "app configuration" → `appconfig`, a vocabulary term that is a
    // prefix of the joined words and reaches well into the second word.
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      std::string joined = words[i] + words[i + 1];
      for (size_t len = joined.size() - 1; len >= words[i].size() + 3; --len) {
        std::string prefix = joined.substr(0, len);
        if (index.TermId(prefix) >= 0) {
          q.Add(prefix, word_base(i + 1) * w.compound, fmt::format("`{} {}` abbreviated", words[i], words[i + 1]), g(i));
          break;
        }
      }
    }
    for (size_t i = 0; i < words.size(); ++i) {
      const std::string& word = words[i];
      if (word.size() < 6) continue;
      for (size_t cut = 3; cut + 3 <= word.size(); ++cut) {
        std::string left = TermOf(word.substr(0, cut), analyzer);
        std::string right = TermOf(word.substr(cut), analyzer);
        if (index.TermId(left) >= 0 && index.TermId(right) >= 0) {
          std::string why = fmt::format("part of `{}`", word);
          q.Add(left, word_base(i) * w.compound, why, g(i));
          q.Add(right, word_base(i) * w.compound, why, g(i));
          break;
        }
      }
    }
  }
  if (s.synonyms && w.plural > 0) {
    // A plural object ("show the keys") asks for a listing more often than for one item.
    for (size_t i = 0; i < words.size(); ++i) {
      const std::string& word = words[i];
      int64_t id = index.TermId(terms[i]);
      bool plural = word.size() > 3 && word.back() == 's' && word[word.size() - 2] != 's' && terms[i] != word &&
                    id >= 0 && index.NameFrequency(static_cast<uint32_t>(id)) > 0;
      if (plural) {
        q.Add(TermOf("list", analyzer), base_weight * w.plural, fmt::format("`{}` is plural", word), g(words.size()));
        break;
      }
    }
  }
  if (s.synonyms) {
    const SynonymMap& synonyms = Synonyms(analyzer);
    for (size_t i = 0; i < terms.size(); ++i) {
      auto it = synonyms.find(terms[i]);
      if (it == synonyms.end()) continue;
      for (const auto& related : it->second) {
        q.Add(related, word_base(i) * w.synonym, fmt::format("synonym of `{}`", words[i]), g(i));
      }
    }
    for (size_t i = 0; i + 1 < terms.size(); ++i) {
      auto it = synonyms.find(terms[i] + " " + terms[i + 1]);
      if (it == synonyms.end()) continue;
      // A named phrase ("data explorer") is as good as its short name: full weight.
      for (const auto& related : it->second) {
        q.Add(related, word_base(i + 1), fmt::format("`{} {}` is also called `{}`", words[i], words[i + 1], related), g(i));
      }
    }
  }
  if (s.fuzzy) {
    for (size_t i = 0; i < terms.size() && i < kMaxFuzzyWords; ++i) {
      for (auto [t, sim] : index.SimilarTerms(terms[i], w.fuzzy_min, kFuzzyNeighbours)) {
        q.Add(index.Term(t), word_base(i) * w.fuzzy * sim, fmt::format("spelled like `{}`", words[i]), g(i));
      }
    }
  }
  return g(words.size() + 1);
}

// BM25F pseudo-frequency of a posting.
double PseudoTf(const Posting& p, const IndexedTool& tool, const ToolIndex& index, const RouteWeights& w,
                const std::array<double, kFieldCount>& field_weight) {
  double tf = 0;
  for (int f = 0; f < kFieldCount; ++f) {
    if (p.tf[f] == 0 || field_weight[f] == 0) continue;
    double norm = 1.0 - w.field_b[f] + w.field_b[f] * tool.length[f] / index.AverageLength(static_cast<Field>(f));
    tf += field_weight[f] * p.tf[f] / std::max(norm, 1e-6);
  }
  return tf;
}

// Per-tool accumulators of one ranking. A thread keeps them between rankings, so a request
// at 10,000 tools neither allocates nor clears half a megabyte: a ranking resets only the
// entries it wrote (`dirty`), when it ends.
struct Scratch {
  std::vector<double> raw, name_have, claim_have, name_penalty, text_have, group_cover, group_best, group_sum, slot_filled, slot_missing;
  /// Per tool: the request's values that fill one of its parameters, and those already
  /// counted against it.
  std::vector<uint64_t> slot_used, slot_penalized;
  std::vector<uint8_t> hit;
  std::vector<uint32_t> dirty;
  /// Per vocabulary term: bit v when it may name the slot of the request's value v;
  /// `marked` lists the terms to clear.
  std::vector<uint64_t> term_mask;
  std::vector<uint32_t> marked;
  /// Per tool and field: the field's weight over its BM25F length normalisation, for the
  /// index, weights and field lengths they were computed from (kept while those stay).
  std::vector<std::array<float, kFieldCount>> field_factor;
  const ToolIndex* factor_index = nullptr;
  std::string factor_fingerprint;
  std::array<double, kFieldCount> factor_weight{}, factor_b{};
  bool busy = false;

  const std::vector<std::array<float, kFieldCount>>& FieldFactors(const ToolIndex& index,
                                                                   const std::array<double, kFieldCount>& weight,
                                                                   const std::array<double, kFieldCount>& b) {
    if (factor_index == &index && factor_fingerprint == index.fingerprint() && field_factor.size() == index.size() &&
        factor_weight == weight && factor_b == b) {
      return field_factor;
    }
    field_factor.resize(index.size());
    for (uint32_t doc = 0; doc < index.size(); ++doc) {
      const IndexedTool& tool = index.tool(doc);
      for (int f = 0; f < kFieldCount; ++f) {
        double norm = 1.0 - b[f] + b[f] * tool.length[f] / index.AverageLength(static_cast<Field>(f));
        field_factor[doc][f] = static_cast<float>(weight[f] / std::max(norm, 1e-6));
      }
    }
    factor_index = &index;
    factor_fingerprint = index.fingerprint();
    factor_weight = weight;
    factor_b = b;
    return field_factor;
  }

  void Fit(size_t n, size_t vocabulary) {
    if (term_mask.size() != vocabulary) term_mask.assign(vocabulary, 0);
    if (raw.size() == n) return;
    for (auto* v : {&raw, &name_have, &claim_have, &name_penalty, &text_have, &group_cover, &group_best, &group_sum, &slot_filled, &slot_missing}) {
      v->assign(n, 0.0);
    }
    slot_used.assign(n, 0);
    slot_penalized.assign(n, 0);
    hit.assign(n, 0);
  }
  void Mark(uint32_t term, uint64_t bits) {
    if (term_mask[term] == 0) marked.push_back(term);
    term_mask[term] |= bits;
  }
  void Reset() {
    for (uint32_t doc : dirty) {
      raw[doc] = name_have[doc] = claim_have[doc] = name_penalty[doc] = text_have[doc] = group_cover[doc] = group_best[doc] = group_sum[doc] = 0;
      slot_filled[doc] = slot_missing[doc] = 0;
      slot_used[doc] = slot_penalized[doc] = 0;
      hit[doc] = 0;
    }
    dirty.clear();
    for (uint32_t t : marked) term_mask[t] = 0;
    marked.clear();
  }
};

constexpr size_t kMaxValues = 64;  // request values told apart (bits of a mask)

// Lends this thread's Scratch (or a fresh one when a ranking runs inside another).
class ScratchLease {
 public:
  ScratchLease(size_t n, size_t vocabulary) {
    static thread_local Scratch shared;
    scratch_ = shared.busy ? &own_ : &shared;
    scratch_->busy = true;
    scratch_->Fit(n, vocabulary);
  }
  ~ScratchLease() {
    scratch_->Reset();
    scratch_->busy = false;
  }
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  Scratch& operator*() { return *scratch_; }

 private:
  Scratch own_;
  Scratch* scratch_;
};

}  // namespace

std::vector<RankedTool> Rank(const RankInputs& inputs_in, const RankRequest& request) {
  RankInputs in = inputs_in;
  const ToolIndex& index = *in.index;
  const Strategy& s = *in.strategy;
  std::array<double, kFieldCount> field_weight = in.weights.field_weight;
  if (!s.fields) {  // plain BM25 over name + description with the textbook parameters
    in.weights = RouteWeights{};
    field_weight = {1.0, 0.0, 1.0, 0.0};
    in.weights.field_b = {0.75, 0.75, 0.75, 0.75};
  }
  const RouteWeights& w = in.weights;
  if (index.size() == 0) return {};

  QueryBuilder builder(index);
  std::vector<std::string> own_terms;
  std::vector<bool> in_scope;
  std::vector<std::string> words = ContentWords(request.query, index.analyzer(), s.coverage ? &in_scope : nullptr);
  uint32_t next_group = ExpandWords(words, 1.0, in, builder, &own_terms, 0, &in_scope);
  if (!request.previous_query.empty()) {
    ExpandWords(ContentWords(request.previous_query, index.analyzer()), w.context, in, builder, nullptr, next_group);
  }
  std::vector<QueryTerm> query = builder.Take();

  // What a tool naming every request word once would score: the unit of every score.
  auto saturate = [&](double tf) { return tf * (w.k1 + 1.0) / (w.k1 + tf); };
  double self = 0;
  {
    std::unordered_set<std::string> distinct;
    for (const auto& t : own_terms) {
      if (!distinct.insert(t).second) continue;
      int64_t id = index.TermId(t);
      self += (id >= 0 ? index.Idf(static_cast<uint32_t>(id)) : index.UnseenIdf()) * saturate(field_weight[kNameField]);
    }
  }
  if (self <= 0) return {};

  const size_t n = index.size();
  ScratchLease lease(n, index.vocabulary_size());
  Scratch& scratch = *lease;
  std::vector<double>& raw = scratch.raw;
  std::vector<uint8_t>& hit = scratch.hit;
  std::vector<uint32_t>& touched = scratch.dirty;  // every tool a ranking writes to is touched
  const auto& factors = scratch.FieldFactors(index, field_weight, w.field_b);
  auto touch = [&](uint32_t doc) {
    if (!hit[doc]) {
      hit[doc] = 1;
      touched.push_back(doc);
    }
  };
  // A request word and its expansions (synonyms, spellings, compounds) are one group: the
  // group adds its best match to a tool, plus `expansion_mix` of the rest, so a word with
  // many synonyms does not outweigh the others. The same pass gathers, for name coverage,
  // the idf of the tool's name terms the request mentions.
  std::stable_sort(query.begin(), query.end(), [](const QueryTerm& a, const QueryTerm& b) { return a.group < b.group; });
  const double mix = std::clamp(w.expansion_mix, 0.0, 1.0);
  std::vector<double>& name_have = scratch.name_have;
  // The idf of the tool's NameClaims that a request term or expansion matches.
  std::vector<double>& claim_have = scratch.claim_have;
  // What the name-word penalty took from each tool's score.
  std::vector<double>& name_penalty = scratch.name_penalty;
  // Request coverage: the idf of the request words a tool's text mentions anywhere (a word
  // found only through an expansion counts with that expansion's weight, at most 1).
  std::vector<double>& text_have = scratch.text_have;
  std::vector<double>& group_cover = scratch.group_cover;
  auto own_idf = [&](uint32_t group) {
    if (group >= own_terms.size()) return 0.0;
    int64_t id = index.TermId(own_terms[group]);
    return id >= 0 ? index.Idf(static_cast<uint32_t>(id)) : index.UnseenIdf();
  };
  double text_all = 0;
  for (uint32_t g = 0; g < own_terms.size(); ++g) text_all += own_idf(g);
  std::vector<double>& group_best = scratch.group_best;
  std::vector<double>& group_sum = scratch.group_sum;
  std::vector<uint32_t> group_docs;
  for (size_t a = 0; a < query.size();) {
    size_t b = a;
    while (b < query.size() && query[b].group == query[a].group) ++b;
    for (size_t k = a; k < b; ++k) {
      const QueryTerm& qt = query[k];
      double idf = index.Idf(qt.term);
      for (const Posting& p : index.Postings(qt.term)) {
        if (s.coverage && p.tf[kNameField] > 0) {
          name_have[p.tool] += idf * std::min(1.0, qt.weight);
          if (index.IsNameClaim(qt.term, p)) claim_have[p.tool] += idf;
          touch(p.tool);
        }
        const auto& factor = factors[p.tool];
        double tf = 0;
        for (int f = 0; f < kFieldCount; ++f) tf += p.tf[f] * factor[f];
        if (tf <= 0) continue;
        double part = qt.weight * idf * saturate(tf);
        if (group_sum[p.tool] == 0) group_docs.push_back(p.tool);
        group_sum[p.tool] += part;
        group_best[p.tool] = std::max(group_best[p.tool], part);
        group_cover[p.tool] = std::max(group_cover[p.tool], std::min(1.0, qt.weight));
        touch(p.tool);
      }
    }
    const double idf_of_group = own_idf(query[a].group);
    for (uint32_t doc : group_docs) {
      raw[doc] += group_best[doc] + mix * (group_sum[doc] - group_best[doc]);
      if (s.coverage) text_have[doc] += idf_of_group * group_cover[doc];
      group_best[doc] = group_sum[doc] = group_cover[doc] = 0;
    }
    group_docs.clear();
    a = b;
  }
  // Name coverage: the share of the tool's name the request mentions, times the weight of
  // what it mentions (a one-word name that happens to be a common word earns little); and
  // the penalty for the name's claims the request leaves out (before its cap, below).
  struct Coverage {
    double share = 0;
    double bonus = 0;
    double penalty = 0;
  };
  // A word of the tool's name that says what it does (ToolIndex::NameClaims) and that no
  // request term or expansion matches.
  auto unmatched_claims = [&](uint32_t doc) {
    std::vector<uint32_t> missing;
    for (uint32_t t : index.NameClaims(doc)) {
      bool matched = std::any_of(query.begin(), query.end(), [&](const QueryTerm& qt) { return qt.term == t; });
      if (!matched) missing.push_back(t);
    }
    return missing;
  };
  auto coverage_of = [&](uint32_t doc) {
    double have = name_have[doc], all = index.NameIdf(doc);
    Coverage c;
    if (all > 0) {
      c.share = have / all;
      c.bonus = w.coverage * c.share * std::min(self, have * saturate(field_weight[kNameField]));
      double missing = std::max(0.0, index.NameClaimIdf(doc) - claim_have[doc]);
      c.penalty = w.name_miss * missing / all * self;
    }
    return c;
  };
  auto request_coverage_of = [&](uint32_t doc) {
    return text_all > 0 ? w.request_coverage * text_have[doc] / text_all * self : 0.0;
  };
  if (s.coverage) {
    for (uint32_t doc : touched) {
      Coverage c = coverage_of(doc);
      raw[doc] += c.bonus + request_coverage_of(doc);
      // The penalty takes at most half of what the tool earned: it reorders siblings, and
      // does not push a weakly matching tool out of the ranking (where a correction could
      // no longer lift it).
      name_penalty[doc] = std::min(c.penalty, 0.5 * std::max(raw[doc], 0.0));
      raw[doc] -= name_penalty[doc];
    }
  }

  // Slots: a parameter that a value of the request fills says the request is about that
  // specific item; a required parameter the request names without a value ("show the
  // keys" against a tool requiring `key`), or a value naming a word of the tool's name that
  // no parameter of it takes, says a sibling tool is meant.
  std::unordered_set<std::string> present(own_terms.begin(), own_terms.end());
  // The work goes over the tools taking a parameter named by one of the request's
  // terms (ParamPostings), so it does not grow with the tools that take none.
  const double slot_unit = w.slots * saturate(field_weight[kNameField]);
  std::vector<double>& slot_filled = scratch.slot_filled;
  std::vector<double>& slot_missing = scratch.slot_missing;
  if (s.slots && w.slots != 0) {
    std::vector<uint64_t>& mask = scratch.term_mask;  // bit v: names value v's slot
    std::vector<uint32_t> slot_terms;
    size_t v = 0;
    for (const RequestValue& value : FindRequestValues(request.query, index.analyzer())) {
      if (v == kMaxValues) break;
      bool known = false;
      for (const std::string& t : value.slot_terms) {
        if (int64_t id = index.TermId(t); id >= 0) {
          if (mask[id] == 0) slot_terms.push_back(static_cast<uint32_t>(id));
          scratch.Mark(static_cast<uint32_t>(id), uint64_t{1} << v);
          known = true;
        }
      }
      if (known) ++v;
    }
    for (uint32_t t : slot_terms) {
      for (const ParamPosting& p : index.ParamPostings(t)) {
        if (!hit[p.tool]) continue;
        slot_filled[p.tool] += index.Idf(t);
        scratch.slot_used[p.tool] |= mask[t];
      }
    }
    for (const std::string& term : present) {
      int64_t id = index.TermId(term);
      if (id < 0 || mask[id] != 0) continue;  // a slot term fills, never misses
      for (const ParamPosting& p : index.ParamPostings(static_cast<uint32_t>(id))) {
        if (p.required && hit[p.tool]) slot_missing[p.tool] += index.Idf(static_cast<uint32_t>(id));
      }
    }
    // A value naming a word of a tool's name that no parameter of the tool takes (only
    // tools that declare parameters: without a schema there is nothing to hold against).
    for (uint32_t t : slot_terms) {
      for (const Posting& p : index.Postings(t)) {
        if (p.tf[kNameField] == 0 || !hit[p.tool] || index.tool(p.tool).params.empty()) continue;
        uint64_t bits = mask[t] & ~scratch.slot_used[p.tool] & ~scratch.slot_penalized[p.tool];
        if (bits == 0) continue;
        slot_missing[p.tool] += index.Idf(t);
        scratch.slot_penalized[p.tool] |= bits;
      }
    }
    for (uint32_t doc : touched) raw[doc] += slot_unit * (slot_filled[doc] - slot_missing[doc]);
  }

  // Patterns: all keywords must be among the request's own terms (or the previous request's).
  std::vector<std::vector<const Pattern*>> matched_patterns;
  if (s.patterns && in.patterns && !in.patterns->empty()) {
    if (!request.previous_query.empty()) {
      for (auto& t : Analyze(request.previous_query, index.analyzer())) present.insert(t);
    }
    matched_patterns.resize(n);
    for (const Pattern& p : *in.patterns) {
      bool all = !p.terms.empty() &&
                 std::all_of(p.terms.begin(), p.terms.end(), [&](const auto& t) { return present.contains(t); });
      if (!all) continue;
      auto vote = [&](uint32_t doc) {
        raw[doc] += w.pattern * p.weight * self;
        matched_patterns[doc].push_back(&p);
        touch(doc);
      };
      if (!p.tool.empty()) {
        if (int64_t doc = index.FindTool(p.tool); doc >= 0) vote(static_cast<uint32_t>(doc));
      } else {
        for (uint32_t doc = 0; doc < n; ++doc) {
          if (index.tool(doc).server == p.server) vote(doc);
        }
      }
    }
  }

  if (request.previous_tool >= 0 && static_cast<size_t>(request.previous_tool) < n) {
    uint32_t doc = static_cast<uint32_t>(request.previous_tool);
    raw[doc] += w.context * 0.5 * self;
    touch(doc);
  }

  // Corrections: each similar corrected request votes for its tool, from 0 at
  // `feedback_min` up to `feedback` at the identical request. The votes lift a tool only
  // past tools that one of its voting corrections overruled; a tool that outranks it and
  // that no such correction knew of stays ahead, so a correction cannot pull requests that
  // are about something else.
  // The tool's learned text field (its corrected requests, scored by BM25 as a whole) and
  // mined patterns vote the same way, on behalf of the corrections they matched or were
  // mined from.
  struct Vote {
    double bonus = 0;
    std::vector<size_t> examples;  // the voting corrections, most similar first
    std::vector<size_t> nearest;   // the most similar one (none if only patterns voted)
    double best_similarity = 0;
    std::vector<const MinedPattern*> patterns;
    double learned = 0;  // what the learned text field gave
  };
  std::unordered_map<uint32_t, Vote> votes;
  if (s.feedback && in.feedback && !in.feedback->empty()) {
    const double floor = std::clamp(w.feedback_min, 0.0, 0.99);
    for (const FeedbackMatch& m : in.feedback->Match(own_terms, floor)) {
      Vote& vote = votes[m.tool];
      vote.bonus += w.feedback * (m.similarity - floor) / (1.0 - floor) * self;
      if (vote.nearest.empty()) {
        vote.nearest.push_back(m.example);
        vote.best_similarity = m.similarity;
      }
      vote.examples.push_back(m.example);
    }
    if (w.learned > 0) {
      for (LearnedMatch& m : in.feedback->MatchLearned(own_terms, w.k1, w.field_b[kDescriptionField])) {
        Vote& vote = votes[m.tool];
        vote.learned = w.learned * m.score;
        vote.bonus += vote.learned;
        vote.examples.insert(vote.examples.end(), m.examples.begin(), m.examples.end());
      }
    }
    if (s.patterns) {
      for (const MinedPattern* p : in.feedback->MatchPatterns(present)) {
        Vote& vote = votes[p->tool];
        vote.bonus += w.pattern * p->pattern.weight * self;
        vote.examples.insert(vote.examples.end(), p->examples.begin(), p->examples.end());
        vote.patterns.push_back(p);
      }
    }
    std::vector<std::pair<uint32_t, double>> lifted;
    for (const auto& [tool, vote] : votes) {
      double lexical = raw[tool];
      double cap = std::numeric_limits<double>::infinity();
      for (uint32_t other : touched) {
        if (other == tool || raw[other] <= lexical) continue;
        bool overruled = std::any_of(vote.examples.begin(), vote.examples.end(),
                                     [&](size_t e) { return in.feedback->Overruled(e, other); });
        if (!overruled) cap = std::min(cap, raw[other]);
      }
      double target = lexical + vote.bonus;
      if (target >= cap) target = std::max(lexical, std::nextafter(cap, 0.0));
      lifted.emplace_back(tool, target);
    }
    for (auto [tool, target] : lifted) {
      raw[tool] = target;
      touch(tool);
    }
  }

  const double unit = self * (1.0 + (s.coverage ? w.coverage + w.request_coverage : 0.0));
  std::vector<RankedTool> ranked;
  ranked.reserve(touched.size());
  for (uint32_t doc : touched) {
    if (raw[doc] > 0) ranked.push_back(RankedTool{doc, raw[doc] / unit, {}});
  }
  auto better = [&](const RankedTool& a, const RankedTool& b) {
    if (a.score != b.score) return a.score > b.score;
    return index.tool(a.tool).Id() < index.tool(b.tool).Id();
  };
  size_t keep = std::min(request.top, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end(), better);
  ranked.resize(keep);

  if (request.explain) {
    for (RankedTool& r : ranked) {
      const IndexedTool& tool = index.tool(r.tool);
      std::vector<std::pair<double, std::string>> reasons;
      for (const QueryTerm& qt : query) {
        for (const Posting& p : index.Postings(qt.term)) {
          if (p.tool != r.tool) continue;
          double tf = PseudoTf(p, tool, index, w, field_weight);
          if (tf <= 0) break;
          double part = qt.weight * index.Idf(qt.term) * saturate(tf) / unit;
          std::string fields;
          for (int f = 0; f < kFieldCount; ++f) {
            if (p.tf[f] && field_weight[f] > 0) fields += fields.empty() ? FieldName(static_cast<Field>(f))
                                                                         : std::string("+") + FieldName(static_cast<Field>(f));
          }
          reasons.emplace_back(part, fmt::format("+{:.3f} `{}` in {}{}", part, index.Term(qt.term), fields,
                                                 qt.why.empty() ? "" : " (" + qt.why + ")"));
          break;
        }
      }
      if (s.coverage) {
        Coverage c = coverage_of(r.tool);
        if (c.bonus > 0) reasons.emplace_back(c.bonus / unit, fmt::format("+{:.3f} request names {:.0f}% of the tool's name",
                                                                       c.bonus / unit, c.share * 100));
        if (double penalty = name_penalty[r.tool]; penalty > 0) {
          std::string words;
          for (uint32_t t : unmatched_claims(r.tool)) words += fmt::format("{}`{}`", words.empty() ? "" : ", ", index.Term(t));
          reasons.emplace_back(-penalty / unit, fmt::format("-{:.3f} the tool's name says {}, which the request does not",
                                                             penalty / unit, words));
        }
        if (double bonus = request_coverage_of(r.tool); bonus > 0) {
          reasons.emplace_back(bonus / unit, fmt::format("+{:.3f} the tool's text mentions {:.0f}% of the request", bonus / unit,
                                                         100 * text_have[r.tool] / text_all));
        }
      }
      if (s.slots && w.slots != 0) {
        double filled = slot_filled[r.tool], missing = slot_missing[r.tool];
        if (filled > 0) {
          reasons.emplace_back(slot_unit * filled / unit,
                               fmt::format("+{:.3f} the request gives values for its parameters", slot_unit * filled / unit));
        }
        if (missing > 0) {
          reasons.emplace_back(-slot_unit * missing / unit,
                               fmt::format("-{:.3f} the request names what it needs without a value, or gives a value it "
                                           "takes no parameter for",
                                           slot_unit * missing / unit));
        }
      }
      if (!matched_patterns.empty()) {
        for (const Pattern* p : matched_patterns[r.tool]) {
          double part = w.pattern * p->weight * self / unit;
          std::string words;
          for (const auto& k : p->keywords) words += (words.empty() ? "" : " ") + k;
          reasons.emplace_back(part, fmt::format("+{:.3f} pattern [{}] from {}", part, words, p->origin));
        }
      }
      if (auto it = votes.find(r.tool); it != votes.end()) {
        const Vote& vote = it->second;
        double part = vote.bonus / unit;
        std::string why;
        if (!vote.nearest.empty()) {
          why = fmt::format("like the corrected request \"{}\" (similarity {:.2f})",
                            in.feedback->example(vote.nearest.front()).query, vote.best_similarity);
        }
        if (vote.learned > 0) {
          why += fmt::format("{}words of its corrected requests (+{:.3f})", why.empty() ? "" : ", ", vote.learned / unit);
        }
        for (const MinedPattern* p : vote.patterns) {
          why += fmt::format("{}pattern [{}] from feedback", why.empty() ? "" : ", ", p->pattern.keywords.front());
        }
        reasons.emplace_back(part, fmt::format("+{:.3f} at most (past the tools the corrections overruled), {}", part, why));
      }
      if (request.previous_tool == static_cast<int64_t>(r.tool)) {
        double part = w.context * 0.5 * self / unit;
        reasons.emplace_back(part, fmt::format("+{:.3f} the previous request's tool", part));
      }
      std::stable_sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      for (auto& [part, text] : reasons) r.reasons.push_back(std::move(text));
    }
  }
  return ranked;
}

}  // namespace orch::route

namespace orch::route {

std::vector<uint32_t> ToolsRankedAbove(const RankInputs& inputs, std::string_view query, uint32_t tool, size_t limit) {
  RankInputs lexical = inputs;
  lexical.feedback = nullptr;
  RankRequest request;
  request.query = query;
  request.top = limit + 1;
  std::vector<uint32_t> above;
  for (const RankedTool& r : Rank(lexical, request)) {
    if (r.tool == tool || above.size() == limit) break;
    above.push_back(r.tool);
  }
  return above;
}

}  // namespace orch::route
