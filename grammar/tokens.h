// PEGTL-free view of the token tables (grammar/tokens.def, grammar/builtins.def) as
// constexpr arrays. The editor-grammar generators, did-you-mean suggestions, the formatter
// and the resolver read the language's vocabulary from here, so no list is written twice.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace orch::grammar {

/// What a reserved word is for (drives editor scopes: `keyword.declaration`, …).
enum class KeywordCategory : uint8_t { kDeclaration, kControl, kOperatorWord, kLiteral, kOther };

/// What a punctuation token is for.
enum class PunctCategory : uint8_t { kBracket, kSeparator, kOperator, kArrow };

/// One reserved word: `name` is the table's C++ name (`Let`), `spelling` the source text.
struct KeywordInfo {
  std::string_view name;
  std::string_view spelling;
  KeywordCategory category;
};

/// One punctuation token or symbolic operator.
struct PunctInfo {
  std::string_view name;
  std::string_view spelling;
  PunctCategory category;
};

/// One infix or prefix operator and its binding strength (higher binds tighter).
struct OperatorInfo {
  std::string_view name;
  std::string_view spelling;
  int precedence;
};

/// One duration unit: `ms` = 1 ms, `s` = 1000 ms, …
struct DurationUnitInfo {
  std::string_view name;
  std::string_view suffix;
  int64_t milliseconds;
};

/// One built-in type name (`string`, `int`, …).
struct TypeNameInfo {
  std::string_view name;
  std::string_view spelling;
};

/// One built-in function, test built-in or server transport.
struct BuiltinInfo {
  std::string_view name;
  std::string_view spelling;
  std::string_view signature;
};

/// One key of a `with {…}` call policy and the type its value must have.
struct CallPolicyInfo {
  std::string_view name;
  std::string_view key;
  std::string_view value_type;
};

/// Precedence levels of DESIGN.md §4, low to high; the same numbers as tokens.def.
inline constexpr int kPrecedenceLambda = 1;
inline constexpr int kPrecedencePipeline = 2;
inline constexpr int kPrecedenceCoalesce = 3;
inline constexpr int kPrecedenceOr = 4;
inline constexpr int kPrecedenceAnd = 5;
inline constexpr int kPrecedenceNot = 6;
inline constexpr int kPrecedenceComparison = 7;
inline constexpr int kPrecedenceAdditive = 8;
inline constexpr int kPrecedenceMultiplicative = 9;
inline constexpr int kPrecedenceNegate = 10;
inline constexpr int kPrecedencePostfix = 11;
inline constexpr int kPrecedencePrimary = 12;

/// Maximum nesting depth of brackets, blocks and operators before the parser stops with
/// its own error instead of exhausting the stack.
inline constexpr int kMaxNestingDepth = 200;

/// Every reserved word, in table order.
inline constexpr std::array kKeywords = {
#define ORCH_KEYWORD(Name, Spelling, Category) KeywordInfo{#Name, Spelling, KeywordCategory::k##Category},
#include "grammar/tokens.def"
};

/// Every punctuation token, longest spelling first within a shared prefix.
inline constexpr std::array kPunctuation = {
#define ORCH_PUNCT(Name, Spelling, Category) PunctInfo{#Name, Spelling, PunctCategory::k##Category},
#include "grammar/tokens.def"
};

/// Every infix operator.
inline constexpr std::array kBinaryOperators = {
#define ORCH_BINARY_OP(Name, Spelling, Precedence) OperatorInfo{#Name, Spelling, Precedence},
#include "grammar/tokens.def"
};

/// Every prefix operator.
inline constexpr std::array kUnaryOperators = {
#define ORCH_UNARY_OP(Name, Spelling, Precedence) OperatorInfo{#Name, Spelling, Precedence},
#include "grammar/tokens.def"
};

/// Every duration unit, longest suffix first.
inline constexpr std::array kDurationUnits = {
#define ORCH_DURATION_UNIT(Name, Suffix, Milliseconds) DurationUnitInfo{#Name, Suffix, Milliseconds},
#include "grammar/tokens.def"
};

/// Every built-in type name.
inline constexpr std::array kTypeNames = {
#define ORCH_TYPE_NAME(Name, Spelling) TypeNameInfo{#Name, Spelling},
#include "grammar/tokens.def"
};

/// Every built-in function available everywhere.
inline constexpr std::array kBuiltins = {
#define ORCH_BUILTIN(Name, Spelling, Signature) BuiltinInfo{#Name, Spelling, Signature},
#include "grammar/builtins.def"
};

/// Built-in functions available only inside `test` blocks.
inline constexpr std::array kTestBuiltins = {
#define ORCH_TEST_BUILTIN(Name, Spelling, Signature) BuiltinInfo{#Name, Spelling, Signature},
#include "grammar/builtins.def"
};

/// Transports a `server NAME = transport(…)` declaration may use.
inline constexpr std::array kTransports = {
#define ORCH_TRANSPORT(Name, Spelling, Signature) BuiltinInfo{#Name, Spelling, Signature},
#include "grammar/builtins.def"
};

/// Keys of `with {…}` call policies.
inline constexpr std::array kCallPolicies = {
#define ORCH_CALL_POLICY(Name, Key, ValueType) CallPolicyInfo{#Name, Key, ValueType},
#include "grammar/builtins.def"
};

/// True when `word` is a reserved word (and so needs backticks to be used as a name).
constexpr bool IsKeyword(std::string_view word) {
  for (const auto& k : kKeywords) {
    if (k.spelling == word) return true;
  }
  return false;
}

/// The reserved word spelled `word`, if any.
constexpr std::optional<KeywordInfo> FindKeyword(std::string_view word) {
  for (const auto& k : kKeywords) {
    if (k.spelling == word) return k;
  }
  return std::nullopt;
}

/// The built-in function spelled `spelling` (test built-ins included when `in_test`).
constexpr std::optional<BuiltinInfo> FindBuiltin(std::string_view spelling, bool in_test = false) {
  for (const auto& b : kBuiltins) {
    if (b.spelling == spelling) return b;
  }
  if (in_test) {
    for (const auto& b : kTestBuiltins) {
      if (b.spelling == spelling) return b;
    }
  }
  return std::nullopt;
}

/// The duration unit with suffix `suffix`, if any.
constexpr std::optional<DurationUnitInfo> FindDurationUnit(std::string_view suffix) {
  for (const auto& u : kDurationUnits) {
    if (u.suffix == suffix) return u;
  }
  return std::nullopt;
}

/// True when `word` names a built-in type.
constexpr bool IsTypeName(std::string_view word) {
  for (const auto& t : kTypeNames) {
    if (t.spelling == word) return true;
  }
  return false;
}

}  // namespace orch::grammar
