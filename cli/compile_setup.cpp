// Compile options from the configuration; see compile_setup.h.
#include "cli/compile_setup.h"

#include <unistd.h>

#include <iostream>

#include "compiler/diagnostics/render.h"
#include "runtime/config/config.h"

namespace orch::cli {

ErrorOr<compiler::CompileOptions> CompileOptionsFromConfig(const GlobalOptions& global) {
  compiler::CompileOptions options;
  auto config = config::LoadConfig(global.config_file);
  if (!config) return config.error();
  for (const auto& [name, server] : config->servers) options.configured_servers.push_back(name);
  return options;
}

bool PrintDiagnostics(const std::vector<compiler::Diagnostic>& diagnostics, const compiler::SourceMap& sources,
                      const GlobalOptions& global) {
  compiler::RenderOptions render;
  render.color = UseColor(global, STDERR_FILENO);
  bool ok = true;
  for (const auto& d : diagnostics) {
    std::cerr << compiler::RenderHuman(d, sources, render);
    if (d.severity == compiler::Severity::kError) ok = false;
  }
  std::string summary = compiler::Summary(diagnostics);
  if (!summary.empty()) std::cerr << summary << "\n";
  return ok;
}

}  // namespace orch::cli
