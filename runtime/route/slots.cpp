// Finding the values of a request and the words naming their slots.
#include "runtime/route/slots.h"

#include <algorithm>
#include <unordered_set>

#include "runtime/route/stem.h"

namespace orch::route {
namespace {

// Words between a slot's name and its value that say nothing about the slot.
bool IsFiller(std::string_view word) {
  static const std::unordered_set<std::string_view> kFiller = {
      "the", "a", "an", "my", "our", "your", "this", "that", "named", "called", "titled", "labeled", "labelled",
      "name", "id", "identifier", "with", "value", "of"};
  return kFiller.contains(word);
}

// Words that name no parameter on their own ("account_name" is about the account).
bool IsGeneric(std::string_view word) {
  static const std::unordered_set<std::string_view> kGeneric = {"name", "names", "id", "ids", "identifier", "value",
                                                                "the",  "my",    "your"};
  return kGeneric.contains(word);
}

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// Lowercase words joined by hyphens, the first may be a number ("in-depth", "real-life",
// "24-hour"): an English compound, not a name.
bool IsHyphenatedEnglish(std::string_view chunk) {
  size_t dash = chunk.find('-');
  if (dash == std::string_view::npos || dash == 0) return false;
  std::string_view head = chunk.substr(0, dash), rest = chunk.substr(dash + 1);
  bool head_ok = std::all_of(head.begin(), head.end(), IsLower) || std::all_of(head.begin(), head.end(), IsDigit);
  return head_ok && !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) { return IsLower(c) || c == '-'; });
}

// A token of the request: a word (lowercase) or a value (with its own text, for placeholders).
struct Token {
  bool value = false;
  bool placeholder = false;
  std::string text;
};

std::vector<Token> Tokenize(std::string_view query) {
  std::vector<Token> tokens;
  size_t i = 0;
  auto words = [&](std::string_view chunk) {
    for (std::string& w : SplitWords(chunk)) tokens.push_back(Token{false, false, std::move(w)});
  };
  while (i < query.size()) {
    char c = query[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '<') {
      size_t close = query.find('>', i + 1);
      if (close != std::string_view::npos && close > i + 1) {
        tokens.push_back(Token{true, true, std::string(query.substr(i + 1, close - i - 1))});
        i = close + 1;
        continue;
      }
    }
    if (c == '"' || c == '\'' || c == '`') {
      size_t close = query.find(c, i + 1);
      // A quote closes before a non-alphanumeric (so "don't" and "user's" are not quotes).
      while (close != std::string_view::npos && close + 1 < query.size() && IsAlnum(query[close + 1])) {
        close = query.find(c, close + 1);
      }
      bool opens = i == 0 || !IsAlnum(query[i - 1]);
      if (opens && close != std::string_view::npos && close > i + 1) {
        tokens.push_back(Token{true, false, std::string(query.substr(i + 1, close - i - 1))});
        i = close + 1;
        continue;
      }
    }
    size_t end = i;
    while (end < query.size() && query[end] != ' ' && query[end] != '\t' && query[end] != '\n' && query[end] != '\r' &&
           query[end] != '<') {
      ++end;
    }
    std::string_view chunk = TrimPunctuation(query.substr(i, end - i));
    if (IsIdentifierLike(chunk)) {
      tokens.push_back(Token{true, false, std::string(chunk)});
    } else {
      words(chunk);
    }
    i = std::max(end, i + 1);
  }
  return tokens;
}

std::string TermOf(std::string_view word, const AnalyzerOptions& analyzer) {
  return analyzer.stem ? PorterStem(word) : std::string(word);
}

}  // namespace

std::string_view TrimPunctuation(std::string_view chunk) {
  while (!chunk.empty() && std::string_view(".,;:!?()[]{}").find(chunk.back()) != std::string_view::npos) {
    chunk.remove_suffix(1);
  }
  while (!chunk.empty() && std::string_view("([{").find(chunk.front()) != std::string_view::npos) chunk.remove_prefix(1);
  return chunk;
}

bool IsIdentifierLike(std::string_view chunk) {
  bool letter = false, digit = false, joined = false;
  for (size_t i = 0; i < chunk.size(); ++i) {
    char c = chunk[i];
    if (IsDigit(c)) {
      digit = true;
    } else if (IsAlnum(c)) {
      letter = true;
    } else if (i > 0 && i + 1 < chunk.size() && IsAlnum(chunk[i - 1]) && IsAlnum(chunk[i + 1]) &&
               std::string_view("-_./:@").find(c) != std::string_view::npos) {
      joined = true;
    } else {
      return false;
    }
  }
  if (IsHyphenatedEnglish(chunk)) return false;
  return (letter && digit) || (letter && joined);
}

bool IsValueToken(std::string_view token) {
  token = TrimPunctuation(token);
  if (token.empty()) return false;
  if (token.front() == '<' || token.front() == '\'' || token.front() == '"' || token.front() == '`') return true;
  return IsIdentifierLike(token);
}

std::string ParameterHead(std::string_view name, const AnalyzerOptions& analyzer) {
  auto words = SplitWords(name);
  // SplitWords appends the whole run after its parts ("resource-group" has no run; but
  // "resourceGroup" yields resource, group, resourcegroup): the last part is before it.
  for (size_t k = words.size(); k-- > 0;) {
    if (IsGeneric(words[k]) || IsStopWord(words[k])) continue;
    if (k + 1 == words.size() && words.size() > 1 &&
        words[k].size() > words[k - 1].size() && words[k].ends_with(words[k - 1])) {
      continue;  // the joined form of a camelCase run: use its last part
    }
    return TermOf(words[k], analyzer);
  }
  return "";
}

std::vector<RequestValue> FindRequestValues(std::string_view query, const AnalyzerOptions& analyzer) {
  std::vector<Token> tokens = Tokenize(query);
  std::vector<RequestValue> values;
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (!tokens[k].value) continue;
    RequestValue value;
    size_t j = k;
    while (j > 0 && !tokens[j - 1].value && IsFiller(tokens[j - 1].text)) --j;
    if (j > 0 && !tokens[j - 1].value && !IsStopWord(tokens[j - 1].text)) {
      const std::string& head = tokens[j - 1].text;
      value.slot_terms.push_back(TermOf(head, analyzer));
      // "event hub <x>" may fill `eventhub`.
      if (j > 1 && !tokens[j - 2].value && !IsStopWord(tokens[j - 2].text)) {
        value.slot_terms.push_back(TermOf(tokens[j - 2].text + head, analyzer));
      }
    }
    if (tokens[k].placeholder) {
      std::string head = ParameterHead(tokens[k].text, analyzer);
      if (!head.empty() && std::find(value.slot_terms.begin(), value.slot_terms.end(), head) == value.slot_terms.end()) {
        value.slot_terms.push_back(std::move(head));
      }
    }
    if (!value.slot_terms.empty()) values.push_back(std::move(value));
  }
  return values;
}

}  // namespace orch::route
