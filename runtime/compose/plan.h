// A composed workflow before it becomes source text: its parameters, its steps (tool calls
// with the expression chosen for each argument and the reason it was chosen), the
// conditions that nest later steps, and what it returns. `compose` builds a Plan from tool
// names, a JSON workflow or a description; emit.h turns it into canonical `.orch` text.
// Expressions are kept as source text: they are written, not evaluated.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/types/type.h"

namespace orch::compose {

/// A workflow parameter: an input no earlier step can feed.
struct PlanParam {
  std::string name;
  types::TypeRef type;
  /// The schema's description of the input it feeds; may be empty.
  std::string description;
  /// Which tool input it feeds, e.g. "exa/web_search `query`".
  std::string feeds;
};

/// One argument of a step: `param: expr`.
struct PlanArg {
  std::string param;
  /// Source text of the value, e.g. `search.venue`, `query`, `hole(a.x, a.y)`.
  std::string expr;
  /// Why this value was chosen (one comment line, without `#`); empty for none.
  std::string reason;
};

/// One tool call.
struct PlanStep {
  /// The server as configured (`google-maps`) and the tool as listed (`search_places`).
  std::string server;
  std::string tool;
  /// The name its result is bound to; every step has one, the emitter drops it when
  /// nothing reads the result.
  std::string binding;
  std::vector<PlanArg> args;
  /// Lines written above the call (without `#`).
  std::vector<std::string> notes;
  /// When set, an `if CONDITION {` opens before this step and encloses it and every later
  /// step. `condition_note` is written above the `if`.
  std::optional<std::string> condition;
  std::string condition_note;
};

/// A whole composed workflow.
struct Plan {
  std::string name;
  /// The `##` doc comment's first line.
  std::string summary;
  /// Lines of the file's leading comment (without `#`).
  std::vector<std::string> header;
  std::vector<PlanParam> params;
  std::vector<PlanStep> steps;
  /// Source text of the returned value; empty returns nothing.
  std::string output;
  /// When set, the output is bound to this name first (`let NAME = OUTPUT`, `return NAME`).
  std::string output_name;
  /// Notes for the person who ran `compose` (printed on stderr, not written to the file).
  std::vector<std::string> remarks;
};

}  // namespace orch::compose
