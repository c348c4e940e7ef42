// Workflow arguments from the command line: `--arg k=v` pairs and `--args-json` records
// bound to a workflow's parameters, with each value checked against the parameter's type.
// `--arg k=v` takes `v` as a string for string parameters and as JSON otherwise (so
// `--arg n=3`, `--arg tags='["a","b"]'`); for `any` a value that is not JSON is a string.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::interp {

/// A problem with one argument, worded for E0513 (`argument `{name}`: {problem}`).
struct ArgumentProblem {
  std::string name;
  std::string problem;
};

/// Binds `pairs` ("k=v" texts) and `json` (a record, or null) to `fn`'s parameters, in
/// parameter order; absent parameters are nullopt. `--arg` wins over `--args-json`.
/// Returns every problem found (unknown names with a suggestion, bad JSON, wrong types).
std::pair<std::vector<std::optional<Value>>, std::vector<ArgumentProblem>> BindArguments(
    const ir::Function& fn, const std::vector<std::string>& pairs, const Value& json);

/// Why `value` does not fit `param`, or nullopt when it does.
std::optional<std::string> CheckArgumentType(const ir::Param& param, const Value& value);

}  // namespace orch::interp
