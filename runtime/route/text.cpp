// Word splitting and the analyzer used by both the tool index and queries.
#include "runtime/route/text.h"

#include <algorithm>
#include <array>
#include <unordered_set>

#include "runtime/route/stem.h"

namespace orch::route {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsLower(c) || IsUpper(c) || IsDigit(c); }
char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// Length of the well-formed UTF-8 sequence at `i`, or 0.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t n;
  uint32_t cp;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Reject overlong forms, surrogates and values past U+10FFFF.
  static constexpr std::array<uint32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Code points that separate words even though they are not ASCII (punctuation blocks).
bool IsNonAsciiSeparator(std::string_view cp) {
  unsigned char c0 = static_cast<unsigned char>(cp[0]);
  if (cp.size() == 2 && c0 == 0xC2) return true;  // U+0080..U+00BF: NBSP, «, », ·
  if (cp.size() == 3 && c0 == 0xE2 && static_cast<unsigned char>(cp[1]) <= 0x81) return true;  // general punctuation
  if (cp.size() == 3 && c0 == 0xE3 && static_cast<unsigned char>(cp[1]) == 0x80) return true;  // CJK punctuation
  if (cp.size() == 3 && c0 == 0xEF && (static_cast<unsigned char>(cp[1]) == 0xBC ||
                                       static_cast<unsigned char>(cp[1]) == 0xBD)) {
    return true;  // fullwidth forms: ，（）：
  }
  return false;
}

}  // namespace

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8SequenceLength(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  // The whole run of letters and digits, lowercased: "MySQL" is also the word "mysql".
  std::string whole;
  size_t parts_in_run = 0;
  auto flush = [&] {
    if (!current.empty()) {
      words.push_back(std::move(current));
      ++parts_in_run;
    }
    current.clear();
  };
  auto end_run = [&] {
    flush();
    if (parts_in_run > 1) words.push_back(whole);
    whole.clear();
    parts_in_run = 0;
  };
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t n = Utf8SequenceLength(text, i);
      end_run();
      if (n == 0) {  // a stray byte: skip it, it separates words
        ++i;
        continue;
      }
      std::string_view cp = text.substr(i, n);
      if (!IsNonAsciiSeparator(cp)) words.emplace_back(cp);
      i += n;
      continue;
    }
    char ch = static_cast<char>(c);
    if (!IsAlnum(ch)) {
      end_run();
      ++i;
      continue;
    }
    if (!current.empty()) {
      char prev = text[i - 1];
      bool boundary = (IsLower(prev) && IsUpper(ch)) || (IsDigit(prev) != IsDigit(ch)) ||
                      (IsUpper(prev) && IsUpper(ch) && i + 1 < text.size() && IsLower(text[i + 1]));
      if (boundary) flush();
    }
    current.push_back(ToLower(ch));
    whole.push_back(ToLower(ch));
    ++i;
  }
  end_run();
  return words;
}

bool IsStopWord(std::string_view word) {
  static const std::unordered_set<std::string_view> kStopWords = {
      "a",     "about", "also",  "am",    "an",     "and",   "any",   "are",    "as",    "at",
      "be",    "been",  "but",   "by",    "can",   "could",  "do",    "does",  "for",    "from",  "had",
      "has",   "have",  "he",    "her",   "here",  "his",   "how",   "i",     "if",     "in",    "into",
      "is",    "it",    "its",   "just",  "let",   "lets",  "me",    "might", "my",     "of",    "on",
      "or",    "our",   "please", "s",    "she",   "should", "so",   "some",  "t",      "than",  "that",
      "the",   "their", "them",  "then",  "there", "these", "they",  "this",  "those",  "to",    "too",
      "us",    "want",  "was",   "we",    "were",  "what",  "when",  "where", "which",  "who",   "whom",
      "why",   "will",  "with",  "would", "you",   "your",  "i'm",   "im",    "need",   "like",  "d",
      "ll",    "m",     "re",    "ve",    "very",  "really", "kindly", "via",  "within", "one",  "give",
      "tell",  "help",  "know",  "able",  "must",  "shall", "yes",   "no",    "okay",   "ok",    "hey",
      "hi",    "hello", "thanks", "thank", "e",    "g",     "etc",   "eg",    "ie"};
  return kStopWords.contains(word);
}

std::string DropNegatedClauses(std::string_view text) {
  static constexpr std::string_view kTriggers[] = {"not for ", "do not use", "don't use", "never use", "instead of ",
                                                   "not to use", "not intended", "should not be used", "not used for "};
  std::string lower(text);
  for (char& c : lower) c = ToLower(c);
  std::string out;
  out.reserve(text.size());
  size_t start = 0;
  while (start < text.size()) {
    // A sentence ends at a newline, or at `.`, `!`, `?` or `;` followed by a space.
    size_t end = start;
    while (end < text.size()) {
      char c = text[end];
      if (c == '\n') break;
      if ((c == '.' || c == '!' || c == '?' || c == ';') && (end + 1 == text.size() || text[end + 1] == ' ')) break;
      ++end;
    }
    size_t cut = end;
    std::string_view sentence(lower.data() + start, end - start);
    for (std::string_view trigger : kTriggers) {
      size_t at = sentence.find(trigger);
      // Only whole words: "cannot for" or "knot for" are not a negation.
      while (at != std::string_view::npos && at > 0 && IsAlnum(sentence[at - 1])) at = sentence.find(trigger, at + 1);
      if (at != std::string_view::npos) cut = std::min(cut, start + at);
    }
    out.append(text.substr(start, cut - start));
    if (end < text.size()) out.push_back(text[end]);
    start = end + 1;
  }
  return out;
}

std::vector<std::string> Analyze(std::string_view text, const AnalyzerOptions& options) {
  std::vector<std::string> terms;
  for (std::string& word : SplitWords(text)) {
    if (options.drop_stop_words && IsStopWord(word)) continue;
    terms.push_back(options.stem ? PorterStem(word) : std::move(word));
  }
  return terms;
}

}  // namespace orch::route
