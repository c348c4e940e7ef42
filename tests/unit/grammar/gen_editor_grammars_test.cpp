// The editor-grammar generators: EBNF extraction from rule comments, word lists drawn
// from the token tables, and the shape of the generated TextMate and Vim files.
#include <doctest/doctest.h>

#include "grammar/gen_editor_grammars.h"
#include "grammar/tokens.h"
#include "runtime/value/json.h"

namespace orch::grammar {

TEST_CASE("the EBNF generator prints the production above each rule and skips prose") {
  constexpr std::string_view kSource =
      "// Statements.\n"
      "// let_stmt ::= 'let' name '=' expr\n"
      "struct let_stmt : seq<> {};\n"
      "\n"
      "// A comment without a production.\n"
      "// block ::= '{' stmt* '}'\n"
      "//         | '{' '}'\n"
      "struct block : seq<> {};\n";
  CHECK(GenerateEbnf(kSource).find("\nlet_stmt ::= 'let' name '=' expr\n\nblock ::= '{' stmt* '}'\n        | '{' '}'\n") !=
        std::string::npos);
  CHECK(GenerateEbnf(kSource).find("Statements.") == std::string::npos);
  CHECK(RulesWithoutEbnf(kSource).empty());
}

TEST_CASE("a rule with no production comment directly above it is reported") {
  constexpr std::string_view kSource =
      "// a ::= 'x'\n"
      "struct a : one<'x'> {};\n"
      "struct b : one<'y'> {};\n"
      "// c ::= 'z'\n"
      "\n"
      "struct c : one<'z'> {};\n";
  CHECK(RulesWithoutEbnf(kSource) == std::vector<std::string>{"b", "c"});
}

TEST_CASE("the word lists hold every reserved word, unit and built-in exactly once") {
  EditorWordLists words = CollectEditorWordLists();
  size_t keyword_count = words.declaration_keywords.size() + words.control_keywords.size() +
                         words.operator_words.size() + words.literal_words.size() + words.other_keywords.size();
  CHECK(keyword_count == kKeywords.size());
  CHECK(words.duration_units.size() == kDurationUnits.size());
  CHECK(words.builtin_functions.size() == kBuiltins.size() + kTestBuiltins.size() + kTransports.size());
}

TEST_CASE("the TextMate grammar is JSON with scope source.orch and every keyword") {
  std::string text = GenerateTextMate(CollectEditorWordLists());
  auto parsed = ParseJson(text);
  REQUIRE(parsed.ok());
  CHECK(parsed.value().Get("scopeName") == Value("source.orch"));
  for (const KeywordInfo& k : kKeywords) {
    CHECK_MESSAGE(text.find(std::string(k.spelling)) != std::string::npos, k.spelling);
  }
}

TEST_CASE("the Vim syntax file names every keyword in a syn keyword line") {
  std::string text = GenerateVim(CollectEditorWordLists());
  for (const KeywordInfo& k : kKeywords) {
    CHECK_MESSAGE(text.find(" " + std::string(k.spelling)) != std::string::npos, k.spelling);
  }
  CHECK(text.find("let b:current_syntax = 'orch'") != std::string::npos);
}

TEST_CASE("regex escaping and longest-first ordering make alternations match greedily") {
  CHECK(RegexEscape("?.") == "\\?\\.");
  CHECK(RegexEscape("|") == "\\|");
  CHECK(LongestFirst({"<", "<=", "<", "="}) == std::vector<std::string>{"<=", "<", "="});
}

TEST_CASE("format names map to the committed file names") {
  CHECK(EditorFormatByName("textmate") == EditorFormat::kTextMate);
  CHECK(!EditorFormatByName("emacs").has_value());
  CHECK(EditorFileName(EditorFormat::kVim) == "orch.vim");
}

}  // namespace orch::grammar
