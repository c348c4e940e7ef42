// jit.h for the binary: loads the JIT module (`orchestrator-jit.so`, see module_api.h) on
// first use and forwards to it. A build configured without LLVM has no module; then, as
// when the module cannot be found or loaded, every entry point says why and the
// interpreter runs everything.
//
// Where the module is looked for: only $ORCH_JIT_MODULE when it is set; otherwise, in
// order, beside the executable (the build tree), `../lib/orchestrator/` from the
// executable's folder (the installed layout), and the build tree the binary was built in
// (for test binaries outside cli/).
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "compiler/ir/dump.h"
#include "runtime/jit/jit.h"
#include "runtime/jit/module_api.h"

#define ORCH_JIT_ENTRY(Name, Ret, Params) extern "C" Ret Name Params noexcept;
#include "runtime/jit/abi.def"

namespace orch::jit {
namespace {

#ifdef ORCH_JIT_LINKED_IN
// Sanitizer builds link the module's code into the binary (see cmake/orch_jit.cmake).
extern "C" const ModuleApi* orch_jit_module(const HostServices* host);
#endif

#ifdef ORCH_JIT_MODULE_FILE

std::string DumpWithoutSources(const ir::Module& module) { return ir::DumpModule(module); }

const HostServices kHostServices{
    &DumpWithoutSources,
#define ORCH_JIT_ENTRY(Name, Ret, Params) &::Name,
#include "runtime/jit/abi.def"
};

std::vector<std::filesystem::path> ModuleCandidates() {
  // An explicit path is the only place looked in, so a mistake in it is reported.
  if (const char* env = std::getenv("ORCH_JIT_MODULE"); env && *env) return {env};
  std::vector<std::filesystem::path> candidates;
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(self.parent_path() / ORCH_JIT_MODULE_FILE);
    candidates.push_back((self.parent_path() / ORCH_JIT_MODULE_INSTALL_DIR / ORCH_JIT_MODULE_FILE).lexically_normal());
  }
  candidates.emplace_back(ORCH_JIT_MODULE_BUILD_PATH);
  return candidates;
}

ErrorOr<const ModuleApi*> LoadModule() {
#ifdef ORCH_JIT_LINKED_IN
  if (const char* env = std::getenv("ORCH_JIT_MODULE"); !env || !*env) return orch_jit_module(&kHostServices);
#endif
  std::vector<std::filesystem::path> candidates = ModuleCandidates();
  for (const std::filesystem::path& path : candidates) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    // The module stays loaded for the life of the process: compiled code and the
    // CompiledProgram objects it returns live in it.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      return MakeError("jit", fmt::format("the JIT module `{}` could not be loaded: {}", path.string(), dlerror()));
    }
    auto entry = reinterpret_cast<ModuleEntryFn>(dlsym(handle, kModuleEntry));
    if (!entry) {
      return MakeError("jit", fmt::format("`{}` is not an orchestrator JIT module (it has no `{}`)", path.string(),
                                          kModuleEntry));
    }
    const ModuleApi* api = entry(&kHostServices);
    if (std::string(api->build_stamp) != BuildStamp()) {
      return MakeError("jit", fmt::format("the JIT module `{}` belongs to another build of orchestrator ({}; this "
                                          "binary is {}); reinstall orchestrator so the two match",
                                          path.string(), api->build_stamp, BuildStamp()));
    }
    return api;
  }
  std::string looked;
  for (const std::filesystem::path& path : candidates) looked += fmt::format("\n  {}", path.string());
  return MakeError("jit", fmt::format("the JIT module `{}` was not found; looked in:{}\nreinstall orchestrator "
                                      "(or set ORCH_JIT_MODULE to the module's path), or run without --jit",
                                      ORCH_JIT_MODULE_FILE, looked));
}

/// The module, loaded once per process.
ErrorOr<const ModuleApi*> Module() {
  static std::once_flag once;
  static std::optional<ErrorOr<const ModuleApi*>> loaded;
  std::call_once(once, [] { loaded.emplace(LoadModule()); });
  return *loaded;
}

#else  // built without LLVM

ErrorOr<const ModuleApi*> Module() {
  return MakeError("jit", "this build of orchestrator has no JIT (it was configured without LLVM 14); install "
                          "llvm-14-dev and reconfigure with -DORCH_JIT=ON, or run without --jit");
}

#endif

}  // namespace

bool BuiltWithJit() {
#ifdef ORCH_JIT_MODULE_FILE
  return true;
#else
  return false;
#endif
}

ErrorOr<std::string> BackendDescription() {
  auto api = Module();
  if (!api) return api.error();
  return (*api)->backend_description();
}

ErrorOr<std::unique_ptr<CompiledProgram>> Compile(const ir::Module& module, const JitOptions& options) {
  auto api = Module();
  if (!api) return api.error();
  return (*api)->compile(module, options);
}

ErrorOr<std::string> EmitLlvmIr(const ir::Module& module) {
  auto api = Module();
  if (!api) return api.error();
  return (*api)->emit_llvm_ir(module);
}

}  // namespace orch::jit
