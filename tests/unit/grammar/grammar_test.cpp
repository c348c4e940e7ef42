// The grammar itself: no left recursion or rules that can loop without consuming input.
#include <doctest/doctest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/grammar.hpp"

TEST_CASE("the grammar has no left recursion and no empty loops") {
  CHECK(tao::pegtl::analyze<orch::grammar::file>(-1) == 0);
}
