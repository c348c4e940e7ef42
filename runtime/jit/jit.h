// The JIT: compiles an ir::Module to machine code with LLVM ORC (LLJIT) and hands the
// interpreter the compiled blocks (interp::NativeCode). Lowering is in compiler/codegen;
// this folder owns the LLVM session, the optimisation pipeline, the binding of runtime
// entry points (abi.def) and the on-disk object cache (object_cache.h).
//
// The interpreter remains the reference semantics and the driver: compiled code runs
// inside it, per block, and calls back into it for everything that is not plain scalar
// work (see compiler/codegen/lower_to_llvm.h). A workflow the JIT cannot compile simply
// stays interpreted, with its reason in CompiledProgram::interpreted_because().
//
// The binary implements this header with a loader (jit_loader.cpp) that loads the LLVM
// side, the module `orchestrator-jit.so` (module_api.h), on first use. A build without
// LLVM (-DORCH_JIT=OFF; ON is the default when LLVM 14 is found) has no module, and
// Compile says the build has no JIT.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/interp/native_code.h"
#include "runtime/value/error_or.h"

namespace orch::jit {

/// True when this build has the JIT (it was configured with LLVM 14). The JIT itself is a
/// module the binary loads on first use (module_api.h), so commands without `--jit` never
/// load LLVM.
bool BuiltWithJit();

/// "LLVM 14.0.6", or why the JIT cannot be used: not built, or its module missing, not
/// loadable or from another build. Loads the module.
ErrorOr<std::string> BackendDescription();

struct JitOptions {
  /// Where compiled objects are cached (`.orchestrator/jit`); nullopt: no cache.
  std::optional<std::filesystem::path> cache_dir;
};

/// What Compile did, for `run --jit-stats`.
struct JitStats {
  /// Workflows (and tests) with at least one compiled block, and in all.
  size_t native_functions = 0;
  size_t total_functions = 0;
  /// Blocks (workflow bodies, branches, loop and lambda bodies) compiled, and in all.
  size_t native_blocks = 0;
  size_t total_blocks = 0;
  /// Lowering IR to LLVM IR (0 on a cache hit: nothing is lowered).
  double lower_ms = 0;
  /// Optimisation and machine code generation, or loading the cached object, plus linking.
  double codegen_ms = 0;
  /// CPU time of this thread for lowering and codegen together: on a busy machine the
  /// wall times above include waiting for a CPU, this does not.
  double cpu_ms = 0;
  /// "hit", "miss" or "off".
  std::string cache = "off";
  /// Set when a cache entry was found damaged or foreign and was rebuilt.
  std::optional<std::string> cache_note;
};

/// Compiled code for one module; must outlive every interpreter that uses native().
class CompiledProgram {
 public:
  virtual ~CompiledProgram() = default;
  /// The compiled blocks, to install with InterpreterOptions::native.
  virtual const interp::NativeCode& native() const = 0;
  /// Per function of the module: empty when compiled, else why it stays interpreted.
  virtual const std::vector<std::string>& interpreted_because() const = 0;
  virtual const JitStats& stats() const = 0;
};

/// Compiles every function of `module` that the JIT can compile. Fails only when the JIT
/// itself cannot start (no JIT in this build, no usable target): the caller then runs
/// the interpreter alone. `module` must outlive the result (NativeCode points into it).
ErrorOr<std::unique_ptr<CompiledProgram>> Compile(const ir::Module& module, const JitOptions& options);

/// The optimised LLVM IR for `module` (`check --emit llvm`).
ErrorOr<std::string> EmitLlvmIr(const ir::Module& module);

}  // namespace orch::jit
