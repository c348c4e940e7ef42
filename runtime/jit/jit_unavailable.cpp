// jit.h for a build without LLVM: every entry point says so, and the interpreter runs
// everything. Compiled only when ORCH_JIT is OFF (see runtime/CMakeLists.txt).
#include "runtime/jit/jit.h"

namespace orch::jit {
namespace {
Error NoJit() {
  return MakeError("jit", "this build of orchestrator has no JIT (it was configured without LLVM 14); install "
                          "llvm-14-dev and reconfigure with -DORCH_JIT=ON, or run without --jit");
}
}  // namespace

std::optional<std::string> BackendDescription() { return std::nullopt; }

ErrorOr<std::unique_ptr<CompiledProgram>> Compile(const ir::Module&, const JitOptions&) { return NoJit(); }

ErrorOr<std::string> EmitLlvmIr(const ir::Module&) { return NoJit(); }

}  // namespace orch::jit
