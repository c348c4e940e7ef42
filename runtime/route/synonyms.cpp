// Expands synonyms.def into term → related terms.
#include "runtime/route/synonyms.h"

#include <algorithm>
#include <mutex>
#include <string_view>

namespace orch::route {
namespace {

constexpr std::string_view kGroups[] = {
#define ORCH_SYNONYMS(words) words,
#include "runtime/route/synonyms.def"
};

SynonymMap Build(const AnalyzerOptions& options) {
  AnalyzerOptions keep_all = options;
  keep_all.drop_stop_words = false;  // "how_many" must survive as terms
  SynonymMap map;
  for (std::string_view group : kGroups) {
    // Members are separated by spaces; `_` joins the words of one member.
    std::vector<std::vector<std::string>> members;
    size_t start = 0;
    while (start < group.size()) {
      size_t end = group.find(' ', start);
      if (end == std::string_view::npos) end = group.size();
      std::string member(group.substr(start, end - start));
      std::replace(member.begin(), member.end(), '_', ' ');
      auto terms = Analyze(member, keep_all);
      if (!terms.empty()) members.push_back(std::move(terms));
      start = end + 1;
    }
    for (const auto& member : members) {
      // A phrase is looked up by its terms joined with a space ("data explor").
      std::string key;
      for (const auto& term : member) key += (key.empty() ? "" : " ") + term;
      auto& related = map[key];
      for (const auto& other : members) {
        if (&other == &member) continue;
        for (const auto& term : other) {
          if (other.size() > 1 && term.size() < 3) continue;  // "up" of "look up" says nothing alone
          if (std::find(member.begin(), member.end(), term) == member.end() &&
              std::find(related.begin(), related.end(), term) == related.end()) {
            related.push_back(term);
          }
        }
      }
    }
  }
  return map;
}

}  // namespace

const SynonymMap& Synonyms(const AnalyzerOptions& options) {
  static std::once_flag once[2][2];
  static SynonymMap maps[2][2];
  int s = options.stem ? 1 : 0;
  int d = options.drop_stop_words ? 1 : 0;
  std::call_once(once[s][d], [&] { maps[s][d] = Build(options); });
  return maps[s][d];
}

}  // namespace orch::route
