// Porter's suffix-stripping algorithm (M.F. Porter, "An algorithm for suffix stripping",
// Program 14(3), 1980), written from the paper's description: five steps that remove
// or rewrite suffixes when the remaining stem is long enough (its "measure" m).
#include "runtime/route/stem.h"

#include <array>
#include <utility>

namespace orch::route {
namespace {

class Stemmer {
 public:
  explicit Stemmer(std::string_view word) : w_(word) {}

  std::string Run() {
    Step1a();
    Step1b();
    Step1c();
    Step2();
    Step3();
    Step4();
    Step5();
    return w_;
  }

 private:
  // Is w_[i] a consonant? 'y' is a consonant at the start or after a vowel.
  bool Cons(size_t i) const {
    switch (w_[i]) {
      case 'a': case 'e': case 'i': case 'o': case 'u':
        return false;
      case 'y':
        return i == 0 || !Cons(i - 1);
      default:
        return true;
    }
  }

  // Measure m of the prefix w_[0, len): the number of VC sequences.
  int Measure(size_t len) const {
    int m = 0;
    size_t i = 0;
    while (i < len && Cons(i)) ++i;
    while (i < len) {
      while (i < len && !Cons(i)) ++i;
      if (i >= len) break;
      ++m;
      while (i < len && Cons(i)) ++i;
    }
    return m;
  }

  bool HasVowel(size_t len) const {
    for (size_t i = 0; i < len; ++i) {
      if (!Cons(i)) return true;
    }
    return false;
  }

  bool DoubleCons(size_t len) const { return len >= 2 && w_[len - 1] == w_[len - 2] && Cons(len - 1); }

  // cvc where the last c is not w, x or y (e.g. -hop, -fil): a short syllable.
  bool Cvc(size_t len) const {
    if (len < 3 || !Cons(len - 1) || Cons(len - 2) || !Cons(len - 3)) return false;
    char c = w_[len - 1];
    return c != 'w' && c != 'x' && c != 'y';
  }

  bool Ends(std::string_view suffix) const {
    return w_.size() >= suffix.size() && std::string_view(w_).substr(w_.size() - suffix.size()) == suffix;
  }

  size_t StemLen(std::string_view suffix) const { return w_.size() - suffix.size(); }

  void Replace(std::string_view suffix, std::string_view with) {
    w_.resize(StemLen(suffix));
    w_.append(with);
  }

  // Replaces the first matching suffix when the stem's measure is > min_m; true when a suffix matched.
  template <size_t N>
  bool ReplaceFirst(const std::array<std::pair<std::string_view, std::string_view>, N>& rules, int min_m) {
    for (const auto& [suffix, with] : rules) {
      if (Ends(suffix)) {
        if (Measure(StemLen(suffix)) > min_m) Replace(suffix, with);
        return true;
      }
    }
    return false;
  }

  void Step1a() {
    if (Ends("sses")) Replace("sses", "ss");
    else if (Ends("ies")) Replace("ies", "i");
    else if (Ends("ss")) return;
    else if (Ends("s")) Replace("s", "");
  }

  void Step1b() {
    if (Ends("eed")) {
      if (Measure(StemLen("eed")) > 0) Replace("eed", "ee");
      return;
    }
    std::string_view suffix;
    if (Ends("ed")) suffix = "ed";
    else if (Ends("ing")) suffix = "ing";
    else return;
    if (!HasVowel(StemLen(suffix))) return;
    Replace(suffix, "");
    if (Ends("at") || Ends("bl") || Ends("iz")) {
      w_.push_back('e');
    } else if (DoubleCons(w_.size())) {
      char c = w_.back();
      if (c != 'l' && c != 's' && c != 'z') w_.pop_back();
    } else if (Measure(w_.size()) == 1 && Cvc(w_.size())) {
      w_.push_back('e');
    }
  }

  void Step1c() {
    if (Ends("y") && HasVowel(StemLen("y"))) w_.back() = 'i';
  }

  void Step2() {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kRules = {{
        {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"},  {"anci", "ance"},  {"izer", "ize"},
        {"abli", "able"},   {"alli", "al"},     {"entli", "ent"},  {"eli", "e"},      {"ousli", "ous"},
        {"ization", "ize"}, {"ation", "ate"},   {"ator", "ate"},   {"alism", "al"},   {"iveness", "ive"},
        {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"},   {"iviti", "ive"},  {"biliti", "ble"},
    }};
    ReplaceFirst(kRules, 0);
  }

  void Step3() {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kRules = {{
        {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""}, {"ness", ""},
    }};
    ReplaceFirst(kRules, 0);
  }

  void Step4() {
    static constexpr std::array<std::string_view, 19> kSuffixes = {
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
        "ent", "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize"};
    // Longest match first among suffixes sharing an ending ("ement" before "ment" before "ent").
    std::string_view best;
    for (std::string_view s : kSuffixes) {
      if (Ends(s) && s.size() > best.size()) best = s;
    }
    if (best.empty()) return;
    size_t len = StemLen(best);
    if (Measure(len) <= 1) return;
    if (best == "ion" && !(len > 0 && (w_[len - 1] == 's' || w_[len - 1] == 't'))) return;
    w_.resize(len);
  }

  void Step5() {
    if (Ends("e")) {
      size_t len = StemLen("e");
      int m = Measure(len);
      if (m > 1 || (m == 1 && !Cvc(len))) w_.pop_back();
    }
    if (Measure(w_.size()) > 1 && DoubleCons(w_.size()) && w_.back() == 'l') w_.pop_back();
  }

  std::string w_;
};

}  // namespace

std::string PorterStem(std::string_view word) {
  if (word.size() <= 2) return std::string(word);
  for (char c : word) {
    if (c < 'a' || c > 'z') return std::string(word);
  }
  return Stemmer(word).Run();
}

}  // namespace orch::route
