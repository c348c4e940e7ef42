// Diagnostic kind registry lookups and summaries, message formatting, the sink and name
// suggestions.
#include "compiler/diagnostics/diagnostic.h"

#include <fmt/args.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace orch::compiler {
namespace {

constexpr std::array kKindInfo = {
#define ORCH_DIAG(Name, Sev, Code, Message, Explanation) \
  DiagKindInfo{#Name, Severity::k##Sev, Code, Message, Explanation},
#include "compiler/diagnostics/kinds.def"
};

size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions and swaps of two
  // neighbouring letters ("emial" is one edit from "email"), case-insensitive.
  auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

const DiagKindInfo& InfoOf(DiagKind kind) { return kKindInfo[static_cast<size_t>(kind)]; }

std::optional<DiagKind> KindByCode(std::string_view code) {
  for (size_t i = 0; i < kKindInfo.size(); ++i) {
    const auto& c = kKindInfo[i].code;
    if (c.size() == code.size() &&
        std::equal(c.begin(), c.end(), code.begin(), [](char x, char y) {
          return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
        })) {
      return static_cast<DiagKind>(i);
    }
  }
  return std::nullopt;
}

std::vector<DiagKind> AllKinds() {
  std::vector<DiagKind> kinds;
  for (size_t i = 0; i < kKindInfo.size(); ++i) kinds.push_back(static_cast<DiagKind>(i));
  return kinds;
}

std::string SummaryOf(DiagKind kind) {
  const DiagKindInfo& info = InfoOf(kind);
  std::string_view t = info.message_template;
  std::string out;
  bool literal_text = false;  // anything besides arguments, blanks and punctuation
  for (size_t i = 0; i < t.size(); ++i) {
    if ((t[i] == '{' || t[i] == '}') && i + 1 < t.size() && t[i + 1] == t[i]) {
      out += t[i++];  // fmt's escaped brace
    } else if (t[i] == '{') {
      size_t close = t.find('}', i);
      if (close == std::string_view::npos) close = t.size() - 1;
      out += "…";
      i = close;
    } else {
      literal_text = literal_text || std::isalpha(static_cast<unsigned char>(t[i]));
      out += t[i];
    }
  }
  if (literal_text) return out;
  // The whole message comes from the reporting site: describe the kind instead.
  std::string_view e = info.explanation;
  std::string sentence(e.substr(0, e.find(". ")));
  while (!sentence.empty() && sentence.back() == '.') sentence.pop_back();
  if (!sentence.empty() && std::isupper(static_cast<unsigned char>(sentence[0])) &&
      (sentence.size() == 1 || !std::isupper(static_cast<unsigned char>(sentence[1])))) {  // not an acronym
    sentence[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(sentence[0])));
  }
  return sentence;
}

Diagnostic MakeDiagnostic(DiagKind kind, Span span, const std::vector<std::string>& args) {
  const DiagKindInfo& info = InfoOf(kind);
  Diagnostic d;
  d.kind = kind;
  d.severity = info.severity;
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const auto& a : args) store.push_back(a);
  try {
    d.message = fmt::vformat(info.message_template, store);
  } catch (const fmt::format_error&) {
    // A template/argument mismatch is a bug in the reporting site; keep the raw template.
    d.message = std::string(info.message_template);
  }
  d.primary.span = span;
  return d;
}

Diagnostic& DiagnosticSink::Report(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::kError) ++errors_;
  diagnostics_.push_back(std::move(diagnostic));
  return diagnostics_.back();
}

Diagnostic& DiagnosticSink::Report(DiagKind kind, Span span, const std::vector<std::string>& args) {
  return Report(MakeDiagnostic(kind, span, args));
}

void DiagnosticSink::SortByPosition() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.primary.span.file != b.primary.span.file) return a.primary.span.file < b.primary.span.file;
    return a.primary.span.begin < b.primary.span.begin;
  });
}

std::optional<std::string> SuggestSimilar(std::string_view name, const std::vector<std::string>& candidates) {
  size_t best = SIZE_MAX;
  const std::string* best_name = nullptr;
  for (const auto& c : candidates) {
    if (c == name) continue;
    size_t d = EditDistance(name, c);
    if (d < best) {
      best = d;
      best_name = &c;
    }
  }
  if (!best_name) return std::nullopt;
  // Allow roughly one edit per three characters, at least one.
  size_t limit = std::max<size_t>(1, std::max(name.size(), best_name->size()) / 3);
  if (best > limit) return std::nullopt;
  return *best_name;
}

}  // namespace orch::compiler
