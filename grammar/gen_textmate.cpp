// TextMate grammar generator. The keyword, type, builtin, operator and unit alternations
// are built from the token tables; the hand-written structure below covers comments,
// strings with `${…}` interpolation (any expression, nested strings and records included),
// backtick-quoted names, durations and numbers. Scope names follow the TextMate
// conventions so every colour theme styles them.
#include <fmt/format.h>

#include <algorithm>

#include "grammar/gen_editor_grammars.h"
#include "runtime/value/json.h"
#include "runtime/value/value.h"

namespace orch::grammar {
namespace {

std::string Alternation(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : LongestFirst(words)) {
    if (!out.empty()) out += '|';
    out += RegexEscape(w);
  }
  return out;
}

// A `\b(?:a|b)\b` match rule, or null when the list is empty.
Value WordRule(const std::vector<std::string>& words, std::string_view scope, std::string_view suffix = "") {
  if (words.empty()) return Value();
  return Record{{"name", std::string(scope)},
                {"match", fmt::format("\\b(?:{})\\b{}", Alternation(words), suffix)}};
}

Value Include(std::string_view name) { return Record{{"include", std::string(name)}}; }

bool Contains(const std::vector<std::string>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

}  // namespace

std::string GenerateTextMate(const EditorWordLists& words) {
  constexpr std::string_view kIdent = "[A-Za-z_][A-Za-z0-9_]*";
  Record repo;

  repo.Set("comments", Record{{"patterns", List{
      Record{{"name", "comment.line.shebang.orch"}, {"match", "\\A#!.*$"}},
      Record{{"name", "comment.line.double-number-sign.documentation.orch"}, {"match", "##.*$"}},
      Record{{"name", "comment.line.number-sign.orch"}, {"match", "#.*$"}},
  }}});

  repo.Set("strings", Record{{"patterns", List{Record{
      {"name", "string.quoted.double.orch"},
      {"begin", "\""},
      {"beginCaptures", Record{{"0", Record{{"name", "punctuation.definition.string.begin.orch"}}}}},
      {"end", "\"|$"},
      {"endCaptures", Record{{"0", Record{{"name", "punctuation.definition.string.end.orch"}}}}},
      {"patterns", List{Include("#escapes"), Include("#interpolation")}},
  }}}});

  repo.Set("escapes", Record{{"patterns", List{
      Record{{"name", "constant.character.escape.orch"},
             {"match", "\\\\(?:[ntr\"\\\\$]|u\\{[0-9A-Fa-f]{1,6}\\})"}},
      Record{{"name", "invalid.illegal.escape.orch"}, {"match", "\\\\."}},
  }}});

  // `${` … `}`: any expression; nested `{…}` are balanced by #braces so a record inside
  // an interpolation does not end it early.
  repo.Set("interpolation", Record{
      {"name", "meta.interpolation.orch"},
      {"contentName", "meta.embedded.line.orch"},
      {"begin", "\\$\\{"},
      {"beginCaptures", Record{{"0", Record{{"name", "punctuation.section.interpolation.begin.orch"}}}}},
      {"end", "\\}"},
      {"endCaptures", Record{{"0", Record{{"name", "punctuation.section.interpolation.end.orch"}}}}},
      {"patterns", List{Include("$self")}},
  });

  repo.Set("braces", Record{
      {"begin", "\\{"},
      {"beginCaptures", Record{{"0", Record{{"name", "punctuation.section.braces.begin.orch"}}}}},
      {"end", "\\}"},
      {"endCaptures", Record{{"0", Record{{"name", "punctuation.section.braces.end.orch"}}}}},
      {"patterns", List{Include("$self")}},
  });

  repo.Set("quoted-names", Record{{"patterns", List{Record{
      {"name", "variable.other.quoted.orch"}, {"match", "`[^`]*`"}}}}});

  List numbers;
  if (!words.duration_units.empty()) {
    numbers.push_back(Record{
        {"name", "constant.numeric.duration.orch"},
        {"match", fmt::format("\\b[0-9]+(?:\\.[0-9]+)?({})\\b", Alternation(words.duration_units))},
        {"captures", Record{{"1", Record{{"name", "keyword.other.unit.orch"}}}}}});
  }
  numbers.push_back(Record{{"name", "constant.numeric.float.orch"},
                           {"match", "\\b[0-9]+(?:\\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)\\b"}});
  numbers.push_back(Record{{"name", "constant.numeric.integer.orch"}, {"match", "\\b[0-9]+\\b"}});
  repo.Set("numbers", Record{{"patterns", List(numbers)}});

  // Names introduced by a declaration keyword get entity scopes (outline, symbol search).
  List declarations;
  for (std::string_view kw : {"workflow", "agent"}) {
    if (!Contains(words.declaration_keywords, kw)) continue;
    declarations.push_back(Record{
        {"match", fmt::format("\\b({})\\s+({})", kw, kIdent)},
        {"captures", Record{{"1", Record{{"name", "keyword.declaration.orch"}}},
                            {"2", Record{{"name", "entity.name.function.orch"}}}}}});
  }
  if (Contains(words.declaration_keywords, "type")) {
    declarations.push_back(Record{
        {"match", fmt::format("\\b(type)\\s+({})", kIdent)},
        {"captures", Record{{"1", Record{{"name", "keyword.declaration.orch"}}},
                            {"2", Record{{"name", "entity.name.type.orch"}}}}}});
  }
  repo.Set("declarations", Record{{"patterns", List(declarations)}});

  List keywords;
  for (const Value& rule : {WordRule(words.declaration_keywords, "keyword.declaration.orch"),
                            WordRule(words.control_keywords, "keyword.control.orch"),
                            WordRule(words.operator_words, "keyword.operator.word.orch"),
                            WordRule(words.literal_words, "constant.language.orch"),
                            WordRule(words.other_keywords, "keyword.other.orch")}) {
    if (!rule.is_null()) keywords.push_back(rule);
  }
  repo.Set("keywords", Record{{"patterns", List(keywords)}});

  List types;
  // A built-in function that shares a type's name (`string(x)`) is a call when `(` follows.
  Value builtins = WordRule(words.builtin_functions, "support.function.builtin.orch", "(?=\\s*\\()");
  if (!builtins.is_null()) types.push_back(builtins);
  Value type_rule = WordRule(words.type_names, "support.type.primitive.orch");
  if (!type_rule.is_null()) types.push_back(type_rule);
  types.push_back(Record{{"name", "entity.name.function.call.orch"},
                         {"match", fmt::format("\\b{}(?=\\s*\\()", kIdent)}});
  repo.Set("names", Record{{"patterns", List(types)}});

  List operators;
  if (!words.operators.empty()) {
    operators.push_back(Record{{"name", "keyword.operator.orch"}, {"match", Alternation(words.operators)}});
  }
  repo.Set("operators", Record{{"patterns", List(operators)}});

  Record grammar{
      {"comment", "Generated by `orchestrator grammar --format textmate` from grammar/tokens.def and "
                  "grammar/builtins.def; do not edit."},
      {"name", "orch"},
      {"scopeName", "source.orch"},
      {"fileTypes", List{"orch"}},
      {"patterns", List{Include("#comments"), Include("#strings"), Include("#quoted-names"),
                        Include("#numbers"), Include("#declarations"), Include("#keywords"),
                        Include("#names"), Include("#operators"), Include("#braces")}},
      {"repository", Value(std::move(repo))},
  };
  return ToJson(Value(std::move(grammar)), {.indent = 2}) + "\n";
}

}  // namespace orch::grammar
