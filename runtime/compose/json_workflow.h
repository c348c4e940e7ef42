// The JSON shape of a workflow from the user's wish list, both ways:
//
//   {"name": "Concert Finder",
//    "steps": [{"tool": "exa/web_search", "query": "{{userQuery}}"},
//              {"tool": "google-maps/search_places", "text_query": "{{venue}}"}],
//    "output": "combined_result"}
//
// Every key of a step other than `tool` (and the optional `as`, the name of the step's
// result) is an argument. String values are templates: `{{var}}` alone is the value of
// `var` with its type; inside text it is interpolated. A variable is a step's result path
// (`{{web_search.results[0].url}}`, by `as` name or the name derived from the tool), an
// output field of an earlier step named alike (`{{venue}}`), an existing workflow
// parameter, or else a new workflow parameter typed by the input it feeds. `output` is a
// template naming the returned value, or a bare name: a record of every step's result,
// bound to that name and returned; without `output` the last step's result is returned.
#pragma once

#include <string>

#include "compiler/lock/lock_file.h"
#include "runtime/compose/plan.h"
#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::compose {

/// Converts a JSON workflow into a plan. `origin` names the file in errors. Errors (kind
/// "usage") give the JSON path (`steps[1].text_query`) and say what was seen: unknown
/// tools or parameters, broken templates (unclosed `{{`, empty or malformed variables),
/// variables naming no step field, wrong shapes.
ErrorOr<Plan> PlanFromJson(const Value& json, const lock::LockFile& schemas, const std::string& origin);

/// Exports workflow `workflow` of the `.orch` file `path` (empty: the file's only
/// workflow) to the JSON shape. Only straight-line workflows fit: `let`/expression tool
/// calls whose arguments are literals, names, field paths and interpolated strings, then a
/// `return`. Anything else is an error (kind "usage") at its line and column.
ErrorOr<Value> WorkflowToJson(const std::string& path, const std::string& workflow);

}  // namespace orch::compose
