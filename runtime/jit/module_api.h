// The boundary between the orchestrator binary and its JIT module.
//
// The JIT (LLVM ORC and the lowering of compiler/codegen) is built as a loadable module,
// `orchestrator-jit.so`, installed beside the binary. The binary loads it with dlopen only
// when a command asks for the JIT (`run --jit`, `check --emit llvm`, `--version`), so
// commands that do not use it never pay for loading and relocating LLVM (about 5 ms and
// 20 MB at every start when LLVM was linked into the binary).
//
// The module exports one C function, kModuleEntry, which takes the host's services (the
// runtime entry points of abi.def and the IR dump used for cache keys) and returns the
// table of JIT functions. Both sides are built from the same tree by the same compiler, so
// C++ types cross the boundary; the build stamp, checked before anything else is used,
// makes sure they come from the same build.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "compiler/ir/ir.h"
#include "orch_version.h"
#include "runtime/jit/jit.h"
#include "runtime/value/error_or.h"

namespace orch::jit {

/// What the binary lends the module.
struct HostServices {
  /// ir::DumpModule without source locations (hashed into the object cache's key).
  std::string (*dump_module)(const ir::Module& module);
  /// The runtime entry points compiled code calls (abi.def), by name.
#define ORCH_JIT_ENTRY(Name, Ret, Params) Ret(*Name) Params noexcept;
#include "runtime/jit/abi.def"
};

/// What the module provides: the functions of jit.h.
struct ModuleApi {
  /// Must equal BuildStamp() of the loading binary.
  const char* build_stamp;
  std::string (*backend_description)();
  ErrorOr<std::unique_ptr<CompiledProgram>> (*compile)(const ir::Module& module, const JitOptions& options);
  ErrorOr<std::string> (*emit_llvm_ir)(const ir::Module& module);
};

/// The module's one exported symbol: `const ModuleApi* orch_jit_module(const HostServices*)`.
/// The services must outlive every use of the module.
inline constexpr const char* kModuleEntry = "orch_jit_module";
using ModuleEntryFn = const ModuleApi* (*)(const HostServices* host);

/// Identifies a build: version, commit, and the sizes of the types that cross the boundary.
inline std::string BuildStamp() {
  return std::string(ORCH_VERSION) + " " + ORCH_GIT_COMMIT + " module-abi-1 " + std::to_string(sizeof(ir::Module)) +
         "/" + std::to_string(sizeof(ir::Function)) + "/" + std::to_string(sizeof(ir::Instr)) + "/" +
         std::to_string(sizeof(JitStats)) + "/" + std::to_string(sizeof(Value));
}

}  // namespace orch::jit
