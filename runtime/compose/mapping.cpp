// Parameter mapping (see mapping.h). Names are compared as word sets, so `text_query`,
// `textQuery` and `text-query` are the same name; descriptions go through the router's
// analyzer (stemming, stop words) so "venues" and "venue" meet.
#include "runtime/compose/mapping.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "compiler/types/assign.h"
#include "compiler/types/print.h"
#include "runtime/compose/names.h"
#include "runtime/route/stem.h"
#include "runtime/route/text.h"

namespace orch::compose {

namespace {

using types::TypeKind;

constexpr int kMaxDepth = 3;
constexpr size_t kMaxSourcesPerStep = 200;
/// Scores closer than this are a tie (within one evidence level and one step).
constexpr double kTie = 0.05;
/// Least description overlap (Jaccard of content terms) that counts as evidence.
constexpr double kMinDescriptionOverlap = 0.12;

const std::unordered_map<std::string, std::set<std::string>>& FieldSynonyms() {
  static const auto* table = [] {
    auto* map = new std::unordered_map<std::string, std::set<std::string>>();
    for (const char* group : {
#define ORCH_FIELD_SYNONYMS(words) words,
#include "runtime/compose/field_synonyms.def"
         }) {
      std::vector<std::string> words = route::SplitWords(group);
      for (const auto& w : words) {
        for (const auto& other : words) {
          if (other != w) (*map)[w].insert(other);
        }
      }
    }
    return map;
  }();
  return *table;
}

std::string Normalized(std::string_view name) {
  std::string out;
  for (const auto& w : NameWords(name)) out += w;
  return out;
}

// Words that say nothing about which value is meant.
bool IsGenericTerm(const std::string& term) {
  static const std::set<std::string> generic = {"string", "valu", "value", "paramet", "option", "default",
                                                "result", "data", "field", "object", "list", "item", "number",
                                                "type", "use", "given", "specifi", "e.g", "eg"};
  return generic.count(term) > 0;
}

// Content terms (stems) of a name and description, each with the first word that gave it,
// so reasons quote words people wrote (`venue`, not the stem `venu`).
std::map<std::string, std::string> ContentTerms(const std::string& name, const std::string& description) {
  std::map<std::string, std::string> out;
  route::AnalyzerOptions unstemmed;
  unstemmed.stem = false;
  for (const auto& word : route::Analyze(name + " " + description, unstemmed)) {
    const std::string stem = route::PorterStem(word);
    if (!IsGenericTerm(stem) && stem.size() > 1) out.emplace(stem, word);
  }
  return out;
}

std::string Quoted(const std::vector<std::string>& words) {
  std::vector<std::string> q;
  for (const auto& w : words) q.push_back(fmt::format("`{}`", w));
  return fmt::format("{}", fmt::join(q, ", "));
}

bool IsAnyLike(const types::TypeRef& t) {
  const auto& r = types::Resolve(t);
  return r->kind() == TypeKind::kAny || r->kind() == TypeKind::kNever;
}

void Walk(const types::TypeRef& type, const std::string& expr, const std::string& name, const std::string& description,
          int depth, bool via_list, const Source& base, std::vector<Source>& out) {
  if (out.size() >= kMaxSourcesPerStep) return;
  const types::TypeRef& r = types::Resolve(type);
  if (depth > 0) {
    Source s = base;
    s.expr = expr;
    s.name = name;
    s.type = type;
    s.description = description;
    s.first_of_list = via_list;
    out.push_back(std::move(s));
  }
  if (depth >= kMaxDepth) return;
  if (r->kind() == TypeKind::kRecord) {
    for (const types::Field& f : r->fields()) {
      if (f.optional || types::IsNullable(f.type)) continue;
      Walk(f.type, expr + "." + SourceName(f.name), f.name, f.description, depth + 1, via_list, base, out);
    }
  } else if (r->kind() == TypeKind::kList && !via_list && depth > 0) {
    const types::TypeRef& e = types::Resolve(r->element());
    if (e->kind() == TypeKind::kRecord) {
      // The first element's fields, named by the field (a `results[0].title` is a `title`).
      for (const types::Field& f : e->fields()) {
        if (f.optional || types::IsNullable(f.type)) continue;
        Walk(f.type, expr + "[0]." + SourceName(f.name), f.name, f.description, depth + 1, true, base, out);
      }
    }
  }
}

}  // namespace

std::vector<std::string> NameWords(std::string_view name) {
  // SplitWords also yields a split run's whole form (`ticketurl`); keep the parts only.
  std::vector<std::string> words = route::SplitWords(name);
  std::vector<std::string> out;
  for (size_t i = 0; i < words.size(); ++i) {
    bool whole = false;
    if (i >= 2) {
      std::string joined;
      for (size_t j = i; j-- > 0 && joined.size() < words[i].size();) joined = words[j] + joined;
      whole = joined == words[i];
    }
    if (!whole) out.push_back(words[i]);
  }
  return out;
}

std::vector<Source> OutputSources(const types::ToolType& tool, const std::string& binding, int step,
                                  const std::string& origin) {
  Source base;
  base.step = step;
  base.origin = origin;
  std::vector<Source> out;
  if (!tool.structured) {
    Source s = base;
    s.expr = binding + ".text";
    s.name = "text";
    s.type = types::String();
    s.description = "the text the tool returned";
    out.push_back(std::move(s));
    return out;
  }
  Walk(tool.result, binding, binding, "", 0, false, base, out);
  return out;
}

std::optional<Candidate> Match(const Target& target, const Source& source) {
  if (!types::IsAssignable(source.type, target.type)) return std::nullopt;
  const bool any_source = IsAnyLike(source.type);
  const std::string type_text = types::PrintShort(target.type);
  Candidate c;
  c.source = source;
  const std::string where = source.step < 0 ? "the workflow parameter" : fmt::format("{}'s", source.origin);

  // Same name (ignoring case and separators).
  if (Normalized(source.name) == Normalized(target.name) && !Normalized(target.name).empty()) {
    c.evidence = Evidence::kSameName;
    c.score = source.first_of_list ? 0.9 : 1.0;
    c.reason = fmt::format("same name as {} `{}`, {}", where, source.name,
                           any_source ? "typed `any`" : fmt::format("both `{}`", type_text));
    if (source.first_of_list) c.reason += " (the first of a list)";
    return c;
  }
  if (any_source) return std::nullopt;  // an `any` value fits everything: only its name counts

  // Similar names: shared words, or words of one synonym group.
  std::vector<std::string> tw = NameWords(target.name), sw = NameWords(source.name);
  std::set<std::string> tset(tw.begin(), tw.end()), sset(sw.begin(), sw.end());
  std::vector<std::string> shared, synonyms;
  for (const auto& w : tset) {
    if (sset.count(w)) {
      shared.push_back(w);
      continue;
    }
    auto it = FieldSynonyms().find(w);
    if (it == FieldSynonyms().end()) continue;
    for (const auto& s : sset) {
      if (it->second.count(s)) synonyms.push_back(fmt::format("`{}` ~ `{}`", w, s));
    }
  }
  if (!shared.empty() || !synonyms.empty()) {
    std::set<std::string> all = tset;
    all.insert(sset.begin(), sset.end());
    c.evidence = Evidence::kSimilarName;
    c.score = (shared.size() + 0.8 * synonyms.size()) / static_cast<double>(std::max<size_t>(all.size(), 1));
    if (source.first_of_list) c.score *= 0.9;
    c.reason = !shared.empty()
                   ? fmt::format("similar name: {} `{}` shares {}, both `{}`", where, source.name, Quoted(shared), type_text)
                   : fmt::format("similar name: {} `{}` ({}), both `{}`", where, source.name,
                                 fmt::join(synonyms, ", "), type_text);
    return c;
  }

  // Descriptions (and names) sharing content words.
  std::map<std::string, std::string> tterms = ContentTerms(target.name, target.description);
  std::map<std::string, std::string> sterms = ContentTerms(source.name, source.description);
  std::vector<std::string> common;
  for (const auto& [stem, word] : tterms) {
    if (sterms.count(stem)) common.push_back(word);
  }
  if (!common.empty()) {
    size_t unions = tterms.size() + sterms.size() - common.size();
    double jaccard = static_cast<double>(common.size()) / static_cast<double>(std::max<size_t>(unions, 1));
    if (jaccard >= kMinDescriptionOverlap) {
      c.evidence = Evidence::kDescription;
      c.score = source.first_of_list ? jaccard * 0.9 : jaccard;
      c.reason = fmt::format("descriptions share {}: {} `{}`, both `{}`", Quoted(common), where, source.name, type_text);
      return c;
    }
  }
  return std::nullopt;
}

Choice Choose(const Target& target, const std::vector<Source>& sources, int previous_step,
              const std::set<std::string>& taken) {
  Choice choice;
  std::vector<Candidate> found;
  for (const Source& s : sources) {
    if (auto c = Match(target, s)) found.push_back(std::move(*c));
  }
  // Strongest evidence, then score, then the latest step (the nearest value wins a tie
  // between steps: it is what the previous step just produced).
  std::stable_sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    if (a.evidence != b.evidence) return a.evidence > b.evidence;
    if (std::abs(a.score - b.score) >= kTie) return a.score > b.score;
    return a.source.step > b.source.step;
  });
  if (!found.empty()) {
    const Candidate& best = found[0];
    // Optional inputs are filled only on name evidence; otherwise the tool's default applies.
    if (!target.required && best.evidence < Evidence::kSimilarName) return choice;
    std::vector<Candidate> tied = {best};
    for (size_t i = 1; i < found.size(); ++i) {
      const Candidate& c = found[i];
      if (c.evidence == best.evidence && std::abs(c.score - best.score) < kTie && c.source.step == best.source.step) {
        tied.push_back(c);
      }
    }
    choice.kind = tied.size() == 1 ? Choice::Kind::kMapped : Choice::Kind::kHole;
    choice.candidates = std::move(tied);
    return choice;
  }
  if (!target.required) return choice;
  // Nothing named or described alike: the previous step's values of the right type.
  std::vector<Candidate> typed;
  for (const Source& s : sources) {
    if (s.step != previous_step || s.step < 0 || taken.count(s.expr) || IsAnyLike(s.type)) continue;
    if (!types::IsAssignable(s.type, target.type)) continue;
    Candidate c;
    c.source = s;
    c.evidence = Evidence::kTypeOnly;
    c.reason = fmt::format("nothing better fits; `{}` is the only `{}` {} returns", s.expr,
                           types::PrintShort(target.type), s.origin);
    typed.push_back(std::move(c));
  }
  if (typed.size() == 1) {
    choice.kind = Choice::Kind::kMapped;
  } else if (typed.size() > 1) {
    for (Candidate& c : typed) c.reason = fmt::format("a `{}` {} returns", types::PrintShort(target.type), c.source.origin);
    choice.kind = Choice::Kind::kHole;
  } else {
    choice.kind = Choice::Kind::kParameter;
  }
  choice.candidates = std::move(typed);
  return choice;
}

}  // namespace orch::compose
