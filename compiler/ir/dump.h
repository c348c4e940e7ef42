// Textual form of the IR (`orchestrator check --emit ir`): stable, one instruction per
// line, nested blocks indented, with the source line:column of each instruction.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "compiler/ir/ir.h"
#include "compiler/source/source.h"

namespace orch::ir {

/// Dumps `module`. With `sources`, every instruction ends with `; line:col` of its span.
std::string DumpModule(const Module& module, const compiler::SourceMap* sources = nullptr);

/// Whether the tool `tool` of the server configured as `server` is annotated read-only;
/// nullopt when that is not known (no lock entry).
using ReadOnlyLookup = std::function<std::optional<bool>(const std::string& server, const std::string& tool)>;

/// Dumps the dependency graph of every function (used by `run --dry-run`): one line per
/// call with the calls whose results it reads and, for a tool call, whether it is
/// read-only (it may overlap other calls) or runs in program order (it waits for every
/// earlier call, and later calls wait for it), per `read_only`; a closing legend says so.
std::string DumpPlan(const Module& module, const compiler::SourceMap* sources = nullptr,
                     const ReadOnlyLookup& read_only = {});

}  // namespace orch::ir
