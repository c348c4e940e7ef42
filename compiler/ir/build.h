// The IR builder: a pure phase from parsed (and, when available, resolved and checked)
// files to an ir::Module. It assigns every binding a register, lowers short-circuit
// operators and `?.`/`??` into structured `if`s, turns pipelines into ordinary calls,
// tells tool calls (`server.tool(…)`), workflow and agent-workflow calls and built-ins
// apart, and copies everything it needs out of the AST. Problems it cannot lower are
// reported as E0518 (normally caught earlier by the resolver and checker).
#pragma once

#include <optional>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/ir.h"

namespace orch::ir {

/// Builds the module of a program made of `files` (the main file first, then its imports).
/// Returns nullopt when a file could not be lowered (diagnostics in `sink`).
std::optional<Module> BuildModule(const std::vector<const compiler::ast::File*>& files,
                                  compiler::DiagnosticSink& sink);

}  // namespace orch::ir
