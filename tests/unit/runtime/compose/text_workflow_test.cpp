// Cutting descriptions into clauses: lines, list items, `;`, sentences and "then"; leading
// and trailing if/when/unless conditions, with or without a comma.
#include <doctest/doctest.h>

#include "runtime/compose/text_workflow.h"

using orch::compose::Clause;
using orch::compose::SplitClauses;

TEST_CASE("the wish list's numbered description gives one clause per item, conditions split off") {
  auto clauses = SplitClauses(
      "Create a workflow that:\n1. Searches for concert tickets\n2. If tickets are available, checks my calendar\n"
      "3. If I'm free, books the tickets\n4. Sends me a confirmation email");
  REQUIRE(clauses.size() == 4);
  CHECK(clauses[0].action == "Searches for concert tickets");
  CHECK(clauses[0].keyword.empty());
  CHECK(clauses[1].keyword == "if");
  CHECK(clauses[1].condition == "tickets are available");
  CHECK(clauses[1].action == "checks my calendar");
  CHECK(clauses[2].condition == "I'm free");
  CHECK(clauses[3].action == "Sends me a confirmation email");
}

TEST_CASE("one sentence with `;` and `then` gives one clause per step") {
  auto clauses = SplitClauses(
      "search for concert tickets; if tickets are available check my calendar; if I'm free book them; then email me a "
      "confirmation");
  REQUIRE(clauses.size() == 4);
  CHECK(clauses[1].condition == "tickets are available");
  CHECK(clauses[1].action == "check my calendar");
  CHECK(clauses[2].action == "book them");
  CHECK(clauses[3].action == "email me a confirmation");
}

TEST_CASE("a trailing condition and `unless` are recognised") {
  auto clauses = SplitClauses("find the venue, then book tickets unless the price is too high");
  REQUIRE(clauses.size() == 2);
  CHECK(clauses[1].keyword == "unless");
  CHECK(clauses[1].condition == "the price is too high");
  CHECK(clauses[1].action == "book tickets");
}

TEST_CASE("a condition with no action keeps an empty action") {
  auto clauses = SplitClauses("if it rains");
  REQUIRE(clauses.size() == 1);
  CHECK(clauses[0].action.empty());
  CHECK(clauses[0].condition == "it rains");
}
