// Shared pieces of the editor-grammar generators: format names, regex escaping, ordering.
#include "grammar/gen_editor_grammars.h"

#include <algorithm>
#include <array>

namespace orch::grammar {
namespace {

struct FormatInfo {
  std::string_view name;
  EditorFormat format;
  std::string_view file_name;
};

constexpr std::array kFormats = {
    FormatInfo{"textmate", EditorFormat::kTextMate, "orch.tmLanguage.json"},
    FormatInfo{"vim", EditorFormat::kVim, "orch.vim"},
    FormatInfo{"ebnf", EditorFormat::kEbnf, "orch.ebnf"},
};

}  // namespace

std::optional<EditorFormat> EditorFormatByName(std::string_view name) {
  for (const FormatInfo& f : kFormats) {
    if (f.name == name) return f.format;
  }
  return std::nullopt;
}

std::vector<std::string_view> EditorFormatNames() {
  std::vector<std::string_view> names;
  for (const FormatInfo& f : kFormats) names.push_back(f.name);
  return names;
}

std::string_view EditorFileName(EditorFormat format) {
  for (const FormatInfo& f : kFormats) {
    if (f.format == format) return f.file_name;
  }
  return "";
}

std::string GenerateEditorGrammar(EditorFormat format) {
  switch (format) {
    case EditorFormat::kTextMate:
      return GenerateTextMate(CollectEditorWordLists());
    case EditorFormat::kVim:
      return GenerateVim(CollectEditorWordLists());
    case EditorFormat::kEbnf:
      return GenerateEbnf(EmbeddedGrammarSource());
  }
  return "";
}

std::string RegexEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}/").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::vector<std::string> LongestFirst(std::vector<std::string> words) {
  std::stable_sort(words.begin(), words.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::vector<std::string> unique;
  for (std::string& w : words) {
    if (std::find(unique.begin(), unique.end(), w) == unique.end()) unique.push_back(std::move(w));
  }
  return unique;
}

}  // namespace orch::grammar
