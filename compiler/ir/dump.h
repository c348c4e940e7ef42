// Textual form of the IR (`orchestrator check --emit ir`): stable, one instruction per
// line, nested blocks indented, with the source line:column of each instruction.
#pragma once

#include <string>

#include "compiler/ir/ir.h"
#include "compiler/source/source.h"

namespace orch::ir {

/// Dumps `module`. With `sources`, every instruction ends with `; line:col` of its span.
std::string DumpModule(const Module& module, const compiler::SourceMap* sources = nullptr);

/// Dumps the dependency graph of every function: one line per call with what it waits for
/// (used by `run --dry-run`).
std::string DumpPlan(const Module& module, const compiler::SourceMap* sources = nullptr);

}  // namespace orch::ir
