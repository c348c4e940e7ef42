// `compose --from-text "…"`: a plain-language description becomes a workflow skeleton.
// The description is cut into clauses (lines, list items, `;`, sentences, "then"); each
// clause is one step whose tool the router picks; "if/when/unless X, do Y" (or "do Y if X")
// puts Y, and every step after it, inside `if` with a typed `bool` hole standing for X;
// arguments are inferred as for `compose TOOL…` (mapping.h), with holes where it cannot
// choose. A clause no tool matches confidently is an error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/lock/lock_file.h"
#include "runtime/compose/plan.h"
#include "runtime/route/router.h"
#include "runtime/value/error_or.h"

namespace orch::compose {

/// One clause of a description.
struct Clause {
  /// The action ("check my calendar").
  std::string action;
  /// "if", "when" or "unless" when the clause is conditional, else empty.
  std::string keyword;
  /// The condition's words ("tickets are available").
  std::string condition;
};

/// Cuts `description` into clauses, in order.
std::vector<Clause> SplitClauses(std::string_view description);

/// Plans the description. Errors: kind "usage" for an empty description or a condition
/// without an action; kind "no_tool" when a clause maps to no tool (the message names the
/// clause and the closest tools).
ErrorOr<Plan> PlanFromText(std::string_view description, const lock::LockFile& schemas,
                           const route::Router& router, std::string_view name);

}  // namespace orch::compose
