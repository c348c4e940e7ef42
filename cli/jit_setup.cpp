// `--jit` set-up shared by the commands that run workflows (see jit_setup.h).
#include "cli/jit_setup.h"

#include <fmt/format.h>

#include <iostream>

#include "runtime/store/project_store.h"

namespace orch::cli {

std::unique_ptr<jit::CompiledProgram> CompileWithJit(const ir::Module& module, bool print_stats) {
  jit::JitOptions options;
  std::error_code ec;
  // Without a state directory (read-only checkout) the JIT still works, uncached.
  if (auto store = store::StoreDirectory(std::filesystem::current_path(ec))) options.cache_dir = *store / "jit";
  auto compiled = jit::Compile(module, options);
  if (!compiled) {
    std::cerr << fmt::format("error: {}\n", compiled.error().message);
    return nullptr;
  }
  const auto& reasons = (*compiled)->interpreted_because();
  for (size_t i = 0; i < reasons.size() && i < module.functions.size(); ++i) {
    if (reasons[i].empty()) continue;
    const ir::Function& fn = module.functions[i];
    std::cerr << fmt::format("note: {} `{}` runs in the interpreter: {}\n", fn.is_test ? "test" : "workflow", fn.name,
                             reasons[i]);
  }
  if (print_stats) {
    const jit::JitStats& s = (*compiled)->stats();
    std::cerr << fmt::format("jit: {} of {} workflows native, {} of {} blocks; lower {:.1f} ms, codegen {:.1f} ms, "
                             "CPU {:.1f} ms, cache {}{}\n",
                             s.native_functions, s.total_functions, s.native_blocks, s.total_blocks, s.lower_ms,
                             s.codegen_ms, s.cpu_ms, s.cache,
                             s.cache_note ? fmt::format(" ({})", *s.cache_note) : "");
  }
  return std::move(*compiled);
}

}  // namespace orch::cli
