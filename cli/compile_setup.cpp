// Compile options from the configuration; see compile_setup.h.
#include "cli/compile_setup.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

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

void AddConfigNearFileHint(compiler::Diagnostic& d, const compiler::SourceMap& sources, const GlobalOptions& global) {
  if (d.kind != compiler::DiagKind::kServerNotConfigured || !global.config_file.empty()) return;
  if (d.primary.span.file >= sources.size() || config::ConfigFileIn(".")) return;
  std::filesystem::path dir = std::filesystem::path(sources.file(d.primary.span.file).path()).parent_path();
  if (dir.empty()) return;
  auto near = config::ConfigFileIn(dir.string());
  if (!near) return;
  d.AddHelp(fmt::format("`{}` sits next to the file: run from `{}`, or pass `--config {}`", *near, dir.string(), *near));
}

bool PrintDiagnostics(const std::vector<compiler::Diagnostic>& diagnostics, const compiler::SourceMap& sources,
                      const GlobalOptions& global) {
  compiler::RenderOptions render;
  render.color = UseColor(global, STDERR_FILENO);
  bool ok = true;
  for (compiler::Diagnostic d : diagnostics) {
    AddConfigNearFileHint(d, sources, global);
    std::cerr << compiler::RenderHuman(d, sources, render);
    if (d.severity == compiler::Severity::kError) ok = false;
  }
  std::string summary = compiler::Summary(diagnostics);
  if (!summary.empty()) std::cerr << summary << "\n";
  return ok;
}

}  // namespace orch::cli
