// `--jit` for the commands that run workflows (`run`, `test`, `serve`): compiles the
// module with the JIT (runtime/jit), caching objects under the project's `.orchestrator/jit`,
// and reports on stderr what stays interpreted and, when asked, what compiling cost.
#pragma once

#include <memory>

#include "compiler/ir/ir.h"
#include "runtime/jit/jit.h"

namespace orch::cli {

/// Compiles `module`. Prints `note: workflow `NAME` runs in the interpreter: REASON` for
/// every workflow left out, and with `print_stats` one `jit: …` line. On failure (no JIT in
/// this build, no usable target) prints the error and returns null: the caller exits 2.
std::unique_ptr<jit::CompiledProgram> CompileWithJit(const ir::Module& module, bool print_stats);

}  // namespace orch::cli
