// SuggestSimilar: the did-you-mean name for a name that was not found.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"

namespace orch::compiler {
namespace {

TEST_CASE("two swapped neighbouring letters count as one edit") {
  std::vector<std::string> fields{"name", "email", "role"};
  CHECK(SuggestSimilar("emial", fields) == "email");
  CHECK(SuggestSimilar("naem", fields) == "name");
  CHECK(SuggestSimilar("ab", {"ba"}) == "ba");
}

TEST_CASE("case differences are free and the closest name wins") {
  CHECK(SuggestSimilar("ReadFile", {"read_file", "readfile", "write_file"}) == "readfile");
  CHECK(SuggestSimilar("lenght", {"length", "len"}) == "length");
}

TEST_CASE("a name too far from every candidate gets no suggestion") {
  CHECK_FALSE(SuggestSimilar("email", {"name", "role"}).has_value());
  CHECK_FALSE(SuggestSimilar("x", {}).has_value());
  CHECK_FALSE(SuggestSimilar("name", {"name"}).has_value());
}

}  // namespace
}  // namespace orch::compiler
