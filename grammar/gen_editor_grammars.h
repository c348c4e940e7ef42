// Editor grammars generated from the compiler's own tables: TextMate (VS Code and every
// editor that reads .tmLanguage.json), Vim syntax, and an EBNF reference. The word lists
// (keywords by category, operators, built-in types and functions, duration units) come
// from grammar/tokens.def and grammar/builtins.def; the EBNF comes from the `// rule ::= …`
// comments of grammar/grammar.hpp, embedded in the binary at build time. The structure
// around the lists (strings, interpolation, comments, numbers) is written here once.
// `orchestrator grammar --format F` prints these; the committed copies live in
// grammar/editors/ and a test fails when they are stale.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orch::grammar {

/// The words and symbols an editor grammar highlights, each list in table order.
struct EditorWordLists {
  std::vector<std::string> declaration_keywords;  ///< `workflow`, `let`, `use`, …
  std::vector<std::string> control_keywords;      ///< `if`, `for`, `return`, …
  std::vector<std::string> operator_words;        ///< `and`, `or`, `not`, `in`
  std::vector<std::string> literal_words;         ///< `true`, `false`, `null`
  std::vector<std::string> other_keywords;        ///< every other reserved word
  std::vector<std::string> operators;             ///< punctuation spelled as operators (`==`, `??`, `=>`)
  std::vector<std::string> type_names;            ///< built-in type names (`string`, `int`, …)
  std::vector<std::string> builtin_functions;     ///< `len`, `map`, …
  std::vector<std::string> duration_units;        ///< `ms`, `s`, `m`, `h`
};

/// Reads the lists from tokens.def and builtins.def.
EditorWordLists CollectEditorWordLists();

/// The formats `orchestrator grammar --format` writes.
enum class EditorFormat { kTextMate, kVim, kEbnf };

/// Parses a format name (`textmate`, `vim`, `ebnf`).
std::optional<EditorFormat> EditorFormatByName(std::string_view name);
/// Every format name, in `--help` order.
std::vector<std::string_view> EditorFormatNames();
/// The committed file name under grammar/editors/ for a format (`orch.tmLanguage.json`, …).
std::string_view EditorFileName(EditorFormat format);

/// TextMate grammar (scope `source.orch`) as pretty-printed JSON ending in a newline.
std::string GenerateTextMate(const EditorWordLists& words);
/// Vim syntax file (`syntax/orch.vim`).
std::string GenerateVim(const EditorWordLists& words);
/// One production per line group, from the `// rule ::= …` comments of `grammar_source`.
std::string GenerateEbnf(std::string_view grammar_source);
/// The text of grammar/grammar.hpp this binary was built from.
std::string_view EmbeddedGrammarSource();
/// Rules of `grammar_source` (`struct name : …` at line start) whose comment block above
/// holds no `::=` production, in file order. The EBNF test requires this to be empty.
std::vector<std::string> RulesWithoutEbnf(std::string_view grammar_source);

/// Dispatches to the generator for `format` over the built-in tables.
std::string GenerateEditorGrammar(EditorFormat format);

/// Escapes `text` for use as a literal inside an Oniguruma / Vim very-magic-free regex.
std::string RegexEscape(std::string_view text);
/// `words` sorted longest first (so alternations prefer `<=` over `<`), duplicates removed.
std::vector<std::string> LongestFirst(std::vector<std::string> words);

}  // namespace orch::grammar
