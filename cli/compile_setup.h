// The compiler's view of the project for a command that compiles .orch files: which
// servers are configured (`--config`, or the search path of orchestrator(1)), so that
// `use NAME` can be checked. Shared by `check` and `run` so both see the same world.
#pragma once

#include "cli/command.h"
#include "compiler/driver/driver.h"
#include "runtime/value/error_or.h"

namespace orch::cli {

/// Compile options filled from the configuration. No configuration at all is not an
/// error (only the built-in `std` is then known); an unreadable one is (kind "config").
ErrorOr<compiler::CompileOptions> CompileOptionsFromConfig(const GlobalOptions& global);

/// For `use NAME` of a server that no configuration names, when no configuration was found
/// here but one sits next to the .orch file (`orchestrator check examples/x.orch` run from
/// a repository's root): adds a help line saying how to use that one.
void AddConfigNearFileHint(compiler::Diagnostic& d, const compiler::SourceMap& sources, const GlobalOptions& global);

/// Prints `diagnostics` for a person on standard error (colour per `--color`), then the
/// summary line. True when none of them is an error.
bool PrintDiagnostics(const std::vector<compiler::Diagnostic>& diagnostics, const compiler::SourceMap& sources,
                      const GlobalOptions& global);

}  // namespace orch::cli
