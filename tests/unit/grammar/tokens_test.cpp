// The token tables as seen through grammar/tokens.h.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "grammar/tokens.h"

namespace g = orch::grammar;

TEST_CASE("every keyword spelling is unique and recognised") {
  std::set<std::string_view> seen;
  for (const auto& k : g::kKeywords) {
    CHECK(seen.insert(k.spelling).second);
    CHECK(g::IsKeyword(k.spelling));
  }
  CHECK(g::IsKeyword("workflow"));
  CHECK(g::IsKeyword("with"));
  CHECK_FALSE(g::IsKeyword("string"));  // type names are not reserved
  CHECK_FALSE(g::IsKeyword("len"));
  CHECK(g::FindKeyword("and")->category == g::KeywordCategory::kOperatorWord);
  CHECK(g::FindKeyword("true")->category == g::KeywordCategory::kLiteral);
}

TEST_CASE("a punctuation spelling never follows a longer one it prefixes") {
  // Generators emit alternations in table order; a prefix listed first would shadow.
  for (size_t i = 0; i < g::kPunctuation.size(); ++i) {
    for (size_t j = i + 1; j < g::kPunctuation.size(); ++j) {
      auto earlier = g::kPunctuation[i].spelling;
      auto later = g::kPunctuation[j].spelling;
      bool shadowed = later.size() > earlier.size() && later.substr(0, earlier.size()) == earlier;
      INFO(std::string(later), " comes after its prefix ", std::string(earlier));
      CHECK_FALSE(shadowed);
    }
  }
}

TEST_CASE("duration units list ms before m and convert to milliseconds") {
  CHECK(g::FindDurationUnit("ms")->milliseconds == 1);
  CHECK(g::FindDurationUnit("s")->milliseconds == 1000);
  CHECK(g::FindDurationUnit("m")->milliseconds == 60000);
  CHECK(g::FindDurationUnit("h")->milliseconds == 3600000);
  CHECK_FALSE(g::FindDurationUnit("d"));
}

TEST_CASE("binary operator precedences follow the documented levels") {
  for (const auto& op : g::kBinaryOperators) {
    CHECK(op.precedence >= g::kPrecedenceCoalesce);
    CHECK(op.precedence <= g::kPrecedenceMultiplicative);
  }
}

TEST_CASE("builtins have unique spellings and signatures starting with their name") {
  std::set<std::string_view> seen;
  for (const auto& b : g::kBuiltins) {
    CHECK(seen.insert(b.spelling).second);
    CHECK(b.signature.substr(0, b.spelling.size() + 1) == std::string(b.spelling) + "(");
    CHECK_FALSE(g::IsKeyword(b.spelling));
  }
  CHECK(g::FindBuiltin("sort_by"));
  CHECK_FALSE(g::FindBuiltin("calls"));
  CHECK(g::FindBuiltin("calls", /*in_test=*/true));
  CHECK(g::IsTypeName("any"));
}
