// SummaryOf: the one-line summaries `orchestrator explain --list` prints for kinds.def.
#include <doctest/doctest.h>

#include <cctype>
#include <string>

#include "compiler/diagnostics/diagnostic.h"

namespace orch::compiler {
namespace {

std::string Summary(std::string_view code) {
  auto kind = KindByCode(code);
  REQUIRE(kind.has_value());
  return SummaryOf(*kind);
}

TEST_CASE("a summary shows each argument of the message template as an ellipsis") {
  CHECK(Summary("E0205") == "cannot find type `…`");
  CHECK(Summary("E0102") == "expected … opened at …, found …");
}

TEST_CASE("a summary turns fmt's doubled braces back into single braces") {
  CHECK(Summary("E0104") == "unterminated interpolation: `${` is not closed by `}` before …");
  CHECK(Summary("E0113") == "`\\u{…}` is not a Unicode scalar value");
}

TEST_CASE("a kind whose whole message is an argument is summarised by its explanation's first sentence") {
  const std::string summary = Summary("E0505");
  CHECK(summary.rfind("an arithmetic operation failed at run time", 0) == 0);
  CHECK(summary.find(". ") == std::string::npos);
  CHECK(summary.back() != '.');
}

TEST_CASE("every registered kind has a summary without fmt placeholders") {
  for (DiagKind kind : AllKinds()) {
    const std::string summary = SummaryOf(kind);
    CAPTURE(InfoOf(kind).code);
    CHECK_FALSE(summary.empty());
    CHECK(summary.find("{0}") == std::string::npos);
    CHECK(summary.find("{{") == std::string::npos);
    bool has_letter = false;
    for (char c : summary) has_letter = has_letter || std::isalpha(static_cast<unsigned char>(c));
    CHECK(has_letter);
  }
}

}  // namespace
}  // namespace orch::compiler
